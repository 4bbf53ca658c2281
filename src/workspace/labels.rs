//! The label set: what a label editor's request (`LabelOp`) changes, as one edit, the
//! question before a label with annotations is deleted, and the rules a changed set keeps
//! (`changed_labels`: no name twice, hotkeys free and not a command's key).

use super::doc::Doc;
use super::notice::{Outcome, Prompt};
use super::project::Project;
use crate::model::{Color, Edit, LabelSet};

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
        LabelOp::Rename { .. } | LabelOp::Delete(_) | LabelOp::DeleteConfirmed(_) => {}
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
