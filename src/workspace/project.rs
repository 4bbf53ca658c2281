//! A project: a folder of articles with one label set. Label changes concern every document:
//! they are carried to every session and the project file, and undone from the project's own
//! label history, in step order with the open document's edits (the workspace interleaves
//! the two).

use super::doc::Doc;
use super::notice::Outcome;
use super::shared::Direction;
use crate::io::project::{DocEntry, ProjectFile, Status};
use crate::model::{Edit, Session};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::carry::carry_to;
pub use super::carry::{Stash, label_edit_for};

/// An open project folder.
pub struct Project {
    pub folder: PathBuf,
    pub file: ProjectFile,
    pub docs: Vec<DocEntry>,
    /// Index into `docs` of the open document.
    pub current: Option<usize>,
    /// What git says of its files (when the folder is a git work tree).
    pub git: super::gitview::GitView,
    /// Annotations removed from documents when their label was deleted, kept so that undoing
    /// the delete brings them back.
    pub stash: Stash,
    /// How many documents tag each (text, label): the project's gazetteer. Rebuilt when a
    /// document's entry changes (`None` until then).
    term_counts: Option<std::sync::Arc<HashMap<(String, String), usize>>>,
    /// Label changes, undone from here whichever document is open.
    pub label_undo: Vec<LabelStep>,
    pub label_redo: Vec<LabelStep>,
}

/// One change to a project's label set, with what reverses it.
#[derive(Clone, Debug)]
pub struct LabelStep {
    /// When it was made (`model::next_step`).
    pub step: u64,
    pub forward: Edit,
    pub backward: Edit,
    /// "rename label actor to person".
    pub what: String,
}

/// Moving through the project's documents.
#[derive(Clone, Debug, PartialEq)]
pub enum ProjectOp {
    /// Open document `i` (saving the current one).
    Open(usize),
    /// The next or previous document, wrapping.
    Step(Direction),
    /// Ctrl+Enter: this document is done; on to the next one that is not.
    DoneNext,
}

impl Project {
    pub fn new(folder: PathBuf, file: ProjectFile, docs: Vec<DocEntry>) -> Self {
        let mut git = super::gitview::GitView::default();
        git.refresh(&folder);
        Self {
            git,
            folder,
            file,
            docs,
            current: None,
            stash: Stash::new(),
            term_counts: None,
            label_undo: Vec::new(),
            label_redo: Vec::new(),
        }
    }

