//! The menu bar and the status line.

use crate::app::Prefs;
use crate::app::action::Action;
use crate::app::command::{Command, Menu};
use crate::app::theme::{self, LabelColors};
use crate::workspace::{Direction, Workspace};
use egui::{RichText, ThemePreference};

/// A command's menu entry, with its first shortcut; true when clicked.
fn command_button(ui: &mut egui::Ui, c: Command, name: String, enabled: bool) -> bool {
    let mut b = egui::Button::new(name);
    if let Some(s) = c.shortcuts().first() {
        b = b.shortcut_text(ui.ctx().format_shortcut(s));
    }
    ui.add_enabled(enabled, b).clicked()
}

/// The commands of `menu`, in the table's order.
fn menu_commands(menu: Menu) -> impl Iterator<Item = Command> {
    Command::all()
        .iter()
        .copied()
        .filter(move |c| c.menu() == menu)
}

/// The menu bar; every entry comes from the command table or the label set.
pub fn menu_bar_ui(ui: &mut egui::Ui, ws: &Workspace, prefs: &Prefs) -> Vec<Action> {
    let mut out = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu_ui(ui, ws, &mut out));
        ui.menu_button("Edit", |ui| edit_menu_ui(ui, ws, &mut out));
        ui.menu_button("View", |ui| view_menu_ui(ui, ws, prefs, &mut out));
        ui.menu_button("Suggestions", |ui| suggestions_menu_ui(ui, ws, &mut out));
        ui.menu_button("Document", |ui| {
            for c in menu_commands(Menu::Document) {
                if command_button(ui, c, c.name().into(), ws.project.is_some()) {
                    out.push(Action::Command(c));
                }
            }
            if ws.project.is_none() {
                ui.weak("Open a folder to work through its documents.");
            }
        });
        ui.menu_button("Help", |ui| {
            if command_button(ui, Command::Help, Command::Help.name().into(), true) {
                out.push(Action::Command(Command::Help));
            }
        });
    });
    out
}

fn file_menu_ui(ui: &mut egui::Ui, ws: &Workspace, out: &mut Vec<Action>) {
    for c in menu_commands(Menu::File) {
        if c.starts_group() {
            ui.separator();
        }
        if command_button(ui, c, c.name().into(), true) {
            out.push(Action::Command(c));
        }
        if c == Command::OpenFolder {
            ui.menu_button("Open Recent", |ui| {
                if ws.recent.is_empty() {
                    ui.weak("No recent files");
                }
                for p in &ws.recent {
                    if ui.button(p.display().to_string()).clicked() {
                        out.push(Action::OpenPath(p.clone()));
                    }
                }
            });
        }
    }
}

fn edit_menu_ui(ui: &mut egui::Ui, ws: &Workspace, out: &mut Vec<Action>) {
    let undo = ws
        .undo_what(Direction::Backward)
        .map(|w| format!("Undo {w}"));
    let redo = ws
        .undo_what(Direction::Forward)
        .map(|w| format!("Redo {w}"));
    for c in menu_commands(Menu::Edit) {
        let (name, enabled) = match c {
            Command::Undo => (undo.clone(), undo.is_some()),
            Command::Redo => (redo.clone(), redo.is_some()),
            Command::DeleteSpan => (None, ws.cursor.selected_span.is_some()),
            _ => (None, true),
        };
        if command_button(ui, c, name.unwrap_or_else(|| c.name().into()), enabled) {
            out.push(Action::Command(c));
        }
    }
    ui.separator();
    ui.weak("Tag selection as:");
    for l in ws.doc.session.labels().iter() {
        let mut b = egui::Button::new(&l.name);
        if let Some(k) = l.hotkey {
            b = b.shortcut_text(k.to_string());
        }
        if ui.add(b).clicked() {
            out.push(Action::Tag(l.name.clone()));
        }
    }
}

fn view_menu_ui(ui: &mut egui::Ui, ws: &Workspace, prefs: &Prefs, out: &mut Vec<Action>) {
    for c in [
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ZoomReset,
        Command::Guidelines,
    ] {
        if command_button(ui, c, c.name().into(), true) {
            out.push(Action::Command(c));
        }
    }
    let mut show = ws.suggest.show;
    if ui
        .checkbox(&mut show, Command::ToggleSuggestions.name())
        .clicked()
    {
        out.push(Action::Command(Command::ToggleSuggestions));
    }
    let mut min = ws.suggest.min_score;
    let slider = egui::Slider::new(&mut min, 0.0..=0.95)
        .step_by(0.05)
        .text("hide learned below");
    if ui
        .add_enabled(ws.suggest.show, slider)
        .on_hover_text("Learned suggestions less sure than this are not shown (1 = sure).")
        .changed()
    {
        out.push(Action::SetMinScore(min));
    }
    let mut all = ws.relate.show_all;
    if ui
        .checkbox(&mut all, Command::ToggleRelations.name())
        .clicked()
    {
        out.push(Action::Command(Command::ToggleRelations));
    }
    ui.separator();
    let mut snap = prefs.snap;
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
        if ui.radio(prefs.theme == t, name).clicked() {
            out.push(Action::SetTheme(t));
        }
    }
}

fn suggestions_menu_ui(ui: &mut egui::Ui, ws: &Workspace, out: &mut Vec<Action>) {
    let compared = ws.doc.session.compared.len();
    for c in menu_commands(Menu::Suggestions)
        .filter(|c| !matches!(c, Command::TakeVersion(k) if usize::from(*k) >= compared))
    {
        if command_button(ui, c, c.name().into(), true) {
            out.push(Action::Command(c));
        }
    }
    ui.separator();
    for l in ws.doc.session.labels().iter() {
        let n = ws.suggest.list.iter().filter(|g| g.label == l.name).count();
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
    if !ws.suggest.show {
        ui.weak("Suggestions are hidden (View menu).");
    }
}

/// The status line: the document, the labels' counts, the selection and the latest message.
pub fn status_bar_ui(ui: &mut egui::Ui, ws: &Workspace, colors: &LabelColors) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&ws.doc.name).strong());
        if ws.doc.dirty() {
            ui.label(RichText::new("• unsaved changes").color(theme::UNSAVED));
        } else {
            ui.weak("saved");
        }
        ui.separator();
        for l in ws.doc.session.labels().iter() {
            let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter().rect_filled(r, 2.0, colors.solid(&l.name));
            ui.label(format!("{} {}", l.name, ws.doc.session.count(&l.name)));
        }
        ui.separator();
        if let Some(r) = &ws.cursor.selection {
            ui.label(format!(
                "selection {}–{} ({} chars)",
                r.start,
                r.end,
                r.len()
            ));
        } else if let Some(a) = ws
            .cursor
            .selected_span
            .and_then(|id| ws.doc.session.get(id))
        {
            ui.label(format!("span {}–{} {}", a.start, a.end, a.label));
        } else {
            ui.weak("no selection");
        }
        if let Some(s) = &ws.notices.status {
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
