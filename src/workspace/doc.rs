//! The open document: its session and history, where it saves, what the file on disk held
//! when last read or written, and the time worked on it. Loading, saving and noticing that
//! another program changed the file are here; the journal is in `journal`.

use super::journal::{DocJournal, Found, Places, Trouble};
use super::notice::{Outcome, Prompt};
use crate::io::journal::JournalHeader;
use crate::io::{self, article::is_article_path, session_file::is_session_path};
use crate::model::reanchor::Reanchored;
use crate::model::{Document, Edit, EditError, History, LabelSet, Session};
use std::path::{Path, PathBuf};

/// The sample article, built into the binary.
pub const SAMPLE_NAME: &str = "eu-japan-digitaal-partnerschap.nl.txt";
pub const SAMPLE_TEXT: &str = include_str!("../../assets/eu-japan-digitaal-partnerschap.nl.txt");

/// A file's modification time and size.
pub type DiskStamp = Option<(std::time::SystemTime, u64)>;

/// Why a document could not be opened (the text is what the user reads).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "Could not open {}.\n\nSpanmark opens folders of articles, .txt, .md, .html and .docx articles and .spanmark.ron sessions.",
        path.display()
    )]
    NotADocument { path: PathBuf },
    #[error("Could not open the session.\n\n{0}")]
    Session(ReadError),
    #[error(
        "{} has a session beside it that could not be read; nothing was changed.\n\n{error}",
        article.display()
    )]
    SessionBeside { article: PathBuf, error: ReadError },
    #[error("Could not open the article.\n\n{0}")]
    Article(#[from] io::ArticleError),
}

/// Why a session file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{0}")]
    Parse(#[from] io::LoadError),
}

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Another program changed the file since we read or wrote it: never overwritten unasked.
    #[error("the session file was changed by another program")]
    ChangedOnDisk,
    #[error(transparent)]
    Write(#[from] io::SaveError),
}

/// The document being annotated and where it lives.
pub struct Doc {
    pub session: Session,
    pub history: History,
    /// Where Save writes; `None` for the sample until the user picks a place.
    pub session_path: Option<PathBuf>,
    /// The name shown in the title.
    pub name: String,
    pub journal: DocJournal,
    /// Unique to this document's text in the process: what views of the text are keyed on.
    text_id: u64,
    /// SHA-256 of the session file as last read or written; `None` if there is none.
    pub(super) disk_hash: Option<String>,
    /// Modification time and size of the session file when last checked.
    pub(super) disk_stamp: DiskStamp,
    /// Active seconds not yet counted into the session.
    active_frac: f64,
    /// The session's active seconds when opened or last saved.
    loaded_active: u64,
    /// The session's version when last saved or opened: labels adopted from the project, a
    /// rejected suggestion or a label change from the project make it worth saving.
    saved_version: u64,
    /// Marked done (or otherwise changed outside the edits) since the last save.
    saved_done: bool,
    /// After re-anchoring: the other side of that step (the saved text before it, or the
    /// re-anchored one after undoing it), so that undo and redo cross it.
    other_text: Option<Box<OtherText>>,
    /// What edits did beyond this document, until the workspace takes it.
    effects: Effects,
}

/// What edits to the open document did that concerns more than the document.
#[derive(Debug, Default)]
pub struct Effects {
    /// Label changes made through this document's history (and undoing them), for the
    /// project's other documents.
    pub labels: Vec<Edit>,
    /// A new edit was made (not an undo or redo): what was undone is no longer redoable.
    pub fresh: bool,
}

/// The session and history on the other side of a re-anchoring.
struct OtherText {
    session: Session,
    history: History,
    /// The other side is the re-anchored one (this side is the saved text).
    is_reanchored: bool,
}

impl Doc {
    pub fn new(
        session: Session,
        history: History,
        session_path: Option<PathBuf>,
        name: String,
    ) -> Self {
        Self {
            loaded_active: session.active_secs,
            saved_version: session.version(),
            saved_done: session.done,
            session,
            history,
            session_path,
            name,
            journal: DocJournal::default(),
            text_id: next_text_id(),
            disk_hash: None,
            disk_stamp: None,
            active_frac: 0.0,
            other_text: None,
            effects: Effects::default(),
        }
    }

