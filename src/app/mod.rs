//! The annotation window. Panels draw and return [`Action`]s; the app applies them after
//! drawing, so no panel changes state another part is still reading.

pub mod assist;
pub mod command;
pub mod dialogs;
pub mod paragraphs;
pub mod project;
mod side;
pub mod theme;
pub mod transfer_ui;
pub mod view;
pub mod words;

use crate::io::formats::Format;
use crate::io::journal::{self, JournalHeader, JournalWriter};
use crate::io::project::{ProjectFile, Status as DocStatus};
use crate::io::{self, article::is_article_path, session_file::is_session_path};
use crate::model::{AnnotationId, Document, Edit, History, LabelSet, Session};
use command::{Command, Menu, Motion, key_for_hotkey};
use dialogs::{DialogRequest, Dialogs, NativeDialogs};
use egui::{Modifiers, RichText, ThemePreference};
use project::{LabelEditor, LabelOp, ProjectState};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use view::ArticleView;

/// The sample article, built into the binary.
pub const SAMPLE_NAME: &str = "eu-japan-digitaal-partnerschap.nl.txt";
pub const SAMPLE_TEXT: &str = include_str!("../../assets/eu-japan-digitaal-partnerschap.nl.txt");
const MAX_RECENT: usize = 10;
const PREFS_KEY: &str = "spanmark-prefs";

/// Opens the window on `path`, or on the bundled sample article; with `compare`, compares it
/// with that session at once.
pub fn run(path: Option<PathBuf>, compare: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Spanmark")
            .with_app_id("spanmark")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "spanmark",
        options,
        Box::new(move |cc| {
            let mut app = SpanmarkApp::new(cc, path, Box::new(NativeDialogs));
            if let Some(c) = compare {
                app.push(Action::Compare(c));
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// User preferences kept between runs (in eframe's storage).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub recent: Vec<PathBuf>,
    pub theme: ThemePreference,
    pub font_size: f32,
    pub snap: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            theme: ThemePreference::System,
            font_size: view::BASE_FONT_SIZE,
            snap: true,
        }
    }
}

/// A message with an OK button (Escape or a click outside closes it too).
fn message_modal(
    ctx: &egui::Context,
    id: &str,
    heading: RichText,
    msg: &str,
    out: &mut Vec<Action>,
) {
    let r = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(heading);
        ui.label(msg);
        ui.add_space(8.0);
        if ui.button("OK").clicked() {
            out.push(Action::CloseModal);
        }
    });
    if r.should_close() {
        out.push(Action::CloseModal);
    }
}

/// A file's modification time and size.
type DiskStamp = Option<(std::time::SystemTime, u64)>;

/// The document being annotated and where it lives.
pub struct OpenDoc {
    pub session: Session,
    pub history: History,
    /// Where Save writes; `None` for the sample until the user picks a place.
    pub session_path: Option<PathBuf>,
    /// The name shown in the title.
    pub name: String,
    /// Where every edit goes within a moment of being made.
    journal: Option<JournalWriter>,
    /// Edits since the last save (to rewrite the journal elsewhere if its folder fails).
    since_save: Vec<Edit>,
    /// SHA-256 of the session file as last read or written; `None` if there is none.
    disk_hash: Option<String>,
    /// Modification time and size of the session file when last checked.
    disk_stamp: DiskStamp,
    /// Active seconds not yet counted into the session.
    active_frac: f64,
    /// The session's active seconds when opened, and whether something besides edits changed
    /// (labels adopted from the project, a rejected suggestion, done): saved on switch.
    loaded_active: u64,
    extras_unsaved: bool,
    /// For a session with no file yet: what it started from (a comparison of two sessions),
    /// so that its journal is replayed only onto the same start.
    origin: Option<String>,
}

impl OpenDoc {
    pub fn new(
        session: Session,
        history: History,
        session_path: Option<PathBuf>,
        name: String,
    ) -> Self {
        let loaded_active = session.active_secs;
        Self {
            session,
            history,
            session_path,
            name,
            journal: None,
            since_save: Vec::new(),
            disk_hash: None,
            disk_stamp: None,
            active_frac: 0.0,
            loaded_active,
            extras_unsaved: false,
            origin: None,
        }
    }

    /// The header this document's journal carries: the session file's hash (or, before there
    /// is a file, what the session started from) and the text's.
    fn journal_header(&self) -> JournalHeader {
        let base = self.disk_hash.as_deref().or(self.origin.as_deref());
        JournalHeader::new(base.unwrap_or(""), &self.session)
    }

    /// Something worth writing even without unsaved edits (time worked, adopted labels).
    fn worth_saving(&self) -> bool {
        self.dirty() || self.session.active_secs != self.loaded_active || self.extras_unsaved
    }

    pub fn sample() -> Self {
        let article = io::decode_article(&format!("sample:{SAMPLE_NAME}"), SAMPLE_TEXT.as_bytes());
        let (text, source) = match article {
            Ok(a) => (a.text, a.source),
            Err(_) => (SAMPLE_TEXT.to_owned(), Default::default()),
        };
        Self::new(
            Session::new(
                Document::new(text),
                LabelSet::default(),
                source,
                annotator(),
            ),
            History::new_saved(),
            None,
            SAMPLE_NAME.to_owned(),
        )
    }

    pub fn dirty(&self) -> bool {
        self.history.has_unsaved_changes()
    }
}

