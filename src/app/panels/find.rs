//! The find bar (Ctrl+F), above the article: the query and its options, the match count, and
//! "tag all matches". The matches are the workspace's.

use crate::app::action::Action;
use crate::app::theme;
use crate::workspace::Workspace;

/// The find bar, above the article. Returns what the user asked for.
pub fn find_bar_ui(ui: &mut egui::Ui, ws: &Workspace, focus: &mut bool) -> Vec<Action> {
    let mut out = Vec::new();
    let find = &ws.find;
    let (count, current) = (find.matches.len(), find.current);
    let mut query = find.query.clone();
    let mut opts = find.opts;
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(&mut query)
                .hint_text("Find (Enter: next, Shift+Enter: previous, Esc: close)")
                .desired_width(300.0),
        );
        if std::mem::take(focus) {
            r.request_focus();
        }
        // Enter in a single-line field ends editing; keep typing there after moving.
        let (enter, shift, esc) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                i.modifiers.shift,
                i.key_pressed(egui::Key::Escape),
            )
        });
        if r.lost_focus() && enter {
            out.push(if shift {
                Action::FindPrevious
            } else {
                Action::FindNext
            });
            // Back into the field at once, not at the next input (the next key may be Escape).
            *focus = true;
            ui.ctx().request_repaint();
        }
        if (r.has_focus() || r.lost_focus()) && esc {
            out.push(Action::CloseFind);
        }
        ui.toggle_value(&mut opts.case_sensitive, "Aa")
            .on_hover_text("Match case");
        ui.toggle_value(&mut opts.whole_word, "Word")
            .on_hover_text("Whole words only");
        ui.toggle_value(&mut opts.regex, ".*")
            .on_hover_text("Regular expression");
        if let Some(e) = &find.error {
            ui.colored_label(theme::ERROR, "bad regular expression")
                .on_hover_text(e);
        } else if query.is_empty() {
            ui.weak("type to find");
        } else {
            match current {
                Some(i) => ui.label(format!("{} of {count}", i + 1)),
                None => ui.label(format!("{count} matches")),
            };
        }
        if ui
            .button("<")
            .on_hover_text("Previous (Shift+Enter)")
            .clicked()
        {
            out.push(Action::FindPrevious);
        }
        if ui.button(">").on_hover_text("Next (Enter)").clicked() {
            out.push(Action::FindNext);
        }
        ui.separator();
        ui.add_enabled(count > 0, egui::Label::new(format!("Tag all {count} as")));
        for l in ws.doc.session.labels().iter() {
            if ui
                .add_enabled(count > 0, egui::Button::new(&l.name))
                .on_hover_text(format!("Tag every match as {} (one undo step)", l.name))
                .clicked()
            {
                out.push(Action::TagAllMatches(l.name.clone()));
            }
        }
        if ui.button("Close").clicked() {
            out.push(Action::CloseFind);
        }
    });
    if query != find.query || opts != find.opts {
        // Typed or toggled: the query goes first, so that Enter finds the new text.
        out.insert(0, Action::SetFind(query, opts));
    }
    out
}
