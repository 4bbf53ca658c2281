//! The annotation window: a thin layer over the [`Workspace`]. Every frame it draws the
//! workspace, turns keys, menus, panels, the view and dialog answers into [`Action`]s, and
//! applies them in one place (`apply`) after drawing, so no panel changes state another part
//! is still reading.

pub mod action;
mod apply;
mod arcs;
pub mod command;
pub mod dialogs;
pub mod keyboard;
pub mod panels;
pub mod paragraphs;
pub mod theme;
pub mod view;

pub use action::Action;

use crate::workspace::{Tick, Workspace};
use dialogs::{Answered, DialogHost, Dialogs, NativeDialogs, Pending};
use egui::ThemePreference;
use panels::documents::DocList;
use panels::labels::LabelEditor;
use panels::side::SideState;
use std::path::PathBuf;
use view::ArticleView;

pub use crate::workspace::{SAMPLE_NAME, SAMPLE_TEXT};
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
            .with_drag_and_drop(true)
            .with_icon(window_icon()),
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

/// The window's icon (assets/spanmark.png); an empty one if it could not be decoded.
fn window_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(crate::io::desktop::ICON_PNG).unwrap_or_default()
}

/// User preferences kept between runs (in eframe's storage).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub recent: Vec<PathBuf>,
    pub theme: ThemePreference,
    pub font_size: f32,
    pub snap: bool,
    /// Learned suggestions below this confidence are hidden (View menu).
    pub min_score: f32,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            theme: ThemePreference::System,
            font_size: view::BASE_FONT_SIZE,
            snap: true,
            min_score: crate::workspace::learned::DEFAULT_MIN_SCORE,
        }
    }
}

/// What only the screen needs: open windows and panels, their widget state, colours.
#[derive(Default)]
pub struct UiState {
    pub show_help: bool,
    /// The open Export… or Import… dialog.
    pub transfer: Option<panels::transfer::TransferDialog>,
    pub labels_ed: LabelEditor,
    pub side: SideState,
    pub docs: DocList,
    pub show_guidelines: bool,
    /// Put the keyboard in the find bar's field on the next frame.
    pub find_focus: bool,
    pub colors: theme::ColorCache,
    /// A text field had the keyboard at the end of the last frame (egui drops the focus on
    /// Escape before the frame's keys are read: that Escape only leaves the field).
    pub was_typing: bool,
}

