//! The real window, driven headless with egui_kittest: drag, click, keys, save, reopen.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::gui::{app, click_at, drag, drag_over, find, rect_of, spans};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::SpanmarkApp;
use spanmark::io::load_session;
use spanmark::workspace::Prompt;
use std::path::PathBuf;

/// The palette's button for a label (the topmost of the widgets named after it).
fn palette<'h>(h: &'h Harness<'_, SpanmarkApp>, label: &'h str) -> egui_kittest::Node<'h> {
    h.get_all_by_label_contains(label)
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
}

fn pair(text: &str, label: &str) -> (String, String) {
    (text.to_owned(), label.to_owned())
}

#[test]
fn drag_over_japan_and_press_1_tags_an_actor() {
    let mut h = app(None, vec![]);
    let japan = find(&h, "Japan", 0);
    drag_over(&mut h, japan.clone());
    assert_eq!(h.state().ws.cursor.selection, Some(japan.clone()));
    h.key_press(Key::Num1);
    h.run();
    let s = h.state().session();
    assert_eq!(s.annotations().len(), 1);
    let a = &s.annotations()[0];
    assert_eq!(
        (a.start, a.end, a.label.as_str()),
        (japan.start, japan.end, "actor")
    );
    assert_eq!(s.covered(a), "Japan");
    assert_eq!(
        h.state().ws.cursor.selection,
        None,
        "tagging clears the selection"
    );
    assert!(h.state().title().contains('•'), "{}", h.state().title());
}

#[test]
fn sloppy_drag_snaps_to_words_and_alt_drag_is_exact() {
    let mut h = app(None, vec![]);
    let eu = find(&h, "Europese Unie", 0);
    // From the middle of "Europese" to the middle of "Unie".
    let a = rect_of(&h, eu.start + 3).center();
    let b = rect_of(&h, eu.end - 2).center();
    drag(&mut h, a, b, Modifiers::NONE);
    assert_eq!(h.state().ws.cursor.selection, Some(eu.clone()));
    let a = rect_of(&h, eu.start + 3).left_center() + egui::vec2(1.0, 0.0);
    let b = rect_of(&h, eu.end - 2).right_center() - egui::vec2(1.0, 0.0);
    drag(&mut h, a, b, Modifiers::ALT);
    let sel = h.state().ws.cursor.selection.clone().unwrap();
    let s = h.state().session();
    assert_eq!(s.document().slice(sel), Some("opese Uni"));
}

#[test]
fn double_click_selects_a_word() {
    let mut h = app(None, vec![]);
    let word = find(&h, "onderzoekssamenwerking", 0);
    let pos = rect_of(&h, word.start + 5).center();
    h.hover_at(pos);
    h.run();
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            h.step();
        }
    }
    h.run();
    assert_eq!(h.state().ws.cursor.selection, Some(word));
}

#[test]
fn nested_spans_relabel_delete_undo_redo() {
    let mut h = app(None, vec![]);
    let outer = find(&h, "EU AI-kantoor", 0);
    drag_over(&mut h, outer.clone());
    h.key_press(Key::Num1);
    h.run();
    assert_eq!(
        spans(&h),
        [pair("EU AI-kantoor", "actor")],
        "{:?}",
        h.state().ws.notices.status
    );
    let inner = outer.start + 3..outer.start + 5;
    drag_over(&mut h, inner.clone());
    assert_eq!(h.state().ws.cursor.selection, Some(inner.clone()));
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(
        spans(&h),
        [pair("EU AI-kantoor", "actor"), pair("AI", "topic")]
    );

    // Click on "AI": the inner span first, then the outer one.
    let p = rect_of(&h, inner.start).center();
    click_at(&mut h, p);
    let selected = |h: &Harness<'_, SpanmarkApp>| {
        let s = h.state().session();
        h.state()
            .ws
            .cursor
            .selected_span
            .and_then(|id| s.get(id))
            .map(|a| s.covered(a).to_owned())
    };
    assert_eq!(selected(&h).as_deref(), Some("AI"));
    click_at(&mut h, p);
    assert_eq!(selected(&h).as_deref(), Some("EU AI-kantoor"));
    click_at(&mut h, p);
    assert_eq!(selected(&h).as_deref(), Some("AI"));

    // Relabel the inner span as date, then delete it.
    h.key_press(Key::Num3);
    h.run();
    assert_eq!(
        spans(&h),
        [pair("EU AI-kantoor", "actor"), pair("AI", "date")]
    );
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(spans(&h), [pair("EU AI-kantoor", "actor")]);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        spans(&h),
        [pair("EU AI-kantoor", "actor"), pair("AI", "date")]
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        spans(&h),
        [pair("EU AI-kantoor", "actor"), pair("AI", "topic")]
    );
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(
        spans(&h),
        [pair("EU AI-kantoor", "actor"), pair("AI", "date")]
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(spans(&h), [pair("EU AI-kantoor", "actor")]);
    // Undo everything: clean again.
    for _ in 0..4 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
    }
    assert!(spans(&h).is_empty());
    assert!(!h.state().ws.doc.dirty());
    assert!(!h.state().title().contains('•'));
}

