//! The article view: a virtualised, read-only, wrapped text view that lays out and paints only
//! the visible lines, paints annotations behind the text from row geometry, and turns mouse
//! input into char selections and span picks. It reads the session and draws the workspace's
//! cursor, find matches, suggestions and chips; it changes only the cursor (a drag must show
//! its selection in the same frame) and returns what the span's menu asked for.

use super::action::Action;
use super::paragraphs::Paragraphs;
use super::theme;
use crate::model::search::Suggestion;
use crate::model::words;
use crate::model::{AnnotationId, Session};
pub use crate::workspace::ellipsize;
use crate::workspace::{Chip, Cursor, Find, RelateOp, Suggest};
use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Pos2, Rect, Sense, Stroke, Ui, Vec2, pos2, vec2};
use std::ops::Range;

mod hover;
use hover::hover_ui;
use std::sync::Arc;

/// Default article font size in points.
pub const BASE_FONT_SIZE: f32 = 18.0;
/// Line height as a multiple of the font size.
const LINE_SPACING: f32 = 1.6;
/// The widest a line of text gets, in multiples of the font size (about 75 characters).
const MAX_MEASURE: f32 = 36.0;

#[derive(Clone, Copy, Debug, PartialEq)]
enum ScrollRequest {
    ToChar(usize),
    By(f32),
    To(f32),
}

#[derive(Clone, Copy, Debug)]
struct Drag {
    anchor: usize,
    exact: bool,
}

/// A laid-out visible line: which one, where its galley sits on screen, the galley.
struct Placed {
    para: usize,
    origin: Pos2,
    galley: Arc<Galley>,
}

pub struct ArticleView {
    paras: Paragraphs,
    /// The document text the paragraphs are of (`Doc::text_id`).
    text_id: Option<u64>,
    /// An annotation being flashed and until when (egui time in seconds).
    flash: Option<(AnnotationId, f64)>,
    drag: Option<Drag>,
    scroll: Option<ScrollRequest>,
    /// Snap selections to words (View menu); Alt while dragging selects exact characters.
    pub snap: bool,
    pub font_size: f32,
    viewport_height: f32,
    scroll_offset: f32,
    /// A char just scrolled to, whose real position is checked on the next frame.
    verify_reveal: Option<usize>,
    /// The lines laid out in the last frame; for geometry queries only (never painted).
    last_placed: Vec<Placed>,
    /// The relation label plates drawn in the last frame: a click on one picks its relation.
    arc_plates: Vec<(Rect, crate::model::RelationId)>,
}

/// What the view draws besides the text: the session's annotations, the cursor, find
/// matches, suggestions and chips, all read from the workspace.
pub struct Scene<'a> {
    pub session: &'a Session,
    pub colors: &'a theme::LabelColors,
    /// The find bar's matches (sorted) and the current one.
    pub find: &'a Find,
    /// The suggestions (sorted by start), the current one, and the longest one's length.
    pub suggest: &'a Suggest,
    /// Compare-view chips (sorted by start).
    pub chips: &'a [Chip],
    /// The relation being made and the one picked (for the arcs).
    pub relate: &'a crate::workspace::Relate,
}

impl ArticleView {
    pub fn new(session: &Session) -> Self {
        Self {
            paras: Paragraphs::new(session.document()),
            text_id: None,
            flash: None,
            drag: None,
            scroll: None,
            snap: true,
            font_size: BASE_FONT_SIZE,
            viewport_height: 600.0,
            scroll_offset: 0.0,
            verify_reveal: None,
            last_placed: Vec::new(),
            arc_plates: Vec::new(),
        }
    }

    /// Starts over on another document's text (keeping the type size and snapping).
    fn follow(&mut self, text_id: u64, session: &Session) {
        if self.text_id != Some(text_id) {
            *self = Self {
                snap: self.snap,
                font_size: self.font_size,
                ..Self::new(session)
            };
            self.text_id = Some(text_id);
        }
    }

