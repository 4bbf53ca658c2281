//! The rules about documents, on the workspace core as a plain value (no window): journal and
//! recovery, a journal that must move, a full disk, files changed by another program, time
//! worked (with the clock passed in), project-wide label changes and their undo, curation.

use crate::common::{project, session};
use spanmark::io::load_session;
use spanmark::io::project::read_project_file;
use spanmark::model::{Edit, Session};
use spanmark::workspace::{
    Direction, EditOp, External, LabelOp, Next, Op, Outcome, ProjectOp, Prompt, Request, SuggestOp,
    Tick, Workspace,
};
use std::path::{Path, PathBuf};

/// A workspace on `path`, with journals that cannot go beside their document in `data`.
fn open(path: &Path, data: Option<PathBuf>) -> Workspace {
    let mut w = Workspace::new(data, vec![]);
    w.start(Some(path));
    w
}

/// Selects the first occurrence of `word` and presses a label's key.
fn tag(w: &mut Workspace, word: &str, label: &str) {
    let text = w.doc.session.text();
    let byte = text.find(word).unwrap();
    let start = text[..byte].chars().count();
    w.cursor.selection = Some(start..start + word.chars().count());
    w.run(EditOp::Tag(label.into()));
}

fn labels(s: &Session) -> Vec<String> {
    let mut v: Vec<String> = s.annotations().iter().map(|a| a.label.clone()).collect();
    v.sort();
    v
}

fn disk_labels(dir: &Path, stem: &str) -> Vec<String> {
    labels(&load_session(&session(dir, stem)).unwrap())
}

fn status(w: &Workspace) -> String {
    w.notices
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn info(w: &Workspace) -> String {
    match &w.notices.prompt {
        Some(Prompt::Info(m)) => m.clone(),
        other => panic!("expected a notice, got {other:?}"),
    }
}

#[test]
fn unsaved_edits_are_recovered_from_the_journal_after_a_crash() {
    let dir = project();
    let a = dir.path().join("a.txt");
    let mut w = open(&a, None);
    tag(&mut w, "Japan", "actor");
    assert_eq!(status(&w), "Tagged “Japan” as actor.");
    w.doc.sync_journal();
    drop(w); // no save: as if killed
    assert!(!session(dir.path(), "a").exists());

    let w = open(&a, None);
    assert_eq!(labels(&w.doc.session), ["actor"]);
    assert!(info(&w).starts_with("Recovered 1 edit "), "{}", info(&w));
    assert!(w.doc.dirty(), "recovered edits are unsaved until saved");
}

#[test]
fn recovered_edits_show_in_the_document_list() {
    let dir = project();
    let mut w = open(dir.path(), None);
    tag(&mut w, "Japan", "actor");
    w.doc.sync_journal();
    drop(w);
    let w = open(dir.path(), None);
    assert!(info(&w).starts_with("Recovered 1 edit"));
    let p = w.project.as_ref().unwrap();
    assert_eq!(p.docs[0].name, "a.txt");
    assert_eq!(p.docs[0].spans, 1, "the list counts the recovered span");
}

#[test]
fn a_journal_for_another_version_of_the_file_is_kept_aside_not_applied() {
    let dir = project();
    let a = dir.path().join("a.txt");
    let mut w = open(&a, None);
    tag(&mut w, "Japan", "actor");
    assert!(w.save());
    tag(&mut w, "EU", "topic");
    w.doc.sync_journal();
    drop(w); // the journal holds the EU tag
    // Meanwhile another program rewrites the session.
    let path = session(dir.path(), "a");
    let mut theirs = load_session(&path).unwrap();
    theirs
        .apply(Edit::Remove(theirs.annotations()[0].id))
        .unwrap();
    spanmark::io::save_session(&path, &mut theirs).unwrap();

    let w = open(&a, None);
    assert!(w.doc.session.annotations().is_empty(), "theirs, untouched");
    let m = info(&w);
    assert!(
        m.contains("not applied") && m.contains("It is kept at"),
        "{m}"
    );
    let aside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".orphaned"))
        .collect();
    assert_eq!(aside.len(), 1, "kept: {aside:?}");
}