pub use crate::model::default_annotator as annotator;

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterPrompt {
    Quit,
    Open(PathBuf),
    OpenDialog,
    /// Compare the open session with this one.
    Compare(PathBuf),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Modal {
    Unsaved(AfterPrompt),
    Error(String),
    /// Something the user must know (e.g. work recovered from the journal).
    Info(String),
    /// The session file was changed on disk by another program.
    ExternalChange,
    /// Deleting a label: how many annotations in how many documents would go.
    ConfirmDelete {
        label: String,
        annotations: usize,
        documents: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Save,
    Discard,
    Cancel,
}

/// Everything a panel can ask the app to do.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub enum Action {
    Command(Command),
    /// Tag the selection with a label, or relabel the selected span.
    Tag(String),
    OpenPath(PathBuf),
    SaveTo(PathBuf),
    /// Select a span, scroll to it and flash it.
    Reveal(AnnotationId),
    Relabel(AnnotationId, String),
    Delete(AnnotationId),
    SetNote(AnnotationId, Option<String>),
    SetTheme(ThemePreference),
    Answer(Answer),
    CloseModal,
    /// Pick a path for the export or import dialog.
    PickPath(transfer_ui::PathSlot),
    RunTransfer,
    CloseTransfer,
    /// Open the project's document at this index (saving the current one).
    OpenDoc(usize),
    Label(LabelOp),
    /// The answer to an external change: reload from disk (true) or keep ours.
    External(bool),
    /// Shift + a label's key: the selection and every other whole-word occurrence.
    TagAll(String),
    /// Find bar: next (true) or previous match.
    FindStep(bool),
    TagAllMatches(String),
    CloseFind,
    /// Accept every suggestion of this label.
    AcceptAll(String),
    /// Make this suggestion (start, end, label) the current one and show it.
    GoToSuggestion(usize, usize, String),
    /// Compare the open session with the session at this path.
    Compare(PathBuf),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

enum Pending {
    Open,
    Compare,
    Save,
    Path(transfer_ui::PathSlot),
}

pub struct SpanmarkApp {
    pub doc: OpenDoc,
    pub view: ArticleView,
    pub prefs: Prefs,
    pub modal: Option<Modal>,
    pub status: Option<Status>,
    pub show_help: bool,
    /// The open Export… or Import… dialog.
    pub transfer: Option<transfer_ui::TransferDialog>,
    colors: theme::LabelColors,
    side: side::SideState,
    dialogs: Box<dyn Dialogs>,
    pending_dialog: Option<(Pending, Receiver<Option<PathBuf>>)>,
    /// What to do after a save that the unsaved-changes prompt started.
    after_save: Option<AfterPrompt>,
    allow_close: bool,
    title: String,
    actions: Vec<Action>,
    /// The open project folder, if any.
    pub project: Option<ProjectState>,
    pub labels_ed: LabelEditor,
    /// A folder of our own for journals whose document folder cannot be written.
    pub data_dir: Option<PathBuf>,
    last_disk_check: f64,
    last_activity: f64,
    pub find: assist::FindBar,
    pub suggest: assist::Suggest,
    /// The undecided differences of a compared or merged session, and the (revision, review
    /// length) they were found for.
    pub diffs: (Option<(u64, usize)>, Vec<crate::agree::Difference>),
}

impl SpanmarkApp {
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        path: Option<PathBuf>,
        dialogs: Box<dyn Dialogs>,
    ) -> Self {
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let data_dir = eframe::storage_dir("spanmark").map(|d| d.join("journals"));
        Self::with_options(&cc.egui_ctx, path, dialogs, prefs, data_dir)
    }

    pub fn with_prefs(
        ctx: &egui::Context,
        path: Option<PathBuf>,
        dialogs: Box<dyn Dialogs>,
        prefs: Prefs,
    ) -> Self {
        Self::with_options(ctx, path, dialogs, prefs, None)
    }

    /// `data_dir` holds journals that cannot go beside their document (and the sample's).
    pub fn with_options(
        ctx: &egui::Context,
        path: Option<PathBuf>,
        dialogs: Box<dyn Dialogs>,
        prefs: Prefs,
        data_dir: Option<PathBuf>,
    ) -> Self {
        // Zoom is ours (the article's type size), not egui's whole-UI zoom.
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        ctx.set_theme(prefs.theme);
        let doc = OpenDoc::sample();
        let mut view = ArticleView::new(&doc.session);
        view.font_size = prefs.font_size;
        view.snap = prefs.snap;
        let mut app = Self {
            colors: theme::LabelColors::new(doc.session.labels()),
            doc,
            view,
            prefs,
            modal: None,
            status: None,
            show_help: false,
            transfer: None,
            side: side::SideState::default(),
            dialogs,
            pending_dialog: None,
            after_save: None,
            allow_close: false,
            title: String::new(),
            actions: Vec::new(),
            project: None,
            labels_ed: LabelEditor::default(),
            data_dir,
            last_disk_check: 0.0,
            last_activity: 0.0,
            find: assist::FindBar::default(),
            suggest: assist::Suggest::default(),
            diffs: Default::default(),
        };
        if let Some(p) = path {
            app.open(&p);
        } else {
            let recovered = app.recover();
            app.start_journal(recovered);
            if app.modal.is_none() {
                app.info("Sample article: select text and press 1 (actor), 2 (topic) or 3 (date). F1 lists every shortcut.");
            }
        }
        app
    }

    pub fn session(&self) -> &Session {
        &self.doc.session
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// Queues an action, as a panel would.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    fn set_doc(&mut self, doc: OpenDoc) {
        self.view = ArticleView::new(&doc.session);
        self.view.font_size = self.prefs.font_size;
        self.view.snap = self.prefs.snap;
        self.colors = theme::LabelColors::new(doc.session.labels());
        self.side = side::SideState::default();
        self.doc = doc;
        self.find.computed = None;
        self.suggest.reset();
        self.diffs = Default::default();
    }

    fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(MAX_RECENT);
    }

    /// Opens a project folder, an article or a session; on failure shows why and keeps the
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
        match load_doc(path) {
            Ok((doc, message, warning)) => {
                self.install_doc(doc);
                self.remember(path);
                if let Some(p) = &mut self.project {
                    p.current = p.docs.iter().position(|d| {
                        d.article == path || Some(&d.session) == self.doc.session_path.as_ref()
                    });
                }
                if !matches!(self.modal, Some(Modal::Info(_))) {
                    if warning {
                        self.error(message);
                    } else {
                        self.info(message);
                    }
                }
            }
            Err(message) => self.modal = Some(Modal::Error(message)),
        }
    }

    /// Opens a folder of articles as a project.
    pub fn open_folder(&mut self, folder: &Path) {
        use crate::io::project;
        let file = match project::read_project_file(folder) {
            Ok(Some(f)) => f,
            Ok(None) => {
                // Opening a folder makes it a project: the shared settings go in a file there.
                let f = ProjectFile::new(annotator(), LabelSet::default());
                if let Err(e) = project::write_project_file(folder, &f) {
                    self.error(format!(
                        "Could not write {} in {}: {e}",
                        project::PROJECT_FILE,
                        folder.display()
                    ));
                }
                f
            }
            Err(e) => {
                self.modal = Some(Modal::Error(format!("Could not open the project.\n\n{e}")));
                return;
            }
        };
        let docs = match project::scan(folder) {
            Ok(d) => d,
            Err(e) => {
                self.modal = Some(Modal::Error(format!("Could not open the project.\n\n{e}")));
                return;
            }
        };
        if !self.leave_current() {
            return;
        }
        let n = docs.len();
        self.project = Some(ProjectState {
            folder: folder.to_owned(),
            file,
            docs,
            current: None,
            filter: String::new(),
            status_filter: None,
            show_guidelines: false,
            stash: Default::default(),
            term_counts: None,
            label_undo: Vec::new(),
            label_redo: Vec::new(),
        });
        self.remember(folder);
        let first = self.project.as_ref().and_then(|p| {
            p.docs
                .iter()
                .position(|d| d.status != DocStatus::Done)
                .or(if n > 0 { Some(0) } else { None })
        });
        match first {
            Some(i) => self.open_doc(i),
            None => self.info(format!(
                "{} has no .txt or .md articles yet.",
                folder.display()
            )),
        }
    }

    /// Saves what is worth saving before another document replaces this one; in a project
    /// that never asks. Returns false if the document must stay (its save failed).
    fn leave_current(&mut self) -> bool {
        self.count_active_time();
        if self.doc.session_path.is_some() && self.project.is_some() && self.doc.worth_saving() {
            return self.save();
        }
        true
    }

    /// Opens the project's document `i`, saving the current one first.
    fn open_doc(&mut self, i: usize) {
        let Some(entry) = self.project.as_ref().and_then(|p| p.docs.get(i)).cloned() else {
            return;
        };
        if !self.leave_current() {
            return;
        }
        self.open(&entry.article);
        let total = self.project.as_ref().map_or(0, |p| p.docs.len());
        if matches!(self.modal, None | Some(Modal::Info(_)))
            && let Some(p) = &mut self.project
        {
            p.current = Some(i);
            if !matches!(self.modal, Some(Modal::Info(_))) {
                self.status = Some(Status {
                    text: format!(
                        "{} ({} of {total}): {}.",
                        entry.name,
                        i + 1,
                        entry.status.name()
                    ),
                    error: false,
                });
            }
        }
    }

    /// Replaces the document, replays its journal if it has one, and starts journalling.
    fn install_doc(&mut self, doc: OpenDoc) {
        // The old document's journal stops here (its writer flushes on drop).
        self.set_doc(doc);
        if let Some(p) = &self.project {
            let before = self.doc.session.labels().clone();
            self.doc.session.adopt_labels(&p.file.labels);
            if *self.doc.session.labels() != before {
                self.doc.extras_unsaved = true;
                self.colors = theme::LabelColors::new(self.doc.session.labels());
            }
            if self.doc.session.annotator != p.file.annotator && self.doc.disk_hash.is_none() {
                self.doc.session.annotator = p.file.annotator.clone();
            }
        }
        let recovered = self.recover();
        if recovered
            && let Some(p) = &mut self.project
            && let Some(d) = p
                .docs
                .iter_mut()
                .find(|d| Some(&d.session) == self.doc.session_path.as_ref())
        {
            // The list shows what the document holds now, recovered edits included.
            d.update_from(&self.doc.session);
            p.term_counts = None;
        }
        self.start_journal(recovered);
    }

    /// Where this document's journal lives: beside its session, or (for the sample, or when
    /// that folder cannot be written) in our own data folder.
    fn journal_paths(&self) -> (Option<PathBuf>, Option<PathBuf>) {
        let primary = self.doc.session_path.as_deref().map(journal::journal_path);
        let key = self
            .doc
            .session_path
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("sample:{}", self.doc.name)));
        let fallback = self
            .data_dir
            .as_deref()
            .map(|d| journal::fallback_journal_path(d, &key));
        (primary, fallback)
    }

    /// Replays a journal left by a run that did not save; returns whether one was replayed
    /// (and so should be appended to rather than started afresh).
    fn recover(&mut self) -> bool {
        let (primary, fallback) = self.journal_paths();
        let mut replayed = false;
        for path in primary.into_iter().chain(fallback) {
            let rec = match journal::read_journal(&path) {
                Ok(r) => r,
                Err(e) => {
                    self.error(format!(
                        "Could not read the journal {}: {e}",
                        path.display()
                    ));
                    continue;
                }
            };
            let Some(header) = &rec.header else {
                continue;
            };
            let expected = self.doc.journal_header();
            if header.session_sha256 != expected.session_sha256
                || header.text_sha256 != expected.text_sha256
            {
                // Not for this state of the file: keep it aside, never apply it blindly.
                let aside = path.with_extension(format!(
                    "journal.{}.orphaned",
                    crate::model::Timestamp::now().0
                ));
                let _ = std::fs::rename(&path, &aside);
                self.modal = Some(Modal::Info(format!(
                    "A journal of unsaved edits was found, but the session file changed since it was written, so it was not applied. It is kept at {}.",
                    aside.display()
                )));
                continue;
            }
            let history = &mut self.doc.history;
            let session = &mut self.doc.session;
            let (n, problems) = journal::replay(&rec, |e| history.apply(session, e));
            // Already in the journal: not to be recorded again.
            self.doc.since_save = self.doc.history.take_applied();
            self.view.annotations_changed(&self.doc.session);
            self.colors = theme::LabelColors::new(self.doc.session.labels());
            if n > 0 || !problems.is_empty() {
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
                self.modal = Some(Modal::Info(msg));
            }
            if replayed {
                // Two journals (one beside the file, one of ours): the second was appended to
                // this one's edits; keep writing to the first.
                let _ = std::fs::remove_file(&path);
            }
            replayed = true;
        }
        replayed
    }

    /// Starts the journal for the current document.
    fn start_journal(&mut self, keep: bool) {
        let (primary, fallback) = self.journal_paths();
        let Some(path) = primary.or(fallback) else {
            return;
        };
        let header = self.doc.journal_header();
        let mut w = JournalWriter::new(path, &header, keep && !self.doc.since_save.is_empty());
        if keep && self.doc.since_save.is_empty() {
            // An empty or unusable journal: start afresh.
            w.saved(&header);
        }
        self.doc.journal = Some(w);
    }

    /// Sends this frame's edits to the journal; moves the journal to our own folder if its
    /// folder cannot be written.
    fn journal_edits(&mut self) {
        let applied = self.doc.history.take_applied();
        if applied.is_empty() {
            return;
        }
        let label_edits: Vec<Edit> = applied
            .iter()
            .filter(|e| e.touches_labels())
            .cloned()
            .collect();
        if let Some(j) = &mut self.doc.journal {
            j.record(&applied);
        }
        self.doc.since_save.extend(applied);
        for e in label_edits {
            self.propagate_labels(&e);
        }
    }

    /// Checks the journal writer for failures and falls back to our own folder.
    fn check_journal(&mut self) {
        let Some(err) = self.doc.journal.as_ref().and_then(JournalWriter::error) else {
            return;
        };
        let (_, fallback) = self.journal_paths();
        let current = self.doc.journal.as_ref().map(|j| j.path().to_owned());
        match fallback {
            Some(f) if Some(&f) != current.as_ref() => {
                if let Some(dir) = f.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let header = self.doc.journal_header();
                let mut w = JournalWriter::new(f.clone(), &header, false);
                w.record(&self.doc.since_save);
                self.doc.journal = Some(w);
                self.error(format!(
                    "The journal could not be written beside the document ({err}); it is at {} instead.",
                    f.display()
                ));
            }
            _ => self.error(format!(
                "The journal could not be written ({err}). Save soon: unsaved edits are only in memory."
            )),
        }
    }

    /// Applies a label change made in this document to the project file and every other
    /// session of the project.
    fn propagate_labels(&mut self, edit: &Edit) {
        self.colors = theme::LabelColors::new(self.doc.session.labels());
        let Some(p) = &mut self.project else {
            return;
        };
        let prev = p.file.labels.clone();
        self.spread_labels(edit, &prev);
    }

    /// Writes the open document's label set to the project file and carries `edit` (a label
    /// change that turned the project's `prev` set into it) to every other session.
    fn spread_labels(&mut self, edit: &Edit, prev: &LabelSet) {
        let Some(p) = &mut self.project else {
            return;
        };
        p.file.labels = self.doc.session.labels().clone();
        let mut failures = Vec::new();
        if let Err(e) = io::project::write_project_file(&p.folder, &p.file) {
            failures.push(format!("{}: {e}", io::project::PROJECT_FILE));
        }
        let current = self.doc.session_path.clone();
        for d in &mut p.docs {
            if Some(&d.session) == current.as_ref() || !d.session.exists() {
                continue;
            }
            let mut s = match io::load_session(&d.session) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(e.lines().join("; "));
                    continue;
                }
            };
            if let Some(e) = label_edit_for(&s, edit, prev, &d.session, &mut p.stash)
                && s.apply(e).is_ok()
            {
                match io::save_session(&d.session, &mut s) {
                    Ok(_) => d.update_from(&s),
                    Err(e) => failures.push(e.to_string()),
                }
            }
        }
        p.term_counts = None;
        if !failures.is_empty() {
            self.modal = Some(Modal::Error(format!(
                "The label change could not be written everywhere:\n\n{}",
                failures.join("\n")
            )));
        }
    }

    /// A label change: in a project it concerns every document and goes on the project's
    /// label history; otherwise it is an ordinary edit of this document.
    fn change_labels(&mut self, change: Edit) -> bool {
        let in_project = self.project.is_some() && self.doc.session_path.is_some();
        if !in_project {
            return self.edit(change);
        }
        let prev = self.doc.session.labels().clone();
        let backward = match &change {
            Edit::RenameLabel { from, to } => Edit::RenameLabel {
                from: to.clone(),
                to: from.clone(),
            },
            _ => Edit::SetLabels(prev),
        };
        if !self.apply_project_labels(&change) {
            return false;
        }
        self.doc.history.clear_redo();
        if let Some(p) = &mut self.project {
            p.label_redo.clear();
            p.label_undo.push(project::LabelStep {
                step: crate::model::next_step(),
                what: change.describe(),
                forward: change,
                backward,
            });
        }
        true
    }

    /// Applies a change of the project's label set to the open document (outside its own
    /// history, but journalled) and to every other session, then saves the open document so
    /// that every file agrees.
    fn apply_project_labels(&mut self, change: &Edit) -> bool {
        let (Some(p), Some(path)) = (&mut self.project, self.doc.session_path.clone()) else {
            return false;
        };
        let prev = p.file.labels.clone();
        let stash_before = p.stash.clone();
        let Some(edit) = label_edit_for(&self.doc.session, change, &prev, &path, &mut p.stash)
        else {
            return false;
        };
        // Whatever this frame did before goes to the journal first, to keep the order.
        self.journal_edits();
        if let Err(e) = self.doc.session.apply(edit.clone()) {
            if let Some(p) = &mut self.project {
                p.stash = stash_before;
            }
            self.error(format!("Not done: {e}."));
            return false;
        }
        if let Some(j) = &mut self.doc.journal {
            j.record(std::slice::from_ref(&edit));
        }
        self.doc.since_save.push(edit);
        self.doc.history.mark_unsaved();
        self.colors = theme::LabelColors::new(self.doc.session.labels());
        self.view.annotations_changed(&self.doc.session);
        // Outside the history, so the revision did not change: forget what was derived.
        self.side.invalidate();
        self.suggest.computed = None;
        self.diffs.0 = None;
        self.spread_labels(change, &prev);
        self.save();
        true
    }

    /// Which history Undo (or Redo) takes its step from: the project's label changes or the
    /// open document's edits, whichever was made last (for redo: undone last).
    fn labels_step_next(&self, redo: bool) -> bool {
        let Some(p) = &self.project else {
            return false;
        };
        if redo {
            match (p.label_redo.last(), self.doc.history.redo_step()) {
                (Some(l), Some(d)) => l.step < d,
                (l, _) => l.is_some(),
            }
        } else {
            p.label_undo.last().map(|l| l.step) > self.doc.history.undo_step()
        }
    }

    /// What Undo or Redo would do, for the menu.
    fn undo_what(&self, redo: bool) -> Option<String> {
        if self.labels_step_next(redo) {
            let p = self.project.as_ref()?;
            let list = if redo { &p.label_redo } else { &p.label_undo };
            return list.last().map(|s| s.what.clone());
        }
        let h = &self.doc.history;
        if redo { h.redo_what() } else { h.undo_what() }.map(str::to_owned)
    }

    /// Undo (or redo) the last step, whichever history holds it.
    fn undo(&mut self, redo: bool) {
        let done = if self.labels_step_next(redo) {
            let step = self.project.as_mut().and_then(|p| {
                if redo {
                    p.label_redo.pop()
                } else {
                    p.label_undo.pop()
                }
            });
            step.and_then(|s| {
                let change = if redo { &s.forward } else { &s.backward };
                let ok = self.apply_project_labels(change);
                let what = s.what.clone();
                if let Some(p) = &mut self.project {
                    // Done: it moves to the other list. Refused: it stays where it was.
                    if redo == ok {
                        p.label_undo.push(s);
                    } else {
                        p.label_redo.push(s);
                    }
                }
                ok.then_some(what)
            })
        } else if redo {
            self.doc.history.redo(&mut self.doc.session)
        } else {
            self.doc.history.undo(&mut self.doc.session)
        };
        match done {
            Some(what) => {
                self.view.annotations_changed(&self.doc.session);
                self.info(format!("{}: {what}.", if redo { "Redid" } else { "Undid" }));
            }
            None => self.info(if redo {
                "Nothing to redo."
            } else {
                "Nothing to undo."
            }),
        }
    }

    /// Saves to the session path; returns false if it could not (or needs a dialog first).
    fn save(&mut self) -> bool {
        let Some(path) = self.doc.session_path.clone() else {
            self.request_save_dialog();
            return false;
        };
        self.save_to(&path)
    }

    fn save_to(&mut self, path: &Path) -> bool {
        // Never write over a file another program changed since we read or wrote it.
        // The stamp first: hashing the file is only needed when it may have changed.
        if self.doc.session_path.as_deref() == Some(path)
            && disk_stamp(path) != self.doc.disk_stamp
            && self.changed_on_disk()
        {
            self.modal = Some(Modal::ExternalChange);
            return false;
        }
        self.count_active_time();
        match io::save_session(path, &mut self.doc.session) {
            Ok(hash) => {
                self.doc.history.mark_saved();
                self.doc.session_path = Some(path.to_owned());
                self.doc.disk_hash = Some(hash);
                self.doc.disk_stamp = disk_stamp(path);
                self.doc.loaded_active = self.doc.session.active_secs;
                self.doc.extras_unsaved = false;
                self.doc.since_save.clear();
                let header = self.doc.journal_header();
                if let Some(j) = &mut self.doc.journal {
                    j.saved(&header);
                }
                if self.doc.name == SAMPLE_NAME {
                    self.doc.name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    // The sample's journal was ours; from now on it lives beside the file.
                    self.start_journal(false);
                }
                if let Some(p) = &mut self.project
                    && let Some(d) = p.docs.iter_mut().find(|d| d.session == path)
                {
                    d.update_from(&self.doc.session);
                    p.term_counts = None;
                }
                self.remember(path);
                self.info(format!("Saved {}.", path.display()));
                true
            }
            Err(e) => {
                let journal = self
                    .doc
                    .journal
                    .as_ref()
                    .filter(|j| j.error().is_none())
                    .map(|j| format!(" and in the journal {}", j.path().display()))
                    .unwrap_or_default();
                self.modal = Some(Modal::Error(format!(
                    "{e:#}\n\nNothing on disk was changed. Your work is still here, in memory{journal}. Try Save As… to pick another place."
                )));
                false
            }
        }
    }

    /// Whether the session file differs from what we last read or wrote.
    fn changed_on_disk(&self) -> bool {
        let Some(path) = &self.doc.session_path else {
            return false;
        };
        match std::fs::read(path) {
            Ok(bytes) => self.doc.disk_hash.as_deref() != Some(&io::article::sha256_hex(&bytes)),
            // Gone (or unreadable) after we had it: saving recreates it, nothing to lose.
            Err(_) => false,
        }
    }

    /// Cheap check, once a second: has another program changed the session file?
    fn check_disk(&mut self, now: f64) {
        if now - self.last_disk_check < 1.0 || self.modal.is_some() {
            return;
        }
        self.last_disk_check = now;
        let Some(path) = self.doc.session_path.clone() else {
            return;
        };
        let stamp = disk_stamp(&path);
        if stamp.is_none() || stamp == self.doc.disk_stamp {
            return;
        }
        self.doc.disk_stamp = stamp;
        if self.changed_on_disk() {
            self.modal = Some(Modal::ExternalChange);
        }
    }

    /// Counts the time worked since the last count into the session: time with input in the
    /// last minute, while this document is open.
    fn count_active_time(&mut self) {
        let whole = self.doc.active_frac.floor();
        if whole >= 1.0 {
            self.doc.session.active_secs += whole as u64;
            self.doc.active_frac -= whole;
        }
    }

    fn track_activity(&mut self, ctx: &egui::Context) {
        let (now, dt, active) = ctx.input(|i| {
            let active = !i.events.is_empty() || i.pointer.is_moving();
            (i.time, f64::from(i.stable_dt.min(1.0)), active)
        });
        if active {
            self.last_activity = now;
        }
        if now - self.last_activity < 60.0 && ctx.input(|i| i.focused) {
            self.doc.active_frac += dt;
        }
        if self.doc.active_frac >= 10.0 {
            self.count_active_time();
        }
    }

    /// The answer to "changed on disk": reload theirs, or keep ours (saving writes ours).
    fn resolve_external(&mut self, reload: bool) {
        self.modal = None;
        let Some(path) = self.doc.session_path.clone() else {
            return;
        };
        if reload {
            match read_session_file(&path) {
                Ok((session, hash, stamp)) => {
                    let name = self.doc.name.clone();
                    let mut doc =
                        OpenDoc::new(session, History::new_saved(), Some(path.clone()), name);
                    doc.disk_hash = Some(hash);
                    doc.disk_stamp = stamp;
                    self.set_doc(doc);
                    // The old journal was for the old file.
                    self.start_journal(false);
                    let header = self.doc.journal_header();
                    if let Some(j) = &mut self.doc.journal {
                        j.saved(&header);
                    }
                    self.info(format!("Reloaded {} from disk.", path.display()));
                }
                Err(e) => {
                    self.modal = Some(Modal::Error(format!(
                        "Could not reload; your version is kept.\n\n{e}"
                    )))
                }
            }
        } else {
            // Theirs becomes what we overwrite knowingly at the next save.
            if let Ok(bytes) = std::fs::read(&path) {
                self.doc.disk_hash = Some(io::article::sha256_hex(&bytes));
            }
            self.doc.disk_stamp = disk_stamp(&path);
            self.doc.history.mark_unsaved();
            self.info("Kept your version; saving will replace the one on disk.");
        }
    }

    fn request_save_dialog(&mut self) {
        let stem = self
            .doc
            .name
            .split('.')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or("session")
            .to_owned();
        let folder = self
            .doc
            .session_path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_owned));
        let rx = self.dialogs.request(DialogRequest::Save {
            file_name: format!("{stem}{}", io::session_file::SESSION_SUFFIX),
            folder,
        });
        self.pending_dialog = Some((Pending::Save, rx));
    }

    fn continue_after(&mut self, after: AfterPrompt, ctx: &egui::Context) {
        match after {
            AfterPrompt::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            AfterPrompt::Open(p) => self.open(&p),
            AfterPrompt::Compare(p) => self.compare_with(&p),
            AfterPrompt::OpenDialog => {
                let rx = self.dialogs.request(DialogRequest::Open);
                self.pending_dialog = Some((Pending::Open, rx));
            }
        }
    }

    /// Runs `after` now, or asks first when there are unsaved changes.
    fn guard(&mut self, after: AfterPrompt, ctx: &egui::Context) {
        if self.project.is_some() && self.doc.session_path.is_some() {
            // In a project, leaving a document saves it.
            if self.leave_current() {
                self.continue_after(after, ctx);
            }
        } else if self.doc.dirty() {
            self.modal = Some(Modal::Unsaved(after));
        } else {
            self.continue_after(after, ctx);
        }
    }

    fn edit(&mut self, edit: Edit) -> bool {
        match self.doc.history.apply(&mut self.doc.session, edit) {
            Ok(()) => {
                self.view.annotations_changed(&self.doc.session);
                if let Some(p) = &mut self.project {
                    p.label_redo.clear();
                }
                true
            }
            Err(e) => {
                self.error(format!("Not done: {e}."));
                false
            }
        }
    }

    fn tag(&mut self, label: &str) {
        if let Some(range) = self.view.selection.clone() {
            let a = self
                .doc
                .session
                .new_annotation(range.start, range.end, label);
            let text = view::ellipsize(self.doc.session.document().slice(range).unwrap_or(""), 60);
            let id = a.id;
            if self.edit(Edit::Add(a)) {
                self.view.clear_selection();
                self.view.selected_span = None;
                self.side.scroll_to = Some(id);
                self.info(format!("Tagged “{text}” as {label}."));
            }
        } else if let Some(id) = self.view.selected_span {
            self.relabel(id, label);
        } else {
            self.error(format!(
                "Select some text first, then press {}'s key or click it.",
                label
            ));
        }
    }

    fn relabel(&mut self, id: AnnotationId, label: &str) {
        if self.doc.session.get(id).is_some_and(|a| a.label != label)
            && self.edit(Edit::relabel(id, label))
        {
            self.info(format!("Relabelled as {label}."));
        }
    }

    fn apply(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::Command(c) => self.run_command(c, ctx),
            Action::Tag(label) => self.tag(&label),
            Action::OpenPath(p) => self.guard(AfterPrompt::Open(p), ctx),
            Action::Compare(p) => self.guard(AfterPrompt::Compare(p), ctx),
            Action::SaveTo(p) => {
                let p = with_session_suffix(p);
                if self.save_to(&p)
                    && let Some(after) = self.after_save.take()
                {
                    self.continue_after(after, ctx);
                }
            }
            Action::Reveal(id) => {
                if let Some(a) = self.doc.session.get(id) {
                    self.view.clear_selection();
                    self.view.selected_span = Some(id);
                    self.view.reveal(a.start, Some(id), ctx.input(|i| i.time));
                }
            }
            Action::Relabel(id, label) => self.relabel(id, &label),
            Action::Delete(id) => {
                if self.edit(Edit::Remove(id)) {
                    self.info("Deleted the span (Ctrl+Z brings it back).");
                }
            }
            Action::SetNote(id, note) => {
                let current = self.doc.session.get(id).and_then(|a| a.note.clone());
                let note = note.filter(|n| !n.trim().is_empty());
                if current != note && self.edit(Edit::set_note(id, note)) {
                    self.info("Note saved in the session.");
                }
            }
            Action::SetTheme(t) => {
                self.prefs.theme = t;
                ctx.set_theme(t);
            }
            Action::Answer(answer) => {
                let Some(Modal::Unsaved(after)) = self.modal.take() else {
                    return;
                };
                match answer {
                    Answer::Cancel => {}
                    Answer::Discard => self.continue_after(after, ctx),
                    Answer::Save => {
                        if self.doc.session_path.is_none() {
                            self.after_save = Some(after);
                            self.request_save_dialog();
                        } else if self.save() {
                            self.continue_after(after, ctx);
                        }
                    }
                }
            }
            Action::CloseModal => self.modal = None,
            Action::PickPath(slot) => {
                let request = match slot {
                    transfer_ui::PathSlot::ExportOut => match &self.transfer {
                        Some(transfer_ui::TransferDialog::Export(d))
                            if d.format == Format::Brat =>
                        {
                            DialogRequest::Folder
                        }
                        _ => DialogRequest::Save {
                            file_name: self.export_default_name(),
                            folder: self.doc_folder(),
                        },
                    },
                    transfer_ui::PathSlot::ImportIn => match &self.transfer {
                        Some(transfer_ui::TransferDialog::Import(d))
                            if d.format == Format::Brat =>
                        {
                            DialogRequest::Folder
                        }
                        _ => DialogRequest::Open,
                    },
                    transfer_ui::PathSlot::ImportOut => DialogRequest::Folder,
                };
                let rx = self.dialogs.request(request);
                self.pending_dialog = Some((Pending::Path(slot), rx));
            }
            Action::RunTransfer => self.run_transfer(),
            Action::CloseTransfer => self.transfer = None,
            Action::OpenDoc(i) => self.open_doc(i),
            Action::Label(op) => self.label_op(op),
            Action::External(reload) => self.resolve_external(reload),
            Action::TagAll(label) => self.tag_all(&label),
            Action::FindStep(forward) => self.find_step(forward, ctx),
            Action::TagAllMatches(label) => {
                let ranges = self.view.find_matches.clone();
                let n = self.add_spans(&ranges, &label);
                self.info(format!(
                    "Tagged {n} of {} matches as {label} (one undo step).",
                    ranges.len()
                ));
            }
            Action::CloseFind => {
                self.find.open = false;
                self.view.find_matches.clear();
                self.view.find_current = None;
            }
            Action::GoToSuggestion(start, end, label) => {
                if let Some(i) = self
                    .view
                    .suggestions()
                    .iter()
                    .position(|g| g.start == start && g.end == end && g.label == label)
                {
                    self.select_suggestion(i, ctx);
                } else {
                    self.info("That one is hidden: turn on View > Show suggestions.");
                }
            }
            Action::AcceptAll(label) => {
                let ranges: Vec<_> = self
                    .view
                    .suggestions()
                    .iter()
                    .filter(|s| s.label == label)
                    .map(|s| s.range())
                    .collect();
                let n = self.add_spans(&ranges, &label);
                self.info(format!(
                    "Accepted {n} suggestions as {label} (one undo step)."
                ));
            }
        }
    }

    /// Tags each range with `label` in one undoable step, skipping any that are already
    /// tagged so (or cannot be); returns how many were added.
    fn add_spans(&mut self, ranges: &[std::ops::Range<usize>], label: &str) -> usize {
        let mut edits = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for r in ranges {
            if !seen.insert(r.clone())
                || self
                    .doc
                    .session
                    .check_span(r.start, r.end, label, None)
                    .is_err()
            {
                continue;
            }
            let a = self.doc.session.new_annotation(r.start, r.end, label);
            edits.push(Edit::Add(a));
        }
        let n = edits.len();
        if n > 0 && !self.edit(Edit::Batch(edits)) {
            return 0;
        }
        n
    }

    /// Shift + a label's key: the selection (or selected span's text) and every other
    /// whole-word occurrence of it.
    fn tag_all(&mut self, label: &str) {
        let range = self.view.selection.clone().or_else(|| {
            self.view
                .selected_span
                .and_then(|id| self.doc.session.get(id))
                .map(|a| a.range())
        });
        let Some(range) = range else {
            self.error("Select some text first; Shift + a label's key tags it everywhere.");
            return;
        };
        let text = self
            .doc
            .session
            .document()
            .slice(range.clone())
            .unwrap_or("")
            .to_owned();
        let mut ranges = vec![range];
        ranges.extend(crate::model::search::occurrences(
            self.doc.session.document(),
            &text,
        ));
        let n = self.add_spans(&ranges, label);
        self.view.clear_selection();
        self.info(format!(
            "Tagged {n} occurrence{} of “{}” as {label}{}.",
            if n == 1 { "" } else { "s" },
            view::ellipsize(&text, 40),
            if n > 0 { " (one undo step)" } else { "" }
        ));
    }

    /// Recomputes the find bar's matches when the query, options or document changed.
    fn refresh_find(&mut self) {
        if !self.find.open {
            return;
        }
        let key = (
            self.find.query.clone(),
            self.find.opts,
            self.doc.history.current(),
        );
        if self.find.computed.as_ref() == Some(&key) {
            return;
        }
        match crate::model::search::find_all(
            self.doc.session.document(),
            &self.find.query,
            self.find.opts,
        ) {
            Ok(m) => {
                self.find.error = None;
                // Keep the current match where it was, as far as possible.
                let from = self
                    .view
                    .find_current
                    .and_then(|i| self.view.find_matches.get(i))
                    .map(|r| r.start);
                self.view.find_current = from
                    .filter(|_| !m.is_empty())
                    .map(|f| m.iter().position(|r| r.start >= f).unwrap_or(0));
                self.view.find_matches = m;
            }
            Err(e) => {
                self.find.error = Some(e);
                self.view.find_matches.clear();
                self.view.find_current = None;
            }
        }
        self.find.computed = Some(key);
    }

    fn find_step(&mut self, forward: bool, ctx: &egui::Context) {
        self.refresh_find();
        let n = self.view.find_matches.len();
        if n == 0 {
            return;
        }
        let i = match self.view.find_current {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None => 0,
        };
        self.view.find_current = Some(i);
        let r = self.view.find_matches[i].clone();
        self.view.selection = Some(r.clone());
        self.view.caret = Some(r.end);
        self.view.selected_span = None;
        self.view.reveal(r.start, None, ctx.input(|i| i.time));
    }

    /// Recomputes suggestions when the document changed (or a suggestion was rejected).
    fn refresh_suggestions(&mut self, ctx: &egui::Context) {
        let key = (self.doc.history.current(), self.doc.session.rejected.len());
        if !self.suggest.show {
            self.view.set_suggestions(Vec::new());
            self.view.suggestion_current = None;
            self.suggest.computed = None;
            return;
        }
        if self.suggest.computed == Some(key) {
            return;
        }
        // A long document waits until editing pauses, so that tagging never pays for it.
        if self.doc.session.document().char_len() > assist::SYNC_SUGGEST_CHARS {
            let now = ctx.input(|i| i.time);
            match self.suggest.waiting {
                Some((k, since)) if k == key && now - since >= 0.3 => {}
                Some((k, _)) if k == key => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                    return;
                }
                _ => {
                    self.suggest.waiting = Some((key, now));
                    ctx.request_repaint_after(std::time::Duration::from_millis(350));
                    return;
                }
            }
        }
        self.suggest.waiting = None;
        self.suggest.computed = Some(key);
        let project_terms = match &mut self.project {
            Some(p) => p.terms_except(self.doc.session_path.as_deref()),
            None => Vec::new(),
        };
        let s = &self.doc.session;
        let input = crate::model::search::SuggestInput {
            doc: s.document().clone(),
            annotations: s
                .annotations()
                .iter()
                .map(|a| (a.start, a.end, a.label.clone()))
                .collect(),
            project_terms: std::sync::Arc::new(project_terms),
            labels: s.labels().iter().map(|l| l.name.clone()).collect(),
            date_label: s.labels().get("date").map(|l| l.name.clone()),
            rejected: s
                .rejected
                .iter()
                .map(|r| (r.start, r.end, r.label.clone()))
                .collect(),
            review: s
                .review
                .iter()
                .map(|r| (r.start, r.end, r.label.clone()))
                .collect(),
        };
        if let Some(list) = self.suggest.request(input) {
            self.install_suggestions(list);
        }
    }

    fn install_suggestions(&mut self, mut list: Vec<crate::model::search::Suggestion>) {
        // While differences wait for the curator, Tab goes through them alone.
        self.refresh_diffs();
        if !self.diffs.1.is_empty() {
            list.retain(|g| g.source == crate::model::search::SuggestionSource::Review);
        }
        let from = self
            .view
            .suggestion_current
            .and_then(|i| self.view.suggestions().get(i))
            .map(|g| g.start);
        self.view.suggestion_current = from.and_then(|f| list.iter().position(|g| g.start >= f));
        self.view.set_suggestions(list);
    }

    /// Tab / Shift+Tab: the next or previous suggestion after the caret.
    fn step_suggestion(&mut self, forward: bool, ctx: &egui::Context) {
        let list = self.view.suggestions();
        if list.is_empty() {
            self.info("No suggestions here.");
            return;
        }
        let n = list.len();
        let i = match self.view.suggestion_current {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None => {
                let caret = self.view.caret.unwrap_or(0);
                if forward {
                    list.iter().position(|g| g.start >= caret).unwrap_or(0)
                } else {
                    list.iter().rposition(|g| g.start < caret).unwrap_or(n - 1)
                }
            }
        };
        self.select_suggestion(i, ctx);
    }

    /// Makes suggestion `i` the current one, shows it and says what it is.
    fn select_suggestion(&mut self, i: usize, ctx: &egui::Context) {
        let n = self.view.suggestions().len();
        let Some(g) = self.view.suggestions().get(i).cloned() else {
            return;
        };
        self.view.suggestion_current = Some(i);
        self.view.caret = Some(g.start);
        if !self.view.is_visible(g.start) {
            self.view.reveal(g.start, None, ctx.input(|i| i.time));
        }
        let text = view::ellipsize(
            self.doc.session.document().slice(g.range()).unwrap_or(""),
            40,
        );
        let diff = (g.source == crate::model::search::SuggestionSource::Review)
            .then(|| self.current_diff())
            .flatten();
        let msg = match diff.and_then(|k| self.diffs.1.get(k).map(|d| (k, d))) {
            Some((k, d)) => {
                let s = &self.doc.session;
                let mut mine = String::new();
                let mut others = Vec::new();
                for &j in &d.items {
                    let r = &s.review[j];
                    let who = who_made(s, &r.by);
                    if (r.start, r.end, &r.label) == (g.start, g.end, &g.label) {
                        mine = who;
                    } else if (r.start, r.end) == (g.start, g.end) {
                        others.push(format!("{who}: {}", r.label));
                    } else {
                        let t = s.document().slice(r.start..r.end).unwrap_or("");
                        others.push(format!("{who}: “{}” {}", view::ellipsize(t, 30), r.label));
                    }
                }
                let others = if others.is_empty() {
                    String::new()
                } else {
                    format!("; {}", others.join(", "))
                };
                let keys = if s.compared.len() >= 2 {
                    "Alt+1 / Alt+2 take A's / B's version; Enter takes this span, x drops it."
                } else {
                    "Enter takes this span, x drops it."
                };
                format!(
                    "Difference {} of {} ({}): {mine}'s “{text}” as {}{others}. {keys}",
                    k + 1,
                    self.diffs.1.len(),
                    diff_chip(s, d).0,
                    g.label
                )
            }
            None => format!(
                "Suggestion {} of {n}: “{text}” as {} (Enter accepts, x rejects).",
                i + 1,
                g.label
            ),
        };
        self.info(msg);
    }

    fn current_suggestion(&self) -> Option<crate::model::search::Suggestion> {
        self.view
            .suggestion_current
            .and_then(|i| self.view.suggestions().get(i))
            .cloned()
    }

    /// Moves the caret (and, with `extend`, the selection's free end).
    fn move_caret(&mut self, m: Motion, extend: bool) {
        let doc = self.doc.session.document();
        let len = doc.char_len();
        let caret = self.view.caret.unwrap_or_else(|| {
            self.view
                .selection
                .as_ref()
                .map_or(self.view.first_visible_char(), |s| s.end)
        });
        // Without Shift, Left/Right on a selection go to its start/end first.
        if !extend
            && let Some(sel) = self.view.selection.clone()
            && matches!(m, Motion::Left | Motion::Right)
        {
            let to = if m == Motion::Left {
                sel.start
            } else {
                sel.end
            };
            self.view.move_caret(to, false);
            return;
        }
        let to = match m {
            Motion::Left => caret.saturating_sub(1),
            Motion::Right => (caret + 1).min(len),
            Motion::WordLeft => words::word_left(doc, caret),
            Motion::WordRight => words::word_right(doc, caret),
            Motion::LineStart => words::line_start(doc, caret),
            Motion::LineEnd => words::line_end(doc, caret),
            Motion::Up | Motion::Down => {
                let dir = if m == Motion::Up { -1.0 } else { 1.0 };
                match self.view.caret_vertical(caret, dir) {
                    Some(c) => c,
                    None if m == Motion::Up => words::line_start(doc, caret).saturating_sub(1),
                    None => (words::line_end(doc, caret) + 1).min(len),
                }
            }
        };
        self.view.move_caret(to, extend);
    }

    /// Ctrl+] / Ctrl+[: select the next or previous annotation after the caret.
    fn step_annotation(&mut self, forward: bool, ctx: &egui::Context) {
        let anns = self.doc.session.annotations();
        if anns.is_empty() {
            self.info("No annotations yet.");
            return;
        }
        let current = self
            .view
            .selected_span
            .and_then(|id| anns.iter().position(|a| a.id == id));
        let caret = self.view.caret.unwrap_or(0);
        let i = match current {
            Some(i) if forward => (i + 1) % anns.len(),
            Some(i) => (i + anns.len() - 1) % anns.len(),
            None if forward => anns.iter().position(|a| a.start >= caret).unwrap_or(0),
            None => anns
                .iter()
                .rposition(|a| a.start < caret)
                .unwrap_or(anns.len() - 1),
        };
        let a = anns[i].clone();
        self.view.clear_selection();
        self.view.selected_span = Some(a.id);
        self.view.caret = Some(a.start);
        self.side.scroll_to = Some(a.id);
        if !self.view.is_visible(a.start) {
            self.view.reveal(a.start, Some(a.id), ctx.input(|i| i.time));
        }
        self.info(format!(
            "{} of {}: “{}” {}.",
            i + 1,
            anns.len(),
            view::ellipsize(self.doc.session.covered(&a), 40),
            a.label
        ));
    }

    /// Carries out what the label editor asked.
    fn label_op(&mut self, op: LabelOp) {
        let labels = self.doc.session.labels().clone();
        match op {
            LabelOp::Rename { from, to } => {
                if self.change_labels(Edit::RenameLabel {
                    from: from.clone(),
                    to: to.clone(),
                }) {
                    let where_ = if self.project.is_some() {
                        " in every document"
                    } else {
                        ""
                    };
                    self.info(format!("Renamed {from} to {to}{where_}."));
                }
            }
            LabelOp::Delete(name) => {
                let mut annotations = self.doc.session.count(&name);
                let mut documents = usize::from(annotations > 0);
                if let Some(p) = &self.project {
                    for d in &p.docs {
                        if Some(&d.session) == self.doc.session_path.as_ref() {
                            continue;
                        }
                        if let Some(&n) = d.per_label.get(&name).filter(|&&n| n > 0) {
                            annotations += n;
                            documents += 1;
                        }
                    }
                }
                self.modal = Some(Modal::ConfirmDelete {
                    label: name,
                    annotations,
                    documents,
                });
            }
            LabelOp::DeleteConfirmed(name) => {
                self.modal = None;
                let rest: Vec<_> = labels.iter().filter(|l| l.name != name).cloned().collect();
                match LabelSet::new(rest) {
                    Ok(set) => {
                        let deleted = if self.project.is_some() && self.doc.session_path.is_some() {
                            // The project's label history removes (and on undo restores)
                            // the annotations in every document, this one included.
                            self.change_labels(Edit::SetLabels(set))
                        } else {
                            let mut edits: Vec<Edit> = self
                                .doc
                                .session
                                .annotations()
                                .iter()
                                .filter(|a| a.label == name)
                                .map(|a| Edit::Remove(a.id))
                                .collect();
                            edits.push(Edit::SetLabels(set));
                            self.edit(Edit::Batch(edits))
                        };
                        if deleted {
                            self.info(format!("Deleted the label {name} (Ctrl+Z brings it back)."));
                        }
                    }
                    Err(e) => self.error(format!("Not done: {e}.")),
                }
            }
            other => match project::changed_labels(&labels, &other) {
                Ok(set) if set != labels => {
                    self.change_labels(Edit::SetLabels(set));
                }
                Ok(_) => {}
                Err(e) => self.error(format!("Not done: {e}.")),
            },
        }
        self.view.selected_span = self
            .view
            .selected_span
            .filter(|id| self.doc.session.get(*id).is_some());
    }

    /// Compares the open session (A) with the session at `path` (B): a new, unsaved session
    /// holds what both made, and every difference waits for the curator. Neither A nor B is
    /// ever written; the curated session goes to a new file beside A.
    fn compare_with(&mut self, path: &Path) {
        let b = match io::load_session(path) {
            Ok(b) => b,
            Err(e) => {
                self.modal = Some(Modal::Error(format!(
                    "Could not compare with {}:\n\n{e}",
                    path.display()
                )));
                return;
            }
        };
        let a_name = self
            .doc
            .session_path
            .as_deref()
            .map_or_else(|| self.doc.name.clone(), |p| p.display().to_string());
        // Still unsaved here means the user chose to discard those edits: A is the file.
        let a = match &self.doc.session_path {
            Some(p) if self.doc.dirty() && p.exists() => match io::load_session(p) {
                Ok(s) => s,
                Err(e) => {
                    self.modal = Some(Modal::Error(format!("Could not compare:\n\n{e}")));
                    return;
                }
            },
            _ => self.doc.session.clone(),
        };
        let mut named = vec![(a_name, a), (path.display().to_string(), b)];
        crate::agree::annotator_names(&mut named);
        if named[0].1.text() != named[1].1.text() {
            self.modal = Some(Modal::Error(format!(
                "{} is a session of another text than the open one; compare two sessions of the same document.",
                path.display()
            )));
            return;
        }
        let (merged, summary) = match crate::agree::merge(&named, &annotator()) {
            Ok(m) => m,
            Err(e) => {
                self.modal = Some(Modal::Error(format!("Could not compare: {e}.")));
                return;
            }
        };
        let base = self
            .doc
            .session_path
            .clone()
            .unwrap_or_else(|| path.to_owned());
        let out = curated_path(&base);
        let name = format!(
            "{} (curating {} and {})",
            out.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            named[0].0,
            named[1].0
        );
        // A comparison stands on its own, outside any project.
        self.project = None;
        // The same two sessions give the same start: an unfinished curation of them is
        // recovered from its journal, and one of other sessions is not applied.
        let start: Vec<_> = merged
            .annotations()
            .iter()
            .map(|a| (a.id.0, a.start, a.end, &a.label))
            .collect();
        let origin = io::article::sha256_hex(
            format!("{start:?}{:?}{:?}", merged.review, merged.compared).as_bytes(),
        );
        let mut doc = OpenDoc::new(merged, History::new_unsaved(), Some(out.clone()), name);
        doc.extras_unsaved = true;
        doc.origin = Some(origin);
        self.install_doc(doc);
        self.refresh_diffs();
        self.info(format!(
            "A = {}, B = {}: {} spans agreed, {} differences. Tab goes to each; Ctrl+S writes {}.",
            named[0].0,
            named[1].0,
            summary.agreed,
            self.diffs.1.len(),
            out.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
    }

    /// The undecided differences of a merged or compared session (cached per revision).
    fn refresh_diffs(&mut self) {
        let s = &self.doc.session;
        let key = (self.doc.history.current(), s.review.len());
        if self.diffs.0 == Some(key) {
            return;
        }
        let list = if s.review.is_empty() {
            Vec::new()
        } else {
            let rejected: std::collections::HashSet<(usize, usize, &str)> = s
                .rejected
                .iter()
                .map(|x| (x.start, x.end, x.label.as_str()))
                .collect();
            crate::agree::differences(s, |r| {
                !rejected.contains(&(r.start, r.end, r.label.as_str()))
                    && s.check_span(r.start, r.end, &r.label, None).is_ok()
            })
        };
        // One chip per difference, on its first version.
        let marks = list
            .iter()
            .filter_map(|d| {
                let (text, color) = diff_chip(s, d);
                let r = &s.review[*d.items.first()?];
                Some(view::Mark {
                    start: r.start,
                    end: r.end,
                    text,
                    color,
                })
            })
            .collect();
        self.view.set_marks(marks);
        self.diffs = (Some(key), list);
    }

    /// The difference the current suggestion (or the caret) is in.
    fn current_diff(&self) -> Option<usize> {
        let s = &self.doc.session;
        let list = &self.diffs.1;
        if let Some(g) = self.current_suggestion() {
            return list.iter().position(|d| {
                d.items.iter().any(|&i| {
                    let r = &s.review[i];
                    (r.start, r.end, &r.label) == (g.start, g.end, &g.label)
                })
            });
        }
        let c = self.view.caret?;
        list.iter().position(|d| d.start <= c && c < d.end)
    }

    /// Alt+1, Alt+2…: the current difference as annotator `k` made it, in one undo step;
    /// then on to the next difference.
    fn take_version(&mut self, k: usize, ctx: &egui::Context) {
        self.refresh_diffs();
        let letter = annotator_letter(k);
        let Some(who) = self.doc.session.compared.get(k).cloned() else {
            self.info(format!(
                "There is no annotator {letter} here: compare two sessions first (File > Compare with another session…)."
            ));
            return;
        };
        let Some(d) = self
            .current_diff()
            .and_then(|i| self.diffs.1.get(i).cloned())
        else {
            self.info("Go to a difference first: Tab goes to the next one.");
            return;
        };
        let s = &self.doc.session;
        let (take, drop) = d.version_of(s, &who);
        let mut edits = Vec::new();
        let mut scratch = s.clone();
        for &i in &take {
            let r = &s.review[i];
            let a = scratch.new_annotation(r.start, r.end, &r.label);
            if scratch.apply(Edit::Add(a.clone())).is_ok() {
                edits.push(Edit::Add(a));
            }
        }
        for &i in &drop {
            let r = &s.review[i];
            edits.push(Edit::Reject(crate::model::Rejected {
                start: r.start,
                end: r.end,
                label: r.label.clone(),
            }));
        }
        let text = view::ellipsize(s.document().slice(d.start..d.end).unwrap_or(""), 40);
        if self.edit(Edit::Batch(edits)) {
            self.view.suggestion_current = None;
            self.view.caret = Some(d.end);
            self.refresh_diffs();
            let took = format!(
                "Took {letter}'s version of “{text}” ({} in, {} out).",
                take.len(),
                drop.len()
            );
            // On to the next difference, as Tab would.
            self.refresh_suggestions(ctx);
            let next = self.diffs.1.iter().find(|x| x.start >= d.end).cloned();
            let at =
                next.and_then(|n| n.items.first().map(|&i| self.doc.session.review[i].clone()));
            let i = at.and_then(|r| {
                self.view
                    .suggestions()
                    .iter()
                    .position(|g| (g.start, g.end, &g.label) == (r.start, r.end, &r.label))
            });
            match i {
                Some(i) => {
                    self.select_suggestion(i, ctx);
                    // The keys were said before; what is next is what matters.
                    let then = self.status.take().map(|s| s.text).unwrap_or_default();
                    let then = then.split(". Alt+").next().unwrap_or(&then);
                    self.info(format!("{took} Next: {then}."));
                }
                None => self.info(took),
            }
        }
    }

    /// Moves to another document of the project: `step` ±1, wrapping.
    fn step_doc(&mut self, step: isize) {
        let Some(p) = &self.project else {
            self.info("Open a folder (File > Open Folder…) to move between documents.");
            return;
        };
        let n = p.docs.len() as isize;
        if n == 0 {
            return;
        }
        let cur = p.current.map_or(-1, |c| c as isize);
        let next = (cur + step).rem_euclid(n) as usize;
        self.open_doc(next);
    }

    /// Ctrl+Enter: this document is done; on to the next one that is not.
    fn done_next(&mut self) {
        if self.project.is_none() {
            self.info("Open a folder (File > Open Folder…) to work through documents.");
            return;
        }
        self.doc.session.done = true;
        self.doc.extras_unsaved = true; // worth saving even without edits
        let next = self.project.as_ref().and_then(ProjectState::next_not_done);
        match next {
            Some(i) => self.open_doc(i),
            None => {
                if self.save() {
                    self.info("Marked done. Every document of the project is done.");
                }
            }
        }
    }

    fn run_command(&mut self, c: Command, ctx: &egui::Context) {
        match c {
            Command::Open => self.guard(AfterPrompt::OpenDialog, ctx),
            Command::OpenFolder => {
                let rx = self.dialogs.request(DialogRequest::Folder);
                self.pending_dialog = Some((Pending::Open, rx));
            }
            Command::NextDoc => self.step_doc(1),
            Command::PrevDoc => self.step_doc(-1),
            Command::DoneNext => self.done_next(),
            Command::Labels => self.labels_ed.open = !self.labels_ed.open,
            Command::Find => {
                self.find.open = true;
                self.find.focus = true;
                // Start from the selection's text, as editors do.
                if let Some(r) = self.view.selection.clone()
                    && let Some(t) = self.doc.session.document().slice(r)
                    && !t.contains('\n')
                {
                    self.find.query = t.to_owned();
                }
            }
            Command::NextSuggestion => self.step_suggestion(true, ctx),
            Command::PrevSuggestion => self.step_suggestion(false, ctx),
            Command::AcceptSuggestion => {
                if let Some(g) = self.current_suggestion() {
                    let a = self.doc.session.new_annotation(g.start, g.end, &g.label);
                    if self.edit(Edit::Add(a)) {
                        self.info(format!("Accepted as {}.", g.label));
                        self.view.caret = Some(g.start);
                        // Tab goes on from here (an overlapping alternative included).
                        self.view.suggestion_current = None;
                    }
                }
            }
            Command::RejectSuggestion => {
                if let Some(g) = self.current_suggestion()
                    && self.edit(Edit::Reject(crate::model::Rejected {
                        start: g.start,
                        end: g.end,
                        label: g.label.clone(),
                    }))
                {
                    self.view.caret = Some(g.start);
                    self.view.suggestion_current = None;
                    self.info(
                        "Rejected; it will not be suggested again in this document (Ctrl+Z brings it back).",
                    );
                }
            }
            Command::Compare => {
                let rx = self.dialogs.request(DialogRequest::Session);
                self.pending_dialog = Some((Pending::Compare, rx));
            }
            Command::TakeVersion(k) => self.take_version(usize::from(k), ctx),
            Command::ToggleSuggestions => self.suggest.show = !self.suggest.show,
            Command::NextAnnotation => self.step_annotation(true, ctx),
            Command::PrevAnnotation => self.step_annotation(false, ctx),
            Command::EditNote => {
                if self.view.selected_span.is_some() {
                    self.side.focus_note = true;
                } else {
                    self.info("Select a span first (click it, or Ctrl+] to go to the next).");
                }
            }
            Command::Move(m, extend) => self.move_caret(m, extend),
            Command::Guidelines => match &mut self.project {
                Some(p) => p.show_guidelines = !p.show_guidelines,
                None => self.info("Guidelines belong to a project: open a folder first."),
            },
            Command::Save => {
                self.save();
            }
            Command::SaveAs => self.request_save_dialog(),
            Command::Export => self.open_export(),
            Command::Import => self.open_import(),
            Command::Quit => self.guard(AfterPrompt::Quit, ctx),
            Command::Undo => self.undo(false),
            Command::Redo => self.undo(true),
            Command::Copy => {
                let text = if let Some(r) = self.view.selection.clone() {
                    self.doc.session.document().slice(r).map(str::to_owned)
                } else {
                    self.view
                        .selected_span
                        .and_then(|id| self.doc.session.get(id))
                        .map(|a| self.doc.session.covered(a).to_owned())
                };
                if let Some(t) = text {
                    ctx.copy_text(t);
                    self.info("Copied.");
                }
            }
            Command::DeleteSpan => {
                if let Some(id) = self.view.selected_span {
                    self.apply(Action::Delete(id), ctx);
                }
            }
            Command::Deselect => {
                self.view.clear_selection();
                self.view.selected_span = None;
                self.show_help = false;
            }
            Command::ZoomIn => self.zoom(self.prefs.font_size + 2.0),
            Command::ZoomOut => self.zoom(self.prefs.font_size - 2.0),
            Command::ZoomReset => self.zoom(view::BASE_FONT_SIZE),
            Command::ToggleSnap => {
                self.prefs.snap = !self.prefs.snap;
                self.view.snap = self.prefs.snap;
            }
            Command::PageUp => self.view.page(-1.0),
            Command::PageDown => self.view.page(1.0),
            Command::Top => self.view.scroll_to_top(),
            Command::Bottom => self.view.scroll_to_bottom(),
            Command::Help => self.show_help = !self.show_help,
        }
    }

    fn doc_folder(&self) -> Option<PathBuf> {
        self.doc
            .session_path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_owned)
    }

    fn doc_id(&self) -> String {
        match &self.doc.session_path {
            Some(p) => crate::io::transfer::doc_id(p),
            None => self
                .doc
                .name
                .split('.')
                .next()
                .unwrap_or("document")
                .to_owned(),
        }
    }

    fn export_default_name(&self) -> String {
        let format = match &self.transfer {
            Some(transfer_ui::TransferDialog::Export(d)) => d.format,
            _ => Format::Jsonl,
        };
        transfer_ui::retarget(&format!("{}.jsonl", self.doc_id()), Format::Jsonl, format)
    }

    fn open_export(&mut self) {
        let folder = self.doc_folder().unwrap_or_default();
        let out = folder.join(format!("{}.jsonl", self.doc_id()));
        self.transfer = Some(transfer_ui::TransferDialog::Export(
            transfer_ui::ExportDialog {
                format: Format::Jsonl,
                opts: Default::default(),
                whole_folder: false,
                out: out.display().to_string(),
                result: None,
            },
        ));
    }

    fn open_import(&mut self) {
        let folder = self.doc_folder().unwrap_or_default();
        self.transfer = Some(transfer_ui::TransferDialog::Import(
            transfer_ui::ImportDialog {
                format: Format::Jsonl,
                offsets: Default::default(),
                input: String::new(),
                out: folder.join("imported").display().to_string(),
                result: None,
            },
        ));
    }

    fn set_transfer_path(&mut self, slot: transfer_ui::PathSlot, p: PathBuf) {
        let p = p.display().to_string();
        match (&mut self.transfer, slot) {
            (Some(transfer_ui::TransferDialog::Export(d)), transfer_ui::PathSlot::ExportOut) => {
                d.out = p
            }
            (Some(transfer_ui::TransferDialog::Import(d)), transfer_ui::PathSlot::ImportIn) => {
                d.input = p
            }
            (Some(transfer_ui::TransferDialog::Import(d)), transfer_ui::PathSlot::ImportOut) => {
                d.out = p
            }
            _ => {}
        }
    }

    /// Runs the export or import the dialog describes; the summary is shown in the dialog.
    fn run_transfer(&mut self) {
        use crate::io::formats::Report;
        use crate::io::transfer;
        let folder = self.doc_folder();
        let current = (self.doc_id(), self.doc.session.clone());
        let current_path = self.doc.session_path.clone();
        match &mut self.transfer {
            Some(transfer_ui::TransferDialog::Export(d)) => {
                let mut report = Report::default();
                let sessions = match (&folder, d.whole_folder) {
                    (Some(folder), true) => {
                        let paths =
                            transfer::gather_sessions(std::slice::from_ref(folder), &mut report);
                        // This document as it is on screen, saved or not; the rest from disk.
                        let others: Vec<PathBuf> = paths
                            .into_iter()
                            .filter(|p| Some(p) != current_path.as_ref())
                            .collect();
                        let mut all = vec![current];
                        all.extend(transfer::load_all(&others, &mut report));
                        all
                    }
                    _ => vec![current],
                };
                if d.out.trim().is_empty() {
                    report.notes.push("Choose where to export to.".into());
                    report.failed = true;
                } else {
                    match transfer::export(d.format, &sessions, Path::new(d.out.trim()), d.opts) {
                        Ok(r) => {
                            let failed = report.failed;
                            report.merge(r);
                            report.failed |= failed;
                        }
                        Err(e) => {
                            report.notes.push(format!("{}: {e}", d.out.trim()));
                            report.failed = true;
                        }
                    }
                }
                d.result = Some(report);
            }
            Some(transfer_ui::TransferDialog::Import(d)) => {
                let report = if d.input.trim().is_empty() || d.out.trim().is_empty() {
                    Report {
                        notes: vec!["Choose what to import and where to put the sessions.".into()],
                        failed: true,
                        ..Default::default()
                    }
                } else {
                    match transfer::import(
                        d.format,
                        Path::new(d.input.trim()),
                        Path::new(d.out.trim()),
                        d.offsets,
                    ) {
                        Ok(mut r) => {
                            if r.documents > 0 {
                                r.notes.push(format!(
                                    "Sessions are in {}; open them with File > Open.",
                                    d.out.trim()
                                ));
                            }
                            r
                        }
                        Err(e) => Report {
                            notes: vec![format!("{}: {e}", d.input.trim())],
                            failed: true,
                            ..Default::default()
                        },
                    }
                };
                d.result = Some(report);
            }
            None => {}
        }
    }

    fn zoom(&mut self, size: f32) {
        self.prefs.font_size = size.clamp(10.0, 40.0);
        self.view.font_size = self.prefs.font_size;
        self.info(format!("Text size {:.0} pt.", self.prefs.font_size));
    }

    /// Keyboard shortcuts of this frame, as actions.
    fn keyboard(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let busy = typing || self.modal.is_some() || self.transfer.is_some();
        let focused = ctx.memory(|m| m.focused().is_some());
        let has_suggestion = self.view.suggestion_current.is_some();
        let has_span = self.view.selected_span.is_some();
        let mut actions = Vec::new();
        let mut took_navigation = false;
        ctx.input_mut(|i| {
            for &(c, s) in Command::matching_order() {
                if busy && (Command::is_plain_key(&s) || matches!(c, Command::Move(..))) {
                    continue;
                }
                // Keys that mean something only in a state: otherwise left to widgets.
                let applicable = match c {
                    Command::AcceptSuggestion | Command::RejectSuggestion => has_suggestion,
                    Command::EditNote => has_span,
                    Command::NextSuggestion | Command::PrevSuggestion => !focused,
                    _ => true,
                };
                if !applicable {
                    continue;
                }
                if i.consume_shortcut(&s) {
                    actions.push(Action::Command(c));
                    took_navigation |= matches!(
                        c,
                        Command::Move(..) | Command::NextSuggestion | Command::PrevSuggestion
                    );
                }
            }
            // Ctrl+C arrives as a Copy event from the platform.
            let copy = Action::Command(Command::Copy);
            if !typing
                && !actions.contains(&copy)
                && i.events.iter().any(|e| matches!(e, egui::Event::Copy))
            {
                actions.push(copy);
            }
            if !busy {
                for l in self.doc.session.labels().iter() {
                    let Some(key) = l.hotkey.and_then(key_for_hotkey) else {
                        continue;
                    };
                    if i.consume_key(Modifiers::SHIFT, key) {
                        actions.push(Action::TagAll(l.name.clone()));
                    } else if i.consume_key(Modifiers::NONE, key) {
                        actions.push(Action::Tag(l.name.clone()));
                    }
                }
            }
            if let Some(f) = i.raw.dropped_files.first() {
                actions.push(Action::OpenPath(f.path().to_owned()));
            }
        });
        if took_navigation {
            // Arrows and Tab are ours here, not egui's focus movement.
            ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
        }
        self.actions.extend(actions);
    }

    fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some((kind, rx)) = &self.pending_dialog else {
            return;
        };
        match rx.try_recv() {
            Ok(answer) => {
                let action = match (kind, answer) {
                    (Pending::Open, Some(p)) => Some(Action::OpenPath(p)),
                    (Pending::Compare, Some(p)) => Some(Action::Compare(p)),
                    (Pending::Save, Some(p)) => Some(Action::SaveTo(p)),
                    (Pending::Path(slot), Some(p)) => {
                        self.set_transfer_path(*slot, p);
                        None
                    }
                    (_, None) => {
                        self.after_save = None;
                        None
                    }
                };
                self.pending_dialog = None;
                self.actions.extend(action);
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.pending_dialog = None,
        }
    }

    fn menu_bar(&self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut out = Vec::new();
        let item = |ui: &mut egui::Ui, c: Command, out: &mut Vec<Action>| {
            let mut b = egui::Button::new(c.name());
            if let Some(s) = c.shortcuts().first() {
                b = b.shortcut_text(ui.ctx().format_shortcut(s));
            }
            if ui.add(b).clicked() {
                out.push(Action::Command(c));
            }
        };
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                item(ui, Command::Open, &mut out);
                item(ui, Command::OpenFolder, &mut out);
                ui.menu_button("Open Recent", |ui| {
                    if self.prefs.recent.is_empty() {
                        ui.weak("No recent files");
                    }
                    for p in &self.prefs.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            out.push(Action::OpenPath(p.clone()));
                        }
                    }
                });
                ui.separator();
                item(ui, Command::Save, &mut out);
                item(ui, Command::SaveAs, &mut out);
                ui.separator();
                item(ui, Command::Export, &mut out);
                item(ui, Command::Import, &mut out);
                ui.separator();
                item(ui, Command::Compare, &mut out);
                ui.separator();
                item(ui, Command::Quit, &mut out);
            });
            ui.menu_button("Edit", |ui| {
                let undo = self.undo_what(false).map(|w| format!("Undo {w}"));
                let redo = self.undo_what(true).map(|w| format!("Redo {w}"));
                for c in Command::ALL.iter().filter(|c| c.menu() == Menu::Edit) {
                    let enabled = match c {
                        Command::Undo => undo.is_some(),
                        Command::Redo => redo.is_some(),
                        Command::DeleteSpan => self.view.selected_span.is_some(),
                        _ => true,
                    };
                    let name = match c {
                        Command::Undo => undo.clone().unwrap_or_else(|| c.name().into()),
                        Command::Redo => redo.clone().unwrap_or_else(|| c.name().into()),
                        _ => c.name().into(),
                    };
                    let mut b = egui::Button::new(name);
                    if let Some(s) = c.shortcuts().first() {
                        b = b.shortcut_text(ui.ctx().format_shortcut(s));
                    }
                    if ui.add_enabled(enabled, b).clicked() {
                        out.push(Action::Command(*c));
                    }
                }
                ui.separator();
                ui.weak("Tag selection as:");
                for l in self.doc.session.labels().iter() {
                    let mut b = egui::Button::new(&l.name);
                    if let Some(k) = l.hotkey {
                        b = b.shortcut_text(k.to_string());
                    }
                    if ui.add(b).clicked() {
                        out.push(Action::Tag(l.name.clone()));
                    }
                }
            });
            ui.menu_button("View", |ui| {
                for c in [Command::ZoomIn, Command::ZoomOut, Command::ZoomReset] {
                    item(ui, c, &mut out);
                }
                item(ui, Command::Guidelines, &mut out);
                let mut show = self.suggest.show;
                if ui
                    .checkbox(&mut show, Command::ToggleSuggestions.name())
                    .clicked()
                {
                    out.push(Action::Command(Command::ToggleSuggestions));
                }
                ui.separator();
                let mut snap = self.prefs.snap;
                if ui.checkbox(&mut snap, Command::ToggleSnap.name()).clicked() {
                    out.push(Action::Command(Command::ToggleSnap));
                }
                ui.weak("Hold Alt while dragging to select exact characters.");
                ui.separator();
                ui.label("Theme");
                for (t, name) in [
                    (ThemePreference::System, "Follow the system"),
                    (ThemePreference::Light, "Light"),
                    (ThemePreference::Dark, "Dark"),
                ] {
                    if ui.radio(self.prefs.theme == t, name).clicked() {
                        out.push(Action::SetTheme(t));
                    }
                }
            });
            ui.menu_button("Suggestions", |ui| {
                let compared = self.doc.session.compared.len();
                for c in Command::ALL.iter().filter(|c| {
                    c.menu() == Menu::Suggestions
                        && !matches!(c, Command::TakeVersion(k) if usize::from(*k) >= compared)
                }) {
                    item(ui, *c, &mut out);
                }
                ui.separator();
                for l in self.doc.session.labels().iter() {
                    let n = self
                        .view
                        .suggestions()
                        .iter()
                        .filter(|g| g.label == l.name)
                        .count();
                    if ui
                        .add_enabled(
                            n > 0,
                            egui::Button::new(format!("Accept all {} ({n})", l.name)),
                        )
                        .clicked()
                    {
                        out.push(Action::AcceptAll(l.name.clone()));
                    }
                }
                if !self.suggest.show {
                    ui.weak("Suggestions are hidden (View menu).");
                }
            });
            ui.menu_button("Document", |ui| {
                for c in Command::ALL.iter().filter(|c| c.menu() == Menu::Document) {
                    let mut b = egui::Button::new(c.name());
                    if let Some(s) = c.shortcuts().first() {
                        b = b.shortcut_text(ui.ctx().format_shortcut(s));
                    }
                    if ui.add_enabled(self.project.is_some(), b).clicked() {
                        out.push(Action::Command(*c));
                    }
                }
                if self.project.is_none() {
                    ui.weak("Open a folder to work through its documents.");
                }
            });
            ui.menu_button("Help", |ui| item(ui, Command::Help, &mut out));
        });
        out
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&self.doc.name).strong());
            if self.doc.dirty() {
                ui.label(RichText::new("• unsaved changes").color(theme::UNSAVED));
            } else {
                ui.weak("saved");
            }
            ui.separator();
            for l in self.doc.session.labels().iter() {
                let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                ui.painter().rect_filled(r, 2.0, self.colors.solid(&l.name));
                ui.label(format!("{} {}", l.name, self.side.count(&l.name)));
            }
            ui.separator();
            if let Some(r) = &self.view.selection {
                ui.label(format!(
                    "selection {}–{} ({} chars)",
                    r.start,
                    r.end,
                    r.len()
                ));
            } else if let Some(a) = self
                .view
                .selected_span
                .and_then(|id| self.doc.session.get(id))
            {
                ui.label(format!("span {}–{} {}", a.start, a.end, a.label));
            } else {
                ui.weak("no selection");
            }
            if let Some(s) = &self.status {
                ui.separator();
                let text = RichText::new(&s.text);
                ui.label(if s.error {
                    text.color(theme::ERROR)
                } else {
                    text
                });
            }
        });
    }

    fn modal_ui(&self, ctx: &egui::Context) -> Vec<Action> {
        let mut out = Vec::new();
        match &self.modal {
            Some(Modal::Unsaved(_)) => {
                egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                    ui.set_max_width(420.0);
                    ui.heading("Save your changes?");
                    ui.label(format!(
                        "{} has changes that are not saved. If you don't save, they are lost.",
                        self.doc.name
                    ));
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            out.push(Action::Answer(Answer::Save));
                        }
                        if ui.button("Discard").clicked() {
                            out.push(Action::Answer(Answer::Discard));
                        }
                        if ui.button("Cancel").clicked() {
                            out.push(Action::Answer(Answer::Cancel));
                        }
                    });
                });
                if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
                    out.push(Action::Answer(Answer::Cancel));
                }
            }
            Some(Modal::Error(msg)) => message_modal(
                ctx,
                "error",
                RichText::new("Something went wrong").color(theme::ERROR),
                msg,
                &mut out,
            ),
            Some(Modal::Info(msg)) => {
                message_modal(ctx, "info", RichText::new("Good to know"), msg, &mut out);
            }
            Some(Modal::ExternalChange) => {
                egui::Modal::new(egui::Id::unique("external")).show(ctx, |ui| {
                    ui.set_max_width(560.0);
                    ui.heading("Changed by another program");
                    let path = self
                        .doc
                        .session_path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    ui.label(format!(
                        "{path} was changed on disk since Spanmark read it (by git, a sync tool or another editor)."
                    ));
                    if self.doc.dirty() {
                        ui.label("You also have changes here that are not saved.");
                    }
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Reload theirs").clicked() {
                            out.push(Action::External(true));
                        }
                        if ui.button("Keep mine").clicked() {
                            out.push(Action::External(false));
                        }
                    });
                });
            }
            Some(Modal::ConfirmDelete {
                label,
                annotations,
                documents,
            }) => {
                egui::Modal::new(egui::Id::unique("confirm-delete")).show(ctx, |ui| {
                    ui.set_max_width(480.0);
                    ui.heading(format!("Delete the label {label}?"));
                    ui.label(format!(
                        "This removes {annotations} annotation{} in {documents} document{}. Ctrl+Z undoes it while the window is open.",
                        if *annotations == 1 { "" } else { "s" },
                        if *documents == 1 { "" } else { "s" },
                    ));
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Delete").clicked() {
                            out.push(Action::Label(LabelOp::DeleteConfirmed(label.clone())));
                        }
                        if ui.button("Cancel").clicked() {
                            out.push(Action::CloseModal);
                        }
                    });
                });
                if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
                    out.push(Action::CloseModal);
                }
            }
            None => {}
        }
        out
    }

    fn help_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.show_help;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                let max_h = (ctx.content_rect().height() - 120.0).max(200.0);
                egui::ScrollArea::vertical()
                    .max_height(max_h)
                    .show(ui, |ui| {
                        egui::Grid::new("help-grid").striped(true).show(ui, |ui| {
                            for l in self.doc.session.labels().iter() {
                                if let Some(k) = l.hotkey {
                                    ui.label(format!(
                                        "Tag selection as {} (or relabel the selected span)",
                                        l.name
                                    ));
                                    ui.monospace(k.to_string());
                                    ui.end_row();
                                }
                            }
                            for c in Command::ALL {
                                // Shift + any caret key extends the selection: one row says so.
                                if matches!(c, Command::Move(_, true)) {
                                    continue;
                                }
                                let keys: Vec<String> = c
                                    .shortcuts()
                                    .iter()
                                    .map(|s| ctx.format_shortcut(s))
                                    .collect();
                                if keys.is_empty() {
                                    continue;
                                }
                                ui.label(c.name());
                                ui.monospace(keys.join("  or  "));
                                ui.end_row();
                            }
                            for (what, how) in [
                                ("Select text", "drag"),
                                ("Select exact characters", "Alt + drag"),
                                ("Select a word", "double-click"),
                                ("Extend the selection", "Shift + click"),
                                ("Select a span; again for the next nested one", "click"),
                                ("Extend the selection with the caret", "Shift + caret key"),
                                (
                                    "Tag the selection everywhere it occurs (whole words)",
                                    "Shift + label key",
                                ),
                                ("Relabel, note or delete a span", "right-click"),
                            ] {
                                ui.label(what);
                                ui.monospace(how);
                                ui.end_row();
                            }
                        });
                    });
            });
        self.show_help = open;
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = format!(
            "{}{} — Spanmark",
            self.doc.name,
            if self.doc.dirty() { " •" } else { "" }
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    pub fn title(&self) -> &str {
        &self.title
    }
}

