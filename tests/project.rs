//! Project mode in the real window (egui_kittest): the document list, next/previous, done,
//! the label editor across documents, and a session changed on disk while open.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::gui::{app, drag_over, find, text_field_at, type_into};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::{Modal, SpanmarkApp};
use spanmark::io::load_session;
use spanmark::io::project::Status;
use std::path::{Path, PathBuf};

/// A project folder with three articles: a.txt, b.txt, c.md.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "De EU en Japan werken samen.\n").unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Japan en de EU spraken in Tokyo.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("c.md"),
        "# Kop\n\nDe EU opent een kantoor.\n",
    )
    .unwrap();
    dir
}

fn session(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("{stem}.spanmark.ron"))
}

fn current(h: &Harness<'_, SpanmarkApp>) -> String {
    let p = h.state().project.as_ref().unwrap();
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
    assert!(h.state().modal.is_none());
    assert_eq!(current(&h), "b.txt");
    let a = load_session(&session(dir.path(), "a")).unwrap();
    assert_eq!(a.annotations().len(), 1);
    assert_eq!(a.covered(&a.annotations()[0]), "Japan");
    let p = h.state().project.as_ref().unwrap();
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
    match &h.state().modal {
        Some(Modal::ConfirmDelete {
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
    assert!(h.state().modal.is_none());
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

fn labels_of(h: &Harness<'_, SpanmarkApp>) -> Vec<String> {
    let s = h.state().session();
    let mut v: Vec<String> = s.annotations().iter().map(|a| a.label.clone()).collect();
    v.sort();
    v
}

fn disk_labels(dir: &Path, stem: &str) -> Vec<String> {
    let s = load_session(&session(dir, stem)).unwrap();
    let mut v: Vec<String> = s.annotations().iter().map(|a| a.label.clone()).collect();
    v.sort();
    v
}

fn ctrl(h: &mut Harness<'_, SpanmarkApp>, key: Key, shift: bool) {
    let m = if shift {
        Modifiers::COMMAND | Modifiers::SHIFT
    } else {
        Modifiers::COMMAND
    };
    h.key_press_modifiers(m, key);
    h.run();
}

/// A label change is undone from whichever document is open, in the order things were done,
/// not only from the document it was made in.
#[test]
fn label_changes_undo_and_redo_from_any_document() {
    let dir = project();
    let mut h = app(Some(dir.path().to_owned()), vec![]);
    tag(&mut h, "Japan", Key::Num1); // a: actor
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    tag(&mut h, "Tokyo", Key::Num1); // b: actor
    // In b: rename actor to person.
    ctrl(&mut h, Key::L, false);
    let at = text_field_at(&h, |n| n.value().as_deref() == Some("actor"));
    type_into(&mut h, at, "person", true);
    h.key_press(Key::Enter);
    h.run();
    ctrl(&mut h, Key::L, false); // closes the editor
    // On to c, tag there, then delete "person" from c's label editor.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    assert_eq!(current(&h), "c.md");
    tag(&mut h, "kantoor", Key::Num2); // c: topic
    assert_eq!(labels_of(&h), ["topic"], "{:?}", h.state().status);
    h.state_mut().push(spanmark::app::Action::Label(
        spanmark::app::project::LabelOp::DeleteConfirmed("person".into()),
    ));
    h.run();
    assert_eq!(disk_labels(dir.path(), "a"), Vec::<String>::new());
    assert_eq!(disk_labels(dir.path(), "b"), Vec::<String>::new());

    // Back in a: the first Ctrl+Z undoes the delete (the last thing done anywhere), in every
    // document; the menu says so first.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    h.run();
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    h.run();
    assert_eq!(current(&h), "a.txt");
    assert!(labels_of(&h).is_empty());
    ctrl(&mut h, Key::Z, false);
    assert_eq!(labels_of(&h), ["person"]);
    assert_eq!(disk_labels(dir.path(), "a"), ["person"]);
    assert_eq!(disk_labels(dir.path(), "b"), ["person"]);
    assert_eq!(disk_labels(dir.path(), "c"), ["topic"]);
    // The second undoes the rename, everywhere and in the project file.
    ctrl(&mut h, Key::Z, false);
    assert_eq!(labels_of(&h), ["actor"]);
    assert_eq!(disk_labels(dir.path(), "b"), ["actor"]);
    assert!(
        load_session(&session(dir.path(), "c"))
            .unwrap()
            .labels()
            .contains("actor")
    );
    let pf = spanmark::io::project::read_project_file(dir.path())
        .unwrap()
        .unwrap();
    assert_eq!(pf.labels.iter().next().unwrap().name, "actor");
    // Nothing older was done in this visit of a, so that is all.
    ctrl(&mut h, Key::Z, false);
    assert_eq!(labels_of(&h), ["actor"]);
    assert_eq!(
        h.state().status.as_ref().map(|s| s.text.as_str()),
        Some("Nothing to undo.")
    );

    // Redo brings them back in the order they were undone: rename, then delete.
    ctrl(&mut h, Key::Z, true);
    assert_eq!(labels_of(&h), ["person"]);
    assert_eq!(disk_labels(dir.path(), "b"), ["person"]);
    ctrl(&mut h, Key::Z, true);
    assert!(labels_of(&h).is_empty());
    assert_eq!(disk_labels(dir.path(), "b"), Vec::<String>::new());
    // And undo once more restores the annotations that the redone delete removed.
    ctrl(&mut h, Key::Z, false);
    assert_eq!(disk_labels(dir.path(), "b"), ["person"]);
    assert_eq!(labels_of(&h), ["person"]);
}

/// The undo of a document edit made after a label change comes first.
#[test]
fn a_document_edit_after_a_label_change_is_undone_first() {
    let dir = project();
    let mut h = app(Some(dir.path().to_owned()), vec![]);
    tag(&mut h, "Japan", Key::Num1);
    ctrl(&mut h, Key::L, false);
    let at = text_field_at(&h, |n| n.value().as_deref() == Some("actor"));
    type_into(&mut h, at, "person", true);
    h.key_press(Key::Enter);
    h.run();
    ctrl(&mut h, Key::L, false);
    tag(&mut h, "EU", Key::Num2);
    assert_eq!(labels_of(&h), ["person", "topic"]);
    ctrl(&mut h, Key::Z, false);
    assert_eq!(labels_of(&h), ["person"]);
    ctrl(&mut h, Key::Z, false);
    assert_eq!(labels_of(&h), ["actor"]);
    ctrl(&mut h, Key::Z, false);
    assert!(labels_of(&h).is_empty());
    // Redo in the opposite order.
    ctrl(&mut h, Key::Z, true);
    ctrl(&mut h, Key::Z, true);
    assert_eq!(labels_of(&h), ["person"]);
    ctrl(&mut h, Key::Z, true);
    assert_eq!(labels_of(&h), ["person", "topic"]);
}

#[test]
fn a_hotkey_already_taken_is_refused_with_a_reason() {
    let dir = project();
    let mut h = app(Some(dir.path().to_owned()), vec![]);
    h.state_mut().push(spanmark::app::Action::Label(
        spanmark::app::project::LabelOp::Hotkey {
            name: "date".into(),
            key: Some('1'),
        },
    ));
    h.run();
    let status = h.state().status.clone().unwrap();
    assert!(status.error);
    assert!(
        status.text.contains("key 1 is already \"actor\"'s"),
        "{}",
        status.text
    );
    assert_eq!(
        h.state().session().labels().get("date").unwrap().hotkey,
        Some('3')
    );
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
    assert_eq!(h.state().modal, Some(Modal::ExternalChange));
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
    assert_eq!(h.state().modal, Some(Modal::ExternalChange));
    h.get_by_label("Keep mine").click();
    h.run();
    assert!(h.state().title().contains('•'), "ours is now unsaved");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(load_session(&path).unwrap().annotations().len(), 1);
}

/// Runs frames until the status line says the journal moved to our own folder (at most 10 s).
fn wait_for_journal_move(h: &mut Harness<'_, SpanmarkApp>) {
    let start = std::time::Instant::now();
    while !h
        .state()
        .status
        .as_ref()
        .is_some_and(|s| s.text.contains("instead"))
    {
        assert!(start.elapsed().as_secs() < 10, "{:?}", h.state().status);
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run();
    }
}

/// The app with a data folder of its own (where journals go when they cannot go beside).
fn app_with_data(path: PathBuf, data: PathBuf) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(240)
        .build_eframe(move |cc| {
            SpanmarkApp::with_options(
                &cc.egui_ctx,
                Some(path),
                Box::new(spanmark::app::dialogs::ScriptedDialogs(vec![])),
                spanmark::app::Prefs::default(),
                Some(data),
            )
        });
    h.run();
    h
}

#[test]
fn a_journal_that_cannot_go_beside_the_document_goes_to_our_own_folder() {
    let dir = project();
    let data = dir.path().join(".data");
    // Something in the way where the journal belongs (as a read-only folder would be).
    std::fs::create_dir_all(dir.path().join("a.spanmark.ron.journal/x")).unwrap();
    let mut h = app_with_data(dir.path().join("a.txt"), data.clone());
    tag(&mut h, "Japan", Key::Num1);
    // The journal thread reports the failure; the app moves the journal.
    wait_for_journal_move(&mut h);
    // The writer thread creates the file in its own time: wait for it (at most 10 s).
    let start = std::time::Instant::now();
    let r = loop {
        let journals: Vec<PathBuf> = std::fs::read_dir(&data)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        if let [j] = &journals[..] {
            let r = spanmark::io::journal::read_journal(j).unwrap();
            if !r.edits.is_empty() {
                break r;
            }
        }
        assert!(start.elapsed().as_secs() < 10, "journals: {journals:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(matches!(&r.edits[..], [spanmark::model::Edit::Add(a)] if a.label == "actor"));
    drop(h);
    // Opened again (as after a crash): recovered from our folder, and the user is told.
    let h = app_with_data(dir.path().join("a.txt"), data);
    assert_eq!(h.state().session().annotations().len(), 1);
    match &h.state().modal {
        Some(Modal::Info(m)) => assert!(m.starts_with("Recovered 1 edit "), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_journal_for_another_version_of_the_file_is_kept_aside_not_applied() {
    let dir = project();
    let a = dir.path().join("a.txt");
    let mut h = app(Some(a.clone()), vec![]);
    tag(&mut h, "Japan", Key::Num1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    tag(&mut h, "EU", Key::Num2);
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(h); // as if killed: the journal holds the EU tag
    // Meanwhile the session file changes (another annotator's version is pulled).
    let path = session(dir.path(), "a");
    let mut theirs = load_session(&path).unwrap();
    theirs
        .apply(spanmark::model::Edit::Remove(theirs.annotations()[0].id))
        .unwrap();
    spanmark::io::save_session(&path, &mut theirs).unwrap();
    let h = app(Some(a), vec![]);
    assert!(
        h.state().session().annotations().is_empty(),
        "theirs, untouched"
    );
    match &h.state().modal {
        Some(Modal::Info(m)) => assert!(m.contains("not applied"), "{m}"),
        other => panic!("{other:?}"),
    }
    let aside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".orphaned"))
        .collect();
    assert_eq!(aside.len(), 1, "kept: {aside:?}");
}

/// A small tmpfs mounted for one test, unmounted when dropped. `None` where this process may
/// not mount (not root, or no mount permission): the caller says so and stops.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(at).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(at.to_owned()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Fills the file system `dir` is on; returns the filler file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let p = dir.join("filler");
    let mut f = std::fs::File::create(&p).unwrap();
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).and_then(|()| f.sync_all()).is_ok() {}
    p
}

/// A full disk: the save fails with the reason and changes nothing on disk, the journal moves
/// to our own folder, and once there is room again the save goes through with everything.
#[test]
fn a_full_disk_fails_the_save_cleanly_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(&tmp.path().join("disk"), "512k") else {
        eprintln!(
            "SKIPPED a_full_disk_fails_the_save_cleanly_and_loses_nothing: cannot mount a tmpfs here (needs root)"
        );
        return;
    };
    let dir = disk.0.clone();
    std::fs::write(dir.join("a.txt"), "De EU en Japan werken samen.\n").unwrap();
    let data = tmp.path().join("data");
    let mut h = app_with_data(dir.clone(), data.clone());
    tag(&mut h, "Japan", Key::Num1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let path = session(&dir, "a");
    let saved = std::fs::read(&path).unwrap();

    let filler = fill(&dir);
    tag(&mut h, "EU", Key::Num2);
    // The journal cannot grow beside the document: it moves to our folder.
    wait_for_journal_move(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    match &h.state().modal {
        Some(Modal::Error(e)) => {
            assert!(e.contains("No space left on device"), "{e}");
            assert!(e.contains("Nothing on disk was changed"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        saved,
        "the old session is intact"
    );
    let stray: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.contains("tmp"))
        .collect();
    assert!(stray.is_empty(), "no temp files left: {stray:?}");
    // The unsaved edit is in the journal in our own folder.
    let journals: Vec<PathBuf> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let start = std::time::Instant::now();
    loop {
        let r = spanmark::io::journal::read_journal(&journals[0]).unwrap();
        if r.edits
            .iter()
            .any(|e| matches!(e, spanmark::model::Edit::Add(a) if a.label == "topic"))
        {
            break;
        }
        assert!(start.elapsed().as_secs() < 10, "{:?}", r.edits);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        h.state().session().annotations().len(),
        2,
        "still in memory"
    );

    // Room again: the save goes through with both spans.
    h.key_press(Key::Escape);
    h.run();
    std::fs::remove_file(filler).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.state().modal.is_none(), "{:?}", h.state().modal);
    let s = load_session(&path).unwrap();
    assert_eq!(labels_of_session(&s), ["actor", "topic"]);
    drop(h);
}

fn labels_of_session(s: &spanmark::model::Session) -> Vec<String> {
    let mut v: Vec<String> = s.annotations().iter().map(|a| a.label.clone()).collect();
    v.sort();
    v
}

/// After a crash, the recovered edits show in the document list at once, not only after the
/// next save.
#[test]
fn recovered_edits_show_in_the_document_list() {
    let dir = project();
    let data = dir.path().join(".data");
    let mut h = app_with_data(dir.path().to_owned(), data.clone());
    tag(&mut h, "Japan", Key::Num1);
    let journal = dir.path().join("a.spanmark.ron.journal");
    let start = std::time::Instant::now();
    while spanmark::io::journal::read_journal(&journal).map_or(true, |r| r.edits.is_empty()) {
        assert!(start.elapsed().as_secs() < 10);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(h); // no save: as if killed
    assert!(!session(dir.path(), "a").exists());
    let h = app_with_data(dir.path().to_owned(), data);
    assert!(matches!(&h.state().modal, Some(Modal::Info(m)) if m.starts_with("Recovered 1 edit")));
    let p = h.state().project.as_ref().unwrap();
    assert_eq!(p.docs[0].name, "a.txt");
    assert_eq!((p.docs[0].status, p.docs[0].spans), (Status::InProgress, 1));
}
