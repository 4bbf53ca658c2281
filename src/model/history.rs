//! Undo and redo as a list of revisions. "Unsaved changes" is derived: the current revision
//! differs from the one last saved, so undoing back to the saved state is clean again.

use super::edit::{Edit, EditError};
use super::session::Session;
use std::sync::atomic::{AtomicU64, Ordering};

/// Orders every recorded step of every history in this process, so that a change that spans
/// documents (a project's label set) and each document's own edits undo in the order made.
static CLOCK: AtomicU64 = AtomicU64::new(1);

/// The next step number: greater than every one handed out before.
pub fn next_step() -> u64 {
    CLOCK.fetch_add(1, Ordering::Relaxed)
}

/// A revision number; 0 is the state the history started from.
pub type Revision = u64;

#[derive(Clone, Debug)]
struct Entry {
    /// The revision this entry leads to when applied forwards.
    rev: Revision,
    /// On the undo stack: the inverse. On the redo stack: the edit.
    edit: Edit,
    /// What the user did, for "Undo tag as actor".
    what: String,
    /// When it was done, from [`next_step`].
    step: u64,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    last_rev: Revision,
    saved: Option<Revision>,
    /// Every edit applied to the session (by apply, undo or redo), oldest first, until taken:
    /// what a journal records.
    applied: Vec<Edit>,
}

impl History {
    /// A history whose starting state is the saved one.
    pub fn new_saved() -> Self {
        Self {
            saved: Some(0),
            ..Self::default()
        }
    }

    /// A history whose starting state has never been saved (e.g. a freshly imported article).
    pub fn new_unsaved() -> Self {
        Self::default()
    }

    pub fn current(&self) -> Revision {
        self.undo.last().map_or(0, |e| e.rev)
    }

    /// Applies an edit and records it; clears the redo list.
    pub fn apply(&mut self, session: &mut Session, edit: Edit) -> Result<(), EditError> {
        let what = edit.describe();
        self.apply_as(session, edit, what)
    }

    /// As [`History::apply`], with the words undo and redo use for it ("drop “Japen”").
    pub fn apply_as(
        &mut self,
        session: &mut Session,
        edit: Edit,
        what: String,
    ) -> Result<(), EditError> {
        let inverse = session.apply(edit.clone())?;
        self.applied.push(edit);
        self.last_rev += 1;
        self.undo.push(Entry {
            rev: self.last_rev,
            edit: inverse,
            what,
            step: next_step(),
        });
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last edit; returns what was undone.
    pub fn undo(&mut self, session: &mut Session) -> Option<String> {
        let (from, to) = (&mut self.undo, &mut self.redo);
        Self::step(from, to, &mut self.applied, session)
    }

    /// Redoes the last undone edit; returns what was redone.
    pub fn redo(&mut self, session: &mut Session) -> Option<String> {
        let (from, to) = (&mut self.redo, &mut self.undo);
        Self::step(from, to, &mut self.applied, session)
    }

    /// Applies the top of `from` and pushes what reverses it onto `to`.
    fn step(
        from: &mut Vec<Entry>,
        to: &mut Vec<Entry>,
        applied: &mut Vec<Edit>,
        session: &mut Session,
    ) -> Option<String> {
        let entry = from.pop()?;
        match session.apply(entry.edit.clone()) {
            Ok(reverse) => {
                applied.push(entry.edit);
                to.push(Entry {
                    rev: entry.rev,
                    edit: reverse,
                    what: entry.what.clone(),
                    step: entry.step,
                });
                Some(entry.what)
            }
            // A recorded edit always applies to the state it came from; if it does not, the
            // history no longer matches the session: drop it rather than corrupt anything.
            Err(_) => {
                from.clear();
                to.clear();
                None
            }
        }
    }

    /// Takes the edits applied since the last call, oldest first.
    pub fn take_applied(&mut self) -> Vec<Edit> {
        std::mem::take(&mut self.applied)
    }

    pub fn undo_what(&self) -> Option<&str> {
        self.undo.last().map(|e| e.what.as_str())
    }

    pub fn redo_what(&self) -> Option<&str> {
        self.redo.last().map(|e| e.what.as_str())
    }

    /// When the edit that undo would reverse was made (see [`next_step`]).
    pub fn undo_step(&self) -> Option<u64> {
        self.undo.last().map(|e| e.step)
    }

    /// When the edit that redo would bring back was first made.
    pub fn redo_step(&self) -> Option<u64> {
        self.redo.last().map(|e| e.step)
    }

    /// Forgets what could be redone (something else was done since).
    pub fn clear_redo(&mut self) {
        self.redo.clear();
    }

    pub fn mark_saved(&mut self) {
        self.saved = Some(self.current());
    }

    /// The current state is no longer what is on disk (e.g. the file changed under us).
    pub fn mark_unsaved(&mut self) {
        self.saved = None;
    }

    pub fn has_unsaved_changes(&self) -> bool {
        self.saved != Some(self.current())
    }
}