    /// Scrolls so that char `pos` is in view and flashes the annotation `id`.
    fn reveal(&mut self, pos: usize, flash: Option<AnnotationId>, now: f64) {
        self.scroll = Some(ScrollRequest::ToChar(pos));
        self.flash = flash.map(|id| (id, now + 1.2));
    }

    pub fn page(&mut self, pages: f32) {
        self.scroll = Some(ScrollRequest::By(pages * self.viewport_height * 0.9));
    }

    pub fn scroll_to_top(&mut self) {
        self.scroll = Some(ScrollRequest::To(0.0));
    }

    pub fn scroll_to_bottom(&mut self) {
        self.scroll = Some(ScrollRequest::To(f32::MAX));
    }

    /// Where char `pos` was drawn in the last frame, if it was visible.
    pub fn char_rect(&self, pos: usize) -> Option<Rect> {
        let p = self
            .last_placed
            .iter()
            .find(|p| self.paras.chars(p.para).contains(&pos))?;
        rects_for(p, &self.paras.chars(p.para), &(pos..pos + 1))
            .into_iter()
            .next()
    }

    /// Where a caret at `pos` is drawn: the left edge of its char (or the right edge of the one
    /// before, at the end of a line), if visible.
    pub fn caret_rect(&self, pos: usize) -> Option<Rect> {
        // An empty line has no char: the caret sits at its start, on its own row.
        if let Some(p) = self.last_placed.iter().find(|p| {
            let c = self.paras.chars(p.para);
            c.is_empty() && c.start == pos
        }) {
            let height = p.galley.size().y.max(1.0);
            return Some(Rect::from_min_size(p.origin, vec2(2.0, height)));
        }
        if let Some(r) = self.char_rect(pos) {
            return Some(Rect::from_min_max(
                r.left_top(),
                pos2(r.left() + 2.0, r.bottom()),
            ));
        }
        let r = self.char_rect(pos.checked_sub(1)?)?;
        Some(Rect::from_min_max(
            pos2(r.right(), r.top()),
            pos2(r.right() + 2.0, r.bottom()),
        ))
    }

    /// Whether char `pos` is drawn inside the visible part of the article.
    pub fn is_visible(&self, pos: usize) -> bool {
        self.caret_rect(pos).is_some_and(|r| {
            let top = self.last_placed.first().map_or(0.0, |p| p.origin.y);
            r.top() >= top - 1.0 && r.bottom() <= top + self.viewport_height + 1.0
        })
    }

    /// The caret position one row up (`-1.0`) or down (`1.0`) at the same x, if laid out.
    pub fn caret_vertical(&self, pos: usize, dir: f32) -> Option<usize> {
        let r = self.caret_rect(pos)?;
        let target = pos2(r.left(), r.center().y + dir * r.height() * 1.1);
        cursor_at(&self.last_placed, &self.paras, target)
    }

    /// The first char of the visible text (where the caret starts if it has no place yet).
    pub fn first_visible_char(&self) -> usize {
        self.last_placed
            .first()
            .map_or(0, |p| self.paras.chars(p.para).start)
    }

    fn font(&self) -> FontId {
        FontId::proportional(self.font_size)
    }

    fn layout(
        &self,
        ui: &Ui,
        session: &Session,
        para: usize,
        wrap: f32,
        color: Color32,
    ) -> Arc<Galley> {
        let text = session
            .text()
            .get(self.paras.bytes(para))
            .unwrap_or_default()
            .to_owned();
        let mut job = LayoutJob::single_section(
            text,
            TextFormat {
                font_id: self.font(),
                color,
                line_height: Some(self.font_size * LINE_SPACING),
                ..Default::default()
            },
        );
        job.wrap.max_width = wrap;
        ui.fonts_mut(|f| f.layout_job(job))
    }

