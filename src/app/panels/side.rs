//! The side panel: the label palette, the selected span's details, and the annotation list
//! (filterable by label and text, virtualised so 50,000 rows cost what 30 do).

use crate::agree::{DiffKind, Difference, annotator_letter};
use crate::app::action::Action;
use crate::app::command::Command;
use crate::app::theme::{self, LabelColors};
use crate::model::{Annotation, AnnotationId, Session};
use crate::workspace::curation::{chip_of, who_made};
use crate::workspace::{MAX_VERSIONS, Workspace, ellipsize};
use egui::{RichText, Sense, Ui, vec2};

#[derive(Default)]
pub struct SideState {
    /// `None` shows every label.
    filter_label: Option<String>,
    filter_text: String,
    /// The rows passing the filter, for this revision and filter; `None` when there is no
    /// filter (every annotation is a row: nothing to compute when a tag adds one).
    rows: Option<Vec<usize>>,
    cache_key: Option<(u64, Option<String>, String)>,
    /// The note being typed for a span.
    note: Option<(AnnotationId, String)>,
    /// The note being typed for the picked relation.
    relation_note: Option<(crate::model::RelationId, String)>,
    /// Scroll the list to this annotation on the next frame.
    pub scroll_to: Option<AnnotationId>,
    /// Put the keyboard in the note field on the next frame (`n`): the picked relation's if
    /// one is picked, else the selected span's.
    pub focus_note: bool,
    /// The difference the list last scrolled to (it follows Tab, and otherwise scrolls freely).
    diff_shown: Option<usize>,
}

impl SideState {
    /// Recomputes the filtered rows when the session or the filter changed (only while a
    /// filter is set).
    pub fn refresh(&mut self, ws: &Workspace) {
        let s = &ws.doc.session;
        if self.filter_label.is_none() && self.filter_text.is_empty() {
            self.rows = None;
            self.cache_key = None;
            return;
        }
        let key = (
            ws.doc.version(),
            self.filter_label.clone(),
            self.filter_text.clone(),
        );
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        let needle = self.filter_text.to_lowercase();
        let rows = s
            .annotations()
            .iter()
            .enumerate()
            .filter(|(_, a)| self.filter_label.as_ref().is_none_or(|l| &a.label == l))
            .filter(|(_, a)| {
                needle.is_empty()
                    || s.covered(a).to_lowercase().contains(&needle)
                    || a.note
                        .as_ref()
                        .is_some_and(|n| n.to_lowercase().contains(&needle))
            })
            .map(|(i, _)| i)
            .collect();
        self.rows = Some(rows);
        self.cache_key = Some(key);
    }

    pub fn ui(&mut self, ui: &mut Ui, ws: &Workspace, colors: &LabelColors) -> Vec<Action> {
        let mut out = Vec::new();
        let s = &ws.doc.session;
        let selected_span = ws.cursor.selected_span;
        labels_ui(ui, s, colors, selected_span.is_some(), &mut out);
        learned_ui(ui, ws);
        ui.separator();
        match selected_span.and_then(|id| s.get(id)) {
            Some(a) => {
                let relation_picked = ws.relate.selected.is_some();
                self.selected_ui(ui, s, a, relation_picked, &mut out);
                self.relations_ui(ui, ws, a.id, &mut out);
                ui.separator();
            }
            None => self.note = None,
        }
        if !s.review.is_empty() {
            let current = ws
                .curation
                .current(s, ws.suggest.current(), ws.cursor.caret);
            let diffs = (ws.curation.differences(), current);
            differences(ui, s, colors, diffs, &mut self.diff_shown, &mut out);
            ui.separator();
        }
        if !s.relation_review.is_empty() {
            relation_differences(ui, s, &mut out);
            ui.separator();
        }
        if !s.anchors.is_empty() {
            reanchored(ui, ws, colors, &mut out);
            ui.separator();
        }
        self.list_ui(ui, s, colors, selected_span, &mut out);
        out
    }

