//! Annotating faster: the find bar (Ctrl+F) and the suggestions' state. The matching itself
//! is in `model::search`.

use super::Action;
use crate::model::LabelSet;
use crate::model::search::FindOptions;
use std::collections::HashSet;

/// The find bar.
#[derive(Default)]
pub struct FindBar {
    pub open: bool,
    pub query: String,
    pub opts: FindOptions,
    /// Why the query is not a valid regular expression.
    pub error: Option<String>,
    /// Focus the query field on the next frame.
    pub focus: bool,
    /// The query and options the matches were computed for, and the document revision.
    pub computed: Option<(String, FindOptions, u64)>,
}

/// Suggestions for the open document.
pub struct Suggest {
    /// View → Show suggestions.
    pub show: bool,
    /// Rejected (start, end, label) in this document: not suggested again.
    pub rejected: HashSet<(usize, usize, String)>,
    /// The revision and rejection count the view's suggestions were computed for.
    pub computed: Option<(u64, usize)>,
}

impl Default for Suggest {
    fn default() -> Self {
        Self {
            show: true,
            rejected: HashSet::new(),
            computed: None,
        }
    }
}

/// The find bar, above the article. Returns what the user asked for.
pub fn find_bar_ui(
    ui: &mut egui::Ui,
    bar: &mut FindBar,
    count: usize,
    current: Option<usize>,
    labels: &LabelSet,
) -> Vec<Action> {
    let mut out = Vec::new();
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(&mut bar.query)
                .hint_text("Find (Enter: next, Shift+Enter: previous, Esc: close)")
                .desired_width(300.0),
        );
        if std::mem::take(&mut bar.focus) {
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
            out.push(Action::FindStep(!shift));
            bar.focus = true;
        }
        if (r.has_focus() || r.lost_focus()) && esc {
            out.push(Action::CloseFind);
        }
        ui.toggle_value(&mut bar.opts.case_sensitive, "Aa")
            .on_hover_text("Match case");
        ui.toggle_value(&mut bar.opts.whole_word, "Word")
            .on_hover_text("Whole words only");
        ui.toggle_value(&mut bar.opts.regex, ".*")
            .on_hover_text("Regular expression");
        if let Some(e) = &bar.error {
            ui.colored_label(super::theme::ERROR, "bad regular expression")
                .on_hover_text(e);
        } else if bar.query.is_empty() {
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
            out.push(Action::FindStep(false));
        }
        if ui.button(">").on_hover_text("Next (Enter)").clicked() {
            out.push(Action::FindStep(true));
        }
        ui.separator();
        ui.add_enabled(count > 0, egui::Label::new(format!("Tag all {count} as")));
        for l in labels.iter() {
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
    out
}