    /// Draws the article; a drag or click changes `cursor`; returns what the span's menu
    /// asked for. `text_id` names the document's text (a new one starts the view over).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        text_id: u64,
        scene: &Scene<'_>,
        cursor: &mut Cursor,
    ) -> Vec<Action> {
        let session = scene.session;
        self.follow(text_id, session);
        let max_span_len = session.max_len();
        let mut actions = Vec::new();
        // Where the workspace asked to go: scroll there unless `only_if_hidden` and in view.
        if let Some(r) = cursor.reveal.take()
            && !(r.only_if_hidden && self.is_visible(r.pos))
        {
            let now = ui.input(|i| i.time);
            self.reveal(r.pos, r.flash, now);
        }
        let dark = ui.visuals().dark_mode;
        let g = self.geometry(ui.available_width());
        let mut area = egui::ScrollArea::vertical()
            .id_salt("article")
            .scroll_source(egui::scroll_area::ScrollSource {
                scroll_bar: true,
                mouse_wheel: true,
                ..egui::scroll_area::ScrollSource::NONE
            })
            .auto_shrink(false);
        if let Some(req) = self.scroll.take() {
            area = area.vertical_scroll_offset(self.scroll_target(req, g.pad_top));
        }
        let now = ui.input(|i| i.time);
        let out = area.show_viewport(ui, |ui, viewport| {
            let total = self.paras.total_height() + 2.0 * g.pad_top;
            ui.set_min_size(vec2(ui.available_width(), total));
            let content_origin = ui.min_rect().min;
            let screen =
                Rect::from_min_size(content_origin + viewport.min.to_vec2(), viewport.size());
            let placed = self.place_lines(ui, session, viewport, content_origin, &g);
            let id = ui.make_persistent_id("article-text");
            let response = ui.interact(screen, id, Sense::click_and_drag());
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Article, true, "Article text")
            });
            match self.plate_clicked(&response) {
                Some(id) => actions.push(Action::Relate(RelateOp::Select(Some(id)))),
                None => self.handle_pointer(ui, &response, session, cursor, &placed, screen),
            }
            actions.extend(self.context_menu(&response, session, cursor, &placed));
            let painter = ui.painter_at(screen);
            self.paint(&painter, scene, cursor, max_span_len, &placed, dark, now);
            self.arc_plates = self.paint_arcs(&painter, scene, cursor, max_span_len, &placed, dark);
            if self.drag.is_none() {
                hover_ui(&response, scene, &self.paras, &placed);
            }
            self.verify_reveal(ui, &placed, screen, g.row_h);
            self.last_placed = placed;
        });
        self.viewport_height = out.inner_rect.height();
        self.scroll_offset = out.state.clamped_offset().y;
        if self.flash.is_some_and(|(_, until)| until > now) {
            ui.ctx().request_repaint();
        } else {
            self.flash = None;
        }
        actions
    }

    /// The column's measure and margins for a width of `avail`, and the line height.
    fn geometry(&mut self, avail: f32) -> Geometry {
        let measure = (self.font_size * MAX_MEASURE).min(avail - 48.0).max(120.0);
        let row_h = self.font_size * LINE_SPACING;
        self.paras.set_params(measure, self.font_size * 0.5, row_h);
        Geometry {
            measure,
            margin_x: ((avail - measure) / 2.0).max(24.0),
            row_h,
            pad_top: 24.0,
        }
    }

    /// The scroll offset a request asks for, within the article.
    fn scroll_target(&mut self, req: ScrollRequest, pad_top: f32) -> f32 {
        let target = match req {
            ScrollRequest::ToChar(pos) => {
                let i = self.paras.index_of_char(pos);
                let line = self.paras.chars(i);
                let frac = (pos.saturating_sub(line.start)) as f32 / line.len().max(1) as f32;
                self.verify_reveal = Some(pos);
                pad_top + self.paras.top(i) + frac * self.paras.height(i)
                    - self.viewport_height / 3.0
            }
            ScrollRequest::By(d) => self.scroll_offset + d,
            ScrollRequest::To(y) => y,
        };
        let max = (self.paras.total_height() + 2.0 * pad_top - self.viewport_height).max(0.0);
        target.clamp(0.0, max)
    }

    /// Lays out the visible lines (the galley cache makes repeats cheap) where they go.
    fn place_lines(
        &mut self,
        ui: &Ui,
        session: &Session,
        viewport: Rect,
        content_origin: Pos2,
        g: &Geometry,
    ) -> Vec<Placed> {
        let text_color = ui.visuals().strong_text_color();
        let lines = self
            .paras
            .visible(viewport.min.y - g.pad_top, viewport.max.y - g.pad_top);
        let mut placed = Vec::with_capacity(lines.len());
        let mut y = g.pad_top + self.paras.top(lines.start);
        for para in lines {
            let galley = self.layout(ui, session, para, g.measure, text_color);
            let h = galley.size().y.max(g.row_h);
            if self.paras.set_measured(para, h) {
                // Lines below moved: draw again with the corrected positions.
                ui.ctx().request_repaint();
            }
            placed.push(Placed {
                para,
                origin: content_origin + vec2(g.margin_x, y),
                galley,
            });
            y += h;
        }
        placed
    }

    /// The first jump uses estimated heights; once the line is laid out, correct it.
    fn verify_reveal(&mut self, ui: &Ui, placed: &[Placed], screen: Rect, row_h: f32) {
        if let Some(pos) = self.verify_reveal.take()
            && let Some(p) = placed
                .iter()
                .find(|p| self.paras.chars(p.para).contains(&pos))
            && let Some(r) = rects_for(p, &self.paras.chars(p.para), &(pos..pos + 1)).first()
        {
            let want = screen.top() + screen.height() / 3.0;
            if (r.top() - want).abs() > row_h {
                self.scroll = Some(ScrollRequest::By(r.top() - want));
                ui.ctx().request_repaint();
            }
        }
    }

    fn handle_pointer(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        session: &Session,
        cursor: &mut Cursor,
        placed: &[Placed],
        screen: Rect,
    ) {
        let (modifiers, press_origin, latest) = ui.input(|i| {
            (
                i.modifiers,
                i.pointer.press_origin(),
                i.pointer.latest_pos(),
            )
        });
        if response.drag_started_by(egui::PointerButton::Primary)
            && let Some(origin) = press_origin
            && let Some(anchor) = cursor_at(placed, &self.paras, origin)
        {
            let anchor = if modifiers.shift {
                cursor.anchor.unwrap_or(anchor)
            } else {
                anchor
            };
            self.drag = Some(Drag {
                anchor,
                exact: modifiers.alt,
            });
            cursor.anchor = Some(anchor);
            cursor.selected_span = None;
        }
        if let Some(drag) = self.drag {
            if let Some(pos) = latest {
                if let Some(head) = cursor_at(placed, &self.paras, pos) {
                    let raw = drag.anchor.min(head)..drag.anchor.max(head);
                    let exact = drag.exact || modifiers.alt || !self.snap;
                    cursor.select(session.document(), raw, exact);
                    cursor.caret = Some(head);
                }
                // Scroll while dragging near the top or bottom edge.
                let edge = 32.0;
                let dy = if pos.y < screen.top() + edge {
                    -(screen.top() + edge - pos.y).min(edge)
                } else if pos.y > screen.bottom() - edge {
                    (pos.y - (screen.bottom() - edge)).min(edge)
                } else {
                    0.0
                };
                if dy != 0.0 {
                    self.scroll = Some(ScrollRequest::By(dy * 0.5));
                    ui.ctx().request_repaint();
                }
            }
            if !response.dragged() {
                self.drag = None;
            }
        }
        if response.double_clicked() {
            if let Some(pos) = response.interact_pointer_pos()
                && let Some(c) = char_under(placed, &self.paras, pos)
                && let Some(word) = words::word_at(session.document(), c)
            {
                cursor.anchor = Some(word.start);
                cursor.caret = Some(word.end);
                cursor.selection = Some(word);
                cursor.selected_span = None;
            }
        } else if response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            if modifiers.shift
                && let Some(anchor) = cursor.anchor
                && let Some(head) = cursor_at(placed, &self.paras, pos)
            {
                let exact = modifiers.alt || !self.snap;
                cursor.select(
                    session.document(),
                    anchor.min(head)..anchor.max(head),
                    exact,
                );
                return;
            }
            let hit = char_under(placed, &self.paras, pos);
            cursor.clear_selection();
            cursor.anchor = cursor_at(placed, &self.paras, pos);
            cursor.caret = cursor.anchor;
            let mut covering: Vec<_> = hit.map(|c| session.at(c).collect()).unwrap_or_default();
            // Innermost first; repeated clicks walk outwards and wrap around.
            covering.sort_by_key(|a| (a.len(), a.start));
            let next = match cursor
                .selected_span
                .and_then(|id| covering.iter().position(|a| a.id == id))
            {
                Some(i) => covering.get((i + 1) % covering.len()),
                None => covering.first(),
            };
            cursor.selected_span = next.map(|a| a.id);
        }
    }

    /// Right-click on a span: select it and offer relabel, note and delete.
    fn context_menu(
        &self,
        response: &egui::Response,
        session: &Session,
        cursor: &mut Cursor,
        placed: &[Placed],
    ) -> Option<Action> {
        if response.secondary_clicked()
            && let Some(pos) = response.interact_pointer_pos()
            && let Some(c) = char_under(placed, &self.paras, pos)
        {
            // The innermost span under the pointer.
            cursor.selected_span = session.at(c).min_by_key(|a| a.len()).map(|a| a.id);
            cursor.clear_selection();
        }
        let id = cursor.selected_span?;
        let mut chosen = None;
        response.context_menu(|ui| {
            let Some(a) = session.get(id) else {
                return;
            };
            ui.strong(format!("“{}”", ellipsize(session.covered(a), 40)));
            ui.separator();
            for l in session.labels().iter() {
                if l.name != a.label && ui.button(format!("Relabel as {}", l.name)).clicked() {
                    chosen = Some(Action::Relabel(id, l.name.clone()));
                }
            }
            if ui.button("Edit note…  (n)").clicked() {
                chosen = Some(Action::EditNote(id));
            }
            if ui.button("Delete").clicked() {
                chosen = Some(Action::Delete(id));
            }
        });
        chosen
    }

    /// The relation label plates drawn in the last frame, with their relations.
    pub fn arc_plates(&self) -> &[(Rect, crate::model::RelationId)] {
        &self.arc_plates
    }

    /// The relation whose label plate (drawn last frame) the pointer clicked, if any; a
    /// plate under the pointer shows it can be clicked.
    fn plate_clicked(&self, response: &egui::Response) -> Option<crate::model::RelationId> {
        let pos = response.hover_pos()?;
        let (_, id) = self
            .arc_plates
            .iter()
            .rev()
            .find(|(r, _)| r.contains(pos))?;
        response.ctx.set_cursor_icon(egui::CursorIcon::PointingHand);
        response.clicked().then_some(*id)
    }

    /// Relation arcs between the visible spans (only when the session has relations or one
    /// is being made: no cost otherwise); returns the label plates drawn.
    fn paint_arcs(
        &self,
        painter: &egui::Painter,
        scene: &Scene<'_>,
        cursor: &Cursor,
        max_span_len: usize,
        placed: &[Placed],
        dark: bool,
    ) -> Vec<(Rect, crate::model::RelationId)> {
        let s = scene.session;
        if s.relations().is_empty() && scene.relate.pending.is_none() {
            return Vec::new();
        }
        let (Some(first), Some(last)) = (placed.first(), placed.last()) else {
            return Vec::new();
        };
        let (lo, hi) = (
            self.paras.chars(first.para).start,
            self.paras.chars(last.para).end,
        );
        let anns = s.annotations();
        let from = anns.partition_point(|a| a.start + max_span_len < lo);
        let mut rects = std::collections::HashMap::new();
        for a in anns[from..].iter().take_while(|a| a.start < hi) {
            let first_rect = placed.iter().find_map(|p| {
                rects_for(p, &self.paras.chars(p.para), &(a.start..a.end))
                    .into_iter()
                    .next()
            });
            if let Some(r) = first_rect {
                rects.insert(a.id, r);
            }
        }
        super::arcs::Arcs {
            session: s,
            relate: scene.relate,
            selected_span: cursor.selected_span,
            rects: &rects,
            left: first.origin.x,
            dark,
        }
        .paint(painter)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one painting pass over one scene"
    )]
    fn paint(
        &self,
        painter: &egui::Painter,
        scene: &Scene<'_>,
        cursor: &Cursor,
        max_span_len: usize,
        placed: &[Placed],
        dark: bool,
        now: f64,
    ) {
        let (Some(first), Some(last)) = (placed.first(), placed.last()) else {
            return;
        };
        let vis = self.paras.chars(first.para).start..self.paras.chars(last.para).end;
        let (visible, levels) = visible_spans(scene.session, vis, max_span_len);
        let pass = Pass {
            painter,
            scene,
            cursor,
            placed,
            visible,
            levels,
            dark,
        };
        self.paint_marks(&pass);
        for p in placed {
            painter.galley(p.origin, p.galley.clone(), Color32::PLACEHOLDER);
        }
        self.paint_suggestions(&pass);
        self.paint_chips(painter, scene.chips, placed);
        if let Some(r) = cursor.caret.and_then(|c| self.caret_rect(c)) {
            let outline = painter.ctx().global_style().visuals.strong_text_color();
            painter.rect_filled(r, 0.0, outline);
        }
        self.paint_outlines(&pass, now);
    }

    /// Under the text: find matches, the selection, the annotations' tints and underlines
    /// (one underline per nesting level).
    fn paint_marks(&self, pass: &Pass<'_>) {
        let (painter, dark) = (pass.painter, pass.dark);
        let find = pass.scene.find;
        let sel_fill = painter.ctx().global_style().visuals.selection.bg_fill;
        for p in pass.placed {
            let pr = self.paras.chars(p.para);
            let row_rects = |range: &Range<usize>| rects_for(p, &pr, range);
            // Find matches: a yellow marker, unlike any label's tint.
            let lo = find.matches.partition_point(|m| m.end <= pr.start);
            for (i, m) in find.matches[lo..].iter().enumerate() {
                if m.start > pr.end {
                    break;
                }
                let current = find.current == Some(lo + i);
                for r in row_rects(m) {
                    painter.rect_filled(r.expand(1.0), 2.0, theme::find_fill(dark, current));
                }
            }
            if let Some(sel) = &pass.cursor.selection {
                for r in row_rects(sel) {
                    painter.rect_filled(r, 2.0, sel_fill);
                }
            }
            for (a, &level) in pass.visible.iter().zip(&pass.levels) {
                if a.end <= pr.start || a.start > pr.end {
                    continue;
                }
                let color = pass.scene.colors.solid(&a.label);
                for r in row_rects(&a.range()) {
                    if level == 0 {
                        painter.rect_filled(r, 2.0, pass.scene.colors.fill(&a.label, dark));
                    }
                    let y = r.bottom() - 1.5 - 4.0 * level as f32;
                    painter.line_segment(
                        [pos2(r.left(), y), pos2(r.right(), y)],
                        Stroke::new(if level == 0 { 2.0 } else { 3.0 }, color),
                    );
                }
            }
        }
    }

    /// Suggestions: thin outlines in their label's colour on top of the text (annotations
    /// are tints and underlines), one per span; the current one dashed and tinted.
    fn paint_suggestions(&self, pass: &Pass<'_>) {
        let (painter, suggest) = (pass.painter, pass.scene.suggest);
        let list: &[Suggestion] = &suggest.list;
        for p in pass.placed {
            let pr = self.paras.chars(p.para);
            let lo = list.partition_point(|s| s.start + suggest.max_len() < pr.start);
            let mut last: Option<Range<usize>> = None;
            for (i, sug) in list[lo..].iter().enumerate() {
                if sug.start > pr.end {
                    break;
                }
                let current = suggest.current == Some(lo + i);
                // The same span suggested with several labels: one outline (the first label's).
                if !current && last.as_ref() == Some(&sug.range()) {
                    continue;
                }
                last = Some(sug.range());
                let color = pass.scene.colors.solid(&sug.label);
                for r in rects_for(p, &pr, &sug.range()) {
                    if current {
                        painter.rect_filled(r, 2.0, color.gamma_multiply(0.18));
                        dashed_rect(painter, r.expand(1.5), color, 2.5);
                    } else {
                        painter.rect_stroke(
                            r.expand(1.0),
                            2.0,
                            Stroke::new(1.0, color),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
            }
        }
    }

    /// On top of the text: the selected span's outline, and a span flashing after a jump.
    fn paint_outlines(&self, pass: &Pass<'_>, now: f64) {
        let painter = pass.painter;
        let outline = painter.ctx().global_style().visuals.strong_text_color();
        let flashing = self.flash.filter(|(_, until)| *until > now);
        for p in pass.placed {
            let pr = self.paras.chars(p.para);
            for a in &pass.visible {
                let selected = Some(a.id) == pass.cursor.selected_span;
                let flash = flashing.is_some_and(|(id, _)| id == a.id);
                if !(selected || flash) || a.end <= pr.start || a.start > pr.end {
                    continue;
                }
                for r in rects_for(p, &pr, &a.range()) {
                    if selected {
                        painter.rect_stroke(
                            r.expand(1.5),
                            3.0,
                            Stroke::new(2.0, outline),
                            egui::StrokeKind::Outside,
                        );
                    }
                    if let Some((_, until)) = flashing.filter(|_| flash) {
                        let t = ((until - now) / 1.2).clamp(0.0, 1.0) as f32;
                        let c = theme::FLASH.gamma_multiply(t);
                        painter.rect_stroke(
                            r.expand(3.0),
                            4.0,
                            Stroke::new(3.0, c),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
            }
        }
    }
}

/// Where the article's column goes: its measure, its left margin, the line height and the
/// space above the first line.
struct Geometry {
    measure: f32,
    margin_x: f32,
    row_h: f32,
    pad_top: f32,
}

/// One painting pass: the scene, what of it is on screen, and how to paint it.
struct Pass<'a> {
    painter: &'a egui::Painter,
    scene: &'a Scene<'a>,
    cursor: &'a Cursor,
    placed: &'a [Placed],
    /// Annotations touching the visible text, sorted by start, outer first.
    visible: Vec<&'a crate::model::Annotation>,
    /// The nesting level of each.
    levels: Vec<usize>,
    dark: bool,
}

/// Annotations touching the chars `vis` (those starting before its end and ending after its
/// start), and the nesting level of each: the lowest not taken by an overlapping earlier span.
fn visible_spans(
    session: &Session,
    vis: Range<usize>,
    max_span_len: usize,
) -> (Vec<&crate::model::Annotation>, Vec<usize>) {
    let anns = session.annotations();
    let hi = anns.partition_point(|a| a.start < vis.end.max(vis.start + 1));
    let lo = anns.partition_point(|a| a.start + max_span_len < vis.start);
    let visible: Vec<_> = anns[lo..hi].iter().filter(|a| a.end > vis.start).collect();
    let mut levels = Vec::with_capacity(visible.len());
    let mut active: Vec<(usize, usize)> = Vec::new(); // (end, level)
    for a in &visible {
        active.retain(|&(end, _)| end > a.start);
        let mut level = 0;
        while active.iter().any(|&(_, l)| l == level) {
            level += 1;
        }
        active.push((a.end, level));
        levels.push(level);
    }
    (visible, levels)
}

impl ArticleView {
    /// Chips at the top left of their spans' first row, over the line above's descenders.
    fn paint_chips(&self, painter: &egui::Painter, chips: &[Chip], placed: &[Placed]) {
        if chips.is_empty() {
            return;
        }
        let font = egui::FontId::proportional((self.font_size * 0.55).max(9.0));
        for p in placed {
            let pr = self.paras.chars(p.para);
            let lo = chips.partition_point(|m| m.start < pr.start);
            let mut last_right = f32::NEG_INFINITY;
            for m in &chips[lo..] {
                if m.start >= pr.end.max(pr.start + 1) {
                    break;
                }
                let Some(r) = rects_for(p, &pr, &(m.start..m.end)).into_iter().next() else {
                    continue;
                };
                let galley = painter.layout_no_wrap(m.text.clone(), font.clone(), Color32::WHITE);
                let size = galley.size() + vec2(6.0, 0.0);
                // Chips of neighbouring spans do not cover each other.
                let left = r.left().max(last_right + 2.0);
                let chip = Rect::from_min_size(pos2(left, r.top() - size.y * 0.7), size);
                last_right = chip.right();
                painter.rect_filled(chip, 3.0, theme::chip_color(m.kind));
                painter.galley(chip.min + vec2(3.0, 0.0), galley, Color32::WHITE);
            }
        }
    }
}

/// A rectangle outlined with dashes.
fn dashed_rect(painter: &egui::Painter, r: Rect, color: Color32, width: f32) {
    let stroke = Stroke::new(width, color);
    let pts = [
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
        r.left_top(),
    ];
    painter.extend(egui::Shape::dashed_line(&pts, stroke, 4.0, 3.0));
}

/// Screen rectangles, one per wrapped row, covering the part of `range` on this line.
fn rects_for(p: &Placed, line: &Range<usize>, range: &Range<usize>) -> Vec<Rect> {
    let s = range.start.max(line.start);
    let e = range.end.min(line.end);
    if s >= e {
        return Vec::new();
    }
    let (s, e) = (s - line.start, e - line.start);
    let mut out = Vec::new();
    let mut row_start = 0;
    for row in &p.galley.rows {
        let n = row.char_count_including_newline().0;
        let (rs, re) = (row_start, row_start + n);
        row_start = re;
        if e <= rs || s >= re {
            continue;
        }
        let x0 = row.x_offset(egui::text::CharIndex(s.max(rs) - rs));
        let x1 = row.x_offset(egui::text::CharIndex(e.min(re) - rs));
        let min = p.origin + vec2(row.pos.x + x0, row.min_y());
        let max = p.origin + vec2(row.pos.x + x1, row.max_y());
        out.push(Rect::from_min_max(min, max));
    }
    out
}

/// The placed line at screen height `y`, clamped to the first and last visible ones.
fn line_at(placed: &[Placed], y: f32) -> Option<&Placed> {
    let i = placed
        .partition_point(|p| p.origin.y <= y)
        .saturating_sub(1);
    placed.get(i)
}

/// The char boundary nearest to a screen point (for selection ends).
fn cursor_at(placed: &[Placed], paras: &Paragraphs, pos: Pos2) -> Option<usize> {
    let p = line_at(placed, pos.y)?;
    let line = paras.chars(p.para);
    if pos.y > p.origin.y + p.galley.size().y && placed.last().is_some_and(|l| l.para == p.para) {
        return Some(line.end);
    }
    let c: CCursor = p.galley.cursor_from_pos(pos - p.origin);
    Some((line.start + c.index.0).min(line.end))
}

/// The char whose glyph is under a screen point, if any.
fn char_under(placed: &[Placed], paras: &Paragraphs, pos: Pos2) -> Option<usize> {
    let p = line_at(placed, pos.y)?;
    let local: Vec2 = pos - p.origin;
    let mut row_start = 0;
    for row in &p.galley.rows {
        let n = row.char_count_including_newline().0;
        if local.y >= row.min_y() && local.y < row.max_y() {
            let x = local.x - row.pos.x;
            let i = row
                .glyphs
                .iter()
                .position(|g| x >= g.pos.x && x < g.max_x())?;
            return Some(paras.chars(p.para).start + row_start + i);
        }
        row_start += n;
    }
    None
}
