//! Edits are values. Applying one to a [`Session`](super::Session) yields its inverse, which
//! is what undo applies.

use super::annotation::{AnchorReview, Annotation, AnnotationId, Rejected, Timestamp};
use super::label::LabelSet;
use super::relation::{Relation, RelationId, RelationLabel, RelationReview};
use serde::{Deserialize, Serialize};

/// Serialisable so that the journal can record every edit as it happens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edit {
    Add(Annotation),
    Remove(AnnotationId),
    Relabel {
        id: AnnotationId,
        label: String,
        /// The annotation's new modified time.
        at: Timestamp,
    },
    SetBounds {
        id: AnnotationId,
        start: usize,
        end: usize,
        at: Timestamp,
    },
    /// `None` (or a blank note) removes the note.
    SetNote {
        id: AnnotationId,
        note: Option<String>,
        at: Timestamp,
    },
    /// Replaces the label set (add, recolour, hotkey, reorder, remove an unused label).
    SetLabels(LabelSet),
    /// Renames a label in the set and on every annotation that carries it.
    RenameLabel {
        from: String,
        to: String,
    },
    /// Remembers a suggestion (or a curator's review item) as rejected: not offered again.
    Reject(Rejected),
    /// Forgets a rejection.
    Unreject(Rejected),
    /// Takes an annotation off the re-anchoring review list (kept where it is, placed, or
    /// dropped together with a `Remove`).
    Settle(AnnotationId),
    /// Puts it back on the list (the inverse of `Settle`).
    Unsettle(Box<AnchorReview>),
    /// Links two annotations.
    AddRelation(Relation),
    RemoveRelation(RelationId),
    RelabelRelation {
        id: RelationId,
        label: String,
        at: Timestamp,
    },
    /// Swaps its two ends.
    ReverseRelation {
        id: RelationId,
        at: Timestamp,
    },
    SetRelationNote {
        id: RelationId,
        note: Option<String>,
        at: Timestamp,
    },
    /// Replaces the relation labels (none in use may go).
    SetRelationLabels(Vec<RelationLabel>),
    /// Takes item `index` off the relation review list (decided: taken or dropped).
    SettleRelationReview(usize),
    /// Puts it back at `index` (the inverse).
    UnsettleRelationReview(usize, Box<RelationReview>),
    /// Renames a relation label and every relation that carries it.
    RenameRelationLabel {
        from: String,
        to: String,
    },
    /// Applied in order, all or nothing.
    Batch(Vec<Edit>),
}

impl Edit {
    pub fn relabel(id: AnnotationId, label: &str) -> Self {
        Self::Relabel {
            id,
            label: label.to_owned(),
            at: Timestamp::now(),
        }
    }

    pub fn set_bounds(id: AnnotationId, start: usize, end: usize) -> Self {
        Self::SetBounds {
            id,
            start,
            end,
            at: Timestamp::now(),
        }
    }

    pub fn set_note(id: AnnotationId, note: Option<String>) -> Self {
        Self::SetNote {
            id,
            note,
            at: Timestamp::now(),
        }
    }

    /// Whether this edit changes the label set (and so concerns every document of a project).
    pub fn touches_labels(&self) -> bool {
        match self {
            Edit::SetLabels(_)
            | Edit::RenameLabel { .. }
            | Edit::SetRelationLabels(_)
            | Edit::RenameRelationLabel { .. } => true,
            Edit::Batch(edits) => edits.iter().any(Edit::touches_labels),
            _ => false,
        }
    }

    /// A short description for menus and status messages ("tag", "relabel", …).
    pub fn describe(&self) -> String {
        match self {
            Edit::Add(a) => format!("tag as {}", a.label),
            Edit::Remove(_) => "delete span".into(),
            Edit::Relabel { label, .. } => format!("relabel as {label}"),
            Edit::SetBounds { .. } => "change span bounds".into(),
            Edit::SetNote { .. } => "edit note".into(),
            Edit::SetLabels(_) => "change labels".into(),
            Edit::RenameLabel { from, to } => format!("rename label {from} to {to}"),
            Edit::Reject(r) => format!("reject {}", r.label),
            Edit::Unreject(r) => format!("bring back {}", r.label),
            Edit::Settle(_) => "settle a re-anchored span".into(),
            Edit::Unsettle(_) => "review a re-anchored span again".into(),
            Edit::AddRelation(r) => format!("relate as {}", r.label),
            Edit::RemoveRelation(_) => "delete relation".into(),
            Edit::RelabelRelation { label, .. } => format!("relabel relation as {label}"),
            Edit::ReverseRelation { .. } => "reverse relation".into(),
            Edit::SetRelationNote { .. } => "edit relation note".into(),
            Edit::SetRelationLabels(_) => "change relation labels".into(),
            Edit::RenameRelationLabel { from, to } => {
                format!("rename relation label {from} to {to}")
            }
            Edit::SettleRelationReview(_) => "decide a relation".into(),
            Edit::UnsettleRelationReview(..) => "decide a relation again".into(),
            Edit::Batch(edits) => match edits.as_slice() {
                [one] => one.describe(),
                _ => format!("{} edits", edits.len()),
            },
        }
    }
}

/// Why an edit was refused. The messages are shown to users as they are.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the span {start}..{end} is empty")]
    Empty { start: usize, end: usize },
    #[error("the span {start}..{end} lies beyond the end of the text ({len} characters)")]
    OutOfBounds {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("the span {start}..{end} covers only whitespace")]
    WhitespaceOnly { start: usize, end: usize },
    #[error("{text:?} is already tagged as {label} ({existing})")]
    Duplicate {
        label: String,
        text: String,
        existing: AnnotationId,
    },
    #[error("there is no label {0:?} in the label set")]
    UnknownLabel(String),
    #[error("there is no annotation {0}")]
    NoSuchAnnotation(AnnotationId),
    #[error("annotation {0} is not waiting for review")]
    NotInReview(AnnotationId),
    #[error("annotation id {0} is used twice")]
    DuplicateId(AnnotationId),
    #[error("{0}")]
    BadLabels(#[from] crate::model::LabelSetError),
    #[error("the label {label:?} is still used by {count} annotation(s)")]
    LabelInUse { label: String, count: usize },
    #[error("there is no relation to decide at {0}")]
    NoSuchRelationReview(usize),
    #[error("there is no relation {0}")]
    NoSuchRelation(RelationId),
    #[error("relation id {0} is used twice")]
    DuplicateRelationId(RelationId),
    #[error("a relation joins two different spans")]
    SelfRelation,
    #[error("there is no relation label {0:?}")]
    UnknownRelationLabel(String),
    #[error("these two spans are already related as {0}")]
    DuplicateRelation(String),
    #[error("{0}")]
    BadRelationLabels(String),
    #[error("the relation label {label:?} is still used by {count} relation(s)")]
    RelationLabelInUse { label: String, count: usize },
}