    /// The gazetteer terms of every document but the one at `session` (its own come from its
    /// annotations as they are now).
    pub fn terms_except(&mut self, session: Option<&Path>) -> Vec<(String, String)> {
        let counts = self
            .term_counts
            .get_or_insert_with(|| {
                let mut m: HashMap<(String, String), usize> = HashMap::new();
                for d in &self.docs {
                    for t in &d.terms {
                        *m.entry(t.clone()).or_default() += 1;
                    }
                }
                std::sync::Arc::new(m)
            })
            .clone();
        let own: std::collections::HashSet<&(String, String)> = self
            .docs
            .iter()
            .find(|d| Some(d.session.as_path()) == session)
            .map(|d| d.terms.iter().collect())
            .unwrap_or_default();
        counts
            .iter()
            .filter(|(k, n)| **n > usize::from(own.contains(k)))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The list shows what the session at `path` holds now.
    pub fn update_entry(&mut self, path: &Path, s: &Session) {
        self.git.refresh(&self.folder);
        if let Some(d) = self.docs.iter_mut().find(|d| d.session == path) {
            d.update_from(s);
            d.article_changed = crate::io::project::article_changed(&d.article, s);
            self.term_counts = None;
        }
    }

    pub fn done(&self) -> usize {
        self.docs
            .iter()
            .filter(|d| d.status == Status::Done)
            .count()
    }

    /// The open document is the one at `path` (an article) or `session`.
    pub fn locate(&mut self, path: &Path, session: Option<&Path>) {
        self.current = self
            .docs
            .iter()
            .position(|d| d.article == path || Some(d.session.as_path()) == session);
    }

    /// A document opened in the project takes its labels (and, if new, its annotator).
    pub fn adopt_into(&self, doc: &mut Doc) {
        doc.session.adopt_labels(&self.file.labels);
        doc.session
            .adopt_relation_labels(&self.file.relation_labels);
        if doc.session.annotator != self.file.annotator && !doc.has_file_on_disk() {
            doc.session.annotator = self.file.annotator.clone();
        }
    }

    /// The document one step `dir` from the current one, wrapping.
    pub fn neighbour(&self, dir: Direction) -> Option<usize> {
        let n = self.docs.len();
        if n == 0 {
            return None;
        }
        Some(match (self.current, dir) {
            (Some(c), _) => dir.step(c, n),
            (None, Direction::Forward) => 0,
            (None, Direction::Backward) => n - 1,
        })
    }

    /// The project's documents but the open one.
    pub fn others<'a>(&'a self, doc: &'a Doc) -> impl Iterator<Item = &'a DocEntry> {
        self.docs
            .iter()
            .filter(move |d| Some(&d.session) != doc.session_path.as_ref())
    }

    /// Writes `doc`'s label set to the project file and carries `edit` (a label change that
    /// turned the project's `prev` set into it) to every other session; says what failed.
    pub fn spread_labels(&mut self, edit: &Edit, prev: &ProjectFile, doc: &Doc) -> Outcome {
        self.file.labels = doc.session.labels().clone();
        self.file.relation_labels = doc.session.relation_labels().to_vec();
        let mut failures = Vec::new();
        if let Err(e) = crate::io::project::write_project_file(&self.folder, &self.file) {
            failures.push(format!("{}: {e}", crate::io::project::PROJECT_FILE));
        }
        for d in &mut self.docs {
            if Some(&d.session) == doc.session_path.as_ref() || !d.session.exists() {
                continue;
            }
            if let Err(e) = carry_to(d, edit, prev, &mut self.stash) {
                failures.push(e);
            }
        }
        self.term_counts = None;
        if failures.is_empty() {
            return Outcome::none();
        }
        Outcome::fail(format!(
            "The label change could not be written everywhere:\n\n{}",
            failures.join("\n")
        ))
    }

    /// Whether Undo (or Redo) takes its step from the project's label changes rather than
    /// the open document's edits: whichever was made last (for redo: undone last).
    pub fn labels_step_next(&self, dir: Direction, doc: &Doc) -> bool {
        let h = &doc.history;
        match dir {
            Direction::Forward => match (self.label_redo.last(), h.redo_step()) {
                (Some(l), Some(d)) => l.step < d,
                (l, _) => l.is_some(),
            },
            Direction::Backward => self.label_undo.last().map(|l| l.step) > h.undo_step(),
        }
    }

    /// The label step Undo (backward) or Redo (forward) takes next, if it is the project's.
    pub fn next_label_step(&self, dir: Direction, doc: &Doc) -> Option<&LabelStep> {
        if !self.labels_step_next(dir, doc) {
            return None;
        }
        match dir {
            Direction::Backward => self.label_undo.last(),
            Direction::Forward => self.label_redo.last(),
        }
    }

    /// Applies a change of the project's label set to the open document (outside its own
    /// history, but journalled) and to every other session. Says what failed; refused, the
    /// document and the stash are as they were.
    pub fn apply_labels(&mut self, change: &Edit, doc: &mut Doc) -> Result<Outcome, Outcome> {
        let Some(path) = doc.session_path.clone() else {
            return Err(Outcome::none());
        };
        let prev = self.file.clone();
        let stash_before = self.stash.clone();
        let Some(edit) = label_edit_for(&doc.session, change, &prev, &path, &mut self.stash) else {
            return Err(Outcome::none());
        };
        if let Err(e) = doc.apply_outside_history(edit) {
            self.stash = stash_before;
            return Err(Outcome::refused(e));
        }
        Ok(self.spread_labels(change, &prev, doc))
    }

    /// A label change made: it goes on the label history (and nothing is redoable).
    pub fn push_step(&mut self, forward: Edit, backward: Edit) {
        self.label_redo.clear();
        self.label_undo.push(LabelStep {
            step: crate::model::next_step(),
            what: forward.describe(),
            forward,
            backward,
        });
    }

    /// The label step Undo (backward) or Redo (forward) takes, taken off its list.
    pub fn take_step(&mut self, dir: Direction) -> Option<LabelStep> {
        match dir {
            Direction::Backward => self.label_undo.pop(),
            Direction::Forward => self.label_redo.pop(),
        }
    }

    /// A label step taken: done, it goes on the other list; refused, back where it was.
    pub fn put_step(&mut self, s: LabelStep, dir: Direction, done: bool) {
        if (dir == Direction::Forward) == done {
            self.label_undo.push(s);
        } else {
            self.label_redo.push(s);
        }
    }

    /// The document to open first: the first not done, else the first.
    pub fn first_to_open(&self) -> Option<usize> {
        self.docs
            .iter()
            .position(|d| d.status != Status::Done)
            .or(if self.docs.is_empty() { None } else { Some(0) })
    }

    /// The next document after the current one (wrapping) that is not done.
    pub fn next_not_done(&self) -> Option<usize> {
        let n = self.docs.len();
        let from = self.current.map_or(0, |c| c + 1);
        (0..n)
            .map(|i| (from + i) % n)
            .find(|&i| self.docs[i].status != Status::Done && Some(i) != self.current)
    }
}
