//! Annotating faster, in the real window (egui_kittest): find and tag all, Shift + a label's
//! key, date and gazetteer suggestions with accept/reject, keyboard-only tagging, notes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::gui::{app, app_with, drag_over, find, spans};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::SpanmarkApp;
use spanmark::io::load_session;
use std::path::PathBuf;

/// Whole-word occurrences of `word`, counted independently of Spanmark's search.
fn count_words(text: &str, word: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| *w == word)
        .count()
}

fn article(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("tekst.txt");
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

fn text_field(h: &mut Harness<'_, SpanmarkApp>, hint_left_of: f32) {
    // The leftmost text field at the top: the find bar's query.
    let at = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .filter(|n| n.rect().left() < hint_left_of)
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
        .rect()
        .center();
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.rect().contains(at))
        .unwrap()
        .click();
    h.run();
}

#[test]
fn find_and_tag_all_matches_in_one_undoable_step() {
    let mut h = app(None, vec![]);
    let text = h.state().session().text().to_owned();
    let expected = count_words(&text, "EU");
    assert!(expected >= 5, "the sample mentions the EU often");
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    // The query field has the keyboard; type, then turn on whole words.
    h.event(egui::Event::Text("EU".into()));
    h.run();
    h.get_by_label("Word").click();
    h.run();
    h.get_by_label(&format!("{expected} matches"));
    // Enter in the query field moves to the first match and selects it.
    text_field(&mut h, 400.0);
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label(&format!("1 of {expected}"));
    let first = h.state().ws.cursor.selection.clone().unwrap();
    assert_eq!(h.state().session().document().slice(first).unwrap(), "EU");
    // Tag all N as actor.
    h.get_all_by_label("actor")
        .find(|n| n.rect().top() < 80.0)
        .expect("the find bar's actor button")
        .click();
    h.run();
    let tagged = spans(&h);
    assert_eq!(tagged.len(), expected);
    assert!(tagged.iter().all(|(t, l)| t == "EU" && l == "actor"));
    // One step back undoes all of them.
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(spans(&h).is_empty());
}

