//! File dialogs: the desktop's own (rfd, off the UI thread) where there is one, Spanmark's
//! own in the window where there is not. "No dialog here" is never taken for "cancelled".
//! The only module that calls rfd. A dialog's answer comes back as an [`Action`].

use super::action::Action;
use super::action::PathSlot;
pub use super::panels::file_dialog::DialogRequest;
use super::panels::file_dialog::{FileDialog, Outcome};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// What a dialog answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogAnswer {
    Picked(PathBuf),
    Cancelled,
    /// There is no such dialog on this desktop (the window shows its own instead).
    Unavailable,
}

/// The answer comes back on the receiver.
pub trait Dialogs {
    fn request(&mut self, request: DialogRequest) -> Receiver<DialogAnswer>;
}

/// Why the desktop's dialogs cannot be used here, if they cannot: rfd talks to the XDG desktop
/// portal over the session D-Bus, and without a session bus there is no portal to ask.
/// `SPANMARK_FILE_DIALOG=builtin` asks for Spanmark's own dialog anyway.
pub fn native_unavailable() -> Option<String> {
    if std::env::var("SPANMARK_FILE_DIALOG").is_ok_and(|v| v == "builtin") {
        return Some("SPANMARK_FILE_DIALOG=builtin".into());
    }
    if !cfg!(target_os = "linux") {
        return None;
    }
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|d| std::path::Path::new(&d).join("bus").exists());
    (!bus).then(|| "no D-Bus session, so no desktop portal".into())
}

/// The real dialogs: rfd on its own thread, so the window keeps drawing.
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn request(&mut self, request: DialogRequest) -> Receiver<DialogAnswer> {
        let (tx, rx) = channel();
        if native_unavailable().is_some() {
            let _ = tx.send(DialogAnswer::Unavailable);
            return rx;
        }
        std::thread::spawn(move || {
            let asked = Instant::now();
            // Each starts in the document's folder when it has one.
            let start = |folder: Option<std::path::PathBuf>| match folder {
                Some(f) => rfd::FileDialog::new().set_directory(f),
                None => rfd::FileDialog::new(),
            };
            let picked = match request {
                DialogRequest::Open { folder } => start(folder)
                    .set_title("Open an article or session")
                    .add_filter(
                        "Articles and sessions",
                        &["txt", "md", "markdown", "html", "htm", "docx", "ron"],
                    )
                    .add_filter("All files", &["*"])
                    .pick_file(),
                DialogRequest::Session { folder } => start(folder)
                    .set_title("Compare with another session of this text")
                    .add_filter("Spanmark sessions", &["ron"])
                    .add_filter("All files", &["*"])
                    .pick_file(),
                DialogRequest::Import { folder } => start(folder)
                    .set_title("Choose what to import")
                    .add_filter("All files", &["*"])
                    .pick_file(),
                DialogRequest::Folder { folder } => {
                    start(folder).set_title("Choose a folder").pick_folder()
                }
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
            let _ = tx.send(match picked {
                Some(p) => DialogAnswer::Picked(p),
                // No dialog came up at all (rfd answers at once when the portal is missing).
                None if asked.elapsed() < TOO_FAST => DialogAnswer::Unavailable,
                None => DialogAnswer::Cancelled,
            });
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

/// A "cancelled" sooner than this after asking came from no dialog at all (rfd answers
/// `None` within milliseconds when the portal is missing): nobody cancels that fast.
const TOO_FAST: Duration = Duration::from_millis(250);

/// The dialogs and the one that is open.
pub struct DialogHost {
    dialogs: Box<dyn Dialogs>,
    /// The desktop's dialog that is open: what its answer is for, and what it asked.
    pending: Option<(Pending, DialogRequest, Receiver<DialogAnswer>)>,
    /// Spanmark's own dialog, when open, and what it decided (taken by the next poll).
    own: Option<(Pending, FileDialog)>,
    decided: Option<(Pending, Outcome)>,
    /// The desktop's dialogs failed once: use ours from then on.
    native_failed: bool,
    /// Why ours is used, to be said once.
    notice: Option<String>,
    told: bool,
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
            own: None,
            decided: None,
            native_failed: false,
            notice: None,
            told: false,
        }
    }

    /// Opens a dialog; its answer is for `pending`.
    pub fn ask(&mut self, request: DialogRequest, pending: Pending) {
        if self.native_failed {
            self.own = Some((pending, FileDialog::new(request)));
        } else {
            let rx = self.dialogs.request(request.clone());
            self.pending = Some((pending, request, rx));
        }
    }

    /// The first time Spanmark's own dialog stands in, why (for the status line).
    pub fn take_notice(&mut self) -> Option<String> {
        if self.told || !self.native_failed {
            return None;
        }
        self.told = true;
        let why = self
            .notice
            .take()
            .unwrap_or_else(|| "the desktop's file dialog did not open".into());
        Some(format!(
            "No file dialog from the desktop ({why}): type the path in Spanmark's own."
        ))
    }

    /// Draws Spanmark's own dialog when it is open (after everything else, so it is on top).
    pub fn ui(&mut self, ctx: &egui::Context) {
        if let Some((pending, dialog)) = &mut self.own
            && let Some(outcome) = dialog.ui(ctx)
        {
            self.decided = Some((*pending, outcome));
            self.own = None;
        }
    }

    /// The open dialog's answer, if it came.
    pub fn poll(&mut self) -> Answered {
        if let Some((pending, outcome)) = self.decided.take() {
            return match outcome {
                Outcome::Picked(p) => Answered::Picked(action_for(pending, p)),
                Outcome::Cancelled => Answered::Cancelled(pending),
            };
        }
        if self.own.is_some() {
            return Answered::Idle;
        }
        let Some((kind, _, rx)) = &self.pending else {
            return Answered::Idle;
        };
        let kind = *kind;
        let answer = match rx.try_recv() {
            Ok(a) => a,
            Err(TryRecvError::Empty) => return Answered::Waiting,
            Err(TryRecvError::Disconnected) => DialogAnswer::Cancelled,
        };
        let Some((_, request, _)) = self.pending.take() else {
            return Answered::Idle;
        };
        match answer {
            DialogAnswer::Picked(p) => Answered::Picked(action_for(kind, p)),
            DialogAnswer::Unavailable => {
                // Ours instead, now and from now on.
                self.native_failed = true;
                self.notice = native_unavailable();
                self.own = Some((kind, FileDialog::new(request)));
                Answered::Waiting
            }
            DialogAnswer::Cancelled => Answered::Cancelled(kind),
        }
    }

    /// Whether a dialog has the keyboard.
    pub fn is_open(&self) -> bool {
        self.own.is_some()
    }
}

fn action_for(kind: Pending, p: PathBuf) -> Action {
    match kind {
        Pending::Open => Action::OpenPath(p),
        Pending::Compare => Action::Compare(p),
        Pending::Save => Action::SaveTo(p),
        Pending::Path(slot) => Action::SetPath(slot, p),
    }
}
