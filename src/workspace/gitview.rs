//! A project folder's git status for the document list: which sessions have changes not
//! committed and who committed each last. Read with the `git` binary on a thread of its own
//! (never in a frame, never the network), again after every save.

use super::suggest::Wake;
use crate::io::git_status::FileStatus;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

/// How many commits are read for "who committed last" (newest first).
const MAX_COMMITS: usize = 5_000;

/// What git says of the project's files, as last read.
#[derive(Default)]
pub struct GitView {
    /// `None` until read, and when the folder is not a git work tree.
    files: Option<HashMap<PathBuf, FileStatus>>,
    /// When it was read (seconds since 1970), for "3 min ago".
    pub read_at: i64,
    running: Option<Receiver<Option<HashMap<PathBuf, FileStatus>>>>,
    /// A save happened while a read was running: read again after it.
    again: bool,
}

impl GitView {
    /// Starts reading `folder`'s status (or marks it to be read again once the running read
    /// is done).
    pub fn refresh(&mut self, folder: &Path) {
        if self.running.is_some() {
            self.again = true;
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let folder = folder.to_owned();
        let spawned = std::thread::Builder::new()
            .name("git status".into())
            .spawn(move || {
                let _ = tx.send(crate::io::git_status::read(&folder, MAX_COMMITS));
            });
        if spawned.is_ok() {
            self.running = Some(rx);
        }
    }

    /// Takes a finished read; asks to be woken while one runs.
    pub fn poll(&mut self, folder: &Path) -> Wake {
        let Some(rx) = &self.running else {
            return Wake(None);
        };
        match rx.try_recv() {
            Ok(files) => {
                self.files = files;
                self.read_at = crate::model::Timestamp::now().0 as i64;
                self.running = None;
                if std::mem::take(&mut self.again) {
                    self.refresh(folder);
                }
                Wake(Some(0.0))
            }
            Err(TryRecvError::Empty) => Wake(Some(0.2)),
            Err(TryRecvError::Disconnected) => {
                self.running = None;
                Wake(None)
            }
        }
    }

    /// Whether the project is a git work tree (known once read).
    pub fn is_repository(&self) -> bool {
        self.files.is_some()
    }

    /// What git says of the file at `path` (a session): `None` outside a repository, or a
    /// file git has never seen and that is not there.
    pub fn of(&self, path: &Path) -> Option<&FileStatus> {
        self.files.as_ref()?.get(path)
    }

    /// Whether a read is under way.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }
}
