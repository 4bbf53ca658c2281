//! Export and import jobs from the window: the same exporters and importers as the command
//! line (`io::transfer`), with the open document as it is on screen, saved or not.

use super::Workspace;
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

impl Workspace {
    /// The export's default output: beside the document, named after it.
    pub fn export_default(&self, format: Format) -> PathBuf {
        let folder = self.doc.folder().unwrap_or_default();
        folder.join(format::default_name(&self.doc.id(), format))
    }

    /// Where imported sessions go by default.
    pub fn import_default(&self) -> PathBuf {
        self.doc.folder().unwrap_or_default().join("imported")
    }

    /// Exports this document (or its whole folder); the report says what happened.
    pub fn export(&self, job: &ExportJob) -> Report {
        let mut report = Report::default();
        let current = (self.doc.id(), self.doc.session.clone());
        let sessions = match (self.doc.folder(), job.whole_folder) {
            (Some(folder), true) => {
                let paths = transfer::gather_sessions(std::slice::from_ref(&folder), &mut report);
                // This document as it is on screen, saved or not; the rest from disk.
                let others: Vec<PathBuf> = paths
                    .into_iter()
                    .filter(|p| Some(p) != self.doc.session_path.as_ref())
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

    /// Imports into new session files (never over existing ones).
    pub fn import(&self, job: &ImportJob) -> Report {
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
        if f.spec().writes_folder {
            "-brat".to_owned()
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
