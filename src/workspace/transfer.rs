//! Export and import jobs from the window: the same exporters and importers as the command
//! line (`io::transfer`), with the open document as it is on screen, saved or not.

use super::doc::Doc;
use crate::io::formats::{ExportOptions, Format, Offsets, Report};
use crate::io::transfer;
use std::path::PathBuf;

/// An export: where to, in which format, and of what.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportJob {
    pub format: Format,
    pub opts: ExportOptions,
    /// Every session in the document's folder instead of this document.
    pub whole_folder: bool,
    pub out: PathBuf,
    /// Labels renamed or left out, and a split into parts.
    pub plan: transfer::Plan,
}

/// An import: a file (or brat folder) of another tool's annotations into new sessions.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportJob {
    pub format: Format,
    pub offsets: Offsets,
    pub input: PathBuf,
    pub out: PathBuf,
}

fn failed(note: String) -> Report {
    Report {
        notes: vec![note],
        failed: true,
        ..Default::default()
    }
}

/// The export's default output: beside the document, named after it.
pub fn export_default(doc: &Doc, format: Format) -> PathBuf {
    let folder = doc.folder().unwrap_or_default();
    folder.join(format::default_name(&doc.id(), format))
}

/// Where imported sessions go by default.
pub fn import_default(doc: &Doc) -> PathBuf {
    doc.folder().unwrap_or_default().join("imported")
}

impl ExportJob {
    /// Exports the open document `doc` (or its whole folder); the report says what happened.
    pub fn run(&self, doc: &Doc) -> Report {
        let job = self;
        let mut report = Report::default();
        let current = (doc.id(), doc.session.clone());
        let sessions = match (doc.folder(), job.whole_folder) {
            (Some(folder), true) => {
                let paths = transfer::gather_sessions(std::slice::from_ref(&folder), &mut report);
                // This document as it is on screen, saved or not; the rest from disk.
                let others: Vec<PathBuf> = paths
                    .into_iter()
                    .filter(|p| Some(p) != doc.session_path.as_ref())
                    .collect();
                let mut all = vec![current];
                all.extend(transfer::load_all(&others, &mut report, transfer::QUIET));
                all
            }
            _ => vec![current],
        };
        if job.out.as_os_str().is_empty() {
            return failed("Choose where to export to.".into());
        }
        match transfer::export_planned(job.format, &sessions, &job.out, job.opts.clone(), &job.plan)
        {
            Ok(r) => {
                let failed = report.failed;
                report.merge(r);
                report.failed |= failed;
            }
            Err(e) => {
                report.notes.push(format!("{}: {e}", job.out.display()));
                report.failed = true;
            }
        }
        report
    }
}

impl ImportJob {
    /// Imports into new session files (never over existing ones).
    pub fn run(&self) -> Report {
        let job = self;
        if job.input.as_os_str().is_empty() || job.out.as_os_str().is_empty() {
            return failed("Choose what to import and where to put the sessions.".into());
        }
        match transfer::import(
            job.format,
            &job.input,
            &job.out,
            job.offsets,
            transfer::QUIET,
        ) {
            Ok(mut r) => {
                if r.documents > 0 {
                    r.notes.push(format!(
                        "Sessions are in {}; open them with File > Open.",
                        job.out.display()
                    ));
                }
                r
            }
            Err(e) => failed(format!("{}: {e}", job.input.display())),
        }
    }
}

/// Output names per format.
pub mod format {
    use super::Format;

    /// `news` in `format`: `news.jsonl`, `news.conll`, `news-brat` (a folder).
    pub fn default_name(id: &str, format: Format) -> String {
        format!("{id}{}", suffix(format))
    }

    fn suffix(f: Format) -> String {
        if f.spec().writes_folder() {
            format!("-{}", f.spec().name)
        } else {
            format!(".{}", f.spec().extension)
        }
    }

    /// The same output for another format: `news.jsonl` → `news.conll`, `news-brat`.
    pub fn retarget(out: &str, from: Format, to: Format) -> String {
        match out.strip_suffix(&suffix(from)) {
            Some(stem) if !out.is_empty() => format!("{stem}{}", suffix(to)),
            _ => out.to_owned(),
        }
    }
}
