//! Relation arcs over the article: a curve from one span to the other, raised above the
//! lines it joins, with its label on it and an arrowhead when direction matters. Only the
//! selected span's relations are drawn at full strength (all of those on screen, faint, when
//! View → Show all relations is on); the relation being made is drawn dashed. Laid out for
//! the visible spans only.

use crate::model::{AnnotationId, Relation, Session};
use crate::workspace::Relate;
use egui::{Color32, FontId, Pos2, Rect, Stroke, pos2, vec2};
use std::collections::HashMap;

/// What the arcs need: where each visible span is drawn (its first row), the session and
/// the relating state.
pub struct Arcs<'a> {
    pub session: &'a Session,
    pub relate: &'a Relate,
    pub selected_span: Option<AnnotationId>,
    pub rects: &'a HashMap<AnnotationId, Rect>,
    /// The text column's left edge: arcs between lines run down the margin left of it.
    pub left: f32,
    pub dark: bool,
}

fn label_color(s: &Session, name: &str) -> Color32 {
    s.relation_label(name).map_or(Color32::GRAY, |l| {
        let [r, g, b] = l.color.0;
        Color32::from_rgb(r, g, b)
    })
}

impl Arcs<'_> {
    /// The relations to draw: the selected span's and the picked one, or with Show all every
    /// relation of a visible span (found through the session's index, not a scan).
    fn shown(&self) -> Vec<&Relation> {
        let s = self.session;
        let mut ids: Vec<AnnotationId> = self.selected_span.into_iter().collect();
        if self.relate.show_all {
            ids.extend(self.rects.keys().copied().filter(|id| s.has_relations(*id)));
        }
        let mut out: Vec<&Relation> = ids.into_iter().flat_map(|id| s.relations_of(id)).collect();
        out.extend(self.relate.selected.and_then(|id| s.relation(id)));
        out.sort_by_key(|r| r.id);
        out.dedup_by_key(|r| r.id);
        out
    }

    /// Paints the arcs; returns each label plate drawn with its relation (a click on one
    /// picks the relation).
    pub fn paint(&self, painter: &egui::Painter) -> Vec<(Rect, crate::model::RelationId)> {
        let s = self.session;
        let mut hits = Vec::new();
        // Labels already placed: a new one moves up until it is clear of them.
        let mut plates: Vec<Rect> = Vec::new();
        let picked = self.relate.selected;
        let mine = |r: &Relation| self.selected_span.is_some_and(|id| r.touches(id));
        for r in self.shown() {
            let strong = mine(r) || picked == Some(r.id);
            if !strong && !self.relate.show_all {
                continue;
            }
            let (Some(a), Some(b)) = (self.rects.get(&r.from), self.rects.get(&r.to)) else {
                continue;
            };
            let color = label_color(s, &r.label);
            let alpha = if strong { 255 } else { 90 };
            let color = Color32::from_rgba_unmultiplied(color.r(), color.g(), color.b(), alpha);
            let width = if picked == Some(r.id) { 3.0 } else { 1.6 };
            let directed = s.relation_label(&r.label).is_none_or(|l| l.directed);
            let lane = self.left - 10.0 - (r.id.0 % 4) as f32 * 4.0;
            let mid = arc(
                painter,
                *a,
                *b,
                Stroke::new(width, color),
                directed,
                false,
                lane,
            );
            // Every arc drawn says what it is (the faint ones on a faint plate).
            hits.push((self.tag(painter, mid, &r.label, color, &mut plates), r.id));
        }
        if let Some(p) = &self.relate.pending
            && let Some(a) = self.rects.get(&p.from)
        {
            let color = if self.dark {
                Color32::WHITE
            } else {
                Color32::BLACK
            };
            match p.to.and_then(|to| self.rects.get(&to)) {
                Some(b) => {
                    let lane = self.left - 8.0;
                    arc(painter, *a, *b, Stroke::new(2.0, color), true, true, lane);
                }
                None => {
                    let c = a.center_top();
                    painter.circle_stroke(c - vec2(0.0, 6.0), 4.0, Stroke::new(2.0, color));
                }
            }
        }
        hits
    }

    /// The label on an arc, on a small plate so that it reads over text; moved up (then
    /// down) past the plates already drawn, so that two labels never cover each other.
    fn tag(
        &self,
        painter: &egui::Painter,
        at: Pos2,
        text: &str,
        color: Color32,
        plates: &mut Vec<Rect>,
    ) -> Rect {
        let font = FontId::proportional(11.0);
        let galley = painter.layout_no_wrap(text.to_owned(), font, Color32::WHITE);
        let mut rect = Rect::from_center_size(at, galley.size() + vec2(8.0, 2.0));
        let step = rect.height() + 2.0;
        let clip = painter.clip_rect();
        for k in 1..=12u32 {
            if !plates.iter().any(|p| p.intersects(rect)) {
                break;
            }
            // 1 up, 1 down, 2 up, 2 down, …: the nearest free place.
            let dy = step * (k.div_ceil(2)) as f32 * if k % 2 == 1 { -1.0 } else { 1.0 };
            rect = Rect::from_center_size(at + vec2(0.0, dy), rect.size());
        }
        // Never above the view's top edge (the first line's arcs).
        if rect.top() < clip.top() {
            rect = rect.translate(vec2(0.0, clip.top() - rect.top()));
        }
        plates.push(rect);
        let light = color.r() as u32 + color.g() as u32 + color.b() as u32 > 500;
        let text_color = match (light, color.a()) {
            (true, 255) => Color32::BLACK,
            (false, 255) => Color32::WHITE,
            _ if self.dark => Color32::from_gray(220),
            _ => Color32::from_gray(30),
        };
        painter.rect_filled(rect, 3.0, color);
        painter.galley(rect.min + vec2(4.0, 1.0), galley, text_color);
        rect
    }
}

