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

/// A notice that only informs: not modal, at the top of the window; OK, Escape or any
/// command closes it (the command runs).
fn notice_ui(ctx: &egui::Context, msg: &str, out: &mut Vec<Action>) {
    egui::Window::new("Good to know")
        .id(egui::Id::unique("notice"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 48.0))
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(msg);
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() {
                    out.push(Action::ClosePrompt);
                }
                ui.weak("Escape or any command closes this.");
            });
        });
}

/// A question: its text, its buttons (each an answer), and the answer Escape gives.
struct Ask<'a> {
    id: &'a str,
    width: f32,
    heading: String,
    lines: Vec<String>,
    /// A quieter line under the text.
    hint: Option<&'a str>,
    buttons: Vec<(&'a str, Action)>,
    escape: Option<Action>,
    /// The first button has the keyboard (Enter presses it).
    enter_first: bool,
}

fn ask_ui(ctx: &egui::Context, a: Ask<'_>, out: &mut Vec<Action>) {
    egui::Modal::new(egui::Id::unique(a.id)).show(ctx, |ui| {
        ui.set_max_width(a.width);
        ui.heading(a.heading);
        for l in &a.lines {
            ui.label(l);
        }
        if let Some(h) = a.hint {
            ui.weak(h);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for (k, (name, action)) in a.buttons.into_iter().enumerate() {
                let b = ui.button(name);
                if b.clicked() {
                    out.push(action);
                }
                if k == 0 && a.enter_first && !ui.memory(|m| m.focused().is_some()) {
                    b.request_focus();
                }
            }
        });
    });
    if let Some(e) = a.escape
        && ctx.input(|i| i.key_pressed(egui::Key::Escape))
    {
        out.push(e);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The prompt waiting for an answer, if any.
pub fn prompt_ui(ctx: &egui::Context, ws: &Workspace) -> Vec<Action> {
    let mut out = Vec::new();
    let ask = match &ws.notices.prompt {
        None => return out,
        Some(Prompt::Error(msg)) => {
            let heading = RichText::new("Something went wrong").color(theme::ERROR);
            message_modal(ctx, "error", heading, msg, &mut out);
            return out;
        }
        Some(Prompt::Info(msg)) => {
            notice_ui(ctx, msg, &mut out);
            return out;
        }
        Some(Prompt::Unsaved(_)) => Ask {
            id: "unsaved",
            width: 420.0,
            heading: "Save your changes?".into(),
            lines: vec![format!(
                "{} has changes that are not saved. If you don't save, they are lost.",
                ws.doc.name
            )],
            hint: None,
            buttons: vec![
                ("Save", Action::Answer(Answer::Save)),
                ("Discard", Action::Answer(Answer::Discard)),
                ("Cancel", Action::Answer(Answer::Cancel)),
            ],
            escape: Some(Action::Answer(Answer::Cancel)),
            enter_first: false,
        },
        Some(Prompt::ExternalChange) => external_change(ws),
        Some(Prompt::ArticleChanged {
            changed,
            annotations,
            waiting,
        }) => article_changed(*changed, *annotations, *waiting),
        Some(Prompt::ConfirmDelete {
            label,
            annotations,
            documents,
        }) => Ask {
            id: "confirm-delete",
            width: 480.0,
            heading: format!("Delete the label {label}?"),
            lines: vec![format!(
                "This removes {annotations} annotation{} in {documents} document{}. Ctrl+Z undoes it while the window is open.",
                plural(*annotations),
                plural(*documents),
            )],
            hint: None,
            buttons: vec![
                (
                    "Delete",
                    Action::Label(LabelOp::DeleteConfirmed(label.clone())),
                ),
                ("Cancel", Action::ClosePrompt),
            ],
            escape: Some(Action::ClosePrompt),
            enter_first: false,
        },
    };
    ask_ui(ctx, ask, &mut out);
    out
}

/// The session file changed on disk: reload theirs or keep mine.
fn external_change(ws: &Workspace) -> Ask<'static> {
    let path = ws
        .doc
        .session_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut lines = vec![format!(
        "{path} was changed on disk since Spanmark read it (by git, a sync tool or another editor)."
    )];
    if ws.doc.dirty() {
        lines.push("You also have changes here that are not saved.".into());
    }
    Ask {
        id: "external",
        width: 560.0,
        heading: "Changed by another program".into(),
        lines,
        hint: None,
        buttons: vec![
            ("Reload theirs", Action::External(External::ReloadTheirs)),
            ("Keep mine", Action::External(External::KeepMine)),
        ],
        escape: None,
        enter_first: false,
    }
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

/// The article was corrected: re-anchor, or open the saved text? While a long document's
/// re-anchoring is worked out the question says so; once chosen, it waits for it.
fn article_changed(
    changed: Option<(usize, usize)>,
    annotations: usize,
    waiting: bool,
) -> Ask<'static> {
    let what = format!("{annotations} annotation{}", plural(annotations));
    if waiting {
        return Ask {
            id: "article-changed",
            width: 520.0,
            heading: "Re-anchoring…".into(),
            lines: vec![format!(
                "Carrying the {what} onto the corrected article. This takes a moment for a long article."
            )],
            hint: None,
            buttons: vec![("Open the saved text instead", Action::Reanchor(false))],
            escape: Some(Action::Reanchor(false)),
            enter_first: false,
        };
    }
    let how_much = match changed {
        Some((inserted, deleted)) => format!("+{inserted} / −{deleted} characters"),
        None => "working out what changed…".into(),
    };
    Ask {
        id: "article-changed",
        width: 520.0,
        heading: "The article changed".into(),
        lines: vec![format!(
            "The article changed since this session was saved ({how_much}). Re-anchor the {what} onto the new text, or open the saved text as it was?"
        )],
        hint: Some(
            "Spans whose words changed or went wait for your review (Tab). Ctrl+Z undoes the re-anchoring.",
        ),
        // Enter re-anchors; Escape keeps the saved text.
        buttons: vec![
            ("Re-anchor", Action::Reanchor(true)),
            ("Open the saved text", Action::Reanchor(false)),
        ],
        escape: Some(Action::Reanchor(false)),
        enter_first: true,
    }
}