#[test]
fn a_journal_that_cannot_go_beside_the_document_goes_to_our_own_folder() {
    let dir = project();
    let data = dir.path().join(".data");
    // Something in the way where the journal belongs (as a read-only folder would be).
    std::fs::create_dir_all(dir.path().join("a.spanmark.ron.journal/x")).unwrap();
    let a = dir.path().join("a.txt");
    let mut w = open(&a, Some(data.clone()));
    tag(&mut w, "Japan", "actor");
    w.doc.sync_journal();
    w.tick(Tick::default());
    assert!(status(&w).contains("it is at"), "{}", status(&w));
    assert!(w.notices.status.as_ref().unwrap().error);
    let moved = w.doc.journal.path().unwrap().to_owned();
    assert!(moved.starts_with(&data), "{}", moved.display());
    w.doc.sync_journal();
    let r = spanmark::io::journal::read_journal(&moved).unwrap();
    assert!(matches!(&r.edits[..], [Edit::Add(a)] if a.label == "actor"));
    // Said once, not every frame.
    w.say(Outcome::info("something else"));
    w.tick(Tick::default());
    assert_eq!(status(&w), "something else");
    drop(w);

    let w = open(&a, Some(data));
    assert_eq!(labels(&w.doc.session), ["actor"]);
    assert!(info(&w).starts_with("Recovered 1 edit "));
}

