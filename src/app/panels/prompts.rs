//! Prompts that wait for an answer (unsaved changes, errors, notices, a file changed on disk,
//! deleting a label) and the keyboard help (F1).

use crate::app::action::Action;
use crate::app::command::Command;
use crate::app::theme;
use crate::workspace::{Answer, External, LabelOp, Prompt, Workspace};
use egui::RichText;

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
            out.push(Action::ClosePrompt);
        }
    });
    if r.should_close() {
        out.push(Action::ClosePrompt);
    }
}

/// The prompt waiting for an answer, if any.
pub fn prompt_ui(ctx: &egui::Context, ws: &Workspace) -> Vec<Action> {
    let mut out = Vec::new();
    match &ws.notices.prompt {
        Some(Prompt::Unsaved(_)) => {
            egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.heading("Save your changes?");
                ui.label(format!(
                    "{} has changes that are not saved. If you don't save, they are lost.",
                    ws.doc.name
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
        Some(Prompt::Error(msg)) => message_modal(
            ctx,
            "error",
            RichText::new("Something went wrong").color(theme::ERROR),
            msg,
            &mut out,
        ),
        Some(Prompt::Info(msg)) => {
            message_modal(ctx, "info", RichText::new("Good to know"), msg, &mut out);
        }
        Some(Prompt::ExternalChange) => {
            egui::Modal::new(egui::Id::unique("external")).show(ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading("Changed by another program");
                let path = ws
                    .doc
                    .session_path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                ui.label(format!(
                    "{path} was changed on disk since Spanmark read it (by git, a sync tool or another editor)."
                ));
                if ws.doc.dirty() {
                    ui.label("You also have changes here that are not saved.");
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Reload theirs").clicked() {
                        out.push(Action::External(External::ReloadTheirs));
                    }
                    if ui.button("Keep mine").clicked() {
                        out.push(Action::External(External::KeepMine));
                    }
                });
            });
        }
        Some(Prompt::ArticleChanged {
            inserted,
            deleted,
            annotations,
        }) => {
            egui::Modal::new(egui::Id::unique("article-changed")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading("The article changed");
                ui.label(format!(
                    "The article changed since this session was saved (+{inserted} / −{deleted} characters). Re-anchor the {annotations} annotation{} onto the new text, or open the saved text as it was?",
                    if *annotations == 1 { "" } else { "s" }
                ));
                ui.weak("Spans whose words changed or went wait for your review (Tab). Ctrl+Z undoes the re-anchoring.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let yes = ui.button("Re-anchor");
                    if yes.clicked() {
                        out.push(Action::Reanchor(true));
                    }
                    if ui.button("Open the saved text").clicked() {
                        out.push(Action::Reanchor(false));
                    }
                    // Enter re-anchors; Escape keeps the saved text.
                    if !ui.memory(|m| m.focused().is_some()) {
                        yes.request_focus();
                    }
                });
            });
            if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
                out.push(Action::Reanchor(false));
            }
        }
        Some(Prompt::ConfirmDelete {
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
                        out.push(Action::ClosePrompt);
                    }
                });
            });
            if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
                out.push(Action::ClosePrompt);
            }
        }
        None => {}
    }
    out
}

/// F1: every shortcut, from the command table and the labels.
pub fn help_ui(ctx: &egui::Context, ws: &Workspace, show: &mut bool) {
    let mut open = *show;
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
                        for l in ws.doc.session.labels().iter() {
                            if let Some(k) = l.hotkey {
                                ui.label(format!(
                                    "Tag selection as {} (or relabel the selected span)",
                                    l.name
                                ));
                                ui.monospace(k.to_string());
                                ui.end_row();
                            }
                        }
                        for c in Command::listed() {
                            let keys: Vec<String> = c
                                .shortcuts()
                                .iter()
                                .map(|s| ctx.format_shortcut(s))
                                .collect();
                            ui.label(c.name());
                            ui.monospace(keys.join("  or  "));
                            ui.end_row();
                        }
                        for (what, how) in crate::app::command::MOUSE {
                            ui.label(what);
                            ui.monospace(how);
                            ui.end_row();
                        }
                    });
                });
        });
    *show = open;
}
