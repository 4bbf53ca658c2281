//! Project mode in the real window (egui_kittest): the document list, next/previous, done,
//! the label editor across documents, and a session changed on disk while open.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::gui::{app, drag_over, find, text_field_at, type_into};
use crate::common::{project, session};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::SpanmarkApp;
use spanmark::io::load_session;
use spanmark::io::project::Status;
use spanmark::workspace::Prompt;

fn current(h: &Harness<'_, SpanmarkApp>) -> String {
    let p = h.state().ws.project.as_ref().unwrap();
    p.docs[p.current.unwrap()].name.clone()
}

fn tag(h: &mut Harness<'_, SpanmarkApp>, word: &str, key: Key) {
    let r = find(h, word, 0);
    drag_over(h, r);
    h.key_press(key);
    h.run();
}

#[test]
fn document_list_next_previous_and_done() {
    let dir = project();
    let mut h = app(Some(dir.path().to_owned()), vec![]);
    // The list shows every article with its status; the first one is open.
    for name in ["a.txt", "b.txt", "c.md"] {
        assert!(h.query_all_by_label(name).next().is_some(), "{name} listed");
    }
    assert_eq!(
        h.get_all_by_label("new").count(),
        4,
        "3 rows + the status filter"
    );
    h.get_by_label("0 of 3 done");
    assert_eq!(current(&h), "a.txt");

    // Tag in a.txt, then Alt+Right: a.txt is saved without asking, b.txt is open.
    tag(&mut h, "Japan", Key::Num1);
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    assert!(h.state().ws.notices.prompt.is_none());
    assert_eq!(current(&h), "b.txt");
    let a = load_session(&session(dir.path(), "a")).unwrap();
    assert_eq!(a.annotations().len(), 1);
    assert_eq!(a.covered(&a.annotations()[0]), "Japan");
    let p = h.state().ws.project.as_ref().unwrap();
    assert_eq!((p.docs[0].status, p.docs[0].spans), (Status::InProgress, 1));

    // Alt+Left goes back; the span is there.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    h.run();
    assert_eq!(current(&h), "a.txt");
    assert_eq!(h.state().session().annotations().len(), 1);

    // Ctrl+Enter: a.txt is done, on to the next not done (b.txt).
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(current(&h), "b.txt");
    assert!(load_session(&session(dir.path(), "a")).unwrap().done);
    h.get_by_label("1 of 3 done");
    // Done documents are skipped by Ctrl+Enter: from b, c is next, then back to b.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(current(&h), "c.md");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    h.get_by_label("3 of 3 done");

    // The filter narrows the list.
    // The leftmost text field: the document list's filter.
    let left = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .map(|n| n.rect().left())
        .fold(f32::INFINITY, f32::min);
    let at = text_field_at(&h, |n| n.rect().left() == left);
    type_into(&mut h, at, "c.m", false);
    assert!(h.query_by_label("a.txt").is_none());
    assert!(h.query_all_by_label("c.md").next().is_some());
}

#[test]
fn clicking_a_document_opens_it_and_the_time_spent_is_saved() {
    let dir = project();
    let mut h = app(Some(dir.path().to_owned()), vec![]);
    // Three seconds of work on a.txt (the harness steps 1/60 s a frame).
    for _ in 0..3 {
        h.hover_at(egui::pos2(600.0, 300.0));
        h.run_steps(60);
    }
    h.get_by_label("c.md").click();
    h.run();
    assert_eq!(current(&h), "c.md");
    assert!(h.state().session().text().contains("kantoor"));
    let a = load_session(&session(dir.path(), "a")).unwrap();
    assert!((3..=4).contains(&a.active_secs), "{}", a.active_secs);
    assert!(a.annotations().is_empty() && !a.done);
}

/// Two documents with "actor" spans, renamed to "person" in the editor, then deleted.
#[test]
fn label_editor_renames_and_deletes_across_documents() {
    let dir = project();
    let mut h = app(Some(dir.path().to_owned()), vec![]);
    tag(&mut h, "Japan", Key::Num1);
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    tag(&mut h, "Tokyo", Key::Num1);
    tag(&mut h, "EU", Key::Num2);
    assert_eq!(current(&h), "b.txt");

    // Ctrl+L opens the label editor; rename actor by typing over its name.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    let at = text_field_at(&h, |n| n.value().as_deref() == Some("actor"));
    type_into(&mut h, at, "person", true);
    h.key_press(Key::Enter);
    h.run();
    let labels: Vec<String> = h
        .state()
        .session()
        .annotations()
        .iter()
        .map(|a| a.label.clone())
        .collect();
    assert_eq!(labels, ["topic", "person"]);
    // The other document on disk and the project file were renamed too.
    let a = load_session(&session(dir.path(), "a")).unwrap();
    assert_eq!(a.annotations()[0].label, "person");
    assert!(a.labels().contains("person") && !a.labels().contains("actor"));
    let pf = spanmark::io::project::read_project_file(dir.path())
        .unwrap()
        .unwrap();
    assert_eq!(pf.labels.iter().next().unwrap().name, "person");

    // Delete "person": it says how many annotations in how many documents, and asks.
    let delete = h
        .get_all_by_label("Delete")
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap();
    delete.click();
    h.run();
    match &h.state().ws.notices.prompt {
        Some(Prompt::ConfirmDelete {
            label,
            annotations,
            documents,
        }) => assert_eq!((label.as_str(), *annotations, *documents), ("person", 2, 2)),
        other => panic!("{other:?}"),
    }
    h.get_by_label_contains("This removes 2 annotations in 2 documents");
    // Confirm: the modal's Delete button is the lowest one.
    h.get_all_by_label("Delete")
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
        .click();
    h.run();
    assert!(h.state().ws.notices.prompt.is_none());
    assert_eq!(h.state().session().annotations().len(), 1);
    assert!(!h.state().session().labels().contains("person"));
    let a = load_session(&session(dir.path(), "a")).unwrap();
    assert!(a.annotations().is_empty() && !a.labels().contains("person"));

    // Undo brings the label and every annotation back, here and in a.txt.
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session().annotations().len(), 2);
    let a = load_session(&session(dir.path(), "a")).unwrap();
    assert_eq!(a.annotations().len(), 1);
    assert_eq!(a.annotations()[0].label, "person");
    // And once more: the rename is undone everywhere.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let a = load_session(&session(dir.path(), "a")).unwrap();
    assert_eq!(a.annotations()[0].label, "actor");
}

