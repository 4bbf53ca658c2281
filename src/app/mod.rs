//! The annotation window. Panels draw and return [`Action`]s; the app applies them after
//! drawing, so no panel changes state another part is still reading.

pub mod command;
pub mod dialogs;
pub mod paragraphs;
mod side;
pub mod theme;
pub mod transfer_ui;
pub mod view;
pub mod words;

use crate::io::formats::Format;
use crate::io::{self, article::is_article_path, session_file::is_session_path};
use crate::model::{AnnotationId, Document, Edit, History, LabelSet, Session};
use command::{Command, Menu, key_for_hotkey};
use dialogs::{DialogRequest, Dialogs, NativeDialogs};
use egui::{Modifiers, RichText, ThemePreference};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use view::ArticleView;

/// The sample article, built into the binary.
pub const SAMPLE_NAME: &str = "eu-japan-digitaal-partnerschap.nl.txt";
pub const SAMPLE_TEXT: &str = include_str!("../../assets/eu-japan-digitaal-partnerschap.nl.txt");
const MAX_RECENT: usize = 10;
const PREFS_KEY: &str = "spanmark-prefs";

/// Opens the window on `path`, or on the bundled sample article.
pub fn run(path: Option<PathBuf>) -> anyhow::Result<()> {
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
            Ok(Box::new(SpanmarkApp::new(
                cc,
                path,
                Box::new(NativeDialogs),
            )))
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

/// The document being annotated and where it lives.
pub struct OpenDoc {
    pub session: Session,
    pub history: History,
    /// Where Save writes; `None` for the sample until the user picks a place.
    pub session_path: Option<PathBuf>,
    /// The name shown in the title.
    pub name: String,
}

impl OpenDoc {
    pub fn sample() -> Self {
        let article = io::decode_article(&format!("sample:{SAMPLE_NAME}"), SAMPLE_TEXT.as_bytes());
        let (text, source) = match article {
            Ok(a) => (a.text, a.source),
            Err(_) => (SAMPLE_TEXT.to_owned(), Default::default()),
        };
        Self {
            session: Session::new(
                Document::new(text),
                LabelSet::default(),
                source,
                annotator(),
            ),
            history: History::new_saved(),
            session_path: None,
            name: SAMPLE_NAME.to_owned(),
        }
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
}

#[derive(Clone, Debug, PartialEq)]
pub enum Modal {
    Unsaved(AfterPrompt),
    Error(String),
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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

enum Pending {
    Open,
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
        Self::with_prefs(&cc.egui_ctx, path, dialogs, prefs)
    }

    pub fn with_prefs(
        ctx: &egui::Context,
        path: Option<PathBuf>,
        dialogs: Box<dyn Dialogs>,
        prefs: Prefs,
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
        };
        if let Some(p) = path {
            app.open(&p);
        } else {
            app.info("Sample article: select text and press 1 (actor), 2 (topic) or 3 (date). F1 lists every shortcut.");
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
    }

    fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(MAX_RECENT);
    }

    /// Opens an article or a session; on failure shows why and keeps the current document.
    pub fn open(&mut self, path: &Path) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        if is_session_path(path) {
            match io::load_session(path) {
                Ok(session) => {
                    let n = session.annotations().len();
                    self.set_doc(OpenDoc {
                        session,
                        history: History::new_saved(),
                        session_path: Some(path.to_owned()),
                        name,
                    });
                    self.remember(path);
                    self.info(format!(
                        "Opened session {} ({n} annotations).",
                        path.display()
                    ));
                }
                Err(e) => {
                    self.modal = Some(Modal::Error(format!("Could not open the session.\n\n{e}")))
                }
            }
            return;
        }
        if !is_article_path(path) {
            self.modal = Some(Modal::Error(format!(
                "Could not open {}.\n\nSpanmark opens .txt and .md articles and .spanmark.ron sessions.",
                path.display()
            )));
            return;
        }
        let session_path = io::session_path_for(path);
        if session_path.exists() {
            match io::load_session(&session_path) {
                Ok(session) => {
                    let n = session.annotations().len();
                    self.set_doc(OpenDoc {
                        session,
                        history: History::new_saved(),
                        session_path: Some(session_path.clone()),
                        name,
                    });
                    self.remember(path);
                    self.info(format!(
                        "Reopened your session {} ({n} annotations).",
                        session_path.display()
                    ));
                }
                Err(e) => {
                    self.modal = Some(Modal::Error(format!(
                        "{} has a session beside it that could not be read; nothing was changed.\n\n{e}",
                        path.display()
                    )))
                }
            }
            return;
        }
        match io::read_article(path) {
            Ok(article) => {
                let warnings = article.warnings.join(" ");
                let session = Session::new(
                    Document::new(article.text),
                    LabelSet::default(),
                    article.source,
                    annotator(),
                );
                self.set_doc(OpenDoc {
                    session,
                    history: History::new_saved(),
                    session_path: Some(session_path),
                    name,
                });
                self.remember(path);
                if warnings.is_empty() {
                    self.info(format!("Opened {}.", path.display()));
                } else {
                    self.error(warnings);
                }
            }
            Err(e) => {
                self.modal = Some(Modal::Error(format!("Could not open the article.\n\n{e}")))
            }
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
        match io::save_session(path, &mut self.doc.session) {
            Ok(()) => {
                self.doc.history.mark_saved();
                self.doc.session_path = Some(path.to_owned());
                if self.doc.name == SAMPLE_NAME {
                    self.doc.name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                }
                self.remember(path);
                self.info(format!("Saved {}.", path.display()));
                true
            }
            Err(e) => {
                self.modal = Some(Modal::Error(format!(
                    "{e:#}\n\nYour work is still here, unsaved. Try Save As… to pick another place."
                )));
                false
            }
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
            AfterPrompt::OpenDialog => {
                let rx = self.dialogs.request(DialogRequest::Open);
                self.pending_dialog = Some((Pending::Open, rx));
            }
        }
    }

    /// Runs `after` now, or asks first when there are unsaved changes.
    fn guard(&mut self, after: AfterPrompt, ctx: &egui::Context) {
        if self.doc.dirty() {
            self.modal = Some(Modal::Unsaved(after));
        } else {
            self.continue_after(after, ctx);
        }
    }

    fn edit(&mut self, edit: Edit) -> bool {
        match self.doc.history.apply(&mut self.doc.session, edit) {
            Ok(()) => {
                self.view.annotations_changed(&self.doc.session);
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
        }
    }

    fn run_command(&mut self, c: Command, ctx: &egui::Context) {
        match c {
            Command::Open => self.guard(AfterPrompt::OpenDialog, ctx),
            Command::Save => {
                self.save();
            }
            Command::SaveAs => self.request_save_dialog(),
            Command::Export => self.open_export(),
            Command::Import => self.open_import(),
            Command::Quit => self.guard(AfterPrompt::Quit, ctx),
            Command::Undo => match self.doc.history.undo(&mut self.doc.session) {
                Some(what) => {
                    self.view.annotations_changed(&self.doc.session);
                    self.info(format!("Undid: {what}."));
                }
                None => self.info("Nothing to undo."),
            },
            Command::Redo => match self.doc.history.redo(&mut self.doc.session) {
                Some(what) => {
                    self.view.annotations_changed(&self.doc.session);
                    self.info(format!("Redid: {what}."));
                }
                None => self.info("Nothing to redo."),
            },
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
        let mut actions = Vec::new();
        ctx.input_mut(|i| {
            for &(c, s) in Command::matching_order() {
                if (typing || self.modal.is_some() || self.transfer.is_some())
                    && Command::is_plain_key(&s)
                {
                    continue;
                }
                if i.consume_shortcut(&s) {
                    actions.push(Action::Command(c));
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
            if !typing && self.modal.is_none() && self.transfer.is_none() {
                for l in self.doc.session.labels().iter() {
                    if let Some(key) = l.hotkey.and_then(key_for_hotkey)
                        && i.consume_key(Modifiers::NONE, key)
                    {
                        actions.push(Action::Tag(l.name.clone()));
                    }
                }
            }
            if let Some(f) = i.raw.dropped_files.first() {
                actions.push(Action::OpenPath(f.path().to_owned()));
            }
        });
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
                item(ui, Command::Quit, &mut out);
            });
            ui.menu_button("Edit", |ui| {
                let undo = self.doc.history.undo_what().map(|w| format!("Undo {w}"));
                let redo = self.doc.history.redo_what().map(|w| format!("Redo {w}"));
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
            Some(Modal::Error(msg)) => {
                let r = egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
                    ui.set_max_width(560.0);
                    ui.heading(RichText::new("Something went wrong").color(theme::ERROR));
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
                    ] {
                        ui.label(what);
                        ui.monospace(how);
                        ui.end_row();
                    }
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
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.doc.dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::Unsaved(AfterPrompt::Quit));
        }
        self.poll_dialog(&ctx);
        self.keyboard(&ctx);
        self.side.refresh(&self.doc);

        let menu = egui::Panel::top("menu")
            .show(ui, |ui| self.menu_bar(ui))
            .inner;
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        let side = egui::Panel::right("side")
            .resizable(true)
            .default_size(340.0)
            .min_size(260.0)
            .show(ui, |ui| {
                self.side.ui(ui, &self.doc, &self.view, &self.colors)
            })
            .inner;
        egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).inner_margin(0.0))
            .show(ui, |ui| self.view.ui(ui, &self.doc.session, &self.colors));
        let mut modal = self.modal_ui(&ctx);
        if let Some(t) = &mut self.transfer {
            let has_folder = self.doc.session_path.is_some();
            modal.extend(transfer_ui::ui(&ctx, t, has_folder));
        }
        if self.show_help {
            self.help_ui(&ctx);
        }

        let queued = std::mem::take(&mut self.actions);
        for a in queued.into_iter().chain(menu).chain(side).chain(modal) {
            self.apply(a, &ctx);
        }
        self.update_title(&ctx);
    }
}