/// Reads a session file and notes what it was on disk.
fn read_session_file(path: &Path) -> Result<(Session, String, DiskStamp), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let session = io::parse_session(path, &bytes).map_err(|e| e.to_string())?;
    Ok((session, io::article::sha256_hex(&bytes), disk_stamp(path)))
}

fn disk_stamp(path: &Path) -> DiskStamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Loads an article (with the session beside it, if any) or a session file. Returns the
/// document, what to tell the user, and whether that is a warning.
fn load_doc(path: &Path) -> Result<(OpenDoc, String, bool), String> {
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
        return Err(format!(
            "Could not open {}.\n\nSpanmark opens folders of articles, .txt and .md articles and .spanmark.ron sessions.",
            path.display()
        ));
    };
    if reopened {
        let (session, hash, stamp) = read_session_file(&session_path).map_err(|e| {
            if is_session_path(path) {
                format!("Could not open the session.\n\n{e}")
            } else {
                format!(
                    "{} has a session beside it that could not be read; nothing was changed.\n\n{e}",
                    path.display()
                )
            }
        })?;
        let n = session.annotations().len();
        let mut doc = OpenDoc::new(
            session,
            History::new_saved(),
            Some(session_path.clone()),
            name,
        );
        doc.disk_hash = Some(hash);
        doc.disk_stamp = stamp;
        let msg = if is_session_path(path) {
            format!("Opened session {} ({n} annotations).", path.display())
        } else {
            format!(
                "Reopened your session {} ({n} annotations).",
                session_path.display()
            )
        };
        return Ok((doc, msg, false));
    }
    let article =
        io::read_article(path).map_err(|e| format!("Could not open the article.\n\n{e}"))?;
    let warnings = article.warnings.join(" ");
    let session = Session::new(
        Document::new(article.text),
        LabelSet::default(),
        article.source,
        annotator(),
    );
    let doc = OpenDoc::new(session, History::new_saved(), Some(session_path), name);
    if warnings.is_empty() {
        Ok((doc, format!("Opened {}.", path.display()), false))
    } else {
        Ok((doc, warnings, true))
    }
}

