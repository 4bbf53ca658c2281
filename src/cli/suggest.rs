//! `suggest`: learns from tagged data (sessions, project folders, a doccano JSONL) and
//! proposes spans in new documents: learned, gazetteer and dates, as JSON lines or as
//! pre-annotated sessions.

use crate::io::formats::{Format, Offsets, Report};
use crate::io::session_file::{SESSION_SUFFIX, is_session_path};
use crate::io::transfer::{doc_id, gather_sessions, read_foreign};
use crate::io::{load_session, save_session};
use crate::model::{Document, Edit, LabelSet, Session, Source};
use crate::workspace::learned::{Learned, Proposal};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn is_jsonl(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

/// The documents of a doccano JSONL, as sessions (with their spans, if any).
fn jsonl_sessions(path: &Path) -> anyhow::Result<Vec<(String, Session)>> {
    let mut report = Report::default();
    let (docs, labels) = read_foreign(Format::Jsonl, path, Offsets::Chars, &mut report)?;
    for n in &report.notes {
        eprintln!("{n}");
    }
    let origin = path.display().to_string();
    Ok(crate::io::formats::to_sessions(
        docs,
        &origin,
        labels.as_ref(),
        &mut report,
    ))
}

/// The tagged sessions to learn from, and whether they are gold (a JSONL: every name tagged).
fn tagged(from: &[PathBuf]) -> anyhow::Result<(Vec<Session>, bool)> {
    let (mut sessions, mut gold) = (Vec::new(), true);
    let mut report = Report::default();
    for p in from {
        if is_jsonl(p) {
            sessions.extend(jsonl_sessions(p)?.into_iter().map(|(_, s)| s));
            continue;
        }
        gold = false;
        for f in gather_sessions(std::slice::from_ref(p), &mut report) {
            sessions.push(load_session(&f).map_err(|e| anyhow::anyhow!(e.lines().join("\n")))?);
        }
    }
    for n in &report.notes {
        eprintln!("{n}");
    }
    Ok((sessions, gold))
}

/// The documents to suggest in: (id, text, source).
fn targets(files: &[PathBuf]) -> anyhow::Result<Vec<(String, String, Source)>> {
    let mut out = Vec::new();
    for f in files {
        if is_jsonl(f) {
            for (id, s) in jsonl_sessions(f)? {
                out.push((id, s.text().to_owned(), Source::default()));
            }
        } else if is_session_path(f) {
            let s = load_session(f).map_err(|e| anyhow::anyhow!(e.lines().join("\n")))?;
            out.push((doc_id(f), s.text().to_owned(), s.source.clone()));
        } else {
            let a = crate::io::read_article(f)?;
            for w in &a.warnings {
                eprintln!("{w}");
            }
            let id = f
                .file_stem()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            out.push((id, a.text, a.source));
        }
    }
    Ok(out)
}

pub(super) fn suggest(
    from: &[PathBuf],
    files: &[PathBuf],
    out: Option<&Path>,
    min_score: f32,
) -> anyhow::Result<ExitCode> {
    let (sessions, gold) = tagged(from)?;
    if sessions.iter().all(|s| s.annotations().is_empty()) {
        anyhow::bail!("nothing to learn from: no tagged spans in --from");
    }
    let t = std::time::Instant::now();
    let learned = Learned::from_sessions(&sessions, gold);
    let spans: usize = learned.model.trained_on.iter().map(|(_, n)| n).sum();
    eprintln!(
        "learned from {} documents ({spans} spans) in {:.2} s",
        sessions.len(),
        t.elapsed().as_secs_f64()
    );
    let docs = targets(files)?;
    match out {
        Some(dir) => write_sessions(&learned, docs, dir, min_score),
        None => print_jsonl(&learned, docs, min_score),
    }
}

fn print_jsonl(
    learned: &Learned,
    docs: Vec<(String, String, Source)>,
    min_score: f32,
) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    for (id, text, _) in docs {
        let doc = Document::new(text);
        let list: Vec<serde_json::Value> = learned
            .propose(&doc, min_score)
            .into_iter()
            .map(|p| serde_json::json!([p.start, p.end, p.label, round(p.score), p.source]))
            .collect();
        let line = serde_json::json!({"id": id, "text": doc.text(), "suggestions": list});
        writeln!(stdout, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn round(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// One session per document in `dir`, its proposals as annotations (never over a file).
fn write_sessions(
    learned: &Learned,
    docs: Vec<(String, String, Source)>,
    dir: &Path,
    min_score: f32,
) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(dir)?;
    let mut failed = false;
    for (id, text, source) in docs {
        let path = dir.join(format!(
            "{}{SESSION_SUFFIX}",
            crate::io::formats::file_stem_for(&id)
        ));
        if std::fs::symlink_metadata(&path).is_ok() {
            eprintln!("{}: already exists; not overwritten", path.display());
            failed = true;
            continue;
        }
        let mut labels = LabelSet::default();
        for l in &learned.labels {
            labels.add_met(l, None);
        }
        let mut s = Session::new(
            Document::new(text),
            labels,
            source,
            "spanmark suggest".into(),
        );
        let proposals = learned.propose(s.document(), min_score);
        let added = add_proposals(&mut s, &proposals);
        save_session(&path, &mut s)?;
        println!("{}: {added} spans", path.display());
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Adds each proposal the session's rules allow.
fn add_proposals(s: &mut Session, proposals: &[Proposal]) -> usize {
    let mut added = 0;
    for p in proposals {
        let a = s.new_annotation(p.start, p.end, &p.label);
        added += usize::from(s.apply(Edit::Add(a)).is_ok());
    }
    added
}
