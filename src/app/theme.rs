//! Design tokens: every colour the window uses beyond egui's own visuals, in one place.

use crate::model::LabelSet;
use egui::Color32;
use std::collections::HashMap;

/// The outline that flashes around a span the user jumped to.
pub const FLASH: Color32 = Color32::from_rgb(0xff, 0x8c, 0x00);
/// Errors in the status bar and dialogs.
pub const ERROR: Color32 = Color32::from_rgb(0xd5, 0x5e, 0x00);
/// The unsaved-changes mark.
pub const UNSAVED: Color32 = Color32::from_rgb(0xe6, 0x9f, 0x00);
/// Find-bar matches: a highlighter yellow, unlike the labels' tints; the current one stronger.
pub fn find_fill(dark: bool, current: bool) -> Color32 {
    match (dark, current) {
        (false, false) => Color32::from_rgba_unmultiplied(0xff, 0xe0, 0x3d, 0x90),
        (false, true) => Color32::from_rgba_unmultiplied(0xff, 0xb3, 0x00, 0xd0),
        (true, false) => Color32::from_rgba_unmultiplied(0x8a, 0x74, 0x00, 0xa0),
        (true, true) => Color32::from_rgba_unmultiplied(0xc8, 0x8a, 0x00, 0xe0),
    }
}

/// Compare view: the chip of a span only annotator A, B, C… made (Okabe–Ito blue,
/// vermillion, reddish purple, sky blue, bluish green, orange, then again).
pub fn annotator_color(i: usize) -> Color32 {
    const C: [Color32; 6] = [
        Color32::from_rgb(0x00, 0x72, 0xb2),
        Color32::from_rgb(0xd5, 0x5e, 0x00),
        Color32::from_rgb(0xcc, 0x79, 0xa7),
        Color32::from_rgb(0x56, 0xb4, 0xe9),
        Color32::from_rgb(0x00, 0x9e, 0x73),
        Color32::from_rgb(0xe6, 0x9f, 0x00),
    ];
    C[i % C.len()]
}

/// The colour of a compare-view chip.
pub fn chip_color(kind: crate::workspace::ChipKind) -> Color32 {
    use crate::workspace::ChipKind;
    match kind {
        ChipKind::Annotator(k) => annotator_color(k),
        ChipKind::Several | ChipKind::Bounds => DIFF_BOUNDS,
        ChipKind::Labels => DIFF_LABELS,
    }
}
/// Compare view: the chip of a span annotators labelled differently.
pub const DIFF_LABELS: Color32 = Color32::from_rgb(0x6a, 0x3d, 0x9a);
/// Compare view: the chip of spans whose boundaries differ.
pub const DIFF_BOUNDS: Color32 = Color32::from_rgb(0x55, 0x55, 0x55);

/// A document marked done.
pub const DONE: Color32 = Color32::from_rgb(0x00, 0x9e, 0x73);

/// Each label's colour, solid (underlines, swatches) and as a translucent background.
#[derive(Clone, Debug, Default)]
pub struct LabelColors {
    solid: HashMap<String, Color32>,
}

/// [`LabelColors`] for the session's current labels, rebuilt only when its version changes.
#[derive(Default)]
pub struct ColorCache {
    key: Option<u64>,
    colors: LabelColors,
}

impl ColorCache {
    pub fn get(&mut self, session: &crate::model::Session) -> &LabelColors {
        if self.key != Some(session.version()) {
            self.colors = LabelColors::new(session.labels());
            self.key = Some(session.version());
        }
        &self.colors
    }
}

impl LabelColors {
    pub fn new(labels: &LabelSet) -> Self {
        Self {
            solid: labels
                .iter()
                .map(|l| {
                    let [r, g, b] = l.color.0;
                    (l.name.clone(), Color32::from_rgb(r, g, b))
                })
                .collect(),
        }
    }

    pub fn solid(&self, label: &str) -> Color32 {
        self.solid.get(label).copied().unwrap_or(Color32::GRAY)
    }

    /// The background behind an outermost span.
    pub fn fill(&self, label: &str, dark: bool) -> Color32 {
        self.solid(label)
            .gamma_multiply(if dark { 0.45 } else { 0.35 })
    }
}
