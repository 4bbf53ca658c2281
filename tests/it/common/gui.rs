//! Driving the real window headless with egui_kittest: start the app, scroll, drag, click.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use egui::{Modifiers, Pos2, Rect};
use egui_kittest::Harness;

use spanmark::app::{Prefs, SpanmarkApp};
use std::path::PathBuf;

pub fn app(
    path: Option<PathBuf>,
    dialog_answers: Vec<Option<PathBuf>>,
) -> Harness<'static, SpanmarkApp> {
    app_with(path, dialog_answers, false)
}

/// `allow_tofu`: draw boxes for characters the test fonts lack (CJK) instead of panicking.
pub fn app_with(
    path: Option<PathBuf>,
    dialog_answers: Vec<Option<PathBuf>>,
    allow_tofu: bool,
) -> Harness<'static, SpanmarkApp> {
    let mut b = Harness::builder();
    if allow_tofu {
        b = b.allow_missing_glyphs();
    }
    let mut h = b
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(240)
        .build_eframe(move |cc| {
            SpanmarkApp::with_prefs(
                &cc.egui_ctx,
                path,
                Box::new(ScriptedDialogs(dialog_answers)),
                Prefs::default(),
            )
        });
    h.run();
    h
}

/// Char range of the `nth` occurrence of `needle` in the open document.
pub fn find(h: &Harness<'_, SpanmarkApp>, needle: &str, nth: usize) -> std::ops::Range<usize> {
    let s = h.state().session();
    let (byte, _) = s.text().match_indices(needle).nth(nth).unwrap();
    let start = s.document().byte_to_char(byte).unwrap();
    start..start + needle.chars().count()
}

/// Scrolls the article so that char `c` is in view (test set-up, like scrolling by hand).
pub fn show(h: &mut Harness<'_, SpanmarkApp>, c: usize) {
    h.state_mut().ws.cursor.reveal(c, None);
    h.run();
}

pub fn rect_of(h: &Harness<'_, SpanmarkApp>, c: usize) -> Rect {
    h.state()
        .view
        .char_rect(c)
        .unwrap_or_else(|| panic!("char {c} not visible"))
}

pub fn drag(h: &mut Harness<'_, SpanmarkApp>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    h.event(egui::Event::ModifiersChanged(modifiers));
    h.hover_at(from);
    h.run();
    h.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    h.run();
    let mid = from + (to - from) / 2.0;
    h.hover_at(mid);
    h.run();
    h.hover_at(to);
    h.run();
    h.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    h.run();
}

/// Drags from inside the first char of `range` to inside its last.
pub fn drag_over(h: &mut Harness<'_, SpanmarkApp>, range: std::ops::Range<usize>) {
    if h.state()
        .view
        .char_rect(range.end)
        .is_none_or(|r| r.bottom() > 600.0)
    {
        show(h, range.start);
    }
    let a = rect_of(h, range.start);
    let b = rect_of(h, range.end - 1);
    drag(
        h,
        a.left_center() + egui::vec2(1.0, 0.0),
        b.right_center() - egui::vec2(1.0, 0.0),
        Modifiers::NONE,
    );
}

/// A single click; waits first so that it does not count as a double-click.
pub fn click_at(h: &mut Harness<'_, SpanmarkApp>, pos: Pos2) {
    h.run_steps(30);
    h.hover_at(pos);
    h.run();
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
}

/// Every annotation as (covered text, label), in document order.
pub fn spans(h: &Harness<'_, SpanmarkApp>) -> Vec<(String, String)> {
    let s = h.state().session();
    s.annotations()
        .iter()
        .map(|a| (s.covered(a).to_owned(), a.label.clone()))
        .collect()
}

/// The centre of the first text field `pick` chooses (by value, position, …).
pub fn text_field_at(
    h: &Harness<'_, SpanmarkApp>,
    pick: impl Fn(&egui_kittest::Node<'_>) -> bool,
) -> Pos2 {
    use egui_kittest::kittest::Queryable;
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| pick(n))
        .unwrap()
        .rect()
        .center()
}

/// Clicks the text field at `at`, then types `text` into it.
pub fn type_into(h: &mut Harness<'_, SpanmarkApp>, at: Pos2, text: &str, select_all: bool) {
    use egui_kittest::kittest::Queryable;
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.rect().contains(at))
        .unwrap()
        .click();
    h.run();
    if select_all {
        h.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
        h.run();
    }
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.rect().contains(at))
        .unwrap()
        .type_text(text);
    h.run();
}

/// File dialogs that answer every request with the paths given, in order.
pub struct ScriptedDialogs(pub Vec<Option<std::path::PathBuf>>);

impl spanmark::app::dialogs::Dialogs for ScriptedDialogs {
    fn request(
        &mut self,
        _request: spanmark::app::dialogs::DialogRequest,
    ) -> std::sync::mpsc::Receiver<spanmark::app::dialogs::DialogAnswer> {
        let (tx, rx) = std::sync::mpsc::channel();
        let answer = if self.0.is_empty() {
            None
        } else {
            self.0.remove(0)
        };
        let _ = tx.send(match answer {
            Some(p) => spanmark::app::dialogs::DialogAnswer::Picked(p),
            None => spanmark::app::dialogs::DialogAnswer::Cancelled,
        });
        rx
    }
}
