//! The label set: what a label editor's request (`LabelOp`) changes, as one edit, the
//! question before a label with annotations is deleted, and the rules a changed set keeps
//! (`changed_labels`: no name twice, hotkeys free and not a command's key).

use super::doc::Doc;
use super::notice::{Outcome, Prompt};
use super::project::Project;
use crate::model::{Color, Edit, LabelSet, RelationLabel, relation_color};

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
    /// A change of the relation labels.
    Relation(RelationLabelOp),
}

/// What the label editor asks of the relation labels.
#[derive(Clone, Debug, PartialEq)]
pub enum RelationLabelOp {
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
    /// Whether the direction matters ("speaks for": yes; "met": no).
    Directed {
        name: String,
        directed: bool,
    },
    /// Deletes it and its relations, in one step Ctrl+Z undoes (no question asked).
    Delete(String),
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

/// What a label request comes to.
pub enum LabelPlan {
    /// This change of the label set; said once it is done.
    Change { edit: Edit, done: Option<String> },
    /// Nothing to change; this to say (a question, a refusal, or nothing).
    Say(Outcome),
}

/// What `op` does to the open document's label set (`in_project`: it is a project's, so
/// deleting a label is the project's to carry to every document). `reserved` names the
/// command a plain key already has, if any.
pub fn plan(
    op: LabelOp,
    doc: &Doc,
    project: Option<&Project>,
    in_project: bool,
    reserved: impl Fn(char) -> Option<String>,
) -> LabelPlan {
    let labels = doc.session.labels();
    match op {
        LabelOp::Rename { from, to } => {
            let everywhere = if project.is_some() {
                " in every document"
            } else {
                ""
            };
            LabelPlan::Change {
                done: Some(format!("Renamed {from} to {to}{everywhere}.")),
                edit: Edit::RenameLabel { from, to },
            }
        }
        LabelOp::Delete(name) => LabelPlan::Say(Outcome::ask(confirm_delete(name, doc, project))),
        LabelOp::DeleteConfirmed(name) => delete(doc, name, in_project),
        LabelOp::Relation(op) => relation_plan(op, doc, in_project),
        other => match changed_labels(labels, &other, reserved) {
            Ok(set) if set != *labels => LabelPlan::Change {
                edit: Edit::SetLabels(set),
                done: None,
            },
            Ok(_) => LabelPlan::Say(Outcome::none()),
            Err(e) => LabelPlan::Say(Outcome::refused(e)),
        },
    }
}

/// Deleting label `name`: in a project the project's label history removes (and on undo
/// restores) its annotations in every document; here they go with the label, in one step.
fn delete(doc: &Doc, name: String, in_project: bool) -> LabelPlan {
    let labels = doc.session.labels();
    let rest: Vec<_> = labels.iter().filter(|l| l.name != name).cloned().collect();
    let set = match LabelSet::new(rest) {
        Ok(set) => set,
        Err(e) => return LabelPlan::Say(Outcome::refused(e)),
    };
    let mut edit = Edit::SetLabels(set);
    if !in_project {
        let mut edits: Vec<Edit> = doc
            .session
            .annotations()
            .iter()
            .filter(|a| a.label == name)
            .map(|a| Edit::Remove(a.id))
            .collect();
        edits.push(edit);
        edit = Edit::Batch(edits);
    }
    LabelPlan::Change {
        edit,
        done: Some(format!("Deleted the label {name} (Ctrl+Z brings it back).")),
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
        LabelOp::Rename { .. }
        | LabelOp::Delete(_)
        | LabelOp::DeleteConfirmed(_)
        | LabelOp::Relation(_) => {}
    }
    Ok(LabelSet::new(v)?)
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

/// What a relation label request comes to: renames and deletions reach the relations that
/// carry the label (in a project, every document's).
fn relation_plan(op: RelationLabelOp, doc: &Doc, in_project: bool) -> LabelPlan {
    let relations = doc.session.relations();
    match op {
        RelationLabelOp::Rename { from, to } => {
            if doc.session.relation_label(&to).is_some() {
                return LabelPlan::Say(Outcome::refused(LabelError::Exists(to)));
            }
            LabelPlan::Change {
                done: Some(format!("Renamed the relation label {from} to {to}.")),
                edit: Edit::RenameRelationLabel { from, to },
            }
        }
        RelationLabelOp::Delete(name) => {
            let rest = doc.session.relation_labels().iter();
            let set = Edit::SetRelationLabels(rest.filter(|l| l.name != name).cloned().collect());
            let gone: Vec<Edit> = relations
                .iter()
                .filter(|r| r.label == name)
                .map(|r| Edit::RemoveRelation(r.id))
                .collect();
            let n = gone.len();
            let edit = if in_project || n == 0 {
                set
            } else {
                Edit::Batch(gone.into_iter().chain([set]).collect())
            };
            let done = format!("Deleted the relation label {name} (Ctrl+Z brings it back).");
            let done = if n > 0 && !in_project {
                format!(
                    "Deleted the relation label {name} and its {n} relation(s) (Ctrl+Z brings them back)."
                )
            } else {
                done
            };
            LabelPlan::Change {
                edit,
                done: Some(done),
            }
        }
        other => match changed_relation_labels(doc.session.relation_labels(), &other) {
            Ok(v) if v != doc.session.relation_labels() => LabelPlan::Change {
                edit: Edit::SetRelationLabels(v),
                done: None,
            },
            Ok(_) => LabelPlan::Say(Outcome::none()),
            Err(e) => LabelPlan::Say(Outcome::refused(e)),
        },
    }
}

/// The relation labels `op` makes of `labels` (adding, recolouring, a key, the direction).
pub fn changed_relation_labels(
    labels: &[RelationLabel],
    op: &RelationLabelOp,
) -> Result<Vec<RelationLabel>, LabelError> {
    let mut v = labels.to_vec();
    let find = |v: &mut Vec<RelationLabel>, name: &str| v.iter().position(|l| l.name == name);
    match op {
        RelationLabelOp::Add(name) => {
            if find(&mut v, name).is_some() {
                return Err(LabelError::Exists(name.clone()));
            }
            let n = v.len();
            let key = (1..=9)
                .filter_map(|d| char::from_digit(d, 10))
                .find(|&k| !v.iter().any(|l| l.hotkey == Some(k)));
            v.push(RelationLabel::new(name, relation_color(n), key, true));
        }
        RelationLabelOp::Recolour { name, color } => {
            if let Some(i) = find(&mut v, name) {
                v[i].color = *color;
            }
        }
        RelationLabelOp::Directed { name, directed } => {
            if let Some(i) = find(&mut v, name) {
                v[i].directed = *directed;
            }
        }
        RelationLabelOp::Hotkey { name, key } => {
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
            }
            if let Some(i) = find(&mut v, name) {
                v[i].hotkey = *key;
            }
        }
        RelationLabelOp::Rename { .. } | RelationLabelOp::Delete(_) => {}
    }
    Ok(v)
}

/// Routing a label request through the workspace: one document's edit, or (in a project)
/// the project's label history and every document.
impl super::Workspace {
    /// Carries out what the label editor asked. `reserved` names the command a plain key
    /// already has (see [`changed_labels`]).
    pub fn label_op(&mut self, op: LabelOp, reserved: impl Fn(char) -> Option<String>) {
        if matches!(op, LabelOp::DeleteConfirmed(_)) {
            self.notices.prompt = None;
        }
        let (project, in_project) = (self.project.as_ref(), self.in_project());
        match plan(op, &self.doc, project, in_project, reserved) {
            LabelPlan::Change { edit, done } => {
                if self.change_labels(edit)
                    && let Some(done) = done
                {
                    self.say(Outcome::info(done));
                }
            }
            LabelPlan::Say(o) => self.say(o),
        }
        self.cursor.keep_valid(&self.doc.session);
        self.carry_effects();
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
        let backward = match &change {
            Edit::RenameLabel { from, to } => Edit::RenameLabel {
                from: to.clone(),
                to: from.clone(),
            },
            Edit::RenameRelationLabel { from, to } => Edit::RenameRelationLabel {
                from: to.clone(),
                to: from.clone(),
            },
            Edit::SetRelationLabels(_) => {
                Edit::SetRelationLabels(self.doc.session.relation_labels().to_vec())
            }
            _ => Edit::SetLabels(self.doc.session.labels().clone()),
        };
        if !self.apply_project_labels(&change) {
            return false;
        }
        self.doc.history.clear_redo();
        if let Some(p) = &mut self.project {
            p.push_step(change, backward);
        }
        true
    }

    /// Applies a change of the project's label set to every document (see
    /// [`Project::apply_labels`]), then saves the open one so that every file agrees.
    pub(super) fn apply_project_labels(&mut self, change: &Edit) -> bool {
        let Some(p) = &mut self.project else {
            return false;
        };
        let applied = p.apply_labels(change, &mut self.doc);
        let ok = applied.is_ok();
        self.say(applied.unwrap_or_else(|refused| refused));
        if ok {
            self.cursor.keep_valid(&self.doc.session);
            self.save();
        }
        ok
    }
}
