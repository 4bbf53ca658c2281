//! The command line: argument parsing and the headless subcommands. The GUI is started from
//! here when no subcommand is given.

use crate::io::formats::{ExportOptions, Format, Offsets, Overlaps, Report, Scheme};
use crate::io::{LoadError, load_session, transfer};
use crate::model::Session;
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "spanmark",
    version,
    about = "Tag spans in articles and turn them into training data.",
    long_about = "Tag spans in articles and turn them into training data.\n\n\
        Without a subcommand, opens the annotation window on PATH (an article .txt/.md/.html/.docx or a \
        .spanmark.ron session), or on the bundled sample article.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Article (.txt, .md, .html, .docx) or session (.spanmark.ron) to open in the window.
    pub path: Option<PathBuf>,
    /// Compare PATH with this other session of the same text, and curate the differences.
    #[arg(long, value_name = "SESSION", requires = "path")]
    pub compare: Option<PathBuf>,
    /// Add Spanmark to the desktop's menu (this binary, its icon, and opening .spanmark.ron
    /// files) under $XDG_DATA_HOME, or ~/.local/share.
    #[arg(long, conflicts_with_all = ["path", "compare"])]
    pub install_desktop: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check session files; print each problem as PATH:LINE:COL: message.
    ///
    /// Exits 0 only if every file is a valid session.
    Validate {
        /// Session files (.spanmark.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Count documents, characters and spans per label.
    Stats {
        /// Session files (.spanmark.ron), or project folders (progress per document and per
        /// label, and time per document).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Export sessions as training data (jsonl, spacy, conll, docbin, hf, brat, labelstudio,
    /// csv).
    Export {
        #[arg(long, short, value_enum)]
        format: Format,
        /// Output file (`-` for stdout); a folder for brat.
        #[arg(long, short)]
        out: PathBuf,
        /// Offsets in JSONL: chars (code points) or utf16 (doccano's default).
        #[arg(long, value_enum, default_value_t)]
        offsets: Offsets,
        /// CoNLL tagging scheme.
        #[arg(long, value_enum, default_value_t)]
        scheme: Scheme,
        /// CoNLL cannot hold overlapping spans: refuse, or keep the outermost or longest.
        #[arg(long, value_enum, default_value_t)]
        overlaps: Overlaps,
        /// Label Studio: write results as predictions instead of annotations.
        #[arg(long)]
        as_predictions: bool,
        /// brat: replace .txt/.ann files in the folder that Spanmark did not write.
        #[arg(long)]
        force: bool,
        /// docbin, hf: Unicode words, or runs of non-whitespace (both split at span edges).
        #[arg(long, value_enum, default_value_t)]
        tokenizer: crate::io::formats::tokens::Tokenizer,
        /// docbin: the doc.spans key every span goes into (spaCy's spancat reads "sc").
        #[arg(long, default_value = crate::io::formats::DEFAULT_SPAN_KEY)]
        span_key: String,
        /// Split documents into parts, one output each: train=0.8,dev=0.1,test=0.1
        /// (data.spacy becomes data.train.spacy, data.dev.spacy, …).
        #[arg(long, value_parser = parse_split)]
        split: Option<Parts>,
        /// The split's seed: the same seed and documents give the same parts.
        #[arg(long, default_value_t = 0, requires = "split")]
        seed: u64,
        /// Keep documents of one folder in one part.
        #[arg(long, value_enum, requires = "split")]
        split_by: Option<SplitBy>,
        /// Rename labels on the way out: actor=PER,topic=TOPIC.
        #[arg(long, value_parser = parse_renames)]
        labels: Option<Renames>,
        /// Leave these labels' spans out (comma-separated or repeated).
        #[arg(long, value_delimiter = ',')]
        drop: Vec<String>,
        /// Session files, or folders searched recursively for *.spanmark.ron.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Agreement between annotators: span precision/recall/F1 (exact and overlap) of each
    /// against the first, token-level Cohen's kappa per pair, Fleiss' kappa for 3 or more.
    ///
    /// Each argument is one annotator: a session file or a folder of sessions. Documents are
    /// matched by the SHA-256 of their text.
    Agree {
        /// Two or more annotators (session files or folders).
        #[arg(required = true, num_args = 2..)]
        annotators: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Merge annotators' sessions of one document: spans all agree on (a majority, with 3 or
    /// more) become annotations; the others wait in the session's review list for a curator,
    /// who sees them as suggestions in the window (Tab, Enter accepts, x rejects).
    Merge {
        /// Two or more session files of the same text.
        #[arg(required = true, num_args = 2..)]
        sessions: Vec<PathBuf>,
        /// The merged session to write (never over an existing file).
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Carry a session's annotations onto a corrected article (the same article, edited):
    /// one line per changed or orphaned annotation, then `exact N, changed N, orphaned N`.
    ///
    /// Exits 0 when nothing is orphaned, 1 otherwise. Changed and orphaned annotations wait in
    /// the new session's review list (Tab in the window walks them).
    Reanchor {
        /// The session of the article as it was.
        session: PathBuf,
        /// The article as it is now (.txt, .md, .html, .docx).
        article: PathBuf,
        /// The new session to write (never over an existing file).
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Print an article's text exactly as the window shows it (and as offsets count it).
    Text {
        /// An article (.txt, .md, .html, .docx) or a session.
        file: PathBuf,
    },
    /// Import another tool's data as one session per document.
    Import {
        #[arg(long, short, value_enum)]
        format: Format,
        /// A JSONL/JSON/CoNLL file, or a brat folder.
        input: PathBuf,
        /// Folder to write the sessions into (existing sessions are never overwritten).
        #[arg(long, short)]
        out: PathBuf,
        /// Offsets in JSONL: chars (code points) or utf16 (doccano's default).
        #[arg(long, value_enum, default_value_t)]
        offsets: Offsets,
    },
}

/// Runs the command line; `gui` is called when no subcommand is given.
pub fn run(
    cli: Cli,
    gui: impl FnOnce(Option<PathBuf>, Option<PathBuf>) -> anyhow::Result<()>,
) -> ExitCode {
    let result = match cli.command {
        None if cli.install_desktop => install_desktop(),
        None => gui(cli.path, cli.compare).map(|()| ExitCode::SUCCESS),
        Some(Command::Validate { files }) => validate(&files),
        Some(Command::Stats { files, json }) => stats(&files, json),
        Some(Command::Export {
            format,
            out,
            offsets,
            scheme,
            overlaps,
            as_predictions,
            force,
            tokenizer,
            span_key,
            split,
            seed,
            split_by,
            labels,
            drop,
            inputs,
        }) => export(
            format,
            &out,
            &inputs,
            ExportOptions {
                offsets,
                scheme,
                overlaps,
                as_predictions,
                force,
                tokenizer,
                span_key,
            },
            &transfer::Plan {
                rename: labels.map(|r| r.0).unwrap_or_default(),
                drop,
                split: split.map(|p| p.0).unwrap_or_default(),
                seed,
                split_by_folder: split_by.is_some(),
            },
        ),
        Some(Command::Import {
            format,
            input,
            out,
            offsets,
        }) => import(format, &input, &out, offsets),
        Some(Command::Agree { annotators, json }) => agree(&annotators, json),
        Some(Command::Merge { sessions, out }) => merge(&sessions, &out),
        Some(Command::Reanchor {
            session,
            article,
            out,
        }) => reanchor(&session, &article, &out),
        Some(Command::Text { file }) => text(&file),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("spanmark: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn validate(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
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

fn stats(files: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
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
fn hms(secs: u64) -> String {
    if secs == 0 {
        return "-".into();
    }
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

#[derive(Debug, Default, serde::Serialize)]
struct LabelProgress {
    spans: usize,
    documents: usize,
}

/// Progress of project folders: per document (status, spans, time) and per label.
fn project_stats(folders: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    use crate::io::project::{self, Status};
    #[derive(serde::Serialize)]
    struct ProjectReport {
        folder: PathBuf,
        documents: usize,
        done: usize,
        in_progress: usize,
        new: usize,
        spans: usize,
        active_seconds: u64,
        labels: BTreeMap<String, LabelProgress>,
        files: Vec<project::DocEntry>,
    }
    let mut reports = Vec::new();
    let mut bad = 0;
    for folder in folders {
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
        bad += files.iter().filter(|d| d.problem.is_some()).count();
        reports.push(ProjectReport {
            folder: folder.clone(),
            documents: files.len(),
            done: count(Status::Done),
            in_progress: count(Status::InProgress),
            new: count(Status::New),
            spans: files.iter().map(|d| d.spans).sum(),
            active_seconds: files.iter().map(|d| d.active_secs).sum(),
            labels,
            files,
        });
    }
    let mut out = std::io::stdout().lock();
    if json {
        // Rendered first, so that a closed pipe shows as an io error (quietly ignored).
        writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?;
    } else {
        for r in &reports {
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
        }
    }
    for r in &reports {
        for d in &r.files {
            if let Some(p) = &d.problem {
                eprintln!("{p}");
            }
        }
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn agree(inputs: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    use crate::agree::{self, Annotator};
    let mut report = Report::default();
    let bars = Bars::default();
    let mut annotators = Vec::new();
    for input in inputs {
        let paths = transfer::gather_sessions(std::slice::from_ref(input), &mut report);
        let mut docs = BTreeMap::new();
        for (id, s) in transfer::load_all(&paths, &mut report, &bars.progress()) {
            let key = crate::io::article::sha256_hex(s.text().as_bytes());
            if docs.contains_key(&key) {
                report.notes.push(format!(
                    "{}: {id} has the same text as another session; only the first is used",
                    input.display()
                ));
                continue;
            }
            docs.insert(key, (id, s));
        }
        annotators.push(Annotator {
            name: input.display().to_string(),
            docs,
        });
    }
    let r = agree::agree(&annotators);
    let mut out = std::io::stdout().lock();
    if json {
        // Rendered first, so that a closed pipe shows as an io error (quietly ignored).
        writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?;
    } else {
        for (i, a) in r.annotators.iter().enumerate() {
            writeln!(out, "{} = {a}", agree::annotator_letter(i))?;
        }
        writeln!(
            out,
            "{} documents compared, {} tokens; {} not matched",
            r.documents_compared,
            r.tokens,
            r.unmatched.len()
        )?;
        let f = |x: f64| {
            if x.is_finite() {
                format!("{x:.3}")
            } else {
                "-".to_owned()
            }
        };
        let k = |x: Option<f64>| x.map_or_else(|| "-".to_owned(), |x| format!("{x:.3}"));
        for p in &r.pairs {
            let (i, j) = (
                r.annotators
                    .iter()
                    .position(|a| *a == p.reference)
                    .unwrap_or(0),
                r.annotators
                    .iter()
                    .position(|a| *a == p.candidate)
                    .unwrap_or(0),
            );
            writeln!(out)?;
            writeln!(
                out,
                "{} against {}        exact P / R / F1           overlap P / R / F1        kappa",
                agree::annotator_letter(j),
                agree::annotator_letter(i)
            )?;
            let mut row = |name: &str, e: &agree::Counts, o: &agree::Counts, kappa: Option<f64>| {
                writeln!(
                    out,
                    "  {name:<14} {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6}",
                    f(e.precision()),
                    f(e.recall()),
                    f(e.f1()),
                    f(o.precision()),
                    f(o.recall()),
                    f(o.f1()),
                    k(kappa)
                )
            };
            row("all", &p.exact, &p.overlap, p.cohen_kappa)?;
            for (l, (e, o)) in &p.labels {
                row(l, e, o, p.label_kappa.get(l).copied().flatten())?;
            }
        }
        if r.annotators.len() >= 3 {
            writeln!(out)?;
            writeln!(
                out,
                "Fleiss' kappa (all {}): {}",
                r.annotators.len(),
                k(r.fleiss_kappa)
            )?;
        }
        for (a, d) in &r.unmatched {
            writeln!(
                out,
                "not matched: {d} (only some annotators have it; from {a})"
            )?;
        }
    }
    for n in &report.notes {
        eprintln!("{n}");
    }
    Ok(if report.failed || r.documents_compared == 0 {
        if r.documents_compared == 0 {
            eprintln!("spanmark: no document is shared by every annotator");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn merge(inputs: &[PathBuf], out: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut named = Vec::new();
    let mut bad = false;
    for p in inputs {
        match load_session(p) {
            Ok(s) => named.push((p.display().to_string(), s)),
            Err(e) => {
                bad = true;
                for l in e.lines() {
                    eprintln!("{l}");
                }
            }
        }
    }
    if bad {
        return Ok(ExitCode::FAILURE);
    }
    // Anything at that path, a dangling symlink included, stays as it is.
    if std::fs::symlink_metadata(out).is_ok() {
        anyhow::bail!("{}: already exists; not overwritten", out.display());
    }
    if let Some((first, s0)) = named.first()
        && let Some((other, _)) = named.iter().find(|(_, s)| s.text() != s0.text())
    {
        anyhow::bail!(
            "{other} is a session of another text than {first}; merge sessions of the same document"
        );
    }
    crate::agree::annotator_names(&mut named);
    let (mut merged, summary) = crate::agree::merge(&named, "merge")?;
    crate::io::save_session(out, &mut merged)?;
    eprintln!(
        "merged {} sessions into {}: {} spans agreed, {} for review",
        named.len(),
        out.display(),
        summary.agreed,
        summary.review
    );
    Ok(ExitCode::SUCCESS)
}

/// A session file, or an article (as a session with no annotations yet).
fn stats_source(f: &std::path::Path) -> Result<Session, LoadError> {
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

fn reanchor(
    session: &std::path::Path,
    article: &std::path::Path,
    out: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    use crate::model::reanchor::Placement;
    let old = load_session(session).map_err(|e| anyhow::anyhow!(e.lines().join("\n")))?;
    let new = crate::io::read_article(article)?;
    for w in &new.warnings {
        eprintln!("{w}");
    }
    if std::fs::symlink_metadata(out).is_ok() {
        anyhow::bail!("{}: already exists; not overwritten", out.display());
    }
    let r = crate::model::reanchor::reanchor(&old, new.text, new.source);
    let mut stdout = std::io::stdout().lock();
    for o in r
        .outcomes
        .iter()
        .filter(|o| o.placement != Placement::Exact)
    {
        let quote = crate::workspace::ellipsize(&o.quote, 60);
        match o.new {
            Some((s, e)) => writeln!(
                stdout,
                "{}: annotation {} {} {:?} at {}..{} → {s}..{e} {:?}",
                o.placement.name(),
                o.id.0,
                o.label,
                quote,
                o.old.0,
                o.old.1,
                r.session.document().slice(s..e).unwrap_or_default()
            )?,
            None => writeln!(
                stdout,
                "{}: annotation {} {} {:?} at {}..{}",
                o.placement.name(),
                o.id.0,
                o.label,
                quote,
                o.old.0,
                o.old.1
            )?,
        }
    }
    writeln!(stdout, "{}", r.summary())?;
    let orphaned = r.count(Placement::Orphaned);
    let mut s = r.session;
    crate::io::save_session(out, &mut s)?;
    eprintln!(
        "wrote {} (+{} / -{} characters){}",
        out.display(),
        r.inserted,
        r.deleted,
        if r.lost_hints > 0 {
            format!(
                "; {} review items or rejected suggestions had no place and were left out",
                r.lost_hints
            )
        } else {
            String::new()
        }
    );
    Ok(if orphaned == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn text(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let text = if crate::io::session_file::is_session_path(file) {
        load_session(file)
            .map_err(|e| anyhow::anyhow!(e.lines().join("\n")))?
            .text()
            .to_owned()
    } else {
        let a = crate::io::read_article(file)?;
        for w in &a.warnings {
            eprintln!("{w}");
        }
        a.text
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn summary(verb: &str, report: &Report) -> ExitCode {
    for n in &report.notes {
        eprintln!("{n}");
    }
    eprintln!(
        "{verb} {} document{}, {} span{}{}",
        report.documents,
        if report.documents == 1 { "" } else { "s" },
        report.spans,
        if report.spans == 1 { "" } else { "s" },
        if report.notes.is_empty() {
            String::new()
        } else {
            format!(
                "; {} message{} above",
                report.notes.len(),
                if report.notes.len() == 1 { "" } else { "s" }
            )
        }
    );
    if report.failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What documents a split keeps together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitBy {
    /// The folder the article is in (a project's sub-folder)
    Folder,
}

/// `--split`'s parts and shares (one value, not a list of values, to clap).
#[derive(Clone, Debug, PartialEq)]
pub struct Parts(Vec<(String, f64)>);

/// `--labels`' renames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renames(Vec<(String, String)>);

fn parse_split(s: &str) -> Result<Parts, String> {
    transfer::parse_split(s).map(Parts)
}

fn parse_renames(s: &str) -> Result<Renames, String> {
    transfer::parse_renames(s).map(Renames)
}

fn export(
    format: Format,
    out: &std::path::Path,
    inputs: &[PathBuf],
    opts: ExportOptions,
    plan: &transfer::Plan,
) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    let mut report = Report::default();
    let bars = Bars::default();
    let paths = transfer::gather_sessions(inputs, &mut report);
    let sessions = transfer::load_all(&paths, &mut report, &bars.progress());
    if sessions.is_empty() {
        // Nothing to write: an empty output would pass for an export of nothing.
        for n in &report.notes {
            eprintln!("{n}");
        }
        anyhow::bail!(
            "no session to export in {}; {} not written",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            out.display()
        );
    }
    let written = transfer::export_planned(format, &sessions, out, opts, plan)
        .with_context(|| format!("could not write {}", out.display()))?;
    let failed = report.failed;
    report.merge(written);
    report.failed |= failed;
    Ok(summary(&format!("exported as {format}:"), &report))
}

fn import(
    format: Format,
    input: &std::path::Path,
    out: &std::path::Path,
    offsets: Offsets,
) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    anyhow::ensure!(format.can_import(), "{format} is an export-only format");
    let bars = Bars::default();
    if out.exists() && !out.is_dir() {
        anyhow::bail!(
            "--out {} is a file; give a folder for the sessions",
            out.display()
        );
    }
    let report = transfer::import(format, input, out, offsets, &bars.progress())
        .with_context(|| format!("could not import {}", input.display()))?;
    Ok(summary(&format!("imported from {format}:"), &report))
}

/// Progress bars on stderr for long batches (rate and time left), one per stage; hidden when
/// stderr is not a terminal, and for batches too short to need one.
#[derive(Default)]
struct Bars {
    reading: std::sync::OnceLock<indicatif::ProgressBar>,
    writing: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl Bars {
    /// Batches shorter than this finish before a bar would help.
    const MIN: usize = 50;

    fn progress(&self) -> impl Fn(transfer::Stage, usize, usize) + Sync + '_ {
        move |stage, done, total| {
            if total < Self::MIN {
                return;
            }
            let (slot, what) = match stage {
                transfer::Stage::Reading => (&self.reading, "reading"),
                transfer::Stage::Writing => (&self.writing, "writing"),
            };
            let bar = slot.get_or_init(|| {
                let bar = indicatif::ProgressBar::new(total as u64);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("#> "),
                );
                bar.set_message(what);
                bar
            });
            bar.set_position(done as u64);
            if done >= total {
                bar.finish();
            }
        }
    }
}

/// `--install-desktop`: the desktop entry, icon and MIME type under the XDG data folder, then
/// the desktop's caches refreshed where their tools exist.
fn install_desktop() -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    let data_home = match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".local/share"))
            .context("neither XDG_DATA_HOME nor HOME is set")?,
    };
    let exe = std::env::current_exe().context("could not find this program's path")?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    let written = crate::io::desktop::install(&data_home, &exe)?;
    let mut out = std::io::stdout().lock();
    for f in &written {
        writeln!(out, "wrote {}", f.display())?;
    }
    for (tool, dir) in [
        ("update-desktop-database", "applications"),
        ("update-mime-database", "mime"),
    ] {
        match std::process::Command::new(tool)
            .arg(data_home.join(dir))
            .status()
        {
            Ok(s) if s.success() => writeln!(out, "ran {tool}")?,
            Ok(s) => writeln!(
                out,
                "{tool} failed ({s}); the menu may update at next login"
            )?,
            Err(_) => writeln!(out, "{tool} not found; the menu updates at next login")?,
        }
    }
    writeln!(
        out,
        "Spanmark ({}) is in the desktop's menu.",
        exe.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