    /// The selected span: its text, its label (click another to relabel), Delete, its note.
    fn selected_ui(
        &mut self,
        ui: &mut Ui,
        s: &Session,
        a: &Annotation,
        relation_picked: bool,
        out: &mut Vec<Action>,
    ) {
        ui.strong("Selected span");
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("“{}”", ellipsize(s.covered(a), 120)));
            ui.weak(format!("{}–{}", a.start, a.end));
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Label:");
            for l in s.labels().iter() {
                if ui.selectable_label(l.name == a.label, &l.name).clicked() {
                    out.push(Action::Relabel(a.id, l.name.clone()));
                }
            }
            if ui
                .button("Delete")
                .on_hover_text("Delete or Backspace")
                .clicked()
            {
                out.push(Action::Delete(a.id));
            }
        });
        if !matches!(&self.note, Some((id, _)) if *id == a.id) {
            self.note = Some((a.id, a.note.clone().unwrap_or_default()));
        }
        let Some((_, buffer)) = &mut self.note else {
            return;
        };
        let r = ui.add(
            egui::TextEdit::multiline(buffer)
                .hint_text("Note (saved when you leave the field)")
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        );
        if !relation_picked && std::mem::take(&mut self.focus_note) {
            r.request_focus();
        }
        if r.lost_focus() {
            out.push(Action::SetNote(a.id, Some(buffer.clone())));
        }
    }

    /// The selected span's relations (click one to pick it) and the picked one's note.
    fn relations_ui(
        &mut self,
        ui: &mut Ui,
        ws: &Workspace,
        span: AnnotationId,
        out: &mut Vec<Action>,
    ) {
        use crate::workspace::RelateOp;
        let s = &ws.doc.session;
        if let Some(p) = &ws.relate.pending {
            let to =
                p.to.and_then(|id| s.get(id))
                    .map(|a| ellipsize(s.covered(a), 40));
            ui.label(match to {
                Some(t) => format!("Relate to “{t}”: press a relation key or Enter."),
                None => "Relate to…: Tab walks the spans nearest first, or click one.".to_owned(),
            });
            return;
        }
        let rels: Vec<_> = s.relations_of(span).collect();
        if rels.is_empty() {
            ui.weak("No relations. Press r to relate this span to another.");
            return;
        }
        ui.strong(format!("Relations ({})", rels.len()));
        for r in rels {
            let out_going = r.from == span;
            let other = s.get(r.other(span)).map_or("", |a| s.covered(a));
            let text = format!(
                "{} {} “{}”{}",
                if out_going { "→" } else { "←" },
                r.label,
                ellipsize(other, 40),
                if r.note.is_some() { "  (note)" } else { "" }
            );
            let picked = ws.relate.selected == Some(r.id);
            if ui.selectable_label(picked, text).clicked() {
                out.push(Action::Relate(RelateOp::Select(Some(r.id))));
            }
            if picked {
                self.relation_note_ui(ui, r, out);
            }
        }
        ui.weak("Alt+R picks one: Delete removes it, Shift+R reverses it, a relation key relabels it, n edits its note.");
    }

    /// The picked relation's note: saved when the field loses the keyboard.
    fn relation_note_ui(&mut self, ui: &mut Ui, r: &crate::model::Relation, out: &mut Vec<Action>) {
        if !matches!(&self.relation_note, Some((id, _)) if *id == r.id) {
            self.relation_note = Some((r.id, r.note.clone().unwrap_or_default()));
        }
        let Some((_, buffer)) = &mut self.relation_note else {
            return;
        };
        let field = egui::TextEdit::multiline(buffer)
            .hint_text("Relation note (saved when you leave the field)")
            .desired_rows(1)
            .desired_width(f32::INFINITY);
        let resp = ui.add(field);
        if std::mem::take(&mut self.focus_note) {
            resp.request_focus();
        }
        if resp.lost_focus() {
            let note = Some(buffer.clone());
            out.push(Action::Relate(crate::workspace::RelateOp::SetNote(
                r.id, note,
            )));
        }
    }

    /// The annotation list: a filter by label and text, then one row per annotation (only
    /// the visible rows are laid out).
    fn list_ui(
        &mut self,
        ui: &mut Ui,
        s: &Session,
        colors: &LabelColors,
        selected_span: Option<AnnotationId>,
        out: &mut Vec<Action>,
    ) {
        ui.horizontal(|ui| {
            ui.heading("Annotations");
            let shown = self.rows.as_ref().map_or(s.annotations().len(), Vec::len);
            ui.weak(format!("{shown} of {}", s.annotations().len()));
        });
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut self.filter_label, None, "all");
            for l in s.labels().iter() {
                ui.selectable_value(&mut self.filter_label, Some(l.name.clone()), &l.name);
            }
        });
        ui.add(
            egui::TextEdit::singleline(&mut self.filter_text)
                .hint_text("filter by text or note")
                .desired_width(f32::INFINITY),
        );
        ui.add_space(4.0);
        if s.annotations().is_empty() {
            ui.weak("No annotations yet.");
            return;
        }
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let mut area = egui::ScrollArea::vertical()
            .id_salt("annotation-list")
            .auto_shrink(false);
        if let Some(i) = self.scroll_to.take().and_then(|id| self.row_of(s, id)) {
            area = area.vertical_scroll_offset(
                (i as f32 * (row_h + ui.spacing().item_spacing.y) - 80.0).max(0.0),
            );
        }
        let count = self.rows.as_ref().map_or(s.annotations().len(), Vec::len);
        area.show_rows(ui, row_h, count, |ui, range| {
            for i in range {
                let i = self
                    .rows
                    .as_ref()
                    .map_or(Some(i), |rows| rows.get(i).copied());
                if let Some(a) = i.and_then(|i| s.annotations().get(i)) {
                    let selected = selected_span == Some(a.id);
                    if row_ui(ui, s, a, colors, selected, row_h).clicked() {
                        out.push(Action::Reveal(a.id));
                    }
                }
            }
        });
    }

    /// The list row that shows annotation `id`, if it is shown.
    fn row_of(&self, s: &Session, id: AnnotationId) -> Option<usize> {
        let at = s.position_of(id)?;
        match &self.rows {
            Some(rows) => rows.binary_search(&at).ok(),
            None => Some(at),
        }
    }
}

