//! The tooltip over the article: the spans and suggestions under the pointer, with their
//! labels, text, notes and where a suggestion comes from.

use super::*;

/// The spans under the pointer, with their labels and notes, in a tooltip.
pub(super) fn hover_ui(
    response: &egui::Response,
    scene: &Scene<'_>,
    paras: &Paragraphs,
    placed: &[Placed],
) {
    let session = scene.session;
    let Some(c) = response
        .hover_pos()
        .and_then(|pos| char_under(placed, paras, pos))
    else {
        return;
    };
    let covering: Vec<_> = session.at(c).collect();
    let list = &scene.suggest.list;
    let lo = list.partition_point(|g| g.start + scene.suggest.max_len() <= c);
    let suggested: Vec<_> = list[lo..]
        .iter()
        .take_while(|g| g.start <= c)
        .filter(|g| c < g.end)
        .collect();
    if covering.is_empty() && suggested.is_empty() {
        return;
    }
    response.clone().on_hover_ui_at_pointer(|ui| {
        for g in &suggested {
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                ui.painter().rect_stroke(
                    r,
                    2.0,
                    Stroke::new(1.5, scene.colors.solid(&g.label)),
                    egui::StrokeKind::Inside,
                );
                ui.label(format!("suggested: {}", g.label));
                ui.weak(suggestion_source(g.source));
            });
        }
        for a in covering {
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                ui.painter()
                    .rect_filled(r, 2.0, scene.colors.solid(&a.label));
                ui.strong(&a.label);
                ui.label(format!("“{}”", ellipsize(session.covered(a), 80)));
            });
            if let Some(note) = &a.note {
                ui.label(egui::RichText::new(note).italics());
            }
        }
    });
}

/// Where a suggestion comes from, as its hover says: `learned, 0.87`.
fn suggestion_source(source: crate::model::search::SuggestionSource) -> String {
    use crate::model::search::SuggestionSource as S;
    match source {
        S::Learned(_) => format!("learned, {:.2}", source.score()),
        S::Gazetteer => "tagged so elsewhere".into(),
        S::Date => "a date".into(),
        S::Review => "a difference to decide".into(),
    }
}
