//! Project mode's panels: the document list (status, span counts, filter, progress) and
//! the guidelines. They read the workspace's project and return actions.

use crate::app::action::Action;
use crate::app::theme;
use crate::io::project::Status;
use crate::workspace::Project;
use egui::RichText;

/// The document list's filters.
#[derive(Default)]
pub struct DocList {
    pub filter: String,
    pub status_filter: Option<Status>,
}

impl DocList {
    /// The documents the filters let through (the name filter lower-cased once, not per row).
    fn visible(&self, p: &Project) -> Vec<usize> {
        let f = self.filter.trim().to_lowercase();
        (0..p.docs.len())
            .filter(|&i| {
                let d = &p.docs[i];
                (f.is_empty() || d.name.to_lowercase().contains(&f))
                    && self.status_filter.is_none_or(|s| s == d.status)
            })
            .collect()
    }
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
pub fn documents_ui(ui: &mut egui::Ui, p: &Project, list: &mut DocList) -> Vec<Action> {
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
        egui::TextEdit::singleline(&mut list.filter)
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
            if ui.selectable_label(list.status_filter == s, name).clicked() {
                list.status_filter = s;
            }
        }
    });
    let now = crate::model::Timestamp::now().0 as i64;
    if p.git.is_repository() {
        let n = p
            .docs
            .iter()
            .filter(|d| p.git.of(&d.session).is_some_and(|g| g.uncommitted))
            .count();
        ui.weak(match n {
            0 => "git: every session is committed.".to_owned(),
            n => format!("git: {n} session(s) with changes not committed."),
        });
    }
    ui.separator();
    let shown = list.visible(p);
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
                        git_ui(ui, p.git.of(&d.session), now);
                        if d.article_changed {
                            ui.label(RichText::new("article changed").color(theme::UNSAVED))
                                .on_hover_text(
                                    "The article was edited since its session was saved: opening it offers to re-anchor the annotations.",
                                );
                        }
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            let name = RichText::new(&d.name);
                            let name = if current { name.strong() } else { name };
                            let r = ui.add(egui::Button::selectable(current, name).truncate());
                            if r.clicked() && !current {
                                out.push(Action::OpenDocument(i));
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

/// A document's git state in its row: changes not committed, else who committed it last.
fn git_ui(ui: &mut egui::Ui, g: Option<&crate::io::git_status::FileStatus>, now: i64) {
    use crate::io::git_status::ago;
    let Some(g) = g else {
        return;
    };
    let last = g
        .last
        .as_ref()
        .map(|(who, when)| format!("{who}, {}", ago(*when, now)));
    if g.uncommitted {
        let tip = match &last {
            Some(l) => {
                format!("Changed since the last commit (by {l}): commit it with your git tool.")
            }
            None if g.untracked => {
                "Not in the repository yet: add and commit it with your git tool.".to_owned()
            }
            None => "Changed since the last commit: commit it with your git tool.".to_owned(),
        };
        ui.label(RichText::new("not committed").small().color(theme::UNSAVED))
            .on_hover_text(tip);
    } else if let Some(l) = last {
        ui.label(RichText::new(&l).small().weak())
            .on_hover_text(format!("Last committed by {l}."));
    }
}

/// Annotation guidelines, Markdown shown plainly: headings, bullets, paragraphs.
pub fn guidelines_ui(ui: &mut egui::Ui, p: &Project) {
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