/// The label buttons (click or press its key to tag or relabel), each with its count.
fn labels_ui(ui: &mut Ui, s: &Session, colors: &LabelColors, relabel: bool, out: &mut Vec<Action>) {
    ui.add_space(6.0);
    ui.heading("Labels");
    ui.weak(if relabel {
        "Click a label or press its key to relabel the selected span."
    } else {
        "Select text, then click a label or press its key."
    });
    ui.add_space(4.0);
    for l in s.labels().iter() {
        let resp = ui
            .horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(vec2(16.0, 16.0), Sense::hover());
                ui.painter().rect_filled(r, 3.0, colors.solid(&l.name));
                let b = ui.add(
                    egui::Button::new(RichText::new(&l.name).strong())
                        .min_size(vec2(120.0, 0.0))
                        .right_text(l.hotkey.map(|k| k.to_string()).unwrap_or_default()),
                );
                ui.label(s.count(&l.name).to_string());
                b
            })
            .inner;
        let resp = match &l.description {
            Some(d) => resp.on_hover_text(d),
            None => resp,
        };
        if resp.clicked() {
            out.push(Action::Tag(l.name.clone()));
        }
    }
}

/// How good learned suggestions are, once the project has enough done documents to tell.
fn learned_ui(ui: &mut Ui, ws: &Workspace) {
    use crate::workspace::learned::QUALITY_MIN_DONE;
    if !ws.suggest.show {
        return;
    }
    match &ws.trainer.quality {
        Some(q) => {
            ui.add_space(4.0);
            ui.label(q.summary()).on_hover_text(format!(
                "Measured on the {} document(s) marked done last, by a model trained without \
                 them: {} of {} learned suggestions were tagged so, {} of {} spans suggested.",
                q.docs, q.right, q.suggested, q.found, q.tagged
            ));
        }
        None if ws.suggest.has_model() => {
            ui.add_space(4.0);
            ui.weak(format!(
                "Learned suggestions are on; how good they are shows once {QUALITY_MIN_DONE} \
                 documents are marked done."
            ));
        }
        None => {}
    }
}