#[test]
fn find_with_a_bad_regex_says_so_and_case_matters_when_asked() {
    let (_d, p) = article("De EU, de eu-top en Eu.\n");
    let mut h = app(Some(p), vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.event(egui::Event::Text("eu".into()));
    h.run();
    h.get_by_label("3 matches");
    h.get_by_label("Aa").click();
    h.run();
    h.get_by_label("1 matches");
    h.get_by_label(".*").click();
    h.run();
    text_field(&mut h, 400.0);
    h.event(egui::Event::Text("(".into()));
    h.run();
    h.get_by_label("bad regular expression");
    assert!(h.state().ws.find.matches.is_empty());
}

#[test]
fn shift_and_a_label_key_tags_every_eu_in_the_sample() {
    let mut h = app(None, vec![]);
    let text = h.state().session().text().to_owned();
    let expected = count_words(&text, "EU");
    let eu = find(&h, "EU ", 0);
    drag_over(&mut h, eu.start..eu.start + 2);
    h.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
    h.run();
    let tagged = spans(&h);
    assert_eq!(tagged.len(), expected);
    assert!(tagged.iter().all(|(t, l)| t == "EU" && l == "actor"));
    let status = h.state().ws.notices.status.clone().unwrap().text;
    assert!(
        status.starts_with(&format!("Tagged {expected} occurrences of “EU” as actor")),
        "{status}"
    );
    // Again: nothing is duplicated.
    drag_over(&mut h, eu.start..eu.start + 2);
    h.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
    h.run();
    assert_eq!(spans(&h).len(), expected);
    assert!(
        h.state()
            .ws
            .notices
            .status
            .clone()
            .unwrap()
            .text
            .starts_with("Tagged 0 ")
    );
    // One undo removes them all.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(spans(&h).is_empty());
}

const DATES: &str = "Op vrijdag 12 maart 2025 sprak de EU met Japan. Het akkoord van 2024-01-05 \
loopt van 2022–2025. On March 3, 2021 the talks began; in June they stopped.\n\
2025年3月12日に東京で会談が行われた。次回は5月1日。\n";

fn suggested(h: &Harness<'_, SpanmarkApp>) -> Vec<(String, String)> {
    let s = h.state().session();
    h.state()
        .ws
        .suggest
        .list
        .iter()
        .map(|g| {
            (
                s.document().slice(g.range()).unwrap().to_owned(),
                g.label.clone(),
            )
        })
        .collect()
}

#[test]
fn dates_are_suggested_in_dutch_english_and_japanese() {
    let (_d, p) = article(DATES);
    let h = app_with(Some(p), vec![], true);
    let dates: Vec<String> = suggested(&h)
        .into_iter()
        .filter(|(_, l)| l == "date")
        .map(|(t, _)| t)
        .collect();
    assert_eq!(
        dates,
        [
            "vrijdag 12 maart 2025",
            "2024-01-05",
            "2022–2025",
            "March 3, 2021",
            "June",
            "2025年3月12日",
            "5月1日",
        ]
    );
    // Suggestions are not annotations: nothing is counted or exported.
    assert!(h.state().session().annotations().is_empty());
}

#[test]
fn tab_enter_and_x_accept_and_reject_suggestions() {
    let (_d, p) = article(DATES);
    let mut h = app_with(Some(p), vec![], true);
    // Tag "EU" once: the gazetteer now suggests nothing new (one EU), tag Japan likewise.
    let n = h.state().ws.suggest.list.len();
    assert_eq!(n, 7);
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(h.state().ws.suggest.current, Some(0));
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(spans(&h), [("vrijdag 12 maart 2025".into(), "date".into())]);
    assert_eq!(
        h.state().ws.suggest.list.len(),
        n - 1,
        "accepted is no longer suggested"
    );
    // Next one: 2024-01-05; reject it with x.
    h.key_press(Key::Tab);
    h.run();
    let current = h.state().ws.suggest.current.unwrap();
    assert_eq!(
        h.state().ws.suggest.list[current].range(),
        find(&h, "2024-01-05", 0)
    );
    h.key_press(Key::X);
    h.run();
    assert_eq!(h.state().ws.suggest.list.len(), n - 2);
    assert_eq!(spans(&h).len(), 1, "rejecting adds nothing");
    // A rejection is an edit like any other: Ctrl+Z brings the suggestion back, redo
    // rejects it again.
    let rejected = ("2024-01-05".to_owned(), "date".to_owned());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(suggested(&h).contains(&rejected));
    assert_eq!(spans(&h).len(), 1, "the accepted one stays");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert!(!suggested(&h).contains(&rejected));
    // Accept all dates from the menu: one step; the rejected one stays out.
    h.get_by_label("Suggestions").click();
    h.run();
    h.get_by_label_contains("Accept all date").click();
    h.run();
    assert_eq!(spans(&h).len(), n - 1);
    assert!(!spans(&h).contains(&rejected));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(spans(&h).len(), 1);
}

#[test]
fn the_gazetteer_suggests_what_is_tagged_elsewhere_and_can_be_hidden() {
    let (_d, p) = article("De EU en Japan. Later sprak de EU weer met Japan en de EU.\n");
    let mut h = app(Some(p), vec![]);
    let eu = find(&h, "EU", 0);
    drag_over(&mut h, eu);
    h.key_press(Key::Num1);
    h.run();
    let eus: Vec<_> = suggested(&h)
        .into_iter()
        .filter(|(t, _)| t == "EU")
        .collect();
    assert_eq!(eus, vec![("EU".to_owned(), "actor".to_owned()); 2]);
    // View > Show suggestions off: none drawn.
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Show suggestions").click();
    h.run();
    assert!(h.state().ws.suggest.list.is_empty());
}

#[test]
fn keyboard_only_tagging_of_a_phrase() {
    let (_d, p) = article("De Europese Unie en Japan werken samen.\nTweede regel.\n");
    let mut h = app(Some(p), vec![]);
    // From the start: to the end of "De", one right, then two words with Shift.
    h.key_press(Key::ArrowRight);
    h.run();
    h.key_press(Key::Home);
    h.run();
    assert_eq!(h.state().ws.cursor.caret, Some(0));
    h.key_press_modifiers(Modifiers::COMMAND, Key::ArrowRight);
    h.key_press(Key::ArrowRight);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    let sel = h.state().ws.cursor.selection.clone().unwrap();
    assert_eq!(
        h.state().session().document().slice(sel).unwrap(),
        "Europese Unie"
    );
    h.key_press(Key::Num1);
    h.run();
    assert_eq!(spans(&h), [("Europese Unie".into(), "actor".into())]);
    // Shift+End selects to the line end; Shift+Left trims the full stop.
    h.key_press_modifiers(Modifiers::COMMAND, Key::ArrowRight);
    h.key_press(Key::ArrowRight);
    h.key_press_modifiers(Modifiers::SHIFT, Key::End);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    h.run();
    let sel = h.state().ws.cursor.selection.clone().unwrap();
    assert_eq!(
        h.state().session().document().slice(sel).unwrap(),
        "Japan werken samen"
    );
    h.key_press(Key::Num2);
    h.run();
    // Down goes to the next line.
    h.key_press(Key::ArrowDown);
    h.run();
    assert!(h.state().ws.cursor.caret.unwrap() > 40);
    // Ctrl+[ and Ctrl+] select annotations in order.
    h.key_press_modifiers(Modifiers::COMMAND, Key::OpenBracket);
    h.run();
    let sel = h.state().ws.cursor.selected_span.unwrap();
    assert_eq!(h.state().session().get(sel).unwrap().label, "topic");
    h.key_press_modifiers(Modifiers::COMMAND, Key::OpenBracket);
    h.run();
    let sel = h.state().ws.cursor.selected_span.unwrap();
    assert_eq!(h.state().session().get(sel).unwrap().label, "actor");
    // 3 relabels the selected span without the mouse.
    h.key_press(Key::Num3);
    h.run();
    assert_eq!(
        spans(&h),
        [
            ("Europese Unie".into(), "date".into()),
            ("Japan werken samen".into(), "topic".into())
        ]
    );
}

#[test]
fn a_note_typed_after_n_survives_save_and_brat_export() {
    let (dir, p) = article("De EU en Japan werken samen.\n");
    let mut h = app(Some(p), vec![]);
    let eu = find(&h, "EU", 0);
    drag_over(&mut h, eu);
    h.key_press(Key::Num1);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::CloseBracket);
    h.run();
    assert!(h.state().ws.cursor.selected_span.is_some());
    h.key_press(Key::N);
    h.run();
    h.event(egui::Event::Text("de Europese Unie".into()));
    h.run();
    // Leaving the field (Escape) keeps the note.
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(
        h.state().session().annotations()[0].note.as_deref(),
        Some("de Europese Unie")
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let session = dir.path().join("tekst.spanmark.ron");
    let s = load_session(&session).unwrap();
    assert_eq!(s.annotations()[0].note.as_deref(), Some("de Europese Unie"));
    let out = dir.path().join("brat");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["export", "--format", "brat", "--out"])
        .arg(&out)
        .arg(&session)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let ann = std::fs::read_to_string(out.join("tekst.ann")).unwrap();
    assert!(ann.contains("T1\tactor 3 5\tEU"), "{ann}");
    assert!(ann.contains("AnnotatorNotes T1\tde Europese Unie"), "{ann}");
    // Hover shows it too.
    let r = h.state().view.char_rect(3).unwrap();
    h.hover_at(r.center());
    h.run_steps(40);
    h.get_by_label("de Europese Unie");
}

