//! The menu bar and the status line.

use crate::app::Prefs;
use crate::app::action::Action;
use crate::app::command::{Command, Menu};
use crate::app::theme::{self, LabelColors};
use crate::workspace::{Direction, Workspace};
use egui::{RichText, ThemePreference};

/// The menu bar; every entry comes from the command table or the label set.
pub fn menu_bar_ui(ui: &mut egui::Ui, ws: &Workspace, prefs: &Prefs) -> Vec<Action> {
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
                if ws.recent.is_empty() {
                    ui.weak("No recent files");
                }
                for p in &ws.recent {
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
            let undo = ws
                .undo_what(Direction::Backward)
                .map(|w| format!("Undo {w}"));
            let redo = ws
                .undo_what(Direction::Forward)
                .map(|w| format!("Redo {w}"));
            for c in Command::all().iter().filter(|c| c.menu() == Menu::Edit) {
                let enabled = match c {
                    Command::Undo => undo.is_some(),
                    Command::Redo => redo.is_some(),
                    Command::DeleteSpan => ws.cursor.selected_span.is_some(),
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
            for l in ws.doc.session.labels().iter() {
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
            let mut show = ws.suggest.show;
            if ui
                .checkbox(&mut show, Command::ToggleSuggestions.name())
                .clicked()
            {
                out.push(Action::Command(Command::ToggleSuggestions));
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
        });
        ui.menu_button("Suggestions", |ui| {
            let compared = ws.doc.session.compared.len();
            for c in Command::all().iter().filter(|c| {
                c.menu() == Menu::Suggestions
                    && !matches!(c, Command::TakeVersion(k) if usize::from(*k) >= compared)
            }) {
                item(ui, *c, &mut out);
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
        });
        ui.menu_button("Document", |ui| {
            for c in Command::all().iter().filter(|c| c.menu() == Menu::Document) {
                let mut b = egui::Button::new(c.name());
                if let Some(s) = c.shortcuts().first() {
                    b = b.shortcut_text(ui.ctx().format_shortcut(s));
                }
                if ui.add_enabled(ws.project.is_some(), b).clicked() {
                    out.push(Action::Command(*c));
                }
            }
            if ws.project.is_none() {
                ui.weak("Open a folder to work through its documents.");
            }
        });
        ui.menu_button("Help", |ui| item(ui, Command::Help, &mut out));
    });
    out
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
