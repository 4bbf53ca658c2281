//! `validate` and `stats`: checking session files, and counting documents, spans and
//! time in sessions, articles and project folders.

use crate::io::{LoadError, load_session};
use crate::model::Session;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(super) fn validate(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut bad = 0;
    for f in files {
        match load_session(f) {
            Ok(s) => writeln!(
                out,
                "{}: ok ({} annotations, {} characters)",
                f.display(),
                s.annotations().len(),
                s.document().char_len()
            )?,
            Err(e) => {
                bad += 1;
                for line in e.lines() {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    if files.len() > 1 {
        writeln!(out, "{} of {} files valid", files.len() - bad, files.len())?;
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Counts for one document or a total.
#[derive(Debug, Default, serde::Serialize)]
pub struct Counts {
    pub documents: usize,
    pub characters: usize,
    pub spans: usize,
    /// Spans per label.
    pub labels: BTreeMap<String, usize>,
}

impl Counts {
    pub fn of(s: &Session) -> Self {
        let mut labels: BTreeMap<String, usize> =
            s.labels().iter().map(|l| (l.name.clone(), 0)).collect();
        for a in s.annotations() {
            *labels.entry(a.label.clone()).or_default() += 1;
        }
        Self {
            documents: 1,
            characters: s.document().char_len(),
            spans: s.annotations().len(),
            labels,
        }
    }

    fn add(&mut self, other: &Counts) {
        self.documents += other.documents;
        self.characters += other.characters;
        self.spans += other.spans;
        for (l, n) in &other.labels {
            *self.labels.entry(l.clone()).or_default() += n;
        }
    }
}

pub(super) fn stats(files: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    if files.iter().any(|f| f.is_dir()) {
        if let Some(f) = files.iter().find(|f| !f.is_dir()) {
            anyhow::bail!(
                "{}: give either project folders or session files, not both",
                f.display()
            );
        }
        return project_stats(files, json);
    }
    let mut total = Counts::default();
    let mut per_file = Vec::new();
    let mut errors: Vec<LoadError> = Vec::new();
    for f in files {
        match stats_source(f) {
            Ok(s) => {
                let c = Counts::of(&s);
                total.add(&c);
                per_file.push((f.display().to_string(), c));
            }
            Err(e) => errors.push(e),
        }
    }
    let mut out = std::io::stdout().lock();
    if json {
        #[derive(serde::Serialize)]
        struct FileCounts<'a> {
            path: &'a str,
            #[serde(flatten)]
            counts: &'a Counts,
        }
        #[derive(serde::Serialize)]
        struct Report<'a> {
            #[serde(flatten)]
            total: &'a Counts,
            files: Vec<FileCounts<'a>>,
            errors: Vec<String>,
        }
        let report = Report {
            total: &total,
            files: per_file
                .iter()
                .map(|(path, counts)| FileCounts { path, counts })
                .collect(),
            errors: errors.iter().flat_map(LoadError::lines).collect(),
        };
        // Rendered first, so that a closed pipe shows as an io error (quietly ignored).
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        let width = total
            .labels
            .keys()
            .map(|l| l.len() + 2)
            .max()
            .unwrap_or(0)
            .max(10);
        writeln!(out, "{:width$}  {:>10}", "documents", total.documents)?;
        writeln!(out, "{:width$}  {:>10}", "characters", total.characters)?;
        writeln!(out, "{:width$}  {:>10}", "spans", total.spans)?;
        for (label, n) in &total.labels {
            writeln!(out, "{:width$}  {n:>10}", format!("  {label}"))?;
        }
    }
    for e in &errors {
        for line in e.lines() {
            eprintln!("{line}");
        }
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `1:02:03` for 3723 seconds; `-` for none.
pub(super) fn hms(secs: u64) -> String {
    if secs == 0 {
        return "-".into();
    }
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

#[derive(Debug, Default, serde::Serialize)]
pub(super) struct LabelProgress {
    spans: usize,
    documents: usize,
}

/// One project folder's progress.
#[derive(serde::Serialize)]
pub(super) struct ProjectReport {
    folder: PathBuf,
    documents: usize,
    done: usize,
    in_progress: usize,
    new: usize,
    spans: usize,
    active_seconds: u64,
    labels: BTreeMap<String, LabelProgress>,
    files: Vec<crate::io::project::DocEntry>,
}

/// Progress of project folders: per document (status, spans, time) and per label.
pub(super) fn project_stats(folders: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    let reports = folders
        .iter()
        .map(|f| project_report(f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut out = std::io::stdout().lock();
    if json {
        // Rendered first, so that a closed pipe shows as an io error (quietly ignored).
        writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?;
    } else {
        for r in &reports {
            print_project(&mut out, r)?;
        }
    }
    let mut bad = 0;
    for d in reports.iter().flat_map(|r| &r.files) {
        if let Some(p) = &d.problem {
            eprintln!("{p}");
            bad += 1;
        }
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn project_report(folder: &Path) -> anyhow::Result<ProjectReport> {
    use crate::io::project::{self, Status};
    let files = project::scan(folder)?;
    let mut labels: BTreeMap<String, LabelProgress> = BTreeMap::new();
    if let Some(pf) = project::read_project_file(folder)? {
        for l in pf.labels.iter() {
            labels.entry(l.name.clone()).or_default();
        }
    }
    for d in &files {
        for (l, n) in &d.per_label {
            let e = labels.entry(l.clone()).or_default();
            e.spans += n;
            e.documents += 1;
        }
    }
    let count = |s: Status| files.iter().filter(|d| d.status == s).count();
    Ok(ProjectReport {
        folder: folder.to_owned(),
        documents: files.len(),
        done: count(Status::Done),
        in_progress: count(Status::InProgress),
        new: count(Status::New),
        spans: files.iter().map(|d| d.spans).sum(),
        active_seconds: files.iter().map(|d| d.active_secs).sum(),
        labels,
        files,
    })
}

/// A project's progress as tables: the totals, each document, each label.
fn print_project(out: &mut dyn Write, r: &ProjectReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} documents, {} done, {} in progress, {} new; {} spans; {} worked",
        r.folder.display(),
        r.documents,
        r.done,
        r.in_progress,
        r.new,
        r.spans,
        hms(r.active_seconds)
    )?;
    let w = r
        .files
        .iter()
        .map(|d| d.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    writeln!(out)?;
    writeln!(
        out,
        "{:w$}  {:11}  {:>6}  {:>8}  annotator",
        "document", "status", "spans", "time"
    )?;
    for d in &r.files {
        writeln!(
            out,
            "{:w$}  {:11}  {:>6}  {:>8}  {}",
            d.name,
            d.status.name(),
            d.spans,
            hms(d.active_secs),
            d.annotator
        )?;
    }
    let lw = r.labels.keys().map(String::len).max().unwrap_or(5).max(5);
    writeln!(out)?;
    writeln!(out, "{:lw$}  {:>6}  {:>9}", "label", "spans", "documents")?;
    for (l, p) in &r.labels {
        writeln!(out, "{l:lw$}  {:>6}  {:>9}", p.spans, p.documents)?;
    }
    Ok(())
}

/// A session file, or an article (as a session with no annotations yet).
pub(super) fn stats_source(f: &std::path::Path) -> Result<Session, LoadError> {
    if crate::io::session_file::is_session_path(f) {
        return load_session(f);
    }
    let a = crate::io::read_article(f).map_err(|e| {
        let msg = e.to_string();
        let own = format!("{}: ", f.display());
        LoadError::general(f, msg.strip_prefix(&own).unwrap_or(&msg))
    })?;
    Ok(Session::new(
        crate::model::Document::new(a.text),
        crate::model::LabelSet::default(),
        a.source,
        String::new(),
    ))
}
