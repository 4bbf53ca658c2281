//! A project: a folder of articles with one label set. Label changes concern every document:
//! they are carried to every session and the project file, and undone from the project's own
//! label history, in step order with the open document's edits.

use super::doc::Doc;
use super::notice::{Outcome, Prompt};
use super::{Direction, Workspace};
use crate::io::project::{DocEntry, ProjectFile, Status};
use crate::model::{Annotation, Color, Edit, LabelSet, Session};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Annotations a label change removed from a session: (session path, label) → annotations.
pub type Stash = HashMap<(PathBuf, String), Vec<Annotation>>;

/// An open project folder.
pub struct Project {
    pub folder: PathBuf,
    pub file: ProjectFile,
    pub docs: Vec<DocEntry>,
    /// Index into `docs` of the open document.
    pub current: Option<usize>,
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

/// What the label editor asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum LabelOp {
    Add(String),
    Rename {
        from: String,
        to: String,
    },
    Recolour {
        name: String,
        color: Color,
    },
    Hotkey {
        name: String,
        key: Option<char>,
    },
    Move {
        name: String,
        up: bool,
    },
    /// Asks first, saying how many annotations would go.
    Delete(String),
    DeleteConfirmed(String),
}

/// Why a label change was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("there is already a label {0:?}")]
    Exists(String),
    #[error("{0:?} cannot be a hotkey: use a letter or digit")]
    BadHotkey(char),
    #[error("key {key} is already {owner:?}'s")]
    HotkeyTaken { key: char, owner: String },
    #[error("key {key} is the shortcut for {command:?}")]
    HotkeyReserved { key: char, command: String },
    #[error(transparent)]
    Invalid(#[from] crate::model::LabelSetError),
}

