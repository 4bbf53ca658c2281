//! A project: a folder of articles with one label set. Label changes concern every document:
//! they are carried to every session and the project file, and undone from the project's own
//! label history, in step order with the open document's edits.

use super::Workspace;
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

/// Undo or redo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Undo,
    Redo,
}

impl Workspace {
    fn in_project(&self) -> bool {
        self.project.is_some() && self.doc.session_path.is_some()
    }

    /// Applies a label change made in this document's history to the project file and every
    /// other session of the project.
    pub(super) fn propagate_labels(&mut self, edit: &Edit) {
        let Some(p) = &self.project else {
            return;
        };
        let prev = p.file.labels.clone();
        self.spread_labels(edit, &prev);
    }

    /// Writes the open document's label set to the project file and carries `edit` (a label
    /// change that turned the project's `prev` set into it) to every other session.
    fn spread_labels(&mut self, edit: &Edit, prev: &LabelSet) {
        let Some(p) = &mut self.project else {
            return;
        };
        p.file.labels = self.doc.session.labels().clone();
        let mut failures = Vec::new();
        if let Err(e) = crate::io::project::write_project_file(&p.folder, &p.file) {
            failures.push(format!("{}: {e}", crate::io::project::PROJECT_FILE));
        }
        let current = self.doc.session_path.clone();
        for d in &mut p.docs {
            if Some(&d.session) == current.as_ref() || !d.session.exists() {
                continue;
            }
            let mut s = match crate::io::load_session(&d.session) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(e.lines().join("; "));
                    continue;
                }
            };
            let Some(e) = label_edit_for(&s, edit, prev, &d.session, &mut p.stash) else {
                continue;
            };
            if let Err(e) = s.apply(e) {
                failures.push(format!("{}: {e}", d.session.display()));
                continue;
            }
            match crate::io::save_session(&d.session, &mut s) {
                Ok(_) => d.update_from(&s),
                Err(e) => failures.push(e.to_string()),
            }
        }
        p.term_counts = None;
        if !failures.is_empty() {
            self.fail(format!(
                "The label change could not be written everywhere:\n\n{}",
                failures.join("\n")
            ));
        }
    }

    /// A label change: in a project it concerns every document and goes on the project's
    /// label history; otherwise it is an ordinary edit of this document.
    pub fn change_labels(&mut self, change: Edit) -> bool {
        if !self.in_project() {
            return self.edit(change);
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
        // Whatever this frame did before goes to the journal first, to keep the order.
        self.journal_edits();
        if let Err(e) = self.doc.apply_outside_history(edit) {
            if let Some(p) = &mut self.project {
                p.stash = stash_before;
            }
            self.error(format!("Not done: {e}."));
            return false;
        }
        self.cursor.keep_valid(&self.doc.session);
        self.spread_labels(change, &prev);
        self.save();
        true
    }

    /// Whether Undo (or Redo) takes its step from the project's label changes rather than the
    /// open document's edits: whichever was made last (for redo: undone last).
    fn labels_step_next(&self, dir: Direction) -> bool {
        let Some(p) = &self.project else {
            return false;
        };
        match dir {
            Direction::Redo => match (p.label_redo.last(), self.doc.history.redo_step()) {
                (Some(l), Some(d)) => l.step < d,
                (l, _) => l.is_some(),
            },
            Direction::Undo => p.label_undo.last().map(|l| l.step) > self.doc.history.undo_step(),
        }
    }

    /// What Undo or Redo would do, for the menu.
    pub fn undo_what(&self, dir: Direction) -> Option<String> {
        if self.labels_step_next(dir) {
            let p = self.project.as_ref()?;
            let list = match dir {
                Direction::Undo => &p.label_undo,
                Direction::Redo => &p.label_redo,
            };
            return list.last().map(|s| s.what.clone());
        }
        if self.doc.crosses_reanchoring(dir == Direction::Redo) {
            return Some("re-anchor onto the corrected article".into());
        }
        let h = &self.doc.history;
        match dir {
            Direction::Undo => h.undo_what(),
            Direction::Redo => h.redo_what(),
        }
        .map(str::to_owned)
    }

    /// Undo (or redo) the last step, whichever history holds it.
    pub fn undo(&mut self, dir: Direction) {
        let redo = dir == Direction::Redo;
        if !self.labels_step_next(dir) && self.doc.crosses_reanchoring(redo) {
            self.doc.cross_reanchoring();
            self.after_text_change();
            self.info(if redo {
                "Redid: re-anchor onto the corrected article."
            } else {
                "Undid: re-anchor. This is the text saved in the session; Ctrl+Y re-anchors again."
            });
            return;
        }
        let done = if self.labels_step_next(dir) {
            let step = self.project.as_mut().and_then(|p| {
                if redo {
                    p.label_redo.pop()
                } else {
                    p.label_undo.pop()
                }
            });
            step.and_then(|s| {
                let change = if redo { &s.forward } else { &s.backward };
                let ok = self.apply_project_labels(change);
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
            })
        } else if redo {
            self.doc.history.redo(&mut self.doc.session)
        } else {
            self.doc.history.undo(&mut self.doc.session)
        };
        self.cursor.keep_valid(&self.doc.session);
        match done {
            Some(what) => self.info(format!("{}: {what}.", if redo { "Redid" } else { "Undid" })),
            None => self.info(if redo {
                "Nothing to redo."
            } else {
                "Nothing to undo."
            }),
        }
    }

    /// Carries out what the label editor asked. `reserved` names the command a plain key
    /// already has (see [`changed_labels`]).
    pub fn label_op(&mut self, op: LabelOp, reserved: impl Fn(char) -> Option<String>) {
        let labels = self.doc.session.labels().clone();
        match op {
            LabelOp::Rename { from, to } => {
                if self.change_labels(Edit::RenameLabel {
                    from: from.clone(),
                    to: to.clone(),
                }) {
                    let where_ = if self.project.is_some() {
                        " in every document"
                    } else {
                        ""
                    };
                    self.info(format!("Renamed {from} to {to}{where_}."));
                }
            }
            LabelOp::Delete(name) => {
                let mut annotations = self.doc.session.count(&name);
                let mut documents = usize::from(annotations > 0);
                if let Some(p) = &self.project {
                    for d in &p.docs {
                        if Some(&d.session) == self.doc.session_path.as_ref() {
                            continue;
                        }
                        if let Some(&n) = d.per_label.get(&name).filter(|&&n| n > 0) {
                            annotations += n;
                            documents += 1;
                        }
                    }
                }
                self.prompt = Some(super::Prompt::ConfirmDelete {
                    label: name,
                    annotations,
                    documents,
                });
            }
            LabelOp::DeleteConfirmed(name) => {
                self.prompt = None;
                let rest: Vec<_> = labels.iter().filter(|l| l.name != name).cloned().collect();
                match LabelSet::new(rest) {
                    Ok(set) => {
                        let deleted = if self.in_project() {
                            // The project's label history removes (and on undo restores)
                            // the annotations in every document, this one included.
                            self.change_labels(Edit::SetLabels(set))
                        } else {
                            let mut edits: Vec<Edit> = self
                                .doc
                                .session
                                .annotations()
                                .iter()
                                .filter(|a| a.label == name)
                                .map(|a| Edit::Remove(a.id))
                                .collect();
                            edits.push(Edit::SetLabels(set));
                            self.edit(Edit::Batch(edits))
                        };
                        if deleted {
                            self.info(format!("Deleted the label {name} (Ctrl+Z brings it back)."));
                        }
                    }
                    Err(e) => self.error(format!("Not done: {e}.")),
                }
            }
            other => match changed_labels(&labels, &other, reserved) {
                Ok(set) if set != labels => {
                    self.change_labels(Edit::SetLabels(set));
                }
                Ok(_) => {}
                Err(e) => self.error(format!("Not done: {e}.")),
            },
        }
        self.cursor.keep_valid(&self.doc.session);
    }

    /// Opens a folder of articles as a project.
    pub fn open_folder(&mut self, folder: &Path) {
        use crate::io::project;
        let file = match project::read_project_file(folder) {
            Ok(Some(f)) => f,
            Ok(None) => {
                // Opening a folder makes it a project: the shared settings go in a file there.
                let f = ProjectFile::new(self.annotator.clone(), LabelSet::default());
                if let Err(e) = project::write_project_file(folder, &f) {
                    self.error(format!(
                        "Could not write {} in {}: {e}",
                        project::PROJECT_FILE,
                        folder.display()
                    ));
                }
                f
            }
            Err(e) => return self.fail(format!("Could not open the project.\n\n{e}")),
        };
        let docs = match project::scan(folder) {
            Ok(d) => d,
            Err(e) => return self.fail(format!("Could not open the project.\n\n{e}")),
        };
        if !self.leave_current() {
            return;
        }
        let n = docs.len();
        let p = Project::new(folder.to_owned(), file, docs);
        let first = p
            .docs
            .iter()
            .position(|d| d.status != Status::Done)
            .or(if n > 0 { Some(0) } else { None });
        self.project = Some(p);
        self.remember(folder);
        match first {
            Some(i) => self.open_doc(i),
            None => self.info(format!(
                "{} has no .txt or .md articles yet.",
                folder.display()
            )),
        }
    }

    /// Opens the project's document `i`, saving the current one first.
    pub fn open_doc(&mut self, i: usize) {
        let Some(entry) = self.project.as_ref().and_then(|p| p.docs.get(i)).cloned() else {
            return;
        };
        if !self.leave_current() {
            return;
        }
        self.open(&entry.article);
        let total = self.project.as_ref().map_or(0, |p| p.docs.len());
        if matches!(self.prompt, None | Some(super::Prompt::Info(_)))
            && let Some(p) = &mut self.project
        {
            p.current = Some(i);
            if !matches!(self.prompt, Some(super::Prompt::Info(_))) {
                self.info(format!(
                    "{} ({} of {total}): {}.",
                    entry.name,
                    i + 1,
                    entry.status.name()
                ));
            }
        }
    }

    /// Moves to another document of the project: `step` ±1, wrapping.
    pub fn step_doc(&mut self, step: isize) {
        let Some(p) = &self.project else {
            self.info("Open a folder (File > Open Folder…) to move between documents.");
            return;
        };
        let n = p.docs.len() as isize;
        if n == 0 {
            return;
        }
        let cur = p.current.map_or(-1, |c| c as isize);
        let next = (cur + step).rem_euclid(n) as usize;
        self.open_doc(next);
    }

    /// Ctrl+Enter: this document is done; on to the next one that is not.
    pub fn done_next(&mut self) {
        if self.project.is_none() {
            self.info("Open a folder (File > Open Folder…) to work through documents.");
            return;
        }
        self.doc.session.done = true;
        let next = self.project.as_ref().and_then(Project::next_not_done);
        match next {
            Some(i) => self.open_doc(i),
            None => {
                if self.save() {
                    self.info("Marked done. Every document of the project is done.");
                }
            }
        }
    }
}