    /// Replaces the session with one re-anchored onto a corrected article, as one step that
    /// undo takes back (to the saved text) and redo brings again.
    pub fn adopt_reanchored(&mut self, session: Session) {
        let old_session = std::mem::replace(&mut self.session, session);
        let old_history = std::mem::replace(&mut self.history, History::new_unsaved());
        self.other_text = Some(Box::new(OtherText {
            session: old_session,
            history: old_history,
            is_reanchored: false,
        }));
        self.text_id = next_text_id();
    }

    /// Whether undo (or redo) would cross a re-anchoring now: nothing of this text's own
    /// history is left that way.
    pub fn crosses_reanchoring(&self, redo: bool) -> bool {
        let Some(other) = &self.other_text else {
            return false;
        };
        if redo {
            other.is_reanchored
                && self.history.undo_what().is_none()
                && self.history.redo_what().is_none()
        } else {
            !other.is_reanchored && self.history.undo_what().is_none()
        }
    }

    /// Crosses the re-anchoring (see [`Doc::crosses_reanchoring`]): the other text becomes
    /// the open one.
    pub fn cross_reanchoring(&mut self) {
        if let Some(other) = self.other_text.as_mut() {
            std::mem::swap(&mut self.session, &mut other.session);
            std::mem::swap(&mut self.history, &mut other.history);
            other.is_reanchored = !other.is_reanchored;
            self.text_id = next_text_id();
        }
    }

    /// The bundled sample article, with no session file yet.
    pub fn sample(annotator: String) -> Self {
        let article = io::decode_article(&format!("sample:{SAMPLE_NAME}"), SAMPLE_TEXT.as_bytes());
        let (text, source) = match article {
            Ok(a) => (a.text, a.source),
            Err(_) => (SAMPLE_TEXT.to_owned(), Default::default()),
        };
        Self::new(
            Session::new(Document::new(text), LabelSet::default(), source, annotator),
            History::new_saved(),
            None,
            SAMPLE_NAME.to_owned(),
        )
    }

    /// The window's title: the document's name, and a dot while unsaved.
    pub fn title(&self) -> String {
        format!(
            "{}{} — Spanmark",
            self.name,
            if self.dirty() { " •" } else { "" }
        )
    }

    /// The session was read from a file or written to one (it is not new).
    pub fn has_file_on_disk(&self) -> bool {
        self.disk_hash.is_some()
    }

    /// Names this document's text: a reload or another document gets another.
    pub fn text_id(&self) -> u64 {
        self.text_id
    }

    /// What derived state is keyed on: changes whenever the annotations, labels or
    /// rejections change, by an edit, an undo, the project or a reload.
    pub fn version(&self) -> u64 {
        self.session.version()
    }

    pub fn dirty(&self) -> bool {
        self.history.has_unsaved_changes()
    }

    /// Something worth writing even without unsaved edits (time worked, adopted labels, done).
    pub fn worth_saving(&self) -> bool {
        self.dirty()
            || self.session.active_secs != self.loaded_active
            || self.session.version() != self.saved_version
            || self.session.done != self.saved_done
    }

    /// Applies an edit through the history: undoable, and in the journal at once.
    pub fn edit(&mut self, edit: Edit) -> Result<(), EditError> {
        let what = edit.describe();
        self.edit_as(edit, what)
    }

    /// As [`Doc::edit`], named for undo and redo.
    pub fn edit_as(&mut self, edit: Edit, what: String) -> Result<(), EditError> {
        let done = self.history.apply_as(&mut self.session, edit, what);
        self.effects.fresh |= done.is_ok();
        self.journal_applied();
        done
    }

    /// Undoes the last edit of this text's history (journalled); says what it was.
    pub fn undo(&mut self) -> Option<String> {
        let what = self.history.undo(&mut self.session);
        self.journal_applied();
        what
    }