#[test]
fn palette_click_tags_and_duplicates_are_refused() {
    let mut h = app(None, vec![]);
    let japan = find(&h, "Japan", 0);
    drag_over(&mut h, japan.clone());
    palette(&h, "topic").click();
    h.run();
    assert_eq!(spans(&h), [pair("Japan", "topic")]);
    drag_over(&mut h, japan);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(spans(&h).len(), 1);
    let status = h.state().ws.notices.status.clone().unwrap();
    assert!(status.error);
    assert!(
        status.text.contains("\"Japan\" is already tagged as topic"),
        "{}",
        status.text
    );
}

#[test]
fn hotkey_without_selection_explains_what_to_do() {
    let mut h = app(None, vec![]);
    h.key_press(Key::Num1);
    h.run();
    assert!(spans(&h).is_empty());
    let status = h.state().ws.notices.status.clone().unwrap();
    assert!(
        status.text.starts_with("Select some text first"),
        "{}",
        status.text
    );
}

#[test]
fn sample_save_asks_for_a_place_then_reopens_identically() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine.spanmark.ron");
    let mut h = app(None, vec![Some(target.clone())]);
    for (needle, key) in [
        ("Japan", Key::Num1),
        ("halfgeleiders", Key::Num2),
        ("2022", Key::Num3),
    ] {
        let r = find(&h, needle, 0);
        drag_over(&mut h, r.clone());
        h.key_press(key);
        h.run();
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    h.run();
    assert!(target.exists(), "{:?}", h.state().ws.notices.status);
    assert_eq!(
        spans(&h),
        [
            pair("Japan", "actor"),
            pair("halfgeleiders", "topic"),
            pair("2022", "date")
        ]
    );
    assert!(!h.state().ws.doc.dirty());
    let saved = h.state().session().clone();
    let reopened = app(Some(target.clone()), vec![]);
    assert_eq!(reopened.state().session(), &saved);
    assert_eq!(load_session(&target).unwrap(), saved);
    assert_eq!(spans(&reopened).len(), 3);
}

#[test]
fn article_saves_beside_itself_and_reopens_its_session() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    std::fs::copy(crate::common::sample_path(), &article).unwrap();
    let mut h = app(Some(article.clone()), vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::End);
    h.run();
    let r = find(&h, "Tokyo", 0);
    drag_over(&mut h, r);
    h.key_press(Key::Num1);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let session = dir.path().join("news.spanmark.ron");
    assert!(session.exists());
    let h2 = app(Some(article), vec![]);
    assert_eq!(spans(&h2), [pair("Tokyo", "actor")]);
    let status = h2.state().ws.notices.status.clone().unwrap();
    assert!(
        status.text.starts_with("Reopened your session"),
        "{}",
        status.text
    );
}