pub struct SpanmarkApp {
    /// Everything the person works on; the window only draws it and calls it.
    pub ws: Workspace,
    pub view: ArticleView,
    pub ui: UiState,
    pub prefs: Prefs,
    dialogs: DialogHost,
    actions: Vec<Action>,
    /// The unsaved-changes question was answered: the next close goes through.
    allow_close: bool,
    title: String,
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
        let mut ws = Workspace::new(data_dir, prefs.recent.clone());
        ws.run(crate::workspace::SuggestOp::MinScore(prefs.min_score));
        ws.start(path.as_deref());
        let mut view = ArticleView::new(&ws.doc.session);
        view.font_size = prefs.font_size;
        view.snap = prefs.snap;
        Self {
            ws,
            view,
            ui: UiState::default(),
            prefs,
            dialogs: DialogHost::new(dialogs),
            actions: Vec::new(),
            allow_close: false,
            title: String::new(),
        }
    }

    pub fn with_prefs(
        ctx: &egui::Context,
        path: Option<PathBuf>,
        dialogs: Box<dyn Dialogs>,
        prefs: Prefs,
    ) -> Self {
        Self::with_options(ctx, path, dialogs, prefs, None)
    }

    pub fn session(&self) -> &crate::model::Session {
        &self.ws.doc.session
    }

    /// Queues an action, as a panel would.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// The window title last set.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// One frame of the whole window (what eframe calls; benchmarks call it directly).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && !self.ws.close_requested()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        let tick = ctx.input(|i| Tick {
            now: i.time,
            dt: f64::from(i.stable_dt.min(1.0)),
            input: !i.events.is_empty() || i.pointer.is_moving(),
            focused: i.focused,
        });
        ctx.request_repaint_after(std::time::Duration::from_secs(1));
        match self.dialogs.poll() {
            Answered::Picked(a) => self.actions.push(a),
            Answered::Cancelled(Pending::Save) => self.ws.save_as(None),
            Answered::Waiting => ctx.request_repaint_after(std::time::Duration::from_millis(100)),
            Answered::Cancelled(_) | Answered::Idle => {}
        }
        if let Some(why) = self.dialogs.take_notice() {
            self.ws.say(crate::workspace::Outcome::info(why));
        }
        let busy = self.ui.transfer.is_some() || self.dialogs.is_open();
        let keys = keyboard::keyboard(&ctx, &self.ws, busy, self.ui.was_typing);
        self.actions.extend(keys);
        let drawn = self.panels_ui(ui, &ctx);
        self.dialogs.ui(&ctx);

        let queued = std::mem::take(&mut self.actions);
        let acted: Vec<Action> = queued.into_iter().chain(drawn).collect();
        // A notice that only informs never blocks a command: the command closes it.
        if !acted.is_empty() && self.ws.notices.prompt.as_ref().is_some_and(|p| !p.asks()) {
            self.ws.close_prompt();
        }
        for a in acted {
            self.apply(a, &ctx);
            self.handle_requests(&ctx);
        }
        let wake = self.ws.tick(tick);
        self.handle_requests(&ctx);
        if let Some(secs) = wake.0 {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(secs.max(0.0)));
        }
        if self.ui.find_focus {
            // The find field takes the keyboard in the next frame: draw it now.
            ctx.request_repaint();
        }
        self.ui.was_typing = ctx.egui_wants_keyboard_input();
        let title = self.ws.doc.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Draws every panel, the view and the open dialogs; returns what they asked for.
    fn panels_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) -> Vec<Action> {
        let ws = &self.ws;
        let state = &mut self.ui;
        state.side.refresh(ws);
        let colors = state.colors.get(&ws.doc.session).clone();
        let mut out = egui::Panel::top("menu")
            .show(ui, |ui| panels::menu::menu_bar_ui(ui, ws, &self.prefs))
            .inner;
        egui::Panel::bottom("status").show(ui, |ui| panels::menu::status_bar_ui(ui, ws, &colors));
        if let Some(p) = &ws.project {
            out.extend(
                egui::Panel::left("documents")
                    .resizable(true)
                    .default_size(260.0)
                    .min_size(180.0)
                    .show(ui, |ui| {
                        panels::documents::documents_ui(ui, p, &mut state.docs)
                    })
                    .inner,
            );
            if state.show_guidelines {
                egui::Panel::right("guidelines")
                    .resizable(true)
                    .default_size(300.0)
                    .show(ui, |ui| panels::documents::guidelines_ui(ui, p));
            }
        }
        out.extend(
            egui::Panel::right("side")
                .resizable(true)
                .default_size(340.0)
                .min_size(260.0)
                .show(ui, |ui| state.side.ui(ui, ws, &colors))
                .inner,
        );
        if ws.find.open {
            out.extend(
                egui::Panel::top("find")
                    .show(ui, |ui| {
                        panels::find::find_bar_ui(ui, ws, &mut state.find_focus)
                    })
                    .inner,
            );
        }
        // The view reads the workspace's parts and moves only its cursor (disjoint borrows).
        let w = &mut self.ws;
        let scene = view::Scene {
            session: &w.doc.session,
            colors: &colors,
            find: &w.find,
            suggest: &w.suggest,
            chips: w.curation.chips(),
            relate: &w.relate,
        };
        let text_id = w.doc.text_id();
        let cursor = &mut w.cursor;
        out.extend(
            egui::CentralPanel::default()
                .frame(egui::Frame::central_panel(ui.style()).inner_margin(0.0))
                .show(ui, |ui| self.view.ui(ui, text_id, &scene, cursor))
                .inner,
        );
        // A click on another span while relating picks the relation's other end.
        if let Some(p) = &self.ws.relate.pending
            && let Some(now) = self.ws.cursor.selected_span
            && now != p.from
        {
            out.push(Action::Relate(crate::workspace::RelateOp::Pick(now)));
            self.ws.cursor.selected_span = Some(p.from);
        }
        let ws = &self.ws;
        out.extend(panels::prompts::prompt_ui(ctx, ws));
        if let Some(t) = &mut state.transfer {
            let has_folder = ws.doc.session_path.is_some();
            out.extend(panels::transfer::ui(ctx, t, has_folder));
        }
        if state.show_help {
            panels::prompts::help_ui(ctx, ws, &mut state.show_help);
        }
        if state.labels_ed.open {
            let s = &ws.doc.session;
            out.extend(panels::labels::label_editor_ui(
                ctx,
                &mut state.labels_ed,
                s.labels(),
                s.relation_labels(),
            ));
        }
        out
    }
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.prefs.recent.clone_from(&self.ws.recent);
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}
