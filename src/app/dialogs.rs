//! Native file dialogs (rfd) off the UI thread, behind a trait so tests can stand in for them.
//! The only module that calls rfd. A dialog's answer comes back as an [`Action`].

use super::action::Action;
use super::transfer_ui::PathSlot;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogRequest {
    /// Pick an article or session to open.
    Open,
    /// Pick a folder.
    Folder,
    /// Pick another session of the open text, to compare with.
    Session,
    /// Pick where to save a file, suggesting a file name and folder.
    Save {
        file_name: String,
        folder: Option<PathBuf>,
    },
}

/// Answers come back on the receiver: a path, or `None` when the user cancelled.
pub trait Dialogs {
    fn request(&mut self, request: DialogRequest) -> Receiver<Option<PathBuf>>;
}

/// The real dialogs: rfd on its own thread, so the window keeps drawing.
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn request(&mut self, request: DialogRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let picked = match request {
                DialogRequest::Open => rfd::FileDialog::new()
                    .set_title("Open an article or session")
                    .add_filter("Articles and sessions", &["txt", "md", "markdown", "ron"])
                    .add_filter("All files", &["*"])
                    .pick_file(),
                DialogRequest::Session => rfd::FileDialog::new()
                    .set_title("Compare with another session of this text")
                    .add_filter("Spanmark sessions", &["ron"])
                    .add_filter("All files", &["*"])
                    .pick_file(),
                DialogRequest::Folder => rfd::FileDialog::new()
                    .set_title("Choose a folder")
                    .pick_folder(),
                DialogRequest::Save { file_name, folder } => {
                    let mut d = rfd::FileDialog::new()
                        .set_title("Save as")
                        .set_file_name(file_name);
                    if let Some(f) = folder {
                        d = d.set_directory(f);
                    }
                    d.save_file()
                }
            };
            let _ = tx.send(picked);
        });
        rx
    }
}

/// What the open dialog's answer is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pending {
    Open,
    Compare,
    Save,
    Path(PathSlot),
}

/// The dialogs and the one that is open.
pub struct DialogHost {
    dialogs: Box<dyn Dialogs>,
    pending: Option<(Pending, Receiver<Option<PathBuf>>)>,
}

/// What came of the open dialog this frame.
pub enum Answered {
    /// Still open.
    Waiting,
    /// None open.
    Idle,
    /// A path was picked.
    Picked(Action),
    /// Cancelled (for a save: what waited for it is dropped).
    Cancelled(Pending),
}

impl DialogHost {
    pub fn new(dialogs: Box<dyn Dialogs>) -> Self {
        Self {
            dialogs,
            pending: None,
        }
    }

    /// Opens a dialog; its answer is for `pending`.
    pub fn ask(&mut self, request: DialogRequest, pending: Pending) {
        let rx = self.dialogs.request(request);
        self.pending = Some((pending, rx));
    }

    /// The open dialog's answer, if it came.
    pub fn poll(&mut self) -> Answered {
        let Some((kind, rx)) = &self.pending else {
            return Answered::Idle;
        };
        let kind = *kind;
        let answer = match rx.try_recv() {
            Ok(a) => a,
            Err(TryRecvError::Empty) => return Answered::Waiting,
            Err(TryRecvError::Disconnected) => None,
        };
        self.pending = None;
        match answer {
            Some(p) => Answered::Picked(match kind {
                Pending::Open => Action::OpenPath(p),
                Pending::Compare => Action::Compare(p),
                Pending::Save => Action::SaveTo(p),
                Pending::Path(slot) => Action::SetPath(slot, p),
            }),
            None => Answered::Cancelled(kind),
        }
    }
}

/// Answers every request with the paths given, in order (for tests and benchmarks).
pub struct ScriptedDialogs(pub Vec<Option<PathBuf>>);

impl Dialogs for ScriptedDialogs {
    fn request(&mut self, _request: DialogRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        let answer = if self.0.is_empty() {
            None
        } else {
            self.0.remove(0)
        };
        let _ = tx.send(answer);
        rx
    }
}