#[test]
fn close_with_unsaved_changes_asks_first() {
    let mut h = app(None, vec![]);
    let r = find(&h, "Japan", 0);
    drag_over(&mut h, r);
    h.key_press(Key::Num1);
    h.run();
    let request_close = |h: &mut Harness<'_, SpanmarkApp>| {
        h.input_mut()
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .events
            .push(egui::ViewportEvent::Close);
        h.run();
    };
    request_close(&mut h);
    assert!(matches!(
        h.state().ws.notices.prompt,
        Some(Prompt::Unsaved(_))
    ));
    h.get_by_label("Save your changes?");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().ws.notices.prompt, None);
    assert_eq!(spans(&h).len(), 1, "cancel keeps the work");
    // Quit asks the same question.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run();
    assert!(matches!(
        h.state().ws.notices.prompt,
        Some(Prompt::Unsaved(_))
    ));
    h.get_by_label("Discard").click();
    h.run();
    assert_eq!(h.state().ws.notices.prompt, None);
}

#[test]
fn bad_session_shows_an_error_and_keeps_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.spanmark.ron");
    std::fs::write(&bad, "(format: \"spanmark-session\", version: 1,").unwrap();
    let h = app(Some(bad.clone()), vec![]);
    match &h.state().ws.notices.prompt {
        Some(Prompt::Error(msg)) => {
            assert!(msg.contains(&format!("{}:1:", bad.display())), "{msg}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.state().ws.doc.name, spanmark::app::SAMPLE_NAME);
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        "(format: \"spanmark-session\", version: 1,"
    );
}

#[test]
fn list_row_click_selects_and_reveals_the_span() {
    let mut h = app(None, vec![]);
    let r = find(&h, "Singapore", 0);
    // Tag it at the end, go back to the start, then come back via the list.
    h.key_press_modifiers(Modifiers::COMMAND, Key::End);
    h.run();
    drag_over(&mut h, r.clone());
    h.key_press(Key::Num1);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    h.run();
    assert!(h.state().view.char_rect(r.start).is_none(), "scrolled away");
    h.get_all_by_label_contains("Singapore")
        .find(|n| n.rect().left() > 900.0)
        .expect("a row in the annotation list")
        .click();
    h.run();
    let s = h.state().session();
    let id = s.annotations()[0].id;
    assert_eq!(h.state().ws.cursor.selected_span, Some(id));
    assert!(h.state().view.char_rect(r.start).is_some());
}

#[test]
fn zoom_changes_the_type_size() {
    let mut h = app(None, vec![]);
    let before = rect_of(&h, 0).height();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run();
    h.run();
    assert!(rect_of(&h, 0).height() > before);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    h.run();
    assert_eq!(rect_of(&h, 0).height(), before);
}

#[test]
fn ctrl_c_copies_the_selection_and_dropped_files_open() {
    let mut h = app(None, vec![]);
    let r = find(&h, "Europese Unie", 0);
    drag_over(&mut h, r);
    // The platform layer turns Ctrl+C into a Copy event.
    h.event(egui::Event::Copy);
    h.step();
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(copied, ["Europese Unie"]);

    let dir = tempfile::tempdir().unwrap();
    let dropped = dir.path().join("dropped.md");
    std::fs::write(&dropped, "# Kop\n\nDe EU en Japan.\n").unwrap();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(dropped.clone())));
    h.run();
    assert_eq!(h.state().ws.doc.name, "dropped.md");
    assert_eq!(h.state().session().text(), "# Kop\n\nDe EU en Japan.\n");
}

/// A file dropped on the window, as the platform layer hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// The bottom-most widget with this exact name (a dialog's button below its heading).
fn lowest<'h>(h: &'h Harness<'_, SpanmarkApp>, label: &'h str) -> egui_kittest::Node<'h> {
    h.get_all_by_label(label)
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
}