/// From the top of `a` to the top of `b`: on one line a curve raised above it; across lines
/// a path through the gap above each line and down the margin at `lane` (so that arcs
/// between lines bundle there instead of crossing the text). Returns where its label goes.
#[allow(clippy::too_many_arguments)]
fn arc(
    painter: &egui::Painter,
    a: Rect,
    b: Rect,
    stroke: Stroke,
    head: bool,
    dashed: bool,
    lane: f32,
) -> Pos2 {
    let (p0, p3) = (a.center_top(), b.center_top());
    if (p0.y - p3.y).abs() > a.height() * 0.5 {
        let gap = 5.0;
        let path = [
            p0,
            pos2(p0.x, p0.y - gap),
            pos2(lane, p0.y - gap),
            pos2(lane, p3.y - gap),
            pos2(p3.x, p3.y - gap),
            p3,
        ];
        draw(painter, &path, stroke, dashed);
        if head {
            arrowhead(painter, path[4], p3, stroke.color);
        }
        // On the stretch above the target's line: the margin is too narrow for a label.
        return pos2((lane + p3.x) / 2.0, p3.y - gap);
    }
    let top = p0.y.min(p3.y);
    // Kept within about a line above: higher arcs cross the text of the lines before (and
    // the first line's would leave the view).
    let rise = (10.0 + (p3.x - p0.x).abs() * 0.05).min(a.height() * 0.9);
    let (p1, p2) = (pos2(p0.x, top - rise), pos2(p3.x, top - rise));
    let point = |t: f32| {
        let u = 1.0 - t;
        let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
        pos2(
            w[0] * p0.x + w[1] * p1.x + w[2] * p2.x + w[3] * p3.x,
            w[0] * p0.y + w[1] * p1.y + w[2] * p2.y + w[3] * p3.y,
        )
    };
    let points: Vec<Pos2> = (0..=24).map(|k| point(k as f32 / 24.0)).collect();
    draw(painter, &points, stroke, dashed);
    if head {
        arrowhead(painter, points[22], p3, stroke.color);
    }
    point(0.5)
}

fn draw(painter: &egui::Painter, points: &[Pos2], stroke: Stroke, dashed: bool) {
    if dashed {
        let shapes = egui::Shape::dashed_line(points, stroke, 5.0, 4.0);
        painter.extend(shapes);
    } else {
        painter.add(egui::Shape::line(points.to_vec(), stroke));
    }
}

/// A filled arrowhead at `tip`, pointing along `from` → `tip`.
fn arrowhead(painter: &egui::Painter, from: Pos2, tip: Pos2, color: Color32) {
    let dir = (tip - from).normalized();
    let side = vec2(-dir.y, dir.x) * 4.0;
    let base = tip - dir * 8.0;
    painter.add(egui::Shape::convex_polygon(
        vec![tip, base + side, base - side],
        color,
        Stroke::NONE,
    ));
}