/// Every actor, topic and date in the sample, tagged with the tools; counts the user's
/// actions (a drag or click is one, a key press or chord is one) against tagging each span
/// by hand (a drag and a key per span). Prints the figures (`cargo test -- --nocapture`).
#[test]
fn annotating_the_whole_sample_with_the_tools_takes_half_the_actions() {
    let actors = [
        "EU",
        "Japan",
        "Japen",
        "Europese Unie",
        "EU AI-kantoor",
        "Japanse AI-veiligheidsinstituut",
        "G7",
        "OESO",
        "Canada",
        "Zuid Korea",
        "Singapore",
        "Fleur Korte",
        "Tokyo",
    ];
    let topics = [
        "halfgeleiders",
        "chips",
        "dataruimten",
        "High Performance Computing",
        "kunstmatige intelligentie",
        "AI",
        "kwantumtechnologie",
        "digitalisering",
        "interoperabiliteit",
    ];
    let mut h = app(None, vec![]);
    let text = h.state().session().text().to_owned();
    let mut actions = 0;
    for (terms, key) in [(&actors[..], Key::Num1), (&topics[..], Key::Num2)] {
        for term in terms {
            // The first whole-word occurrence.
            let byte = text
                .match_indices(term)
                .map(|(b, _)| b)
                .find(|&b| {
                    let before = text[..b].chars().next_back();
                    let after = text[b + term.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                })
                .unwrap();
            let start = h.state().session().document().byte_to_char(byte).unwrap();
            drag_over(&mut h, start..start + term.chars().count());
            h.key_press_modifiers(Modifiers::SHIFT, key);
            h.run();
            actions += 2;
        }
    }
    // "AI" inside "AI-kantoor" and "AI-veiligheidsinstituut" is not a topic: click, Delete.
    for name in ["EU AI-kantoor", "Japanse AI-veiligheidsinstituut"] {
        let r = find(&h, name, 0);
        let ai = r.start + name.find("AI").unwrap();
        h.state_mut().ws.cursor.reveal(ai, None);
        h.run();
        let rect = h.state().view.char_rect(ai).unwrap();
        crate::common::gui::click_at(&mut h, rect.center());
        assert_eq!(
            h.state()
                .session()
                .get(h.state().ws.cursor.selected_span.unwrap())
                .unwrap()
                .label,
            "topic"
        );
        h.key_press(Key::Delete);
        h.run();
        actions += 2;
    }
    // Dates: Suggestions > Accept all date.
    h.get_by_label("Suggestions").click();
    h.run();
    h.get_by_label_contains("Accept all date").click();
    h.run();
    actions += 2;

    let s = h.state().session();
    let count = |term: &str, label: &str| {
        s.annotations()
            .iter()
            .filter(|a| a.label == label && s.covered(a) == term)
            .count()
    };
    let words = |term: &str| regex_count(&text, term);
    let mut expected = 0;
    for t in actors {
        assert_eq!(count(t, "actor"), words(t), "{t}");
        expected += words(t);
    }
    for t in topics {
        let want = if t == "AI" { words(t) - 2 } else { words(t) };
        assert_eq!(count(t, "topic"), want, "{t}");
        expected += want;
    }
    assert_eq!(count("2022", "date") + count("2025", "date"), 2);
    expected += 2;
    assert_eq!(s.annotations().len(), expected, "nothing else was tagged");
    let by_hand = 2 * expected;
    println!(
        "sample: {expected} spans; with the tools {actions} actions, by hand {by_hand} (a drag and a key per span)"
    );
    assert!(actions * 2 <= by_hand + 4, "{actions} vs {by_hand}");
}

/// Whole-word occurrences (words of letters, digits and '-' boundaries as in `\b`).
fn regex_count(text: &str, term: &str) -> usize {
    text.match_indices(term)
        .filter(|&(b, _)| {
            let before = text[..b].chars().next_back();
            let after = text[b + term.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .count()
}

#[test]
fn a_rejection_is_remembered_in_the_session_file() {
    let (dir, p) = article("Het akkoord van 2024 en van 2025.\n");
    let mut h = app(Some(p.clone()), vec![]);
    assert_eq!(suggested(&h).len(), 2);
    h.key_press(Key::Tab);
    h.run();
    h.key_press(Key::X);
    h.run();
    assert_eq!(suggested(&h), [("2025".into(), "date".into())]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    drop(h);
    let s = load_session(&dir.path().join("tekst.spanmark.ron")).unwrap();
    assert_eq!(s.rejected.len(), 1);
    // Reopened: still not suggested.
    let h = app(Some(p), vec![]);
    assert_eq!(suggested(&h), [("2025".into(), "date".into())]);
}