#[test]
fn export_and_import_from_the_file_menu() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    std::fs::copy(crate::common::sample_path(), &article).unwrap();
    let out = dir.path().join("news.spacy.jsonl");
    let input = dir.path().join("doccano.jsonl");
    std::fs::write(&input, "{\"id\": \"d1\", \"text\": \"De EU en Japan\", \"label\": [[3, 5, \"actor\"]]}\n{\"text\": \"kapot\", \"label\": [[0, 99, \"actor\"]]}\n").unwrap();
    let imported = dir.path().join("imported");
    let mut h = app(
        Some(article),
        vec![
            Some(out.clone()),
            Some(input.clone()),
            Some(imported.clone()),
        ],
    );
    let r = find(&h, "Japan", 0);
    drag_over(&mut h, r.clone());
    h.key_press(Key::Num1);
    h.run();

    // Export this document as spaCy JSONL.
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    h.get_by_label("conll").click();
    h.run();
    match &h.state().ui.transfer {
        Some(spanmark::app::panels::transfer::TransferDialog::Export(d)) => {
            assert!(d.out.ends_with("news.conll"), "{}", d.out);
        }
        other => panic!("{other:?}"),
    }
    h.get_by_label("spacy").click();
    h.run();
    h.get_by_label("Choose…").click();
    h.run();
    lowest(&h, "Export").click();
    h.run();
    h.get_by_label("Exported 1 documents, 1 spans.");
    let line = std::fs::read_to_string(&out).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(v["spans"][0]["start"], r.start);
    assert_eq!(v["spans"][0]["label"], "actor");
    assert_eq!(v["meta"]["id"], "news");
    h.get_by_label("Close").click();
    h.run();
    assert!(h.state().ui.transfer.is_none());

    // Import doccano JSONL: the good record comes in, the bad one is named.
    h.key_press_modifiers(Modifiers::COMMAND, Key::I);
    h.run();
    for b in h.get_all_by_label("Choose…").collect::<Vec<_>>() {
        b.click();
    }
    h.run();
    h.run();
    lowest(&h, "Import").click();
    h.run();
    h.get_by_label("Imported 1 documents, 1 spans.");
    h.get_by_label_contains("doccano.jsonl:2: span 0..99 lies beyond the end of the text");
    let s = load_session(&imported.join("d1.spanmark.ron")).unwrap();
    assert_eq!(s.covered(&s.annotations()[0]), "EU");
}

#[test]
fn shift_click_extends_the_selection() {
    let mut h = app(None, vec![]);
    let eu = find(&h, "EU", 0);
    let japan = find(&h, "Japan", 0);
    let first = rect_of(&h, eu.start).left_center() + egui::vec2(1.0, 0.0);
    click_at(&mut h, first);
    let pos = rect_of(&h, japan.end - 1).right_center() - egui::vec2(1.0, 0.0);
    h.run_steps(30);
    h.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    h.hover_at(pos);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::SHIFT,
        });
        h.step();
    }
    h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    h.run();
    let sel = h.state().ws.cursor.selection.clone().unwrap();
    assert_eq!(
        h.state().session().document().slice(sel),
        Some("EU en Japan")
    );
}

#[test]
fn a_selected_span_gets_a_note_that_is_saved_and_undoable() {
    let mut h = app(None, vec![]);
    let r = find(&h, "Japan", 0);
    drag_over(&mut h, r.clone());
    h.key_press(Key::Num1);
    h.run();
    let p = rect_of(&h, r.start).center();
    click_at(&mut h, p);
    assert!(h.state().ws.cursor.selected_span.is_some());
    // The only multi-line text field is the selected span's note.
    let role = egui::accesskit::Role::MultilineTextInput;
    h.get_by_role(role).focus();
    h.run();
    h.get_by_role(role).type_text("het land, niet de EU");
    h.run();
    // Leave the field: the note is stored as one undoable edit.
    h.key_press(Key::Tab);
    h.run();
    let s = h.state().session();
    assert_eq!(
        s.annotations()[0].note.as_deref(),
        Some("het land, niet de EU")
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session().annotations()[0].note, None);
}