#[test]
fn a_session_changed_on_disk_asks_before_anything_is_overwritten() {
    let dir = project();
    let mut h = app(Some(dir.path().join("a.txt")), vec![]);
    tag(&mut h, "Japan", Key::Num1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let path = session(dir.path(), "a");
    // Another program (say, git pull) rewrites the file with a different span.
    let mut theirs = load_session(&path).unwrap();
    let e = theirs.new_annotation(3, 5, "topic");
    theirs.apply(spanmark::model::Edit::Add(e)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    spanmark::io::save_session(&path, &mut theirs).unwrap();
    let theirs_bytes = std::fs::read(&path).unwrap();
    // Ours changes too, then Ctrl+S: nothing is written, the user is asked.
    tag(&mut h, "samen", Key::Num2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(h.state().ws.notices.prompt, Some(Prompt::ExternalChange));
    assert_eq!(std::fs::read(&path).unwrap(), theirs_bytes);
    h.get_by_label_contains("was changed on disk");
    // Reload theirs: their two spans, not our three.
    h.get_by_label("Reload theirs").click();
    h.run();
    assert_eq!(h.state().session().annotations().len(), 2);
    assert_eq!(h.state().session(), &load_session(&path).unwrap());
}

#[test]
fn keep_mine_after_an_external_change_saves_ours() {
    let dir = project();
    let mut h = app(Some(dir.path().join("a.txt")), vec![]);
    tag(&mut h, "Japan", Key::Num1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let path = session(dir.path(), "a");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut theirs = load_session(&path).unwrap();
    theirs
        .apply(spanmark::model::Edit::Remove(theirs.annotations()[0].id))
        .unwrap();
    spanmark::io::save_session(&path, &mut theirs).unwrap();
    // Noticed without saving: the app checks the file once a second.
    h.run_steps(90);
    assert_eq!(h.state().ws.notices.prompt, Some(Prompt::ExternalChange));
    h.get_by_label("Keep mine").click();
    h.run();
    assert!(h.state().title().contains('•'), "ours is now unsaved");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(load_session(&path).unwrap().annotations().len(), 1);
}

/// The label editor's relation section: rename the relation label by typing over it, add
/// one by typing its name and Enter, make it undirected; the project file holds them.
#[test]
fn label_editor_edits_the_relation_labels_of_the_project() {
    let dir = project();
    let mut h = app(Some(dir.path().to_owned()), vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    h.get_by_label("Relation labels");
    let at = text_field_at(&h, |n| n.value().as_deref() == Some("related"));
    type_into(&mut h, at, "speaks for", true);
    h.key_press(Key::Enter);
    h.run();
    // The new relation label's field is the lowest empty one.
    let at = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .filter(|n| n.value().as_deref().unwrap_or("").is_empty())
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
        .rect()
        .center();
    type_into(&mut h, at, "meets", false);
    h.key_press(Key::Enter);
    h.run();
    h.get_all_by_label("directed")
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
        .click();
    h.run();
    let got: Vec<(String, Option<char>, bool)> = h
        .state()
        .session()
        .relation_labels()
        .iter()
        .map(|l| (l.name.clone(), l.hotkey, l.directed))
        .collect();
    let want = [
        ("speaks for".to_owned(), Some('1'), true),
        ("meets".to_owned(), Some('2'), false),
    ];
    assert_eq!(got, want);
    let pf = spanmark::io::project::read_project_file(dir.path())
        .unwrap()
        .unwrap();
    assert_eq!(pf.relation_labels, h.state().session().relation_labels());
}

/// In a project that is a git work tree, each document's row says whether its session has
/// changes not committed, or who committed it last.
#[test]
fn the_document_list_shows_git_status_per_document() {
    let dir = project();
    let d = dir.path();
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .args(args)
            .current_dir(d)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Ana Peeters"]);
    git(&["config", "user.email", "ana@example.org"]);
    let mut h = app(Some(d.to_owned()), vec![]);
    tag(&mut h, "Japan", Key::Num1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    git(&["add", "-A"]);
    git(&["commit", "-qm", "a"]);
    // Next document: a is saved on leaving it, b gets a session that is not committed.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    tag(&mut h, "Tokyo", Key::Num1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    for _ in 0..300 {
        h.run();
        let g = &h.state().ws.project.as_ref().unwrap().git;
        if g.is_repository() && !g.busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
    h.get_by_label("Ana Peeters, just now");
    h.get_by_label("not committed");
    h.get_by_label("git: 1 session(s) with changes not committed.");
}