/// One row of the annotation list: the label's colour, the text, the label.
fn row_ui(
    ui: &mut Ui,
    s: &Session,
    a: &Annotation,
    colors: &LabelColors,
    selected: bool,
    row_h: f32,
) -> egui::Response {
    // Painted directly (one galley for the text, one for the label) rather than as a
    // button: a row that scrolls into view is laid out in a fraction of a button's time.
    let width = ui.available_width();
    let (rect, resp) = ui.allocate_exact_size(vec2(width, row_h), Sense::click());
    if !ui.is_rect_visible(rect) {
        return resp;
    }
    let visuals = ui.visuals();
    let painter = ui.painter();
    if selected {
        painter.rect_filled(rect, 3.0, visuals.selection.bg_fill);
    } else if resp.hovered() {
        painter.rect_filled(rect, 3.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let square = egui::Rect::from_center_size(
        egui::pos2(rect.left() + 9.0, rect.center().y),
        vec2(10.0, 10.0),
    );
    painter.rect_filled(square, 2.0, colors.solid(&a.label));
    let font = egui::TextStyle::Button.resolve(ui.style());
    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let label = painter.layout_no_wrap(a.label.clone(), font.clone(), visuals.weak_text_color());
    let note = if a.note.is_some() { "  (note)" } else { "" };
    let text = format!("{}{note}", ellipsize(s.covered(a), 40));
    let name = format!("{text} {}", a.label);
    resp.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &name));
    let room = (rect.width() - 28.0 - label.size().x - 8.0).max(20.0);
    let mut job = egui::text::LayoutJob::simple_singleline(text, font, text_color);
    job.wrap = egui::text::TextWrapping::truncate_at_width(room);
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    let y = |h: f32| rect.center().y - h / 2.0;
    painter.galley(
        egui::pos2(rect.left() + 20.0, y(galley.size().y)),
        galley,
        text_color,
    );
    let lx = rect.right() - label.size().x - 6.0;
    painter.galley(egui::pos2(lx, y(label.size().y)), label, text_color);
    resp.on_hover_cursor(egui::CursorIcon::PointingHand)
}

/// Who is A, B, C… in a comparison, each with the colour of their "only" chips.
fn legend(ui: &mut Ui, s: &crate::model::Session) {
    ui.horizontal_wrapped(|ui| {
        for (k, name) in s.compared.iter().enumerate() {
            chip(
                ui,
                &annotator_letter(k).to_string(),
                theme::annotator_color(k),
            );
            ui.label(ellipsize(name, 36));
        }
    });
}

/// A small filled label, as drawn on spans in the text.
fn chip(ui: &mut Ui, text: &str, color: egui::Color32) {
    ui.label(
        RichText::new(format!(" {text} "))
            .small()
            .color(egui::Color32::WHITE)
            .background_color(color),
    );
}

/// The undecided differences, one row each: its chip, its text, each version with who made
/// it. The current one (Tab, Shift+Tab) is highlighted and offers each annotator's version.
/// What re-anchoring left to review: changed spans and orphans, the current one with the
/// text and context it had.
fn reanchored(ui: &mut Ui, ws: &Workspace, colors: &LabelColors, out: &mut Vec<Action>) {
    use crate::model::AnchorKind;
    let s = &ws.doc.session;
    let current = ws.review.current(&ws.doc).map(|r| r.id);
    ui.horizontal(|ui| {
        ui.heading("Article changed");
        ui.weak(format!("{} to review", s.anchors.len()));
    });
    ui.weak("Tab walks them. Enter keeps a changed span where it is, or places an orphan on the selected text; x drops one.");
    egui::ScrollArea::vertical()
        .id_salt("reanchored")
        .max_height(200.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for r in &s.anchors {
                let is_current = current == Some(r.id);
                let (what, label, shown) = match (&r.kind, &r.orphan) {
                    (AnchorKind::Orphaned, Some(a)) => {
                        ("orphaned", a.label.as_str(), ellipsize(&r.quote, 28))
                    }
                    _ => {
                        let a = s.get(r.id);
                        let now = a.map_or("", |a| s.covered(a));
                        (
                            "changed",
                            a.map_or("", |a| a.label.as_str()),
                            format!("{}, now {}", ellipsize(&r.quote, 14), ellipsize(now, 14)),
                        )
                    }
                };
                ui.horizontal_wrapped(|ui| {
                    chip(
                        ui,
                        what,
                        theme::chip_color(crate::workspace::ChipKind::Bounds),
                    );
                    let b = ui.add(egui::Button::selectable(is_current, shown).frame(false));
                    ui.label(RichText::new(label).color(colors.solid(label)));
                    if b.clicked()
                        && let Some(a) = s.get(r.id)
                    {
                        out.push(Action::Reveal(a.id));
                    }
                });
                if is_current {
                    ui.label(
                        RichText::new(format!(
                            "was: …{}[{}]{}…",
                            r.prefix.replace('\n', " "),
                            r.quote,
                            r.suffix.replace('\n', " ")
                        ))
                        .italics(),
                    );
                }
            }
        });
}