impl Project {
    pub fn new(folder: PathBuf, file: ProjectFile, docs: Vec<DocEntry>) -> Self {
        Self {
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
    fn others<'a>(&'a self, doc: &'a Doc) -> impl Iterator<Item = &'a DocEntry> {
        self.docs
            .iter()
            .filter(move |d| Some(&d.session) != doc.session_path.as_ref())
    }

    /// Writes `doc`'s label set to the project file and carries `edit` (a label change that
    /// turned the project's `prev` set into it) to every other session; says what failed.
    pub fn spread_labels(&mut self, edit: &Edit, prev: &LabelSet, doc: &Doc) -> Outcome {
        self.file.labels = doc.session.labels().clone();
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
    fn labels_step_next(&self, dir: Direction, doc: &Doc) -> bool {
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
    fn next_label_step(&self, dir: Direction, doc: &Doc) -> Option<&LabelStep> {
        if !self.labels_step_next(dir, doc) {
            return None;
        }
        match dir {
            Direction::Backward => self.label_undo.last(),
            Direction::Forward => self.label_redo.last(),
        }
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

/// The label set `op` makes of `labels`. `reserved` names the command a plain key already
/// has, if any (a label's hotkey may not take it).
pub fn changed_labels(
    labels: &LabelSet,
    op: &LabelOp,
    reserved: impl Fn(char) -> Option<String>,
) -> Result<LabelSet, LabelError> {
    let mut v = labels.to_vec();
    match op {
        LabelOp::Add(name) => {
            if labels.contains(name) {
                return Err(LabelError::Exists(name.clone()));
            }
            let mut set = labels.clone();
            set.add_met(name, None);
            return Ok(set);
        }
        LabelOp::Recolour { name, color } => {
            if let Some(l) = v.iter_mut().find(|l| &l.name == name) {
                l.color = *color;
            }
        }
        LabelOp::Hotkey { name, key } => {
            if let Some(k) = *key {
                if !k.is_ascii_alphanumeric() {
                    return Err(LabelError::BadHotkey(k));
                }
                if let Some(o) = v.iter().find(|l| l.hotkey == Some(k) && &l.name != name) {
                    return Err(LabelError::HotkeyTaken {
                        key: k,
                        owner: o.name.clone(),
                    });
                }
                if let Some(command) = reserved(k) {
                    return Err(LabelError::HotkeyReserved { key: k, command });
                }
            }
            if let Some(l) = v.iter_mut().find(|l| &l.name == name) {
                l.hotkey = *key;
            }
        }
        LabelOp::Move { name, up } => {
            if let Some(i) = v.iter().position(|l| &l.name == name) {
                let j = if *up { i.checked_sub(1) } else { Some(i + 1) };
                if let Some(j) = j.filter(|&j| j < v.len()) {
                    v.swap(i, j);
                }
            }
        }
        LabelOp::Rename { .. } | LabelOp::Delete(_) | LabelOp::DeleteConfirmed(_) => {}
    }
    Ok(LabelSet::new(v)?)
}

/// The edit that carries a change of the project's label set (from `prev`) to a session.
/// Labels the change removes take their annotations with them into `stash`; labels it brings
/// back get theirs back. `None` when the session is not affected.
pub fn label_edit_for(
    s: &Session,
    edit: &Edit,
    prev: &LabelSet,
    path: &Path,
    stash: &mut Stash,
) -> Option<Edit> {
    match edit {
        Edit::Batch(edits) => {
            // Each part sees the state the parts before it leave.
            let mut s = s.clone();
            let mut out = Vec::new();
            for e in edits {
                if let Some(part) = label_edit_for(&s, e, prev, path, stash) {
                    s.apply(part.clone()).ok()?;
                    out.push(part);
                }
            }
            (!out.is_empty()).then_some(Edit::Batch(out))
        }
        Edit::RenameLabel { from, .. } => s.labels().contains(from).then(|| edit.clone()),
        Edit::SetLabels(new) => {
            let old = s.labels();
            let mut target = new.clone();
            let mut edits = Vec::new();
            for l in old.iter() {
                // A label of this session alone (not the project's) is not the project's to
                // remove.
                if !prev.contains(&l.name) {
                    if !target.contains(&l.name) {
                        target.add_met(&l.name, Some(l.color));
                    }
                    continue;
                }
                if !new.contains(&l.name) {
                    let gone: Vec<Annotation> = s
                        .annotations()
                        .iter()
                        .filter(|a| a.label == l.name)
                        .cloned()
                        .collect();
                    edits.extend(gone.iter().map(|a| Edit::Remove(a.id)));
                    if !gone.is_empty() {
                        stash.insert((path.to_owned(), l.name.clone()), gone);
                    }
                }
            }
            let unchanged = *old == target;
            edits.push(Edit::SetLabels(target));
            for l in new.iter() {
                if !old.contains(&l.name)
                    && let Some(back) = stash.remove(&(path.to_owned(), l.name.clone()))
                {
                    edits.extend(back.into_iter().map(Edit::Add));
                }
            }
            if unchanged && edits.len() == 1 {
                return None;
            }
            Some(Edit::Batch(edits))
        }
        _ => None,
    }
}

/// Asks before deleting label `name`: how many annotations in how many documents go (the
/// open `doc` as it is now, the project's others as its list knows them).
fn confirm_delete(name: String, doc: &Doc, project: Option<&Project>) -> Prompt {
    let mut annotations = doc.session.count(&name);
    let mut documents = usize::from(annotations > 0);
    for d in project.into_iter().flat_map(|p| p.others(doc)) {
        if let Some(&n) = d.per_label.get(&name).filter(|&&n| n > 0) {
            annotations += n;
            documents += 1;
        }
    }
    Prompt::ConfirmDelete {
        label: name,
        annotations,
        documents,
    }
}

/// Carries a label change of the project to the session of `d` on disk.
fn carry_to(
    d: &mut DocEntry,
    edit: &Edit,
    prev: &LabelSet,
    stash: &mut Stash,
) -> Result<(), String> {
    let mut s = crate::io::load_session(&d.session).map_err(|e| e.lines().join("; "))?;
    let Some(e) = label_edit_for(&s, edit, prev, &d.session, stash) else {
        return Ok(());
    };
    s.apply(e)
        .map_err(|e| format!("{}: {e}", d.session.display()))?;
    crate::io::save_session(&d.session, &mut s).map_err(|e| e.to_string())?;
    d.update_from(&s);
    Ok(())
}

impl Workspace {
    /// Moves through the project's documents.
    pub(super) fn project_op(&mut self, op: ProjectOp) -> Outcome {
        let Some(p) = &self.project else {
            return Outcome::info(match op {
                ProjectOp::DoneNext => {
                    "Open a folder (File > Open Folder…) to work through documents."
                }
                _ => "Open a folder (File > Open Folder…) to move between documents.",
            });
        };
        match op {
            ProjectOp::Open(i) => self.open_doc(i),
            ProjectOp::Step(dir) => {
                if let Some(i) = p.neighbour(dir) {
                    self.open_doc(i);
                }
            }
            ProjectOp::DoneNext => {
                self.doc.session.done = true;
                match p.next_not_done() {
                    Some(i) => self.open_doc(i),
                    None if self.save() => {
                        return Outcome::info(
                            "Marked done. Every document of the project is done.",
                        );
                    }
                    None => {}
                }
            }
        }
        Outcome::none()
    }

    /// A label change: in a project it concerns every document and goes on the project's
    /// label history; otherwise it is an ordinary edit of this document.
    fn change_labels(&mut self, change: Edit) -> bool {
        if !self.in_project() {
            let done = self.doc.edit(change);
            let ok = done.is_ok();
            if let Err(e) = done {
                self.say(Outcome::refused(e));
            }
            return ok;
        }
        let prev = self.doc.session.labels().clone();
        let backward = match &change {
            Edit::RenameLabel { from, to } => Edit::RenameLabel {
                from: to.clone(),
                to: from.clone(),
            },
            _ => Edit::SetLabels(prev),
        };
        if !self.apply_project_labels(&change) {
            return false;
        }
        self.doc.history.clear_redo();
        if let Some(p) = &mut self.project {
            p.label_redo.clear();
            p.label_undo.push(LabelStep {
                step: crate::model::next_step(),
                what: change.describe(),
                forward: change,
                backward,
            });
        }
        true
    }

    /// Applies a change of the project's label set to the open document (outside its own
    /// history, but journalled) and to every other session, then saves the open document so
    /// that every file agrees.
    fn apply_project_labels(&mut self, change: &Edit) -> bool {
        let (Some(p), Some(path)) = (&mut self.project, self.doc.session_path.clone()) else {
            return false;
        };
        let prev = p.file.labels.clone();
        let stash_before = p.stash.clone();
        let Some(edit) = label_edit_for(&self.doc.session, change, &prev, &path, &mut p.stash)
        else {
            return false;
        };
        if let Err(e) = self.doc.apply_outside_history(edit) {
            p.stash = stash_before;
            self.say(Outcome::refused(e));
            return false;
        }
        self.cursor.keep_valid(&self.doc.session);
        let failed = p.spread_labels(change, &prev, &self.doc);
        self.say(failed);
        self.save();
        true
    }

    /// What Undo (backward) or Redo (forward) would do, for the menu.
    pub fn undo_what(&self, dir: Direction) -> Option<String> {
        if let Some(step) = self
            .project
            .as_ref()
            .and_then(|p| p.next_label_step(dir, &self.doc))
        {
            return Some(step.what.clone());
        }
        let redo = dir == Direction::Forward;
        if self.doc.crosses_reanchoring(redo) {
            return Some("re-anchor onto the corrected article".into());
        }
        let h = &self.doc.history;
        if redo { h.redo_what() } else { h.undo_what() }.map(str::to_owned)
    }

    /// Undo: the last step, whichever history holds it.
    pub fn undo(&mut self) {
        self.travel(Direction::Backward);
    }

    /// Redo: the last undone step, whichever history holds it.
    pub fn redo(&mut self) {
        self.travel(Direction::Forward);
    }

    fn travel(&mut self, dir: Direction) {
        let redo = dir == Direction::Forward;
        let label_step = self
            .project
            .as_ref()
            .is_some_and(|p| p.labels_step_next(dir, &self.doc));
        if !label_step && self.doc.crosses_reanchoring(redo) {
            self.doc.cross_reanchoring();
            self.forget_places();
            self.doc.start_journal(self.data_dir.as_deref());
            return self.say(Outcome::info(if redo {
                "Redid: re-anchor onto the corrected article."
            } else {
                "Undid: re-anchor. This is the text saved in the session; Ctrl+Y re-anchors again."
            }));
        }
        let done = if label_step {
            self.travel_labels(dir)
        } else if redo {
            self.doc.redo()
        } else {
            self.doc.undo()
        };
        self.cursor.keep_valid(&self.doc.session);
        self.carry_effects();
        self.say(Outcome::info(match done {
            Some(what) => format!("{}: {what}.", if redo { "Redid" } else { "Undid" }),
            None if redo => "Nothing to redo.".to_owned(),
            None => "Nothing to undo.".to_owned(),
        }));
    }

    /// Undoes (or redoes) the project's last label step; says what it was if it was done.
    fn travel_labels(&mut self, dir: Direction) -> Option<String> {
        let redo = dir == Direction::Forward;
        let p = self.project.as_mut()?;
        let s = if redo {
            p.label_redo.pop()
        } else {
            p.label_undo.pop()
        }?;
        let ok = self.apply_project_labels(if redo { &s.forward } else { &s.backward });
        let what = s.what.clone();
        if let Some(p) = &mut self.project {
            // Done: it moves to the other list. Refused: it stays where it was.
            if redo == ok {
                p.label_undo.push(s);
            } else {
                p.label_redo.push(s);
            }
        }
        ok.then_some(what)
    }

    /// Carries out what the label editor asked. `reserved` names the command a plain key
    /// already has (see [`changed_labels`]).
    pub fn label_op(&mut self, op: LabelOp, reserved: impl Fn(char) -> Option<String>) {
        let labels = self.doc.session.labels().clone();
        match op {
            LabelOp::Rename { from, to } => {
                let change = Edit::RenameLabel {
                    from: from.clone(),
                    to: to.clone(),
                };
                if self.change_labels(change) {
                    let everywhere = if self.project.is_some() {
                        " in every document"
                    } else {
                        ""
                    };
                    self.say(Outcome::info(format!(
                        "Renamed {from} to {to}{everywhere}."
                    )));
                }
            }
            LabelOp::Delete(name) => {
                let prompt = confirm_delete(name, &self.doc, self.project.as_ref());
                self.say(Outcome::ask(prompt));
            }
            LabelOp::DeleteConfirmed(name) => self.delete_label(&labels, name),
            other => match changed_labels(&labels, &other, reserved) {
                Ok(set) if set != labels => {
                    self.change_labels(Edit::SetLabels(set));
                }
                Ok(_) => {}
                Err(e) => self.say(Outcome::refused(e)),
            },
        }
        self.cursor.keep_valid(&self.doc.session);
        self.carry_effects();
    }

    /// Deletes label `name` and its annotations (in a project, in every document).
    fn delete_label(&mut self, labels: &LabelSet, name: String) {
        self.notices.prompt = None;
        let rest: Vec<_> = labels.iter().filter(|l| l.name != name).cloned().collect();
        let set = match LabelSet::new(rest) {
            Ok(set) => set,
            Err(e) => return self.say(Outcome::refused(e)),
        };
        let mut change = Edit::SetLabels(set);
        if !self.in_project() {
            // The project's label history removes (and on undo restores) the annotations in
            // every document; here they go with the label, in one step.
            let mut edits: Vec<Edit> = self
                .doc
                .session
                .annotations()
                .iter()
                .filter(|a| a.label == name)
                .map(|a| Edit::Remove(a.id))
                .collect();
            edits.push(change);
            change = Edit::Batch(edits);
        }
        if self.change_labels(change) {
            self.say(Outcome::info(format!(
                "Deleted the label {name} (Ctrl+Z brings it back)."
            )));
        }
    }

    /// Opens a folder of articles as a project.
    pub(super) fn open_folder(&mut self, folder: &Path) {
        let (file, said) = match crate::io::project::open_or_create(folder, &self.annotator) {
            Ok(f) => f,
            Err(e) => {
                return self.say(Outcome::fail(format!("Could not open the project.\n\n{e}")));
            }
        };
        if let Some(e) = said {
            self.say(Outcome::error(e));
        }
        let docs = match crate::io::project::scan(folder) {
            Ok(d) => d,
            Err(e) => {
                return self.say(Outcome::fail(format!("Could not open the project.\n\n{e}")));
            }
        };
        if !self.leave_current() {
            return;
        }
        let p = Project::new(folder.to_owned(), file, docs);
        let first = p
            .docs
            .iter()
            .position(|d| d.status != Status::Done)
            .or(if p.docs.is_empty() { None } else { Some(0) });
        self.project = Some(p);
        super::remember(&mut self.recent, folder);
        match first {
            Some(i) => self.open_doc(i),
            None => self.say(Outcome::info(format!(
                "{} has no .txt or .md articles yet.",
                folder.display()
            ))),
        }
    }

    /// Opens the project's document `i`, saving the current one first.
    fn open_doc(&mut self, i: usize) {
        let Some(entry) = self.project.as_ref().and_then(|p| p.docs.get(i)).cloned() else {
            return;
        };
        if !self.leave_current() {
            return;
        }
        self.open(&entry.article);
        let total = self.project.as_ref().map_or(0, |p| p.docs.len());
        let prompt = &self.notices.prompt;
        if !matches!(prompt, None | Some(Prompt::Info(_))) {
            return;
        }
        let informed = prompt.is_some();
        if let Some(p) = &mut self.project {
            p.current = Some(i);
            if !informed {
                self.say(Outcome::info(format!(
                    "{} ({} of {total}): {}.",
                    entry.name,
                    i + 1,
                    entry.status.name()
                )));
            }
        }
    }
}
