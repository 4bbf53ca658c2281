//! An image of the real window with nested and overlapping annotations, rendered on the CPU
//! (wgpu on Mesa's lavapipe), compared with the stored snapshot, and checked pixel by pixel
//! where the spans must be drawn.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::gui::ScriptedDialogs;
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use spanmark::app::{Prefs, SpanmarkApp};

fn find(h: &Harness<'_, SpanmarkApp>, needle: &str) -> std::ops::Range<usize> {
    crate::common::gui::find(h, needle, 0)
}

fn drag(h: &mut Harness<'_, SpanmarkApp>, range: std::ops::Range<usize>) {
    if h.state()
        .view
        .char_rect(range.end)
        .is_none_or(|r| r.bottom() > 450.0)
    {
        h.state_mut().ws.cursor.reveal(range.start, None);
        h.run();
    }
    let a = h.state().view.char_rect(range.start).unwrap().left_center() + egui::vec2(1.0, 0.0);
    let b = h
        .state()
        .view
        .char_rect(range.end - 1)
        .unwrap()
        .right_center()
        - egui::vec2(1.0, 0.0);
    let press = |pos: Pos2, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    h.hover_at(a);
    h.run();
    h.event(press(a, true));
    h.run();
    h.hover_at(a + (b - a) / 2.0);
    h.run();
    h.hover_at(b);
    h.run();
    h.event(press(b, false));
    h.run();
}

fn close(a: image::Rgba<u8>, b: [u8; 3], tol: i32) -> bool {
    (0..3).all(|i| (i32::from(a[i]) - i32::from(b[i])).abs() <= tol)
}

#[test]
fn window_with_overlapping_annotations() {
    let mut h = Harness::builder()
        .with_size([1100.0, 640.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(240)
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(|cc| {
            let prefs = Prefs {
                theme: egui::ThemePreference::Light,
                ..Prefs::default()
            };
            SpanmarkApp::with_prefs(&cc.egui_ctx, None, Box::new(ScriptedDialogs(vec![])), prefs)
        });
    h.run();
    let outer = find(&h, "EU AI-kantoor");
    let europese = find(&h, "Europese en Japanse halfgeleidersectoren");
    for (range, key) in [
        (outer.clone(), Key::Num1),
        (outer.start + 3..outer.start + 5, Key::Num2),
        (europese.start..europese.start + 20, Key::Num1),
        (europese.start + 9..europese.start + 40, Key::Num2),
    ] {
        drag(&mut h, range);
        h.key_press(key);
        h.run();
    }
    assert_eq!(h.state().session().annotations().len(), 4);
    h.state_mut().ws.cursor.reveal(outer.start, None);
    h.run();
    h.remove_cursor();
    h.run();

    let image = h.render().expect("render on the CPU");
    let ppp = image.width() as f32 / 1100.0;
    let px = |p: Pos2| *image.get_pixel((p.x * ppp) as u32, (p.y * ppp) as u32);
    let actor = [0xe6, 0x9f, 0x00];
    let topic = [0x56, 0xb4, 0xe9];
    // The outer span's solid underline runs under "EU"; the inner one's under "AI", above it.
    let eu = h.state().view.char_rect(outer.start).unwrap();
    assert!(
        close(px(egui::pos2(eu.center().x, eu.bottom() - 1.5)), actor, 40),
        "{:?}",
        px(egui::pos2(eu.center().x, eu.bottom() - 1.5))
    );
    let ai = h.state().view.char_rect(outer.start + 3).unwrap();
    let under = px(egui::pos2(ai.center().x, ai.bottom() - 5.5));
    assert!(close(under, topic, 40), "{under:?}");
    // The outer span's background is tinted with the actor colour, not plain white.
    let bg = px(egui::pos2(ai.right() + 2.0, ai.top() + 3.0));
    assert!(bg[2] < 220 && bg[0] > bg[2], "{bg:?}");

    h.snapshot("overlapping_annotations");
}