/// A small tmpfs mounted for one test, unmounted when dropped; `None` where this process may
/// not mount (not root).
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
        eprintln!("SKIPPED a_full_disk…: cannot mount a tmpfs here (needs root)");
        return;
    };
    let dir = disk.0.clone();
    std::fs::write(dir.join("a.txt"), "De EU en Japan werken samen.\n").unwrap();
    let data = tmp.path().join("data");
    let mut w = open(&dir.join("a.txt"), Some(data.clone()));
    tag(&mut w, "Japan", "actor");
    assert!(w.save());
    let path = session(&dir, "a");
    let saved = std::fs::read(&path).unwrap();

    let filler = fill(&dir);
    tag(&mut w, "EU", "topic");
    w.doc.sync_journal();
    w.tick(Tick::default());
    assert!(status(&w).contains("instead"), "{}", status(&w));
    assert!(!w.save());
    match &w.notices.prompt {
        Some(Prompt::Error(e)) => {
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
    w.doc.sync_journal();
    let journal = w.doc.journal.path().unwrap().to_owned();
    assert!(journal.starts_with(&data));
    let r = spanmark::io::journal::read_journal(&journal).unwrap();
    assert!(
        r.edits
            .iter()
            .any(|e| matches!(e, Edit::Add(a) if a.label == "topic"))
    );

    // Room again: the save goes through with both spans.
    w.notices.prompt = None;
    std::fs::remove_file(filler).unwrap();
    assert!(w.save(), "{:?}", w.notices.prompt);
    assert_eq!(labels(&load_session(&path).unwrap()), ["actor", "topic"]);
}

#[test]
fn a_session_changed_on_disk_is_never_overwritten_unasked() {
    let dir = project();
    let mut w = open(&dir.path().join("a.txt"), None);
    tag(&mut w, "Japan", "actor");
    assert!(w.save());
    let path = session(dir.path(), "a");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut theirs = load_session(&path).unwrap();
    let e = theirs.new_annotation(3, 5, "topic");
    theirs.apply(Edit::Add(e)).unwrap();
    spanmark::io::save_session(&path, &mut theirs).unwrap();
    let theirs_bytes = std::fs::read(&path).unwrap();

    tag(&mut w, "samen", "topic");
    assert!(!w.save());
    assert_eq!(w.notices.prompt, Some(Prompt::ExternalChange));
    assert_eq!(std::fs::read(&path).unwrap(), theirs_bytes);
    w.resolve_external(External::ReloadTheirs);
    assert_eq!(w.doc.session, load_session(&path).unwrap());
    assert!(!w.doc.dirty());
}

#[test]
fn a_change_on_disk_is_noticed_within_a_second_and_keep_mine_saves_ours() {
    let dir = project();
    let mut w = open(&dir.path().join("a.txt"), None);
    tag(&mut w, "Japan", "actor");
    assert!(w.save());
    let path = session(dir.path(), "a");
    w.tick(Tick {
        now: 0.0,
        ..Tick::default()
    });
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut theirs = load_session(&path).unwrap();
    theirs
        .apply(Edit::Remove(theirs.annotations()[0].id))
        .unwrap();
    spanmark::io::save_session(&path, &mut theirs).unwrap();
    // Half a second later: not checked yet; a second later: noticed.
    w.tick(Tick {
        now: 0.5,
        ..Tick::default()
    });
    assert_eq!(w.notices.prompt, None);
    w.tick(Tick {
        now: 1.1,
        ..Tick::default()
    });
    assert_eq!(w.notices.prompt, Some(Prompt::ExternalChange));
    w.resolve_external(External::KeepMine);
    assert!(w.doc.title().contains('•'), "ours is now unsaved");
    assert!(w.save());
    assert_eq!(load_session(&path).unwrap().annotations().len(), 1);
}

#[test]
fn time_worked_counts_only_while_focused_and_recently_active() {
    let dir = project();
    let mut w = open(&dir.path().join("a.txt"), None);
    let mut now = 0.0;
    let mut frame = |w: &mut Workspace, secs: f64, input: bool, focused: bool| {
        for _ in 0..(secs as usize) {
            now += 1.0;
            w.tick(Tick {
                now,
                dt: 1.0,
                input,
                focused,
            });
        }
    };
    frame(&mut w, 30.0, true, true); // 30 s of work
    frame(&mut w, 20.0, false, false); // not focused
    frame(&mut w, 100.0, false, true); // idle: the first 60 s after input count
    assert!(w.save());
    let secs = load_session(&session(dir.path(), "a")).unwrap().active_secs;
    // 30 s working; unfocused time does not count; then idle frames count until a minute
    // after the last input (at 30 s): from 51 s to 89 s.
    assert_eq!(secs, 30 + 39);
}

#[test]
fn quitting_with_unsaved_changes_asks_and_discard_closes() {
    let dir = project();
    let mut w = open(&dir.path().join("a.txt"), None);
    tag(&mut w, "Japan", "actor");
    let _ = w.take_requests();
    assert!(!w.close_requested());
    assert_eq!(w.notices.prompt, Some(Prompt::Unsaved(Next::Quit)));
    w.answer(spanmark::workspace::Answer::Discard);
    assert_eq!(w.take_requests(), [Request::Close]);
    assert!(!session(dir.path(), "a").exists(), "nothing written");
}

/// Renames `from` to `to` in the open document's label editor.
fn rename(w: &mut Workspace, from: &str, to: &str) {
    w.label_op(
        LabelOp::Rename {
            from: from.into(),
            to: to.into(),
        },
        |_| None,
    );
    w.tick(Tick::default());
}

/// A label change is undone from whichever document is open, in the order things were done.
#[test]
fn label_changes_undo_and_redo_from_any_document() {
    let dir = project();
    let d = dir.path();
    let mut w = open(d, None);
    tag(&mut w, "Japan", "actor"); // a
    w.run(ProjectOp::Step(Direction::Forward));
    tag(&mut w, "Tokyo", "actor"); // b
    rename(&mut w, "actor", "person");
    assert_eq!(disk_labels(d, "a"), ["person"], "carried to a at once");
    w.run(ProjectOp::Step(Direction::Forward));
    assert_eq!(w.doc.name, "c.md");
    tag(&mut w, "kantoor", "topic");
    w.label_op(LabelOp::DeleteConfirmed("person".into()), |_| None);
    w.tick(Tick::default());
    assert_eq!(disk_labels(d, "a"), Vec::<String>::new());
    assert_eq!(disk_labels(d, "b"), Vec::<String>::new());

    // Back in a: Undo takes the delete first (the last thing done anywhere).
    w.run(ProjectOp::Step(Direction::Forward));
    assert_eq!(w.doc.name, "a.txt");
    assert_eq!(
        w.undo_what(Direction::Backward).as_deref(),
        Some("change labels"),
        "the menu names it"
    );
    w.undo();
    assert_eq!(labels(&w.doc.session), ["person"]);
    assert_eq!(disk_labels(d, "b"), ["person"]);
    assert_eq!(disk_labels(d, "c"), ["topic"]);
    // Then the rename, everywhere and in the project file.
    w.undo();
    assert_eq!(labels(&w.doc.session), ["actor"]);
    assert_eq!(disk_labels(d, "b"), ["actor"]);
    assert!(
        load_session(&session(d, "c"))
            .unwrap()
            .labels()
            .contains("actor")
    );
    let pf = read_project_file(d).unwrap().unwrap();
    assert_eq!(pf.labels.iter().next().unwrap().name, "actor");
    w.undo();
    assert_eq!(status(&w), "Nothing to undo.");

    // Redo in the order undone.
    w.redo();
    assert_eq!(disk_labels(d, "b"), ["person"]);
    w.redo();
    assert!(labels(&w.doc.session).is_empty());
    assert_eq!(disk_labels(d, "b"), Vec::<String>::new());
    w.undo();
    assert_eq!(disk_labels(d, "b"), ["person"]);
}

#[test]
fn a_document_edit_after_a_label_change_is_undone_first() {
    let dir = project();
    let mut w = open(dir.path(), None);
    tag(&mut w, "Japan", "actor");
    rename(&mut w, "actor", "person");
    tag(&mut w, "EU", "topic");
    assert_eq!(labels(&w.doc.session), ["person", "topic"]);
    w.undo();
    assert_eq!(labels(&w.doc.session), ["person"]);
    w.undo();
    assert_eq!(labels(&w.doc.session), ["actor"]);
    w.undo();
    assert!(labels(&w.doc.session).is_empty());
    w.redo();
    w.redo();
    assert_eq!(labels(&w.doc.session), ["person"]);
    w.redo();
    assert_eq!(labels(&w.doc.session), ["person", "topic"]);
}

#[test]
fn a_hotkey_already_taken_or_reserved_is_refused_with_a_reason() {
    let dir = project();
    let mut w = open(dir.path(), None);
    let hotkey = |w: &mut Workspace, key| {
        w.label_op(
            LabelOp::Hotkey {
                name: "date".into(),
                key: Some(key),
            },
            |k| (k == 'x').then(|| "Reject the suggestion".to_owned()),
        );
    };
    hotkey(&mut w, '1');
    assert!(w.notices.status.as_ref().unwrap().error);
    assert_eq!(status(&w), "Not done: key 1 is already \"actor\"'s.");
    hotkey(&mut w, 'x');
    assert_eq!(
        status(&w),
        "Not done: key x is the shortcut for \"Reject the suggestion\"."
    );
    assert_eq!(
        w.doc.session.labels().get("date").unwrap().hotkey,
        Some('3')
    );
}

/// Two annotators' sessions of one text: compare, walk the differences, take B's version,
/// undo it; the curated session goes to a new file and neither input is written.
#[test]
fn curation_takes_an_annotators_version_and_undoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "De EU en Japan spraken in Tokyo.\n").unwrap();
    let make = |name: &str, who: &str, spans: &[(&str, &str)]| {
        let mut w = open(&d.join("a.txt"), None);
        w.doc.session.annotator = who.into();
        for (word, label) in spans {
            tag(&mut w, word, label);
        }
        let p = d.join(name);
        assert!(w.save_to(&p));
        p
    };
    let alice = make(
        "alice.spanmark.ron",
        "alice",
        &[("EU", "actor"), ("Tokyo", "topic")],
    );
    let bob = make(
        "bob.spanmark.ron",
        "bob",
        &[("EU", "actor"), ("Tokyo", "date")],
    );
    let (a_bytes, b_bytes) = (std::fs::read(&alice).unwrap(), std::fs::read(&bob).unwrap());

    let mut w = open(&alice, None);
    w.compare_with(&bob);
    w.tick(Tick::default());
    assert_eq!(w.curation.differences().len(), 1, "Tokyo: topic or date");
    assert!(
        status(&w).contains("1 spans agreed, 1 differences"),
        "{}",
        status(&w)
    );
    assert_eq!(w.curation.chips()[0].text, "labels");
    w.run(SuggestOp::Step(Direction::Forward));
    assert!(
        status(&w).starts_with("Difference 1 of 1 (labels)"),
        "{}",
        status(&w)
    );
    assert!(status(&w).contains("Alt+1 / Alt+2 take A's / B's version"));
    w.run(Op::TakeVersion(1));
    w.tick(Tick::default());
    assert!(status(&w).starts_with("Took B's version of “Tokyo” (1 in, 1 out)."));
    assert!(w.curation.differences().is_empty());
    assert_eq!(labels(&w.doc.session), ["actor", "date"]);
    w.undo();
    w.tick(Tick::default());
    assert_eq!(w.curation.differences().len(), 1, "undone: to decide again");
    w.redo();
    assert!(w.save());
    let out = w.doc.session_path.clone().unwrap();
    assert_eq!(out.file_name().unwrap(), "alice.curated.spanmark.ron");
    assert_eq!(labels(&load_session(&out).unwrap()), ["actor", "date"]);
    assert_eq!(std::fs::read(&alice).unwrap(), a_bytes);
    assert_eq!(std::fs::read(&bob).unwrap(), b_bytes);
}

