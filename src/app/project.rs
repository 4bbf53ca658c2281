//! Project mode: the document list (status, span counts, filter, progress), the label editor
//! and the guidelines panel. Panels return [`Action`]s like every other panel.

use super::Action;
use super::theme;
use crate::io::project::{DocEntry, ProjectFile, Status};
use crate::model::{Color, LabelSet};
use egui::RichText;
use std::collections::HashMap;
use std::path::PathBuf;

/// An open project folder.
pub struct ProjectState {
    pub folder: PathBuf,
    pub file: ProjectFile,
    pub docs: Vec<DocEntry>,
    /// Index into `docs` of the open document.
    pub current: Option<usize>,
    pub filter: String,
    pub status_filter: Option<Status>,
    pub show_guidelines: bool,
    /// Annotations removed from other documents when their label was deleted, kept so that
    /// undoing the delete brings them back: (session path, label) → annotations.
    pub stash: HashMap<(PathBuf, String), Vec<crate::model::Annotation>>,
    /// How many documents tag each (text, label): the project's gazetteer. Rebuilt when a
    /// document's entry changes (`None` until then).
    pub term_counts: Option<std::sync::Arc<HashMap<(String, String), usize>>>,
    /// Label changes concern every document, so they are undone from here, not from one
    /// document's history: in step order with the open document's own edits, whichever
    /// document is open.
    pub label_undo: Vec<LabelStep>,
    pub label_redo: Vec<LabelStep>,
}

/// One change to a project's label set, with what reverses it.
#[derive(Clone, Debug)]
pub struct LabelStep {
    /// When it was made (`model::history::next_step`).
    pub step: u64,
    pub forward: crate::model::Edit,
    pub backward: crate::model::Edit,
    /// "rename label actor to person".
    pub what: String,
}

impl ProjectState {
    /// The gazetteer terms of every document but the one at `session` (its own come from its
    /// annotations as they are now).
    pub fn terms_except(&mut self, session: Option<&std::path::Path>) -> Vec<(String, String)> {
        let counts = self
            .term_counts
            .get_or_insert_with(|| {
                let mut m: HashMap<(String, String), usize> = HashMap::new();
                for d in &self.docs {
                    for t in &d.terms {
                        *m.entry(t.clone()).or_default() += 1;
                    }
                }
                std::sync::Arc::new(m)
            })
            .clone();
        let own: std::collections::HashSet<&(String, String)> = self
            .docs
            .iter()
            .find(|d| Some(d.session.as_path()) == session)
            .map(|d| d.terms.iter().collect())
            .unwrap_or_default();
        counts
            .iter()
            .filter(|(k, n)| **n > usize::from(own.contains(k)))
            .map(|(k, _)| k.clone())
            .collect()
    }

    pub fn done(&self) -> usize {
        self.docs
            .iter()
            .filter(|d| d.status == Status::Done)
            .count()
    }

    /// The next document after the current one (wrapping) that is not done.
    pub fn next_not_done(&self) -> Option<usize> {
        let n = self.docs.len();
        let from = self.current.map_or(0, |c| c + 1);
        (0..n)
            .map(|i| (from + i) % n)
            .find(|&i| self.docs[i].status != Status::Done && Some(i) != self.current)
    }

    /// The documents the filters let through (the name filter lower-cased once, not per row).
    fn visible(&self) -> Vec<usize> {
        let f = self.filter.trim().to_lowercase();
        (0..self.docs.len())
            .filter(|&i| {
                let d = &self.docs[i];
                (f.is_empty() || d.name.to_lowercase().contains(&f))
                    && self.status_filter.is_none_or(|s| s == d.status)
            })
            .collect()
    }
}

/// The label editor's edit buffers.
#[derive(Default)]
pub struct LabelEditor {
    pub open: bool,
    names: HashMap<String, String>,
    hotkeys: HashMap<String, String>,
    new_name: String,
}

/// What the label editor asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum LabelOp {
    Add(String),
    Rename {
        from: String,
        to: String,
    },
    Recolour {
        name: String,
        color: Color,
    },
    Hotkey {
        name: String,
        key: Option<char>,
    },
    Move {
        name: String,
        up: bool,
    },
    /// Asks first, saying how many annotations would go.
    Delete(String),
    DeleteConfirmed(String),
}

