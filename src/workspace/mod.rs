//! The workspace: everything the person works on and every rule about it, with no window.
//! The open document (load, save, journal and recovery, external change, time worked), the
//! cursor and the edits made at it, the project and its label history, find, suggestions,
//! curation, and export/import jobs. It never imports egui, eframe or rfd: the window draws
//! it and calls it; tests drive it as a plain value, with time passed in.
//!
//! Its parts return values or typed errors; only this module writes the status line and the
//! prompt, so that each message is said once.

pub mod assist;
pub mod curation;
pub mod doc;
pub mod editing;
pub mod journal;
pub mod notice;
pub mod project;
pub mod reanchor;
pub mod transfer;

pub use assist::{Find, Suggest, Wake};
pub use curation::{Chip, ChipKind, Curation, MAX_VERSIONS};
pub use doc::{Doc, SAMPLE_NAME, SAMPLE_TEXT};
pub use editing::{Cursor, Motion, Reveal, ellipsize};
pub use notice::{Answer, External, Next, Prompt, Request, Status};
pub use project::{Direction, LabelOp, Project};

use journal::{Found, Trouble};
use std::path::{Path, PathBuf};

/// How many recent files are remembered.
const MAX_RECENT: usize = 10;
/// How often the session file is checked for changes by other programs (seconds).
const DISK_CHECK_EVERY: f64 = 1.0;
/// Input within this many seconds counts as working.
const ACTIVE_WINDOW: f64 = 60.0;

/// What happened in a frame of the window, as far as the workspace cares.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tick {
    /// Seconds on a clock of the caller's choosing (monotonic).
    pub now: f64,
    /// Seconds since the last tick (capped by the caller).
    pub dt: f64,
    /// The person did something (a key, the mouse).
    pub input: bool,
    /// The window has the keyboard focus.
    pub focused: bool,
}

pub struct Workspace {
    pub doc: Doc,
    pub cursor: Cursor,
    pub project: Option<Project>,
    pub find: Find,
    pub suggest: Suggest,
    pub curation: Curation,
    pub reanchoring: reanchor::Reanchoring,
    pub status: Option<Status>,
    pub prompt: Option<Prompt>,
    /// Articles, sessions and folders opened, newest first.
    pub recent: Vec<PathBuf>,
    /// Who makes new annotations.
    pub annotator: String,
    /// A folder of our own for journals whose document folder cannot be written.
    data_dir: Option<PathBuf>,
    /// What to do after a save that the unsaved-changes prompt started.
    after_save: Option<Next>,
    requests: Vec<Request>,
    /// The time of the latest tick.
    now: f64,
    last_disk_check: f64,
    last_input: f64,
}

impl Workspace {
    /// A workspace on the bundled sample article. `data_dir` holds journals that cannot go
    /// beside their document (and the sample's); `recent` is what was opened before.
    pub fn new(data_dir: Option<PathBuf>, recent: Vec<PathBuf>) -> Self {
        let annotator = crate::model::default_annotator();
        Self {
            doc: Doc::sample(annotator.clone()),
            cursor: Cursor::default(),
            project: None,
            find: Find::default(),
            suggest: Suggest::default(),
            curation: Curation::default(),
            reanchoring: reanchor::Reanchoring::default(),
            status: None,
            prompt: None,
            recent,
            annotator,
            data_dir,
            after_save: None,
            requests: Vec::new(),
            now: 0.0,
            last_disk_check: f64::NEG_INFINITY,
            last_input: f64::NEG_INFINITY,
        }
    }

    /// Opens `path`, or starts on the sample (recovering its journal).
    pub fn start(&mut self, path: Option<&Path>) {
        match path {
            Some(p) => self.open(p),
            None => {
                let found = self.doc.recover_and_start_journal(self.data_dir.as_deref());
                self.report_found(found);
                if self.prompt.is_none() {
                    self.info("Sample article: select text and press 1 (actor), 2 (topic) or 3 (date). F1 lists every shortcut.");
                }
            }
        }
    }

