//! Native file dialogs (rfd) off the UI thread, behind a trait so tests can stand in for them.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

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

/// Answers every request with the paths given, in order (for tests).
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
