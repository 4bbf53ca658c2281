//! The open document's journal: where it lives (beside the session, or in our own data
//! folder for the sample and for folders that cannot be written), replaying one left by a run
//! that did not save, recording every edit within a moment, and moving it when its folder
//! fails. The writing itself is `io::journal`.

use super::doc::Doc;
use crate::io::journal::{self, JournalHeader, JournalWriter};
use crate::model::Edit;
use std::path::{Path, PathBuf};

/// The journal of one open document.
#[derive(Default)]
pub struct DocJournal {
    writer: Option<JournalWriter>,
    /// Edits since the last save (to rewrite the journal elsewhere if its folder fails).
    since_save: Vec<Edit>,
    /// For a session with no file yet: what it started from (a comparison of two sessions),
    /// so that its journal is replayed only onto the same start.
    pub origin: Option<String>,
    /// The writer's failure last reported, so that one failure is said once.
    reported: Option<String>,
}

impl DocJournal {
    /// Where the journal is being written, if it is.
    pub fn path(&self) -> Option<&Path> {
        self.writer.as_ref().map(JournalWriter::path)
    }

    /// Why the journal cannot be written, if it cannot.
    pub fn error(&self) -> Option<String> {
        self.writer.as_ref().and_then(JournalWriter::error)
    }

    pub(super) fn record(&mut self, edits: &[Edit]) {
        if let Some(w) = &mut self.writer {
            w.record(edits);
        }
        self.since_save.extend_from_slice(edits);
    }
}

/// What happened to a journal found when a document was opened.
#[derive(Debug)]
pub enum Found {
    /// Its edits were applied: `n` of them, and what could not be used.
    Replayed {
        path: PathBuf,
        n: usize,
        problems: Vec<String>,
    },
    /// It was written for another state of the session file, so it was not applied; it was
    /// moved aside to `aside`, or could not be moved.
    Orphaned {
        path: PathBuf,
        aside: Result<PathBuf, (PathBuf, std::io::Error)>,
    },
    /// It could not be read.
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// What the journal's writer reported.
#[derive(Debug, PartialEq, Eq)]
pub enum Trouble {
    /// The journal could not be written beside the document; it moved to `to`.
    Moved { error: String, to: PathBuf },
    /// The journal cannot be written at all: unsaved edits are only in memory.
    Failed { error: String },
}

impl Doc {
    /// The header this document's journal carries: the session file's hash (or, before there
    /// is a file, what the session started from) and the text's.
    pub(super) fn journal_header(&self) -> JournalHeader {
        let base = self.disk_hash.as_deref().or(self.journal.origin.as_deref());
        JournalHeader::new(base.unwrap_or(""), &self.session)
    }

