//! What the workspace tells the person and asks of the window: the status line, the prompts
//! that wait for an answer, and requests only a window can carry out (file dialogs, the
//! clipboard, closing). Plain values; whoever shows them decides how.

use crate::model::AnnotationId;
use std::path::PathBuf;

/// The status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Something the person must answer or acknowledge before going on.
#[derive(Clone, Debug, PartialEq)]
pub enum Prompt {
    /// Unsaved changes: save, discard or cancel, then do `Next`.
    Unsaved(Next),
    Error(String),
    /// Something the user must know (e.g. work recovered from the journal).
    Info(String),
    /// The session file was changed on disk by another program.
    ExternalChange,
    /// The article was corrected since its session was saved: re-anchor the annotations onto
    /// it, or open the saved text as it was?
    ArticleChanged {
        /// Chars added and removed.
        inserted: usize,
        deleted: usize,
        /// Annotations to carry over.
        annotations: usize,
    },
    /// Deleting a label: how many annotations in how many documents would go.
    ConfirmDelete {
        label: String,
        annotations: usize,
        documents: usize,
    },
}

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    Quit,
    Open(PathBuf),
    OpenDialog,
    /// Compare the open session with this one.
    Compare(PathBuf),
}

/// The answer to [`Prompt::Unsaved`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Save,
    Discard,
    Cancel,
}

/// The answer to [`Prompt::ExternalChange`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum External {
    ReloadTheirs,
    KeepMine,
}

/// What the workspace needs a window (or a test) to do; taken with
/// [`crate::workspace::Workspace::take_requests`].
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Ask for an article, session or folder to open.
    PickOpen,
    /// Ask where to save (the answer comes back as a save to that path).
    PickSave {
        file_name: String,
        folder: Option<PathBuf>,
    },
    /// Put this text on the clipboard.
    Copy(String),
    /// Close the window (the unsaved-changes question was answered).
    Close,
    /// Scroll the annotation list to this span.
    ShowInList(AnnotationId),
    /// Put the keyboard in the selected span's note field.
    FocusNote,
}