/// The relations the annotators did not all make: who made each, Take and Drop.
fn relation_differences(ui: &mut Ui, s: &crate::model::Session, out: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.heading("Relations to decide");
        ui.weak(format!("{}", s.relation_review.len()));
    });
    ui.weak("Take one once both its spans are in (Tab goes to each span difference).");
    let text =
        |e: &(usize, usize, String)| ellipsize(s.document().slice(e.0..e.1).unwrap_or(""), 30);
    egui::ScrollArea::vertical()
        .id_salt("relation differences")
        .max_height(160.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (i, r) in s.relation_review.iter().enumerate() {
                ui.horizontal_wrapped(|ui| {
                    let who = crate::workspace::curation::who_made(s, &r.by);
                    // Made by all, it waits only for its spans.
                    let all = r.by.len() >= s.compared.len();
                    ui.strong(if all {
                        format!("{who}, spans to decide")
                    } else {
                        format!("{who} only")
                    });
                    ui.label(format!("“{}” {} “{}”", text(&r.from), r.label, text(&r.to)));
                    if ui.small_button("Take").clicked() {
                        out.push(Action::DecideRelation(i, true));
                    }
                    if ui.small_button("Drop").clicked() {
                        out.push(Action::DecideRelation(i, false));
                    }
                });
            }
        });
}

fn differences(
    ui: &mut Ui,
    s: &crate::model::Session,
    colors: &LabelColors,
    (diffs, current): (&[Difference], Option<usize>),
    shown: &mut Option<usize>,
    out: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.heading("Differences");
        ui.weak(format!("{} to decide", diffs.len()));
    });
    if !s.compared.is_empty() {
        legend(ui, s);
    }
    ui.weak(format!(
        "Tab and Shift+Tab go through them. {}; Enter accepts one span, x rejects it.",
        (0..s.compared.len().clamp(2, MAX_VERSIONS))
            .map(|k| format!("Alt+{} takes {}'s version", k + 1, annotator_letter(k)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let area = egui::ScrollArea::vertical()
        .id_salt("differences")
        .max_height(220.0)
        .auto_shrink([false, true]);
    area.show(ui, |ui| {
        if diffs.is_empty() {
            ui.weak("Every difference is decided. Save to keep the curated session.");
        }
        for (n, d) in diffs.iter().enumerate() {
            let is_current = current == Some(n);
            let (text, kind) = chip_of(s, d);
            let color = theme::chip_color(kind);
            let frame = egui::Frame::new()
                .inner_margin(2.0)
                .corner_radius(3.0)
                .fill(if is_current {
                    ui.visuals().selection.bg_fill.gamma_multiply(0.5)
                } else {
                    egui::Color32::TRANSPARENT
                });
            let row = frame.show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    chip(ui, &text, color);
                    let covered = s.document().slice(d.start..d.end).unwrap_or("");
                    let first = d.items.first().and_then(|&i| s.review.get(i));
                    let b = ui.add(
                        egui::Button::selectable(is_current, ellipsize(covered, 28)).frame(false),
                    );
                    if b.clicked()
                        && let Some(r) = first
                    {
                        out.push(Action::GoToSuggestion(crate::workspace::SuggestionKey {
                            start: r.start,
                            end: r.end,
                            label: r.label.clone(),
                        }));
                    }
                    for r in d.items.iter().filter_map(|&i| s.review.get(i)) {
                        let who = who_made(s, &r.by);
                        let version = if d.kind == DiffKind::Labels || d.items.len() == 1 {
                            r.label.clone()
                        } else {
                            format!(
                                "“{}” {}",
                                ellipsize(s.document().slice(r.start..r.end).unwrap_or(""), 20),
                                r.label
                            )
                        };
                        ui.label(
                            RichText::new(format!("{who}: {version}"))
                                .color(colors.solid(&r.label)),
                        );
                    }
                });
                if is_current && !s.compared.is_empty() {
                    ui.horizontal_wrapped(|ui| {
                        for k in 0..s.compared.len().min(MAX_VERSIONS) {
                            let letter = annotator_letter(k);
                            if ui
                                .button(format!("Take {letter}'s version"))
                                .on_hover_text(format!("Alt+{}", k + 1))
                                .clicked()
                            {
                                out.push(Action::Command(Command::TakeVersion(k as u8)));
                            }
                        }
                    });
                }
            });
            if is_current && *shown != current {
                // The current one comes into view when Tab moves on, once.
                row.response.scroll_to_me(Some(egui::Align::Center));
            }
        }
    });
    *shown = current;
}