/// The edit that carries a change of the project's label set (from `prev`) to a session.
/// Labels the change removes take their annotations with them into `stash`; labels it brings
/// back get theirs back. `None` when the session is not affected.
fn label_edit_for(
    s: &Session,
    edit: &Edit,
    prev: &LabelSet,
    path: &Path,
    stash: &mut std::collections::HashMap<(PathBuf, String), Vec<crate::model::Annotation>>,
) -> Option<Edit> {
    match edit {
        Edit::Batch(edits) => {
            // Each part sees the state the parts before it leave.
            let mut s = s.clone();
            let mut out = Vec::new();
            for e in edits {
                if let Some(part) = label_edit_for(&s, e, prev, path, stash) {
                    s.apply(part.clone()).ok()?;
                    out.push(part);
                }
            }
            (!out.is_empty()).then_some(Edit::Batch(out))
        }
        Edit::RenameLabel { from, .. } => s.labels().contains(from).then(|| edit.clone()),
        Edit::SetLabels(new) => {
            let old = s.labels();
            let mut target = new.clone();
            let mut edits = Vec::new();
            for l in old.iter() {
                // A label of this session alone (not the project's) is not the project's to
                // remove.
                if !prev.contains(&l.name) {
                    if !target.contains(&l.name) {
                        target.add_met(&l.name, Some(l.color));
                    }
                    continue;
                }
                if !new.contains(&l.name) {
                    let gone: Vec<crate::model::Annotation> = s
                        .annotations()
                        .iter()
                        .filter(|a| a.label == l.name)
                        .cloned()
                        .collect();
                    edits.extend(gone.iter().map(|a| Edit::Remove(a.id)));
                    if !gone.is_empty() {
                        stash.insert((path.to_owned(), l.name.clone()), gone);
                    }
                }
            }
            let unchanged = *old == target;
            edits.push(Edit::SetLabels(target));
            for l in new.iter() {
                if !old.contains(&l.name)
                    && let Some(back) = stash.remove(&(path.to_owned(), l.name.clone()))
                {
                    edits.extend(back.into_iter().map(Edit::Add));
                }
            }
            if unchanged && edits.len() == 1 {
                return None;
            }
            Some(Edit::Batch(edits))
        }
        _ => None,
    }
}