fn status_text(s: Status) -> RichText {
    let t = RichText::new(s.name()).small();
    match s {
        Status::New => t.weak(),
        Status::InProgress => t.color(theme::UNSAVED),
        Status::Done => t.color(theme::DONE),
    }
}

/// The document list on the left.
pub fn documents_panel(ui: &mut egui::Ui, p: &mut ProjectState) -> Vec<Action> {
    let mut out = Vec::new();
    let done = p.done();
    let total = p.docs.len();
    ui.add_space(4.0);
    ui.heading("Documents");
    ui.weak(p.folder.display().to_string());
    let frac = if total == 0 {
        0.0
    } else {
        done as f32 / total as f32
    };
    ui.add(egui::ProgressBar::new(frac).text(format!("{done} of {total} done")));
    ui.add(
        egui::TextEdit::singleline(&mut p.filter)
            .hint_text("Filter by name")
            .desired_width(f32::INFINITY),
    );
    ui.horizontal(|ui| {
        for (s, name) in [
            (None, "all"),
            (Some(Status::New), "new"),
            (Some(Status::InProgress), "in progress"),
            (Some(Status::Done), "done"),
        ] {
            if ui.selectable_label(p.status_filter == s, name).clicked() {
                p.status_filter = s;
            }
        }
    });
    ui.separator();
    let shown = p.visible();
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_h, shown.len(), |ui, rows| {
            for &i in &shown[rows] {
                let d = &p.docs[i];
                let current = p.current == Some(i);
                ui.horizontal(|ui| {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.label(status_text(d.status));
                        ui.weak(format!("{}", d.spans));
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            let name = RichText::new(&d.name);
                            let name = if current { name.strong() } else { name };
                            let r = ui.add(egui::Button::selectable(current, name).truncate());
                            if r.clicked() && !current {
                                out.push(Action::OpenDoc(i));
                            }
                            let tip = match &d.problem {
                                Some(problem) => format!("{}\n{problem}", d.name),
                                None => d.name.clone(),
                            };
                            r.on_hover_text(tip);
                        });
                    });
                });
            }
        });
    if shown.is_empty() {
        ui.weak("No document matches.");
    }
    out
}

/// Annotation guidelines, Markdown shown plainly: headings, bullets, paragraphs.
pub fn guidelines_panel(ui: &mut egui::Ui, p: &ProjectState) {
    ui.heading("Guidelines");
    egui::ScrollArea::vertical().show(ui, |ui| {
        if p.file.guidelines.trim().is_empty() {
            ui.weak(format!(
                "No guidelines yet. Write them (Markdown) in the guidelines field of {}.",
                crate::io::project::PROJECT_FILE
            ));
        }
        for line in p.file.guidelines.lines() {
            let t = line.trim_end();
            if let Some(h) = t.strip_prefix("# ") {
                ui.label(RichText::new(h).heading());
            } else if let Some(h) = t.strip_prefix("## ").or_else(|| t.strip_prefix("### ")) {
                ui.label(RichText::new(h).strong());
            } else if let Some(b) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
                ui.label(format!("  \u{2022} {b}"));
            } else if t.is_empty() {
                ui.add_space(4.0);
            } else {
                ui.label(t);
            }
        }
    });
}

/// The label editor window.
pub fn label_editor(ctx: &egui::Context, ed: &mut LabelEditor, labels: &LabelSet) -> Vec<Action> {
    let mut out = Vec::new();
    let mut open = ed.open;
    egui::Window::new("Labels")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_pos([420.0, 120.0])
        .show(ctx, |ui| {
            ui.set_min_width(440.0);
            ui.weak("Changes apply to every document of the project. Ctrl+Z undoes them.");
            // Rows of fixed-width fields (a Grid keeps its first frame's narrow columns).
            let n = labels.len();
            for (i, l) in labels.iter().enumerate() {
                ui.horizontal(|ui| label_row(ui, ed, l, i, n, &mut out));
            }
            ui.separator();
            ui.horizontal(|ui| {
                let r = ui.add_sized(
                    [160.0, 22.0],
                    egui::TextEdit::singleline(&mut ed.new_name).hint_text("new label"),
                );
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Add label").clicked() || enter) && !ed.new_name.trim().is_empty() {
                    out.push(Action::Label(LabelOp::Add(ed.new_name.trim().to_owned())));
                    ed.new_name.clear();
                }
            });
        });
    ed.open = open;
    // Buffers of labels that no longer exist are dropped.
    ed.names.retain(|k, _| labels.contains(k));
    ed.hotkeys.retain(|k, _| labels.contains(k));
    out
}