/// Derived state follows the document's version, whatever changed it: counts and differences
/// after a project label change (outside the document's own history) are right at once.
#[test]
fn derived_state_follows_changes_made_outside_the_history() {
    let dir = project();
    let mut w = open(dir.path(), None);
    tag(&mut w, "Japan", "actor");
    let before = w.doc.version();
    rename(&mut w, "actor", "person");
    assert_ne!(w.doc.version(), before);
    w.find.open = true;
    w.find.query = "Japan".into();
    w.tick(Tick::default());
    assert_eq!(w.find.matches.len(), 1);
    tag(&mut w, "werken", "person");
    w.find.query = "e".into();
    w.tick(Tick::default());
    assert!(w.find.matches.len() > 1, "recomputed for the new query");
}

/// Faults on the crash-safety path, injected: a journal path taken by a folder, a session
/// path taken by a folder. Each is said once, nothing is lost, and saving works again once
/// the fault is gone.
#[test]
fn crash_safety_faults_are_said_once_and_lose_nothing() {
    let dir = project();
    let a = dir.path().join("a.txt");
    // The journal's place is a folder: no journal can start there, and there is no
    // fallback folder.
    let journal_path = dir.path().join("a.spanmark.ron.journal");
    std::fs::create_dir(&journal_path).unwrap();
    let mut w = open(&a, None);
    tag(&mut w, "Japan", "actor");
    w.doc.sync_journal();
    w.tick(Tick::default());
    let said = status(&w);
    assert!(
        said.contains("The journal could not be written") && said.contains("Save soon"),
        "{said}"
    );
    // Said once: the next edit's frame does not repeat it.
    w.say(Outcome::info("next"));
    tag(&mut w, "EU", "topic");
    w.doc.sync_journal();
    w.tick(Tick::default());
    assert!(!status(&w).contains("journal"), "{}", status(&w));

    // The session's place is a folder too: the save fails, says why, keeps the work.
    let session_path = session(dir.path(), "a");
    std::fs::create_dir(&session_path).unwrap();
    assert!(!w.save());
    match &w.notices.prompt {
        Some(Prompt::Error(e)) => assert!(e.contains("a.spanmark.ron"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(w.doc.dirty());
    assert_eq!(labels(&w.doc.session), ["actor", "topic"]);

    // Faults gone: it saves, and reads back what it wrote.
    w.notices.prompt = None;
    std::fs::remove_dir(&session_path).unwrap();
    std::fs::remove_dir(&journal_path).unwrap();
    assert!(w.save(), "{:?}", w.notices.prompt);
    assert_eq!(disk_labels(dir.path(), "a"), ["actor", "topic"]);
}

/// A selection with spaces or line breaks at its ends (Shift+Down from a line's start takes
/// the blank line after it) is tagged without them, alone or everywhere (Shift + key); one
/// of whitespace only is refused, as before.
#[test]
fn tagging_leaves_out_the_whitespace_at_the_selections_ends() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    std::fs::write(&article, "EU en Japan\n\nJapan en de EU\n").unwrap();
    let mut w = open(&article, None);
    w.cursor.selection = Some(6..13); // "Japan\n\n"
    w.run(EditOp::Tag("actor".into()));
    let covered: Vec<&str> = {
        let s = &w.doc.session;
        s.annotations().iter().map(|a| s.covered(a)).collect()
    };
    assert_eq!(covered, ["Japan"]);
    w.cursor.selection = Some(2..6); // " en "
    w.run(EditOp::TagAll("topic".into()));
    let s = &w.doc.session;
    let topics: Vec<(usize, &str)> = s
        .annotations()
        .iter()
        .filter(|a| a.label == "topic")
        .map(|a| (a.start, s.covered(a)))
        .collect();
    assert_eq!(topics, [(3, "en"), (19, "en")]);
    w.cursor.selection = Some(11..13); // "\n\n"
    w.run(EditOp::Tag("date".into()));
    assert_eq!(w.doc.session.count("date"), 0);
    assert!(status(&w).contains("whitespace"), "{}", status(&w));
}
