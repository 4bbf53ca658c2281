//! The real binary in a real X window (Xvfb) on the keyboards editors have: US, Belgian and
//! French AZERTY, German QWERTZ. Keys are pressed as a person does (modifier down, key,
//! modifier up) with xdotool, and the outcome is read from the session file: Ctrl+F, Enter,
//! Escape, the digit-row key 1 alone and with Shift, Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y, Ctrl+S,
//! Alt+Down, Delete, Tab, Enter and x.

use crate::common::sample_path;
use crate::common::xvfb::{Display, start_app, wait_for};
use spanmark::io::load_session;
use std::path::Path;
use std::time::Duration;

/// The keysym the digit-row key in position 1 types unshifted on `layout`.
fn digit_one(layout: &str) -> &'static str {
    match layout {
        "be" | "fr" => "ampersand",
        _ => "1",
    }
}

/// (text, label) of every span in the session file, sorted.
fn spans(session: &Path) -> Vec<(String, String)> {
    let mut v: Vec<_> = crate::common::session_spans(session)
        .into_iter()
        .map(|(_, _, text, label)| (text, label))
        .collect();
    v.sort();
    v
}

/// Ctrl+S, then waits until the file holds something new; returns its spans.
fn save(d: &Display, session: &Path) -> Vec<(String, String)> {
    let before = std::fs::read(session).ok();
    d.chord(&["ctrl"], "s");
    wait_for("the save", Duration::from_secs(20), || {
        std::fs::read(session)
            .ok()
            .is_some_and(|b| Some(&b) != before.as_ref())
    });
    spans(session)
}

/// Ctrl+F, types the word, Enter (selects the first match), Escape (closes the find bar).
fn select_first(d: &Display, word: &str) {
    d.chord(&["ctrl"], "f");
    d.chord(&["ctrl"], "a"); // the field keeps the last query: replace it
    d.xdotool(&["type", "--delay", "60", word]);
    std::thread::sleep(Duration::from_millis(300));
    d.chord(&[], "Return");
    d.chord(&[], "Escape");
}

fn tags_by_key_position(layout: &str) {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    std::fs::copy(sample_path(), &article).unwrap();
    let session = dir.path().join("news.spanmark.ron");
    let d = Display::start();
    d.layout(layout);
    let (mut app, _window) = start_app(&d, &article, dir.path());
    let one = digit_one(layout);
    let eu = |n: usize| vec![("EU".to_owned(), "actor".to_owned()); n];

    // The first digit-row key alone tags the selection with label 1.
    select_first(&d, "EU");
    d.chord(&[], one);
    assert_eq!(save(&d, &session), eu(1), "{layout}: key 1 tags one");
    // Ctrl+Z (the key marked Z on this layout) undoes it.
    d.chord(&["ctrl"], "z");
    assert_eq!(save(&d, &session), eu(0), "{layout}: Ctrl+Z undoes");
    // Shift + that key tags every whole-word occurrence (12 in the sample).
    select_first(&d, "EU");
    d.chord(&["shift"], one);
    assert_eq!(save(&d, &session), eu(12), "{layout}: Shift+1 tags all");
    // Undo and redo (Ctrl+Shift+Z) as one step each.
    d.chord(&["ctrl"], "z");
    d.chord(&["ctrl", "shift"], "z");
    d.chord(&["ctrl"], "z");
    assert_eq!(save(&d, &session), eu(0), "{layout}: undo, redo, undo");
    d.chord(&["ctrl"], "y");
    assert_eq!(save(&d, &session), eu(12), "{layout}: Ctrl+Y redoes");
    // Alt+Down picks the next annotation after the caret; Delete removes it.
    d.chord(&["alt"], "Down");
    d.chord(&[], "Delete");
    assert_eq!(save(&d, &session), eu(11), "{layout}: Alt+Down, Delete");
    // The removed EU is suggested again (it is tagged elsewhere): Tab goes to it, Enter
    // accepts it.
    d.chord(&[], "Tab");
    d.chord(&[], "Return");
    assert_eq!(save(&d, &session), eu(12), "{layout}: Tab, Enter");
    // Once more, and x (the key marked X on this layout) rejects it instead.
    d.chord(&["alt"], "Down");
    d.chord(&[], "Delete");
    d.chord(&[], "Tab");
    d.chord(&[], "x");
    assert_eq!(save(&d, &session), eu(11), "{layout}: Tab, x");
    let saved = spanmark::io::load_session(&session).unwrap();
    assert_eq!(saved.rejected.len(), 1, "{layout}: the rejection is saved");
    app.kill().unwrap();
    app.wait().unwrap();
}