/// One label's fields: name, colour, hotkey, order, delete.
fn label_row(
    ui: &mut egui::Ui,
    ed: &mut LabelEditor,
    l: &crate::model::Label,
    i: usize,
    n: usize,
    out: &mut Vec<Action>,
) {
    let buf = ed
        .names
        .entry(l.name.clone())
        .or_insert_with(|| l.name.clone());
    let r = ui.add_sized(
        [160.0, 22.0],
        egui::TextEdit::singleline(buf).hint_text("label name"),
    );
    if r.lost_focus() && buf.trim() != l.name {
        let to = buf.trim().to_owned();
        *buf = l.name.clone();
        out.push(Action::Label(LabelOp::Rename {
            from: l.name.clone(),
            to,
        }));
    }
    let mut rgb = l.color.0;
    if egui::color_picker::color_edit_button_srgb(ui, &mut rgb).changed() {
        out.push(Action::Label(LabelOp::Recolour {
            name: l.name.clone(),
            color: Color(rgb),
        }));
    }
    let hk = ed
        .hotkeys
        .entry(l.name.clone())
        .or_insert_with(|| l.hotkey.map(String::from).unwrap_or_default());
    let r = ui.add_sized(
        [28.0, 22.0],
        egui::TextEdit::singleline(hk)
            .hint_text("key")
            .char_limit(1),
    );
    if r.lost_focus() {
        let key = hk.trim().chars().next();
        if key != l.hotkey {
            *hk = l.hotkey.map(String::from).unwrap_or_default();
            out.push(Action::Label(LabelOp::Hotkey {
                name: l.name.clone(),
                key,
            }));
        }
    }
    for (enabled, text, up) in [(i > 0, "up", true), (i + 1 < n, "down", false)] {
        if ui.add_enabled(enabled, egui::Button::new(text)).clicked() {
            out.push(Action::Label(LabelOp::Move {
                name: l.name.clone(),
                up,
            }));
        }
    }
    if ui.button("Delete").clicked() {
        out.push(Action::Label(LabelOp::Delete(l.name.clone())));
    }
}

/// The label set after `op`, or why not. Rename and delete are handled by the caller.
pub fn changed_labels(labels: &LabelSet, op: &LabelOp) -> Result<LabelSet, String> {
    let mut v = labels.to_vec();
    match op {
        LabelOp::Add(name) => {
            if labels.contains(name) {
                return Err(format!("there is already a label {name:?}"));
            }
            let mut set = labels.clone();
            set.add_met(name, None);
            return Ok(set);
        }
        LabelOp::Recolour { name, color } => {
            if let Some(l) = v.iter_mut().find(|l| &l.name == name) {
                l.color = *color;
            }
        }
        LabelOp::Hotkey { name, key } => {
            if let Some(k) = key {
                if !k.is_ascii_alphanumeric() {
                    return Err(format!("{k:?} cannot be a hotkey: use a letter or digit"));
                }
                if let Some(o) = v.iter().find(|l| l.hotkey == Some(*k) && &l.name != name) {
                    return Err(format!("key {k} is already {:?}'s", o.name));
                }
                if let Some(c) = super::command::Command::ALL.iter().find(|c| {
                    c.shortcuts().iter().any(|s| {
                        super::command::Command::is_plain_key(s)
                            && Some(s.logical_key) == super::command::key_for_hotkey(*k)
                    })
                }) {
                    return Err(format!("key {k} is the shortcut for {:?}", c.name()));
                }
            }
            if let Some(l) = v.iter_mut().find(|l| &l.name == name) {
                l.hotkey = *key;
            }
        }
        LabelOp::Move { name, up } => {
            if let Some(i) = v.iter().position(|l| &l.name == name) {
                let j = if *up { i.checked_sub(1) } else { Some(i + 1) };
                if let Some(j) = j.filter(|&j| j < v.len()) {
                    v.swap(i, j);
                }
            }
        }
        LabelOp::Rename { .. } | LabelOp::Delete(_) | LabelOp::DeleteConfirmed(_) => {}
    }
    LabelSet::new(v)
}