/// A screen reader reads the label palette and every menu entry by name (AccessKit).
#[test]
fn palette_and_menus_have_names_a_screen_reader_reads() {
    use egui::accesskit::Role;
    use egui_kittest::kittest::NodeT;
    use spanmark::app::command::{Command, Menu};
    let mut h = app(None, vec![]);
    let buttons: Vec<String> = h
        .query_all_by_role(Role::Button)
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    for label in ["actor", "topic", "date"] {
        assert!(
            buttons.iter().any(|b| b.starts_with(label)),
            "no palette button named {label}: {buttons:?}"
        );
    }
    for (menu, title) in [
        (Menu::File, "File"),
        (Menu::Edit, "Edit"),
        (Menu::View, "View"),
        (Menu::Suggestions, "Suggestions"),
        (Menu::Document, "Document"),
        (Menu::Help, "Help"),
    ] {
        h.get_by_label(title).click();
        h.run();
        let names: Vec<String> = h
            .query_all_by_role(Role::Button)
            .chain(h.query_all_by_role(Role::CheckBox))
            .filter_map(|n| n.accesskit_node().label())
            .collect();
        for c in Command::all().iter().filter(|c| c.menu() == menu) {
            // Alt+4… only show when a comparison has that many annotators.
            if matches!(c, Command::TakeVersion(_)) {
                continue;
            }
            assert!(
                names.iter().any(|n| n.contains(c.name())),
                "{title} menu: no entry named {:?} in {names:?}",
                c.name()
            );
        }
        // The same button closes the menu again.
        h.get_by_label(title).click();
        h.run();
    }
}

/// The Export dialog's training options: docbin, labels renamed and dropped, a split with a
/// seed, folders kept together; typed into its fields, as a person does.
#[test]
fn the_export_dialog_writes_a_split_docbin_with_mapped_labels() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    std::fs::copy(crate::common::sample_path(), &article).unwrap();
    let mut h = app(Some(article), vec![]);
    for (word, key) in [("Japan", Key::Num1), ("digitalisering", Key::Num2)] {
        let r = find(&h, word, 0);
        drag_over(&mut h, r);
        h.key_press(key);
        h.run();
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    h.get_by_label("docbin").click();
    h.run();
    let out = dir.path().join("corpus.spacy");
    for (field, text) in [
        ("Rename labels:", "actor=PER"),
        ("Leave out labels:", "topic"),
        ("Split:", "train=0.5,dev=0.5"),
        ("Split seed:", "3"),
    ] {
        h.get_by_label(field).click();
        h.run();
        h.get_by_label(field).type_text(text);
        h.run();
    }
    h.get_by_label("Keep the documents of one folder in one part")
        .click();
    h.run();
    match &mut h.state_mut().ui.transfer {
        Some(spanmark::app::panels::transfer::TransferDialog::Export(d)) => {
            assert!(d.split_by_folder);
            d.out = out.display().to_string();
        }
        other => panic!("{other:?}"),
    }
    lowest(&h, "Export").click();
    h.run();
    h.get_by_label("Exported 1 documents, 1 spans.");
    let train = dir.path().join("corpus.train.spacy");
    let dev = dir.path().join("corpus.dev.spacy");
    assert!(train.exists() && dev.exists());
    let bytes = std::fs::read(&train).unwrap();
    assert!(!bytes.is_empty());
}

/// Up and Down cross the blank line between paragraphs one row at a time, at the same x, and
/// start from a word just found (a selection without a caret).
#[test]
fn up_and_down_cross_blank_lines_and_start_from_the_selection() {
    use crate::common::gui::find;
    let mut h = app(None, vec![]);
    let text = h.state().session().text().to_owned();
    // "… rond chips" (a heading), a blank line, "Oog op meer gezamenlijk onderzoek".
    let oog = find(&h, "Oog", 0);
    let chips = text[..text.find("\n\nOog").unwrap()].chars().count() - "chips".len();
    h.state_mut().ws.cursor.selection = Some(oog.clone());
    h.state_mut().ws.cursor.reveal(oog.start, None);
    h.run();
    h.key_press(Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().ws.cursor.caret, Some(oog.start));
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(
        h.state().ws.cursor.caret,
        Some(oog.start - 1),
        "the blank line"
    );
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(h.state().ws.cursor.caret, Some(chips), "the start of chips");
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().ws.cursor.caret, Some(oog.start), "back at Oog");
    // A found word (selected, no caret): Down goes to the row below it, not from the top of
    // the screen.
    h.state_mut().ws.cursor.caret = None;
    h.state_mut().ws.cursor.selection = Some(chips..chips + 5);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().ws.cursor.caret, Some(oog.start - 1));
}