#[test]
fn us_keyboard_tags_by_key_position() {
    tags_by_key_position("us");
}

#[test]
fn belgian_azerty_tags_by_key_position() {
    tags_by_key_position("be");
}

#[test]
fn french_azerty_tags_by_key_position() {
    tags_by_key_position("fr");
}

#[test]
fn german_qwertz_tags_by_key_position() {
    tags_by_key_position("de");
}

/// The same in the headless window, with the events a real keyboard sends: the logical key the
/// layout gives (`!`, `&`) and the physical key of the position.
#[test]
fn key_events_carry_the_digit_of_their_position() {
    use crate::common::gui::{app, drag_over, find, spans};
    use egui::{Event, Key, Modifiers};
    let press = |h: &mut egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>,
                 key: Key,
                 physical: Key,
                 modifiers: Modifiers| {
        for pressed in [true, false] {
            h.event(Event::Key {
                key,
                physical_key: Some(physical),
                pressed,
                repeat: false,
                modifiers,
            });
        }
        h.run();
    };
    let mut h = app(None, vec![]);
    // Belgian AZERTY: the key in position 3 types `"`; it tags with label 3.
    let eu = find(&h, "EU", 0);
    drag_over(&mut h, eu);
    press(&mut h, Key::Quote, Key::Num3, Modifiers::NONE);
    assert_eq!(spans(&h), [("EU".to_owned(), "date".to_owned())]);
    // US: Shift + the key in position 1 is `!`; it tags every whole-word occurrence.
    let eu = find(&h, "EU", 1);
    drag_over(&mut h, eu);
    press(&mut h, Key::Exclamationmark, Key::Num1, Modifiers::SHIFT);
    let actors = spans(&h).iter().filter(|(_, l)| l == "actor").count();
    assert_eq!(actors, 12, "every EU: {:?}", h.state().ws.notices.status);
}

/// The corrected sample in the real window on a Belgian keyboard: Enter answers "re-anchor",
/// Tab goes to the changed span, Enter keeps it, Tab to an orphan, x drops it, Ctrl+S saves
/// the new text with the rest still waiting.
#[test]
fn a_corrected_article_is_reanchored_and_reviewed_from_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    let text = std::fs::read_to_string(sample_path()).unwrap();
    std::fs::write(&article, &text).unwrap();
    // Tagged and saved: every EU, the one "Japen", and "kwantumtechnologie".
    let session = dir.path().join("news.spanmark.ron");
    let mut s = crate::common::session_of(&article);
    let mut h = spanmark::model::History::new_saved();
    crate::common::tag_all(&mut s, &mut h, "EU", "actor");
    crate::common::tag_all(&mut s, &mut h, "Japen", "actor");
    crate::common::tag_all(&mut s, &mut h, "kwantumtechnologie", "topic");
    spanmark::io::save_session(&session, &mut s).unwrap();
    // Corrected: a new first paragraph, "Japen" fixed, the sentence with
    // "kwantumtechnologie" (and one EU) deleted.
    let cut = text.find("Daarnaast verkennen").unwrap();
    let end = text[cut..].find("kwantumtechnologie. ").unwrap() + cut + 20;
    let new_text = format!(
        "Bijgewerkt: een nieuwe inleiding.\n\n{}{}",
        &text[..cut],
        &text[end..]
    )
    .replacen("Japen", "Japan", 1);
    std::fs::write(&article, &new_text).unwrap();

    let d = Display::start();
    d.layout("be");
    let (mut app, _window) = start_app(&d, &article, dir.path());
    d.chord(&[], "Return"); // Re-anchor
    std::thread::sleep(Duration::from_millis(500));
    d.chord(&[], "Tab"); // the changed "Japen", now "Japan"
    d.chord(&[], "Return"); // kept; on to the first orphan
    d.chord(&[], "x"); // dropped
    let _ = save(&d, &session);
    let saved = load_session(&session).unwrap();
    assert_eq!(saved.text(), new_text);
    let covered: Vec<&str> = saved
        .annotations()
        .iter()
        .map(|a| saved.covered(a))
        .collect();
    assert!(covered.contains(&"Japan"), "{covered:?}");
    assert_eq!(covered.iter().filter(|c| **c == "EU").count(), 11);
    // One orphan dropped, one still waiting for a decision.
    assert_eq!(saved.anchors.len(), 1, "{:?}", saved.anchors);
    assert_eq!(saved.anchors[0].kind, spanmark::model::AnchorKind::Orphaned);
    app.kill().ok();
}

