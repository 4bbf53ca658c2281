//! File dialogs that always answer: where the desktop has none, Spanmark's own opens in the
//! window, says why once, and takes a typed path.

use crate::common::gui::{text_field_at, type_into};
use crate::common::sample_path;
use crate::common::xvfb::{Display, start_app_with, wait_for};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::SpanmarkApp;
use spanmark::app::dialogs::{DialogAnswer, DialogRequest, Dialogs};
use std::time::Duration;

/// A desktop with no file dialogs at all.
struct NoPortal;

impl Dialogs for NoPortal {
    fn request(&mut self, _: DialogRequest) -> std::sync::mpsc::Receiver<DialogAnswer> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(DialogAnswer::Unavailable);
        rx
    }
}

fn app_without_portal(path: Option<std::path::PathBuf>) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(240)
        .build_eframe(move |cc| {
            SpanmarkApp::with_options(
                &cc.egui_ctx,
                path,
                Box::new(NoPortal),
                spanmark::app::Prefs::default(),
                None,
            )
        });
    h.run();
    h
}

#[test]
fn without_a_desktop_dialog_ours_opens_a_typed_path_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "Een ander artikel over de EU.\n").unwrap();
    let mut h = app_without_portal(None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("Open an article or session");
    let status = h.state().ws.notices.status.clone().unwrap().text;
    assert!(
        status.starts_with("No file dialog from the desktop"),
        "{status}"
    );
    let at = text_field_at(&h, |n| n.value().is_some_and(|v| v.ends_with('/')));
    type_into(&mut h, at, &other.display().to_string(), true);
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().ws.doc.name, "other.txt");
    assert!(
        h.query_by_label("Open an article or session").is_none(),
        "closed"
    );
}

#[test]
fn the_samples_first_save_goes_where_the_path_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine.spanmark.ron");
    let mut h = app_without_portal(None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    h.get_by_label("Save as");
    let at = text_field_at(&h, |n| {
        n.value()
            .is_some_and(|v| v.ends_with("eu-japan-digitaal-partnerschap.spanmark.ron"))
    });
    type_into(&mut h, at, &target.display().to_string(), true);
    h.key_press(Key::Enter);
    h.run();
    assert!(target.exists(), "{:?}", h.state().ws.notices.status);
    assert_eq!(h.state().ws.doc.session_path.as_ref(), Some(&target));
}

#[test]
fn a_path_that_does_not_exist_is_said_and_the_dialog_stays() {
    let mut h = app_without_portal(None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    let at = text_field_at(&h, |n| n.value().is_some_and(|v| v.ends_with('/')));
    type_into(&mut h, at, "/no/such/article.txt", true);
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("There is no file /no/such/article.txt.");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Open an article or session").is_none());
    assert_eq!(h.state().ws.doc.name, spanmark::app::SAMPLE_NAME);
}

/// The real binary under Xvfb with no D-Bus session: Ctrl+O, a typed path, Enter opens it;
/// then the sample's first Ctrl+S saves where the path was typed.
#[test]
fn the_real_window_without_dbus_opens_and_saves_typed_paths() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.txt");
    std::fs::copy(sample_path(), &other).unwrap();
    let d = Display::start();
    let no_bus = [("DBUS_SESSION_BUS_ADDRESS", None)];
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // The sample, then Ctrl+O.
    let (mut app, window) = start_app_with(&d, None, &home, &no_bus);
    d.chord(&["ctrl"], "o");
    std::thread::sleep(Duration::from_millis(800));
    d.chord(&["ctrl"], "a");
    d.xdotool(&["type", "--delay", "30", &other.display().to_string()]);
    d.chord(&[], "Return");
    wait_for("other.txt in the title", Duration::from_secs(20), || {
        d.xdotool(&["getwindowname", &window])
            .starts_with("other.txt")
    });
    app.kill().unwrap();
    app.wait().unwrap();

    // The sample again: its first Ctrl+S asks where, in our dialog.
    let target = dir.path().join("saved.spanmark.ron");
    let (mut app, _window) = start_app_with(&d, None, &home, &no_bus);
    d.chord(&["ctrl"], "s");
    std::thread::sleep(Duration::from_millis(800));
    d.chord(&["ctrl"], "a");
    d.xdotool(&["type", "--delay", "30", &target.display().to_string()]);
    d.chord(&[], "Return");
    wait_for("the save", Duration::from_secs(20), || target.exists());
    let s = spanmark::io::load_session(&target).unwrap();
    assert!(s.text().starts_with("De EU en Japan"));
    app.kill().unwrap();
    app.wait().unwrap();
}
