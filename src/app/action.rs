//! Everything a key, a menu, a panel, the view or a dialog's answer can ask for. Panels return
//! these; `apply` carries them out in one place after drawing.

use super::command::Command;
use crate::model::AnnotationId;
use crate::workspace::{Answer, External, LabelOp};
use egui::ThemePreference;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub enum Action {
    Command(Command),
    /// Tag the selection with a label, or relabel the selected span.
    Tag(String),
    /// Shift + a label's key: the selection and every other whole-word occurrence.
    TagAll(String),
    OpenPath(PathBuf),
    /// Save to this path (picked in the save dialog).
    SaveTo(PathBuf),
    /// Compare the open session with the session at this path.
    Compare(PathBuf),
    /// Select a span, scroll to it and flash it.
    Reveal(AnnotationId),
    Relabel(AnnotationId, String),
    Delete(AnnotationId),
    SetNote(AnnotationId, Option<String>),
    /// Reveal the span and put the keyboard in its note field.
    EditNote(AnnotationId),
    SetTheme(ThemePreference),
    Answer(Answer),
    External(External),
    ClosePrompt,
    /// The answer to "the article changed": re-anchor (true) or open the saved text.
    Reanchor(bool),
    /// Pick a path for the export or import dialog.
    PickPath(PathSlot),
    /// A path picked for the export or import dialog.
    SetPath(PathSlot, PathBuf),
    RunTransfer,
    CloseTransfer,
    /// Open the project's document at this index (saving the current one).
    OpenDocument(usize),
    Label(LabelOp),
    /// Find bar: the query or its options changed.
    SetFind(String, crate::model::search::FindOptions),
    /// Find bar: the next or previous match.
    FindNext,
    FindPrevious,
    TagAllMatches(String),
    CloseFind,
    /// Accept every suggestion of this label.
    AcceptAll(String),
    /// Make this suggestion the current one and show it.
    GoToSuggestion(crate::workspace::SuggestionKey),
    /// View: hide learned suggestions below this confidence.
    SetMinScore(f32),
    /// Making, picking and changing relations.
    Relate(crate::workspace::RelateOp),
    /// Take (true) or drop relation difference `i` of a merged session.
    DecideRelation(usize, bool),
}

/// Which path a file dialog is picking for the transfer dialogs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathSlot {
    ExportOut,
    ImportIn,
    ImportOut,
}