/// While an error waits to be acknowledged, no command acts behind it: Ctrl+F does not open
/// the find bar under it. A notice that only informs (work recovered from the journal) never
/// blocks a command: Ctrl+F opens the find bar and closes the notice.
#[test]
fn only_questions_and_errors_hold_the_keyboard() {
    use spanmark::workspace::Prompt;
    let mut h = app(None, vec![]);
    h.state_mut().ws.notices.prompt = Some(Prompt::Error("The disk is full.".into()));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert!(
        !h.state().ws.find.open,
        "the find bar opened under the error"
    );
    h.get_by_label("OK").click();
    h.run();
    assert!(h.state().ws.notices.prompt.is_none());

    h.state_mut().ws.notices.prompt = Some(Prompt::Info("Recovered 1 edit.".into()));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert!(h.state().ws.find.open, "the notice blocked Ctrl+F");
    assert!(
        h.state().ws.notices.prompt.is_none(),
        "the command closed the notice"
    );
}

/// A project of four articles: the editor tags the names of three (drag, label key), marks
/// each done (Ctrl+Enter, which opens the next), and the fourth, whose names were never
/// tagged, opens. Once tagging pauses, learned suggestions appear for its names;
/// Ctrl+Shift+Enter accepts them all, Ctrl+Z undoes that in one step, and the side panel says
/// how good the suggestions were on the documents done last.
#[test]
fn tag_three_articles_and_the_fourth_is_pre_annotated_by_what_was_learned() {
    use crate::learn::{Lcg, ORGS_A, ORGS_B, PEOPLE_A, PEOPLE_B, PLACES_A, PLACES_B, article};
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(71);
    let mut golds = Vec::new();
    for i in 0..3 {
        let (text, spans) = article(&mut rng, PEOPLE_A, ORGS_A, PLACES_A);
        std::fs::write(dir.path().join(format!("a{i}.txt")), text).unwrap();
        golds.push(spans);
    }
    let (text, new_names) = article(&mut rng, PEOPLE_B, ORGS_B, PLACES_B);
    std::fs::write(dir.path().join("b.txt"), &text).unwrap();
    let mut h = app(Some(dir.path().to_path_buf()), vec![]);
    // The project's labels (Edit > Labels…).
    for l in crate::learn::labels() {
        h.state_mut()
            .ws
            .label_op(spanmark::workspace::LabelOp::Add(l), |_| None);
    }
    h.run();
    for gold in &golds {
        for (start, end, label) in gold {
            drag_over(&mut h, *start..*end);
            let key = h
                .state()
                .session()
                .labels()
                .get(label)
                .unwrap()
                .hotkey
                .unwrap();
            h.key_press(Key::from_name(&key.to_string()).unwrap());
            h.run();
        }
        assert_eq!(h.state().session().annotations().len(), gold.len());
        h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
        h.run();
    }
    assert_eq!(
        h.state().session().text(),
        text,
        "the fourth article is open"
    );
    // Tagging paused: the model trains in the background; its suggestions appear.
    let learned = |h: &Harness<'_, SpanmarkApp>| {
        h.state()
            .ws
            .suggest
            .list
            .iter()
            .filter(|g| {
                matches!(
                    g.source,
                    spanmark::model::search::SuggestionSource::Learned(_)
                )
            })
            .count()
    };
    let start = std::time::Instant::now();
    while learned(&h) == 0 || h.state().ws.trainer.quality.is_none() {
        assert!(
            start.elapsed().as_secs() < 60,
            "no learned suggestions came"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(5);
    }
    h.get_by_label_contains("learned suggestions: ");
    h.get_by_label_contains(" % right, find ");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Enter);
    h.run();
    let got = spans(&h);
    let never_tagged: Vec<&(usize, usize, String)> = new_names
        .iter()
        .filter(|(a, b, l)| got.contains(&(text.chars().skip(*a).take(b - a).collect(), l.clone())))
        .collect();
    assert!(
        never_tagged.len() * 2 >= new_names.len(),
        "{} of {} new names pre-annotated: {got:?}",
        never_tagged.len(),
        new_names.len()
    );
    let accepted = got.len();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(spans(&h).is_empty(), "one Ctrl+Z undoes the pre-annotation");
    let status = h.state().ws.notices.status.clone().unwrap().text;
    assert_eq!(status, format!("Undid: accept {accepted} suggestions."));
}

