//! The annotation model: pure data and rules, no GUI and no file formats.

mod annotation;
mod document;
mod edit;
mod history;
mod label;
pub mod learn;
pub mod reanchor;
mod relation;
pub mod search;
mod session;
pub mod words;

pub use annotation::{AnchorKind, AnchorReview, Annotation, AnnotationId, Rejected, Timestamp};
pub use document::Document;
pub use edit::{Edit, EditError};
pub use history::{History, Revision, next_step};
pub use label::{Color, Label, LabelSet, LabelSetError, PALETTE, drop_repeated_keys};
pub use relation::{
    Relation, RelationId, RelationLabel, RelationReview, relation_color, relation_label_problems,
};
pub use session::{ReviewItem, Session, Source, default_annotator};