    /// Where this document's journal lives: beside its session, and the fallback in our own
    /// data folder (for the sample, or when that folder cannot be written).
    pub fn journal_paths(&self, data_dir: Option<&Path>) -> (Option<PathBuf>, Option<PathBuf>) {
        let primary = self.session_path.as_deref().map(journal::journal_path);
        let key = self
            .session_path
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("sample:{}", self.name)));
        let fallback = data_dir.map(|d| journal::fallback_journal_path(d, &key));
        (primary, fallback)
    }

    /// Replays the journals a run that did not save left (beside the file, then ours), then
    /// starts journalling. Returns what was found.
    pub fn recover_and_start_journal(&mut self, data_dir: Option<&Path>) -> Vec<Found> {
        let (primary, fallback) = self.journal_paths(data_dir);
        let mut found = Vec::new();
        let mut replayed = false;
        for path in primary.into_iter().chain(fallback) {
            let rec = match journal::read_journal(&path) {
                Ok(r) => r,
                Err(error) => {
                    if error.kind() != std::io::ErrorKind::NotFound {
                        found.push(Found::Unreadable { path, error });
                    }
                    continue;
                }
            };
            let Some(header) = &rec.header else {
                continue;
            };
            let expected = self.journal_header();
            if header.session_sha256 != expected.session_sha256
                || header.text_sha256 != expected.text_sha256
            {
                // Not for this state of the file: keep it aside, never apply it blindly.
                let aside = path.with_extension(format!(
                    "journal.{}.orphaned",
                    crate::model::Timestamp::now().0
                ));
                let moved = std::fs::rename(&path, &aside)
                    .map(|()| aside.clone())
                    .map_err(|e| (aside, e));
                found.push(Found::Orphaned { path, aside: moved });
                continue;
            }
            let history = &mut self.history;
            let session = &mut self.session;
            let (n, problems) = journal::replay(&rec, |e| history.apply(session, e));
            // Already in the journal: not to be recorded again.
            self.journal.since_save.extend(self.history.take_applied());
            if replayed {
                // Two journals (one beside the file, one of ours): the second's edits now
                // follow the first's; keep writing to the first.
                if let Err(e) = std::fs::remove_file(&path) {
                    found.push(Found::Unreadable {
                        path: path.clone(),
                        error: e,
                    });
                }
            }
            replayed = true;
            found.push(Found::Replayed { path, n, problems });
        }
        self.start_journal(data_dir, replayed);
        found
    }

    /// Starts the journal; `keep` appends to one whose edits were just replayed.
    pub(super) fn start_journal(&mut self, data_dir: Option<&Path>, keep: bool) {
        let (primary, fallback) = self.journal_paths(data_dir);
        let Some(path) = primary.or(fallback) else {
            self.journal.writer = None;
            return;
        };
        let header = self.journal_header();
        let keep = keep && !self.journal.since_save.is_empty();
        let mut w = JournalWriter::new(path, &header, keep);
        if !keep {
            // An empty or unusable journal: start afresh.
            w.saved(&header);
        }
        self.journal.writer = Some(w);
    }

    /// Sends the edits applied through the history since the last call to the journal;
    /// returns those that change labels (for the project to carry to other documents).
    pub fn journal_edits(&mut self) -> Vec<Edit> {
        let applied = self.history.take_applied();
        let label_edits = applied
            .iter()
            .filter(|e| e.touches_labels())
            .cloned()
            .collect();
        self.journal.record(&applied);
        label_edits
    }

    /// Waits until everything journalled so far is on disk, or its failure is known.
    pub fn sync_journal(&self) {
        if let Some(w) = &self.journal.writer {
            w.sync();
        }
    }

    /// After a save: later edits apply to the new file.
    pub(super) fn journal_saved(&mut self) {
        self.journal.since_save.clear();
        let header = self.journal_header();
        if let Some(w) = &mut self.journal.writer {
            w.saved(&header);
        }
    }

    /// Checks the writer for failures; moves the journal to our own folder if its folder
    /// cannot be written.
    pub fn check_journal(&mut self, data_dir: Option<&Path>) -> Option<Trouble> {
        let error = self.journal.error()?;
        if self.journal.reported.as_ref() == Some(&error) {
            return None;
        }
        self.journal.reported = Some(error.clone());
        let (_, fallback) = self.journal_paths(data_dir);
        let current = self.journal.path().map(Path::to_owned);
        match fallback {
            Some(to) if Some(&to) != current.as_ref() => {
                if let Some(dir) = to.parent()
                    && let Err(e) = std::fs::create_dir_all(dir)
                {
                    return Some(Trouble::Failed {
                        error: format!("{error}; and {}: {e}", dir.display()),
                    });
                }
                let header = self.journal_header();
                let mut w = JournalWriter::new(to.clone(), &header, false);
                w.record(&self.journal.since_save);
                self.journal.writer = Some(w);
                Some(Trouble::Moved { error, to })
            }
            // The writer keeps trying: a disk with room again clears the failure.
            _ => Some(Trouble::Failed { error }),
        }
    }
}