    /// Redoes the last undone edit (journalled); says what it was.
    pub fn redo(&mut self) -> Option<String> {
        let what = self.history.redo(&mut self.session);
        self.journal_applied();
        what
    }

    /// Sends what the history applied to the journal, and keeps its label changes for the
    /// project.
    fn journal_applied(&mut self) {
        let labels = self.journal.record_applied(&mut self.history);
        self.effects.labels.extend(labels);
    }

    /// What the edits since the last call did beyond this document.
    pub fn take_effects(&mut self) -> Effects {
        std::mem::take(&mut self.effects)
    }

    /// Applies an edit outside the history (a project's label change, undone from the
    /// project's own history) and journals it at once.
    pub fn apply_outside_history(&mut self, edit: Edit) -> Result<(), EditError> {
        self.session.apply(edit.clone())?;
        self.journal.record(std::slice::from_ref(&edit));
        self.history.mark_unsaved();
        Ok(())
    }

    /// The folder the document saves into.
    pub fn folder(&self) -> Option<PathBuf> {
        self.session_path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_owned)
    }

    /// The document's id in exports: the session file's stem, or the article's name.
    pub fn id(&self) -> String {
        match &self.session_path {
            Some(p) => crate::io::transfer::doc_id(p),
            None => self.name.split('.').next().unwrap_or("document").to_owned(),
        }
    }

    /// The file name Save As suggests.
    pub fn suggested_file_name(&self) -> String {
        let stem = self
            .name
            .split('.')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or("session");
        format!("{stem}{}", io::session_file::SESSION_SUFFIX)
    }

    /// Saves to `path` atomically; returns the new file's hash. Refuses to write over a file
    /// another program changed since we read or wrote it.
    pub fn save_to(&mut self, path: &Path) -> Result<(), SaveError> {
        // The stamp first: hashing the file is only needed when it may have changed.
        if self.session_path.as_deref() == Some(path)
            && disk_stamp(path) != self.disk_stamp
            && self.changed_on_disk()
        {
            return Err(SaveError::ChangedOnDisk);
        }
        self.count_active_time();
        let hash = io::save_session(path, &mut self.session)?;
        self.history.mark_saved();
        self.session_path = Some(path.to_owned());
        self.disk_hash = Some(hash);
        self.disk_stamp = disk_stamp(path);
        self.loaded_active = self.session.active_secs;
        self.saved_version = self.session.version();
        self.saved_done = self.session.done;
        Ok(())
    }

    /// Saves to `path` (see [`Doc::save_to`]); the journal starts over for the saved file. The
    /// sample, saved for the first time, takes the file's name and journals beside it.
    pub fn save_and_journal(
        &mut self,
        path: &Path,
        data_dir: Option<&Path>,
    ) -> Result<(), SaveError> {
        self.save_to(path)?;
        self.journal_saved();
        if self.name == SAMPLE_NAME {
            self.name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // The sample's journal was ours; from now on it lives beside the file.
            self.start_journal(data_dir);
        }
        Ok(())
    }

    /// The session file at `path` as it is on disk now, as the open document named `name`.
    pub fn reload(path: &Path, name: String) -> Result<Doc, ReadError> {
        let (session, hash, stamp) = read_session_file(path)?;
        let mut new = Doc::new(session, History::new_saved(), Some(path.to_owned()), name);
        new.disk_hash = Some(hash);
        new.disk_stamp = stamp;
        Ok(new)
    }

    /// Whether the session file differs from what we last read or wrote.
    pub fn changed_on_disk(&self) -> bool {
        let Some(path) = &self.session_path else {
            return false;
        };
        match std::fs::read(path) {
            Ok(bytes) => self.disk_hash.as_deref() != Some(&io::article::sha256_hex(&bytes)),
            // Gone (or unreadable) after we had it: saving recreates it, nothing to lose.
            Err(_) => false,
        }
    }

    /// The cheap check: whether the file's stamp moved and its content with it. Remembers the
    /// new stamp, so that one change is reported once.
    pub fn check_disk(&mut self) -> bool {
        let Some(path) = self.session_path.clone() else {
            return false;
        };
        let stamp = disk_stamp(&path);
        if stamp.is_none() || stamp == self.disk_stamp {
            return false;
        }
        self.disk_stamp = stamp;
        self.changed_on_disk()
    }

    /// "Keep mine": what is on disk now is what the next save knowingly replaces.
    pub fn keep_mine(&mut self) {
        if let Some(path) = &self.session_path {
            if let Ok(bytes) = std::fs::read(path) {
                self.disk_hash = Some(io::article::sha256_hex(&bytes));
            }
            self.disk_stamp = disk_stamp(path);
        }
        self.history.mark_unsaved();
    }

    /// Adds `seconds` of work (fractions accumulate) and counts whole ones every ten.
    pub fn add_active_time(&mut self, seconds: f64) {
        self.active_frac += seconds;
        if self.active_frac >= 10.0 {
            self.count_active_time();
        }
    }

    /// Counts the time worked since the last count into the session.
    pub fn count_active_time(&mut self) {
        let whole = self.active_frac.floor();
        if whole >= 1.0 {
            self.session.active_secs += whole as u64;
            self.active_frac -= whole;
        }
    }
}