/// A file for a curated session beside `base` that does not exist yet:
/// `news.spanmark.ron` → `news.curated.spanmark.ron` (or `news.curated-2.spanmark.ron`…).
fn curated_path(base: &Path) -> PathBuf {
    let file = base
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let stem = file
        .strip_suffix(io::session_file::SESSION_SUFFIX)
        .or_else(|| file.strip_suffix(".ron"))
        .unwrap_or(&file);
    let dir = base.parent().unwrap_or(Path::new("."));
    (1..)
        .map(|n| {
            let tag = if n == 1 {
                "curated".to_owned()
            } else {
                format!("curated-{n}")
            };
            dir.join(format!("{stem}.{tag}{}", io::session_file::SESSION_SUFFIX))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| {
            dir.join(format!(
                "{stem}.curated{}",
                io::session_file::SESSION_SUFFIX
            ))
        })
}

/// Who made a review item, as letters ("A", "A+C") where the comparison names them.
pub fn who_made(s: &Session, by: &[String]) -> String {
    by.iter()
        .map(|b| {
            s.compared
                .iter()
                .position(|c| c == b)
                .map_or_else(|| b.clone(), |k| annotator_letter(k).to_string())
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// A, B, C… for annotator 0, 1, 2….
pub fn annotator_letter(k: usize) -> char {
    char::from(b'A' + (k % 26) as u8)
}

/// The chip a difference wears in the text: who alone made it, or how versions differ.
fn diff_chip(s: &Session, d: &crate::agree::Difference) -> (String, egui::Color32) {
    use crate::agree::DiffKind;
    match &d.kind {
        DiffKind::Only(by) => {
            let ks: Vec<usize> = by
                .iter()
                .filter_map(|b| s.compared.iter().position(|c| c == b))
                .collect();
            let letters: String = ks.iter().map(|&k| annotator_letter(k)).collect();
            let color = match ks.as_slice() {
                [k] => theme::annotator_color(*k),
                _ => theme::DIFF_BOUNDS,
            };
            if letters.is_empty() {
                (format!("only {}", by.join(", ")), color)
            } else {
                (format!("{letters} only"), color)
            }
        }
        DiffKind::Labels => ("labels".into(), theme::DIFF_LABELS),
        DiffKind::Bounds => ("bounds".into(), theme::DIFF_BOUNDS),
    }
}

/// `news` → `news.spanmark.ron`; a name that already ends in `.ron` is kept.
fn with_session_suffix(p: PathBuf) -> PathBuf {
    if p.extension().is_some_and(|e| e == "ron") {
        p
    } else {
        let mut s = p.into_os_string();
        s.push(io::session_file::SESSION_SUFFIX);
        PathBuf::from(s)
    }
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

impl SpanmarkApp {
    /// One frame of the whole window (what eframe calls; benchmarks call it directly).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.project.is_some() && self.doc.session_path.is_some() {
                // In a project, closing saves, as switching does.
                if !self.leave_current() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                }
            } else if self.doc.dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.modal = Some(Modal::Unsaved(AfterPrompt::Quit));
            }
        }
        self.track_activity(&ctx);
        self.check_disk(ctx.input(|i| i.time));
        ctx.request_repaint_after(std::time::Duration::from_secs(1));
        self.poll_dialog(&ctx);
        self.keyboard(&ctx);
        self.side.refresh(&self.doc);
        self.refresh_diffs();
        let current_diff = self.current_diff();

        let menu = egui::Panel::top("menu")
            .show(ui, |ui| self.menu_bar(ui))
            .inner;
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        let mut docs = Vec::new();
        if let Some(p) = &mut self.project {
            docs = egui::Panel::left("documents")
                .resizable(true)
                .default_size(260.0)
                .min_size(180.0)
                .show(ui, |ui| project::documents_panel(ui, p))
                .inner;
            if p.show_guidelines {
                egui::Panel::right("guidelines")
                    .resizable(true)
                    .default_size(300.0)
                    .show(ui, |ui| project::guidelines_panel(ui, p));
            }
        }
        let side = egui::Panel::right("side")
            .resizable(true)
            .default_size(340.0)
            .min_size(260.0)
            .show(ui, |ui| {
                self.side.ui(
                    ui,
                    &self.doc,
                    &self.view,
                    &self.colors,
                    (&self.diffs.1, current_diff),
                )
            })
            .inner;
        let mut find = Vec::new();
        if self.find.open {
            let (count, current) = (self.view.find_matches.len(), self.view.find_current);
            let labels = self.doc.session.labels().clone();
            find = egui::Panel::top("find")
                .show(ui, |ui| {
                    assist::find_bar_ui(ui, &mut self.find, count, current, &labels)
                })
                .inner;
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).inner_margin(0.0))
            .show(ui, |ui| self.view.ui(ui, &self.doc.session, &self.colors));
        find.extend(self.view.context_request.take().map(|r| match r {
            view::ContextRequest::Relabel(id, l) => Action::Relabel(id, l),
            view::ContextRequest::Delete(id) => Action::Delete(id),
            view::ContextRequest::EditNote(id) => {
                self.side.focus_note = true;
                Action::Reveal(id)
            }
        }));
        let mut modal = self.modal_ui(&ctx);
        if let Some(t) = &mut self.transfer {
            let has_folder = self.doc.session_path.is_some();
            modal.extend(transfer_ui::ui(&ctx, t, has_folder));
        }
        if self.show_help {
            self.help_ui(&ctx);
        }
        let labels = if self.labels_ed.open {
            let set = self.doc.session.labels().clone();
            project::label_editor(&ctx, &mut self.labels_ed, &set)
        } else {
            Vec::new()
        };

        let queued = std::mem::take(&mut self.actions);
        for a in queued
            .into_iter()
            .chain(menu)
            .chain(docs)
            .chain(side)
            .chain(modal)
            .chain(labels)
            .chain(find)
        {
            self.apply(a, &ctx);
            self.journal_edits();
        }
        self.journal_edits();
        self.refresh_find();
        self.refresh_suggestions(&ctx);
        if let Some(list) = self.suggest.poll() {
            self.install_suggestions(list);
        }
        if self.suggest.pending {
            // A background result may arrive while nothing else happens.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        self.check_journal();
        self.update_title(&ctx);
    }
}
