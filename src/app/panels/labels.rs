//! The label editor window: the span labels (name, colour, key, order) and the relation
//! labels (name, colour, key, whether direction matters). It returns label requests; the
//! workspace applies them (to every document of a project).

use crate::app::action::Action;
use crate::model::{Color, LabelSet, RelationLabel};
use crate::workspace::{LabelOp, RelationLabelOp};
use std::collections::HashMap;

/// The label editor's edit buffers.
#[derive(Default)]
pub struct LabelEditor {
    pub open: bool,
    names: HashMap<String, String>,
    hotkeys: HashMap<String, String>,
    new_name: String,
    /// The relation labels' buffers, like the span labels'.
    rel_names: HashMap<String, String>,
    rel_hotkeys: HashMap<String, String>,
    new_relation: String,
    /// Put the keyboard in the new label's name on the next frame (just opened, or a label
    /// was just added: type the next one).
    focus_new: bool,
}

impl LabelEditor {
    /// Opens (with the keyboard in the new label's name) or closes the editor.
    pub fn toggle(&mut self) {
        self.open = !self.open;
        self.focus_new = self.open;
    }
}

/// The label editor window.
pub fn label_editor_ui(
    ctx: &egui::Context,
    ed: &mut LabelEditor,
    labels: &LabelSet,
    relation_labels: &[RelationLabel],
) -> Vec<Action> {
    let mut out = Vec::new();
    let mut open = ed.open;
    egui::Window::new("Labels")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_pos([420.0, 120.0])
        .show(ctx, |ui| {
            ui.set_min_width(440.0);
            ui.strong("Span labels");
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
                if std::mem::take(&mut ed.focus_new) {
                    r.request_focus();
                }
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Add label").clicked() || enter) && !ed.new_name.trim().is_empty() {
                    out.push(Action::Label(LabelOp::Add(ed.new_name.trim().to_owned())));
                    ed.new_name.clear();
                    ed.focus_new = enter;
                }
            });
            relations_section(ui, ed, relation_labels, &mut out);
        });
    ed.open = open;
    // Buffers of labels that no longer exist are dropped.
    ed.names.retain(|k, _| labels.contains(k));
    ed.hotkeys.retain(|k, _| labels.contains(k));
    let known = |k: &String| relation_labels.iter().any(|l| &l.name == k);
    ed.rel_names.retain(|k, _| known(k));
    ed.rel_hotkeys.retain(|k, _| known(k));
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

/// The relation labels: a row each, and a field to add one.
fn relations_section(
    ui: &mut egui::Ui,
    ed: &mut LabelEditor,
    labels: &[RelationLabel],
    out: &mut Vec<Action>,
) {
    ui.add_space(8.0);
    ui.strong("Relation labels");
    ui.weak("Press r on a span, pick the other span (Tab or click), then the relation's key.");
    for l in labels {
        ui.horizontal(|ui| relation_row(ui, ed, l, out));
    }
    ui.horizontal(|ui| {
        let r = ui.add_sized(
            [160.0, 22.0],
            egui::TextEdit::singleline(&mut ed.new_relation).hint_text("new relation label"),
        );
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let name = ed.new_relation.trim().to_owned();
        if (ui.button("Add label").clicked() || enter) && !name.is_empty() {
            out.push(Action::Label(LabelOp::Relation(RelationLabelOp::Add(name))));
            ed.new_relation.clear();
            if enter {
                r.request_focus();
            }
        }
    });
}

/// One relation label's fields: name, colour, key, direction, delete.
fn relation_row(ui: &mut egui::Ui, ed: &mut LabelEditor, l: &RelationLabel, out: &mut Vec<Action>) {
    let op = |o| Action::Label(LabelOp::Relation(o));
    let name = l.name.clone();
    let buf = ed
        .rel_names
        .entry(name.clone())
        .or_insert_with(|| name.clone());
    let r = ui.add_sized(
        [160.0, 22.0],
        egui::TextEdit::singleline(buf).hint_text("relation name"),
    );
    if r.lost_focus() && buf.trim() != name {
        let to = buf.trim().to_owned();
        buf.clone_from(&name);
        out.push(op(RelationLabelOp::Rename {
            from: name.clone(),
            to,
        }));
    }
    let mut rgb = l.color.0;
    if egui::color_picker::color_edit_button_srgb(ui, &mut rgb).changed() {
        out.push(op(RelationLabelOp::Recolour {
            name: name.clone(),
            color: Color(rgb),
        }));
    }
    let shown = || l.hotkey.map(String::from).unwrap_or_default();
    let hk = ed.rel_hotkeys.entry(name.clone()).or_insert_with(shown);
    let r = ui.add_sized(
        [28.0, 22.0],
        egui::TextEdit::singleline(hk)
            .hint_text("key")
            .char_limit(1),
    );
    if r.lost_focus() {
        let key = hk.trim().chars().next();
        if key != l.hotkey {
            *hk = shown();
            out.push(op(RelationLabelOp::Hotkey {
                name: name.clone(),
                key,
            }));
        }
    }
    let mut directed = l.directed;
    if ui
        .checkbox(&mut directed, "directed")
        .on_hover_text("Whether the direction matters: “speaks for” does, “met” does not.")
        .changed()
    {
        out.push(op(RelationLabelOp::Directed {
            name: name.clone(),
            directed,
        }));
    }
    if ui.button("Delete").clicked() {
        out.push(op(RelationLabelOp::Delete(name)));
    }
}