fn next_text_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The journal, with what it needs to know of the document.
impl Doc {
    /// The header this document's journal carries: the session file's hash (or, before there
    /// is a file, what the session started from) and the text's.
    fn journal_header(&self) -> JournalHeader {
        let base = self.disk_hash.as_deref().or(self.journal.origin.as_deref());
        JournalHeader::new(base.unwrap_or(""), &self.session)
    }

    fn journal_places(&self, data_dir: Option<&Path>) -> Places {
        Places::of(self.session_path.as_deref(), &self.name, data_dir)
    }

    /// Replays a journal a run that did not save left, then starts journalling.
    pub fn recover_and_start_journal(&mut self, data_dir: Option<&Path>) -> Vec<Found> {
        let (header, places) = (self.journal_header(), self.journal_places(data_dir));
        self.journal
            .recover_and_start(&mut self.session, &mut self.history, &header, &places)
    }

    /// Starts a fresh journal (after a reload, or once the sample has a file).
    pub fn start_journal(&mut self, data_dir: Option<&Path>) {
        let (header, places) = (self.journal_header(), self.journal_places(data_dir));
        self.journal.start(&header, &places, false);
    }

    /// Waits until everything journalled so far is on disk, or its failure is known.
    pub fn sync_journal(&self) {
        self.journal.sync();
    }

    /// The file was saved: the journal starts over for it.
    pub fn journal_saved(&mut self) {
        let header = self.journal_header();
        self.journal.saved(&header);
    }

    /// Moves the journal if its folder fails; says so once.
    pub fn check_journal(&mut self, data_dir: Option<&Path>) -> Option<Trouble> {
        // Every frame asks; the header (a hash of the whole text) only when there is trouble.
        self.journal.error()?;
        let (header, places) = (self.journal_header(), self.journal_places(data_dir));
        self.journal.check(&header, &places)
    }
}

/// Reads a session file and notes what it was on disk: the session, its hash and stamp.
pub fn read_session_file(path: &Path) -> Result<(Session, String, DiskStamp), ReadError> {
    let bytes = io::atomic::read_regular(path, io::limits::MAX_SESSION_BYTES, "session files")
        .map_err(|e| ReadError::Io {
            path: path.to_owned(),
            error: e,
        })?;
    let session = io::parse_session(path, &bytes)?;
    Ok((session, io::article::sha256_hex(&bytes), disk_stamp(path)))
}

pub fn disk_stamp(path: &Path) -> DiskStamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// A document just loaded, and what to tell the user about it.
pub struct Loaded {
    pub doc: Doc,
    pub message: String,
    /// The message is a warning (e.g. the article's bytes needed repair).
    pub warning: bool,
    /// The article was opened and its session holds another text of it: the article now.
    pub changed_article: Option<io::Article>,
}