/// `n` with a relation picked puts the keyboard in its note; Escape leaves the field with
/// the note saved, the relation still picked; Escape again unpicks it, and Delete then
/// deletes the span.
#[test]
fn n_edits_the_picked_relations_note_and_escape_steps_back_once() {
    let (_dir, mut h) = related_pair();
    assert!(h.state().ws.cursor.selected_span.is_some());
    assert_eq!(h.state().session().relations().len(), 1);
    let picked = h.state().ws.relate.selected;
    assert!(picked.is_some());
    h.key_press(egui::Key::N);
    h.run();
    h.run();
    assert_eq!(h.state().ws.relate.selected, picked, "n keeps it picked");
    for e in "zegt Korte".chars() {
        h.event(egui::Event::Text(e.to_string()));
    }
    h.run();
    assert_eq!(
        h.state().ws.relate.selected,
        picked,
        "typing keeps it picked"
    );
    h.key_press(egui::Key::Escape);
    h.run();
    h.run();
    let s = h.state().session();
    assert_eq!(s.relations()[0].note.as_deref(), Some("zegt Korte"));
    assert_eq!(h.state().ws.relate.selected, picked, "still picked");
    assert!(h.state().ws.cursor.selected_span.is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().ws.relate.selected, None);
    h.key_press(egui::Key::Delete);
    h.run();
    assert!(
        h.state().session().relations().is_empty(),
        "the span took it"
    );
}

/// With View → Show all relations, a click on a relation's label on its arc picks it (its
/// span is selected too, so the side panel shows it); Delete then removes the relation.
#[test]
fn clicking_an_arcs_label_picks_the_relation() {
    use crate::common::gui::click_at;
    let (_dir, mut h) = related_pair();
    let id = h.state().session().relations()[0].id;
    // Nothing picked, nothing selected, every arc shown.
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    h.state_mut()
        .ws
        .run(spanmark::workspace::RelateOp::ToggleShowAll);
    h.run();
    assert_eq!(h.state().ws.relate.selected, None);
    assert_eq!(h.state().ws.cursor.selected_span, None);
    let plate = h
        .state()
        .view
        .arc_plates()
        .iter()
        .find(|(_, r)| *r == id)
        .map(|(rect, _)| rect.center())
        .expect("the arc's label is drawn");
    click_at(&mut h, plate);
    assert_eq!(
        h.state().ws.relate.selected,
        Some(id),
        "picked by its label"
    );
    let from = h.state().session().relation(id).unwrap().from;
    assert_eq!(h.state().ws.cursor.selected_span, Some(from));
    h.key_press(egui::Key::Delete);
    h.run();
    assert!(h.state().session().relations().is_empty());
    assert_eq!(h.state().session().annotations().len(), 2, "the spans stay");
}

/// "De EU en Japan …" with EU and Japan tagged and related by keys only: Alt+Up picks the
/// span before the caret ("Japan"), r, Tab to the nearest other span, 1. The relation is
/// left picked. (The side panel's arrows come from a system font in the real window.)
fn related_pair() -> (
    tempfile::TempDir,
    egui_kittest::Harness<'static, spanmark::app::SpanmarkApp>,
) {
    use crate::common::gui::{app_with, drag_over, find};
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    std::fs::write(&article, "De EU en Japan tekenen in Tokio een akkoord.\n").unwrap();
    let mut h = app_with(Some(article), vec![], true);
    for w in ["EU", "Japan"] {
        let r = find(&h, w, 0);
        drag_over(&mut h, r);
        h.key_press(egui::Key::Num1);
        h.run();
    }
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowUp);
    h.run();
    h.key_press(egui::Key::R);
    h.run();
    h.key_press(egui::Key::Tab);
    h.run();
    h.key_press(egui::Key::Num1);
    h.run();
    (dir, h)
}