/// With Ctrl, a digit-row key keeps the character of its layout when a shortcut uses it
/// (Ctrl+- on French AZERTY is the key in position 6; Ctrl+= on German QWERTZ is Ctrl, Shift
/// and the key in position 0), and is its digit otherwise (Ctrl and the key printing `à`).
/// Without Ctrl the position wins (label keys, Alt and a digit).
#[test]
fn ctrl_with_a_digit_row_key_follows_the_shortcut_the_layout_prints() {
    use egui::{Event, Key, Modifiers};
    let key = |key: Key, physical: Key, modifiers: Modifiers| Event::Key {
        key,
        physical_key: Some(physical),
        pressed: true,
        repeat: false,
        modifiers,
    };
    let ctrl_shift = Modifiers::COMMAND.plus(Modifiers::SHIFT);
    let mut events = vec![
        key(Key::Minus, Key::Num6, Modifiers::COMMAND),
        key(Key::Equals, Key::Num0, ctrl_shift),
        key(Key::Backtick, Key::Num0, Modifiers::COMMAND),
        key(Key::Minus, Key::Num6, Modifiers::NONE),
        key(Key::Quote, Key::Num3, Modifiers::ALT),
        key(Key::Exclamationmark, Key::Num1, Modifiers::SHIFT),
    ];
    spanmark::app::keyboard::by_position(&mut events);
    let keys: Vec<Key> = events
        .iter()
        .filter_map(|e| match e {
            Event::Key { key, .. } => Some(*key),
            _ => None,
        })
        .collect();
    assert_eq!(
        keys,
        [
            Key::Minus,
            Key::Equals,
            Key::Num0,
            Key::Num6,
            Key::Num3,
            Key::Num1
        ]
    );
}

/// README says: Ctrl+O, type the full path, Enter. With no desktop portal Spanmark's own
/// dialog opens, its path field holding the document's folder: what is typed replaces it
/// (it is selected), on a US and a Belgian keyboard.
fn typing_a_full_path_into_the_open_dialog_opens_it(layout: &str) {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    let other = dir.path().join("elders");
    std::fs::create_dir_all(&news).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(news.join("a.txt"), "De EU en Japan werken samen.\n").unwrap();
    let target = other.join("ander-bericht.txt");
    std::fs::write(&target, "Japan en de EU spraken in Tokyo.\n").unwrap();
    let d = Display::start();
    d.layout(layout);
    let (mut app, window) = crate::common::xvfb::start_app_with(
        &d,
        Some(&news.join("a.txt")),
        dir.path(),
        &[("SPANMARK_FILE_DIALOG", Some("builtin"))],
    );
    let title = || d.xdotool(&["getwindowname", &window]);
    wait_for("a.txt in the title", Duration::from_secs(20), || {
        title().starts_with("a.txt")
    });
    d.chord(&["ctrl"], "o");
    std::thread::sleep(Duration::from_millis(800));
    d.xdotool(&["type", "--delay", "40", &target.display().to_string()]);
    std::thread::sleep(Duration::from_millis(300));
    d.chord(&[], "Return");
    wait_for(
        &format!("{layout}: the typed path opened (title now {:?})", title()),
        Duration::from_secs(20),
        || title().starts_with("ander-bericht.txt"),
    );
    let _ = app.kill();
    let _ = app.wait();
}

#[test]
fn a_full_path_typed_into_the_open_dialog_opens_on_a_us_keyboard() {
    typing_a_full_path_into_the_open_dialog_opens_it("us");
}

#[test]
fn a_full_path_typed_into_the_open_dialog_opens_on_a_belgian_keyboard() {
    typing_a_full_path_into_the_open_dialog_opens_it("be");
}
