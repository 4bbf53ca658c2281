//! The open document's journal: where it lives (beside the session, or in our own data
//! folder for the sample and for folders that cannot be written), replaying one left by a run
//! that did not save, recording every edit within a moment, and moving it when its folder
//! fails. The writing itself is `io::journal`.

use super::notice::{Outcome, Prompt};
use crate::io::journal::{self, JournalHeader, JournalWriter};
use crate::model::{Edit, History, Session};
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

    pub fn record(&mut self, edits: &[Edit]) {
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

/// Where a document's journal lives: beside its session (`primary`), and the fallback in our
/// own data folder (for the sample, or when that folder cannot be written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Places {
    pub primary: Option<PathBuf>,
    pub fallback: Option<PathBuf>,
}

impl Places {
    /// For the session at `session_path` (or, without one, the document `name`).
    pub fn of(session_path: Option<&Path>, name: &str, data_dir: Option<&Path>) -> Self {
        let key =
            session_path.map_or_else(|| PathBuf::from(format!("sample:{name}")), Path::to_owned);
        Self {
            primary: session_path.map(journal::journal_path),
            fallback: data_dir.map(|d| journal::fallback_journal_path(d, &key)),
        }
    }
}

impl DocJournal {
    /// Replays the journals a run that did not save left (beside the file, then ours) onto
    /// `session` through `history`, then starts journalling. `header` is what a journal for
    /// this state of the file carries. Returns what was found.
    pub fn recover_and_start(
        &mut self,
        session: &mut Session,
        history: &mut History,
        header: &JournalHeader,
        places: &Places,
    ) -> Vec<Found> {
        let mut found = Vec::new();
        let mut replayed = false;
        for path in places.primary.iter().chain(&places.fallback) {
            let path = path.clone();
            let rec = match journal::read_journal(&path) {
                Ok(r) => r,
                Err(error) => {
                    found.push(Found::Unreadable { path, error });
                    continue;
                }
            };
            let Some(h) = &rec.header else {
                continue;
            };
            if h.session_sha256 != header.session_sha256 || h.text_sha256 != header.text_sha256 {
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
            let (n, problems) = journal::replay(&rec, |e| history.apply(session, e));
            // Already in the journal: not to be recorded again.
            self.since_save.extend(history.take_applied());
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
        self.start(header, places, replayed);
        found
    }

    /// Starts the journal; `keep` appends to one whose edits were just replayed.
    pub fn start(&mut self, header: &JournalHeader, places: &Places, keep: bool) {
        let Some(path) = places.primary.clone().or_else(|| places.fallback.clone()) else {
            self.writer = None;
            return;
        };
        let keep = keep && !self.since_save.is_empty();
        let mut w = JournalWriter::new(path, header, keep);
        if !keep {
            // An empty or unusable journal: start afresh.
            w.saved(header);
        }
        self.writer = Some(w);
        self.reported = None;
    }

    /// Sends the edits `history` applied since the last call to the journal; returns those
    /// that change labels (for the project to carry to other documents).
    pub fn record_applied(&mut self, history: &mut History) -> Vec<Edit> {
        let applied = history.take_applied();
        let label_edits = applied
            .iter()
            .filter(|e| e.touches_labels())
            .cloned()
            .collect();
        self.record(&applied);
        label_edits
    }

    /// Waits until everything journalled so far is on disk, or its failure is known.
    pub fn sync(&self) {
        if let Some(w) = &self.writer {
            w.sync();
        }
    }

    /// After a save: later edits apply to the state `header` describes.
    pub fn saved(&mut self, header: &JournalHeader) {
        self.since_save.clear();
        if let Some(w) = &mut self.writer {
            w.saved(header);
        }
    }

    /// Checks the writer for failures; moves the journal to the fallback folder if its own
    /// cannot be written. One failure is reported once.
    pub fn check(&mut self, header: &JournalHeader, places: &Places) -> Option<Trouble> {
        let error = self.error()?;
        if self.reported.as_ref() == Some(&error) {
            return None;
        }
        self.reported = Some(error.clone());
        let current = self.path().map(Path::to_owned);
        match &places.fallback {
            Some(to) if Some(to) != current.as_ref() => {
                if let Some(dir) = to.parent()
                    && let Err(e) = std::fs::create_dir_all(dir)
                {
                    return Some(Trouble::Failed {
                        error: format!("{error}; and {}: {e}", dir.display()),
                    });
                }
                let mut w = JournalWriter::new(to.clone(), header, false);
                w.record(&self.since_save);
                self.writer = Some(w);
                Some(Trouble::Moved {
                    error,
                    to: to.clone(),
                })
            }
            // The writer keeps trying: a disk with room again clears the failure.
            _ => Some(Trouble::Failed { error }),
        }
    }
}

/// What to tell the person of the journals found on opening.
pub fn report(found: Vec<Found>) -> Outcome {
    let mut said = Outcome::none();
    for f in found {
        said = said.then(match f {
            Found::Unreadable { path, error } => Outcome::error(format!(
                "Could not read the journal {}: {error}",
                path.display()
            )),
            Found::Orphaned { path, aside } => {
                let kept = match aside {
                    Ok(aside) => format!("It is kept at {}.", aside.display()),
                    Err((aside, e)) => format!(
                        "It could not be moved to {} ({e}), so it is still at {}; move it before editing, or the next edit replaces it.",
                        aside.display(),
                        path.display()
                    ),
                };
                Outcome::ask(Prompt::Info(format!(
                    "A journal of unsaved edits was found, but the session file changed since it was written, so it was not applied. {kept}"
                )))
            }
            Found::Replayed { n: 0, problems, .. } if problems.is_empty() => Outcome::none(),
            Found::Replayed { path, n, problems } => replayed(&path, n, &problems),
        });
    }
    said
}

fn replayed(path: &Path, n: usize, problems: &[String]) -> Outcome {
    let mut msg = format!(
        "Recovered {n} edit{} that had not been saved when Spanmark last stopped (from {}). They are in the document now; save to keep them, or undo them.",
        if n == 1 { "" } else { "s" },
        path.display()
    );
    if !problems.is_empty() {
        msg.push_str(&format!(
            "\n\nSome of the journal could not be used:\n{}",
            problems.join("\n")
        ));
    }
    Outcome::info(format!("Recovered {n} unsaved edits.")).then(Outcome::ask(Prompt::Info(msg)))
}

/// What to tell the person of the journal's trouble, once.
pub fn trouble_outcome(trouble: Option<Trouble>) -> Outcome {
    match trouble {
        Some(Trouble::Moved { error, to }) => Outcome::error(format!(
            "The journal could not be written beside the document ({error}); it is at {} instead.",
            to.display()
        )),
        Some(Trouble::Failed { error }) => Outcome::error(format!(
            "The journal could not be written ({error}). Save soon: unsaved edits are only in memory."
        )),
        None => Outcome::none(),
    }
}