/// Loads an article (with the session beside it, if any) or a session file.
pub fn load_doc(path: &Path, annotator: String) -> Result<Loaded, OpenError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let (session_path, reopened) = if is_session_path(path) {
        (path.to_owned(), true)
    } else if is_article_path(path) {
        let sp = io::session_path_for(path);
        let exists = sp.exists();
        (sp, exists)
    } else {
        return Err(OpenError::NotADocument {
            path: path.to_owned(),
        });
    };
    if reopened {
        let (session, hash, stamp) = read_session_file(&session_path).map_err(|e| {
            if is_session_path(path) {
                OpenError::Session(e)
            } else {
                OpenError::SessionBeside {
                    article: path.to_owned(),
                    error: e,
                }
            }
        })?;
        let n = session.annotations().len();
        // The article beside its session: is it still the text the session holds?
        let changed_article = if is_session_path(path) {
            None
        } else {
            io::read_article(path)
                .ok()
                .filter(|a| a.source.sha256 != session.source.sha256 && a.text != session.text())
        };
        let mut doc = Doc::new(
            session,
            History::new_saved(),
            Some(session_path.clone()),
            name,
        );
        doc.disk_hash = Some(hash);
        doc.disk_stamp = stamp;
        let message = if is_session_path(path) {
            format!("Opened session {} ({n} annotations).", path.display())
        } else {
            format!(
                "Reopened your session {} ({n} annotations).",
                session_path.display()
            )
        };
        return Ok(Loaded {
            doc,
            message,
            warning: false,
            changed_article,
        });
    }
    let article = io::read_article(path)?;
    let warnings = article.warnings.join(" ");
    let session = Session::new(
        Document::new(article.text),
        LabelSet::default(),
        article.source,
        annotator,
    );
    let doc = Doc::new(session, History::new_saved(), Some(session_path), name);
    Ok(if warnings.is_empty() {
        Loaded {
            doc,
            message: format!("Opened {}.", path.display()),
            warning: false,
            changed_article: None,
        }
    } else {
        Loaded {
            doc,
            message: warnings,
            warning: true,
            changed_article: None,
        }
    })
}

/// What to tell the person of a save to `path`.
pub fn save_outcome(saved: Result<(), SaveError>, path: &Path, doc: &Doc) -> Outcome {
    match saved {
        Ok(()) => Outcome::info(format!("Saved {}.", path.display())),
        Err(SaveError::ChangedOnDisk) => Outcome::ask(Prompt::ExternalChange),
        Err(SaveError::Write(e)) => {
            let journal = match (doc.journal.path(), doc.journal.error()) {
                (Some(j), None) => format!(" and in the journal {}", j.display()),
                _ => String::new(),
            };
            Outcome::fail(format!(
                "{e:#}\n\nNothing on disk was changed. Your work is still here, in memory{journal}. Try Save As… to pick another place."
            ))
        }
    }
}

/// What to tell the person once a re-anchoring is adopted.
pub fn reanchored_outcome(r: &Reanchored) -> Outcome {
    let waiting = r.session.anchors.len();
    let lost = if r.lost_hints > 0 {
        format!(
            " {} review items or rejected suggestions had no place and were left out.",
            r.lost_hints
        )
    } else {
        String::new()
    };
    let next = if waiting > 0 {
        format!(" Tab walks the {waiting} to review;")
    } else {
        String::new()
    };
    Outcome::info(format!(
        "Re-anchored onto the corrected article: {}.{next} Ctrl+Z goes back to the saved text.{lost}",
        r.summary()
    ))
}

/// `news` → `news.spanmark.ron`; a name that already ends in `.ron` is kept.
pub fn with_session_suffix(p: PathBuf) -> PathBuf {
    if p.extension().is_some_and(|e| e == "ron") {
        p
    } else {
        let mut s = p.into_os_string();
        s.push(io::session_file::SESSION_SUFFIX);
        PathBuf::from(s)
    }
}
