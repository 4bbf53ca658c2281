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
        /// Chars added and removed (`None` while a long document's are worked out).
        changed: Option<(usize, usize)>,
        /// Annotations to carry over.
        annotations: usize,
        /// The person chose to re-anchor and waits for it to be worked out.
        waiting: bool,
    },
    /// Deleting a label: how many annotations in how many documents would go.
    ConfirmDelete {
        label: String,
        annotations: usize,
        documents: usize,
    },
}

impl Prompt {
    /// It waits for an answer; an informational notice does not (it never blocks a command,
    /// and any command closes it).
    pub fn asks(&self) -> bool {
        !matches!(self, Prompt::Info(_))
    }
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

/// What a part of the workspace did that the person should hear of: a status line, a prompt,
/// requests for the window. Parts return it; [`crate::workspace::Workspace`] turns it into
/// the status line, the prompt and the request queue in one place.
#[must_use]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub status: Option<Status>,
    pub prompt: Option<Prompt>,
    pub requests: Vec<Request>,
}

impl Outcome {
    /// Nothing to say.
    pub fn none() -> Self {
        Self::default()
    }

    /// A status line that informs.
    pub fn info(text: impl Into<String>) -> Self {
        Self::status(text.into(), false)
    }

    /// A status line that warns.
    pub fn error(text: impl Into<String>) -> Self {
        Self::status(text.into(), true)
    }

    fn status(text: String, error: bool) -> Self {
        Self {
            status: Some(Status { text, error }),
            ..Self::default()
        }
    }

    /// Something failed that the person must acknowledge.
    pub fn fail(text: impl Into<String>) -> Self {
        Self::ask(Prompt::Error(text.into()))
    }

    /// A question (or a notice) that waits for the person.
    pub fn ask(prompt: Prompt) -> Self {
        Self {
            prompt: Some(prompt),
            ..Self::default()
        }
    }

    /// Something only the window can do.
    pub fn request(r: Request) -> Self {
        Self {
            requests: vec![r],
            ..Self::default()
        }
    }

    /// This, and then a request.
    pub fn with(mut self, r: Request) -> Self {
        self.requests.push(r);
        self
    }

    /// This, then `later`: its status and prompt win where it has one; requests add up.
    pub fn then(mut self, later: Outcome) -> Self {
        self.status = later.status.or(self.status);
        self.prompt = later.prompt.or(self.prompt);
        self.requests.extend(later.requests);
        self
    }

    /// The status line's text said before this one's (`"Kept. To review 2 of 3: …"`).
    pub fn after(mut self, said: &str) -> Self {
        match &mut self.status {
            Some(s) => s.text = format!("{said} {}", s.text),
            None => self.status = Outcome::info(said).status,
        }
        self
    }

    /// An edit the session refused.
    pub fn refused(e: impl std::fmt::Display) -> Self {
        Self::error(format!("Not done: {e}."))
    }
}