    pub fn session(&self) -> &crate::model::Session {
        &self.doc.session
    }

    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// Something failed that the person must acknowledge.
    fn fail(&mut self, text: impl Into<String>) {
        self.prompt = Some(Prompt::Error(text.into()));
    }

    fn request(&mut self, r: Request) {
        self.requests.push(r);
    }

    /// What the window must do for the workspace, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.requests)
    }

    fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// Opens a project folder, an article or a session; on failure says why and keeps the
    /// current document.
    pub fn open(&mut self, path: &Path) {
        if path.is_dir() {
            self.open_folder(path);
            return;
        }
        // An article or session outside the open project closes the project.
        if let Some(p) = &self.project
            && !path.starts_with(&p.folder)
        {
            self.project = None;
        }
        match doc::load_doc(path, self.annotator.clone()) {
            Ok(loaded) => {
                match loaded.changed_article {
                    // Which text its journal belongs to waits for the answer: a run that
                    // crashed after re-anchoring left one for the new text.
                    Some(article) => {
                        self.set_doc(loaded.doc);
                        self.article_changed(article);
                    }
                    None => self.install_doc(loaded.doc),
                }
                self.remember(path);
                if let Some(p) = &mut self.project {
                    let sp = self.doc.session_path.as_ref();
                    p.current = p
                        .docs
                        .iter()
                        .position(|d| d.article == path || Some(&d.session) == sp);
                }
                if !matches!(self.prompt, Some(Prompt::Info(_))) {
                    if loaded.warning {
                        self.error(loaded.message);
                    } else {
                        self.info(loaded.message);
                    }
                }
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Saves what is worth saving before another document replaces this one; in a project
    /// that never asks. Returns false if the document must stay (its save failed).
    pub fn leave_current(&mut self) -> bool {
        self.doc.count_active_time();
        if self.doc.session_path.is_some() && self.project.is_some() && self.doc.worth_saving() {
            return self.save();
        }
        true
    }

    /// Replaces the document (its journal stops; the writer flushes on drop), replays the new
    /// one's journal if it has one, and starts journalling.
    pub(crate) fn install_doc(&mut self, doc: Doc) {
        self.set_doc(doc);
        self.recover_journal();
    }

    /// Makes `doc` the open document, without its journal yet.
    fn set_doc(&mut self, doc: Doc) {
        self.doc = doc;
        self.cursor = Cursor::default();
        self.suggest.current = None;
        self.find.current = None;
        if let Some(p) = &self.project {
            self.doc.session.adopt_labels(&p.file.labels);
            if self.doc.session.annotator != p.file.annotator && self.doc.disk_hash.is_none() {
                self.doc.session.annotator = p.file.annotator.clone();
            }
        }
    }

    /// Replays what a journal a crashed run left holds for this document (and this text of
    /// it), then journals from here; says what was found.
    fn recover_journal(&mut self) {
        let found = self.doc.recover_and_start_journal(self.data_dir.as_deref());
        let recovered = found.iter().any(|f| matches!(f, Found::Replayed { .. }));
        if recovered
            && let Some(p) = &mut self.project
            && let Some(path) = &self.doc.session_path
        {
            // The list shows what the document holds now, recovered edits included.
            p.update_entry(path, &self.doc.session);
        }
        self.report_found(found);
    }

    /// Tells the person what became of the journals found on opening.
    fn report_found(&mut self, found: Vec<Found>) {
        for f in found {
            match f {
                Found::Unreadable { path, error } => {
                    self.error(format!(
                        "Could not read the journal {}: {error}",
                        path.display()
                    ));
                }
                Found::Orphaned { path, aside } => {
                    let kept = match aside {
                        Ok(aside) => format!("It is kept at {}.", aside.display()),
                        Err((aside, e)) => format!(
                            "It could not be moved to {} ({e}), so it is still at {}; move it before editing, or the next edit replaces it.",
                            aside.display(),
                            path.display()
                        ),
                    };
                    self.prompt = Some(Prompt::Info(format!(
                        "A journal of unsaved edits was found, but the session file changed since it was written, so it was not applied. {kept}"
                    )));
                }
                Found::Replayed { path, n, problems } => {
                    if n == 0 && problems.is_empty() {
                        continue;
                    }
                    let mut msg = format!(
                        "Recovered {n} edit{} that had not been saved when Spanmark last stopped (from {}). They are in the document now; save to keep them, or undo them.",
                        if n == 1 { "" } else { "s" },
                        path.display()
                    );
                    if !problems.is_empty() {
                        msg.push_str(&format!(
                            "\n\nSome of the journal could not be used:\n{}",
                            problems.join("\n")
                        ));
                    }
                    self.info(format!("Recovered {n} unsaved edits."));
                    self.prompt = Some(Prompt::Info(msg));
                }
            }
        }
    }

    /// Saves to the session path; returns false if it could not (or must ask where first).
    pub fn save(&mut self) -> bool {
        let Some(path) = self.doc.session_path.clone() else {
            self.ask_where_to_save();
            return false;
        };
        self.save_to(&path)
    }

    /// Save As: asks where.
    pub fn ask_where_to_save(&mut self) {
        let r = Request::PickSave {
            file_name: self.doc.suggested_file_name(),
            folder: self.doc.folder(),
        };
        self.request(r);
    }

    /// Saves to `path`; says what happened.
    pub fn save_to(&mut self, path: &Path) -> bool {
        match self.doc.save_to(path) {
            Ok(()) => {
                self.doc.journal_saved();
                if self.doc.name == SAMPLE_NAME {
                    self.doc.name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    // The sample's journal was ours; from now on it lives beside the file.
                    self.doc.start_journal(self.data_dir.as_deref());
                }
                if let Some(p) = &mut self.project {
                    p.update_entry(path, &self.doc.session);
                }
                self.remember(path);
                self.info(format!("Saved {}.", path.display()));
                true
            }
            Err(doc::SaveError::ChangedOnDisk) => {
                self.prompt = Some(Prompt::ExternalChange);
                false
            }
            Err(doc::SaveError::Write(e)) => {
                let journal = match (self.doc.journal.path(), self.doc.journal.error()) {
                    (Some(j), None) => format!(" and in the journal {}", j.display()),
                    _ => String::new(),
                };
                self.fail(format!(
                    "{e:#}\n\nNothing on disk was changed. Your work is still here, in memory{journal}. Try Save As… to pick another place."
                ));
                false
            }
        }
    }

    /// A path picked in the save dialog: save there, then do what was waiting for the save.
    pub fn save_as(&mut self, path: PathBuf) {
        let path = doc::with_session_suffix(path);
        if self.save_to(&path)
            && let Some(next) = self.after_save.take()
        {
            self.continue_with(next);
        }
    }

    /// The save dialog was cancelled: what waited for it is dropped.
    pub fn save_cancelled(&mut self) {
        self.after_save = None;
    }

    /// The answer to "changed on disk": reload theirs, or keep ours (saving writes ours).
    pub fn resolve_external(&mut self, answer: External) {
        self.prompt = None;
        let Some(path) = self.doc.session_path.clone() else {
            return;
        };
        match answer {
            External::ReloadTheirs => match doc::read_session_file(&path) {
                Ok((session, hash, stamp)) => {
                    let name = self.doc.name.clone();
                    let mut new = Doc::new(
                        session,
                        crate::model::History::new_saved(),
                        Some(path.clone()),
                        name,
                    );
                    new.disk_hash = Some(hash);
                    new.disk_stamp = stamp;
                    self.doc = new;
                    self.cursor = Cursor::default();
                    // The old journal was for the old file.
                    self.doc.start_journal(self.data_dir.as_deref());
                    self.info(format!("Reloaded {} from disk.", path.display()));
                }
                Err(e) => self.fail(format!("Could not reload; your version is kept.\n\n{e}")),
            },
            External::KeepMine => {
                self.doc.keep_mine();
                self.info("Kept your version; saving will replace the one on disk.");
            }
        }
    }

    /// Does `next` now, or asks first when there are unsaved changes.
    pub fn guard(&mut self, next: Next) {
        if self.project.is_some() && self.doc.session_path.is_some() {
            // In a project, leaving a document saves it.
            if self.leave_current() {
                self.continue_with(next);
            }
        } else if self.doc.dirty() {
            self.prompt = Some(Prompt::Unsaved(next));
        } else {
            self.continue_with(next);
        }
    }

    fn continue_with(&mut self, next: Next) {
        match next {
            Next::Quit => self.request(Request::Close),
            Next::Open(p) => self.open(&p),
            Next::Compare(p) => self.compare_with(&p),
            Next::OpenDialog => self.request(Request::PickOpen),
        }
    }

    /// The answer to the unsaved-changes prompt.
    pub fn answer(&mut self, answer: Answer) {
        let Some(Prompt::Unsaved(next)) = self.prompt.take() else {
            return;
        };
        match answer {
            Answer::Cancel => {}
            Answer::Discard => self.continue_with(next),
            Answer::Save => {
                if self.doc.session_path.is_none() {
                    self.after_save = Some(next);
                    self.ask_where_to_save();
                } else if self.save() {
                    self.continue_with(next);
                }
            }
        }
    }

    /// The window is asked to close: true if it may. In a project closing saves, as
    /// switching does; elsewhere unsaved changes are asked about first.
    pub fn close_requested(&mut self) -> bool {
        if self.project.is_some() && self.doc.session_path.is_some() {
            self.leave_current()
        } else if self.doc.dirty() {
            self.prompt = Some(Prompt::Unsaved(Next::Quit));
            false
        } else {
            true
        }
    }

    /// Sends this frame's edits to the journal and carries label changes to the project.
    pub fn journal_edits(&mut self) {
        for e in self.doc.journal_edits() {
            self.propagate_labels(&e);
        }
    }

    /// Start of a frame: time worked, and whether another program changed the file.
    pub fn begin(&mut self, t: Tick) {
        self.now = t.now;
        if t.input {
            self.last_input = t.now;
        }
        if t.now - self.last_input < ACTIVE_WINDOW && t.focused {
            self.doc.add_active_time(t.dt);
        }
        if t.now - self.last_disk_check >= DISK_CHECK_EVERY && self.prompt.is_none() {
            self.last_disk_check = t.now;
            if self.doc.check_disk() {
                self.prompt = Some(Prompt::ExternalChange);
            }
        }
    }

    /// End of a frame, after the actions: journal, derived state, the journal's health.
    /// Returns when to be asked again without input.
    pub fn end(&mut self) -> Wake {
        self.journal_edits();
        self.refresh_find();
        self.refresh_differences();
        let wake = self.refresh_suggestions(self.now);
        let polled = self.poll_suggestions();
        match self.doc.check_journal(self.data_dir.as_deref()) {
            Some(Trouble::Moved { error, to }) => self.error(format!(
                "The journal could not be written beside the document ({error}); it is at {} instead.",
                to.display()
            )),
            Some(Trouble::Failed { error }) => self.error(format!(
                "The journal could not be written ({error}). Save soon: unsaved edits are only in memory."
            )),
            None => {}
        }
        Wake(match (wake.0, polled.0) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// The window's title: the document's name, and a dot while unsaved.
    pub fn title(&self) -> String {
        format!(
            "{}{} — Spanmark",
            self.doc.name,
            if self.doc.dirty() { " •" } else { "" }
        )
    }
}
