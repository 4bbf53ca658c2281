//! The real binary in a real X window (Xvfb), driven with xdotool, killed with SIGKILL:
//! every edit older than two seconds must be back when it starts again. `.ci/run` installs
//! Xvfb and xdotool; without them these tests fail rather than pass unseen.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::xvfb::{Display, start_app, wait_for};
use spanmark::io::journal::{journal_path, read_journal};
use spanmark::model::Edit;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

/// Double-clicks a word at window coordinates and presses a label's key.
fn tag_at(d: &Display, window: &str, x: u32, y: u32, key: &str) {
    d.xdotool(&[
        "mousemove",
        "--window",
        window,
        &x.to_string(),
        &y.to_string(),
    ]);
    std::thread::sleep(Duration::from_millis(300));
    d.xdotool(&["click", "--repeat", "2", "--delay", "60", "1"]);
    std::thread::sleep(Duration::from_millis(300));
    d.xdotool(&["key", key]);
    std::thread::sleep(Duration::from_millis(300));
}

fn kill9(child: &mut Child) {
    // SIGKILL: no destructor, no save, no flush.
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A project with one article of many words, so that every click in the text hits one.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("project");
    std::fs::create_dir_all(&folder).unwrap();
    let text = "Japan Tokyo Europa Brussel Kyoto Osaka ".repeat(40);
    std::fs::write(folder.join("nieuws.txt"), text.trim_end()).unwrap();
    (dir, folder)
}

/// The spans (start, end, label) that the journal's Add edits made.
fn journaled_adds(session: &Path) -> Vec<(usize, usize, String)> {
    read_journal(&journal_path(session))
        .unwrap()
        .edits
        .into_iter()
        .filter_map(|e| match e {
            Edit::Add(a) => Some((a.start, a.end, a.label)),
            _ => None,
        })
        .collect()
}

fn spans(session: &Path) -> Vec<(usize, usize, String)> {
    let mut v: Vec<_> = crate::common::session_spans(session)
        .into_iter()
        .map(|(start, end, _, label)| (start, end, label))
        .collect();
    v.sort();
    v
}

/// Three points on three lines of the article (the document list is on the left).
const POINTS: [(u32, u32); 3] = [(330, 66), (420, 98), (510, 130)];

#[test]
fn edits_survive_sigkill() {
    let (dir, folder) = project();
    let session = folder.join("nieuws.spanmark.ron");
    let d = Display::start();
    let (mut app, window) = start_app(&d, &folder, dir.path());
    for ((x, y), key) in POINTS.iter().zip(["1", "2", "3"]) {
        tag_at(&d, &window, *x, *y, key);
    }
    // Older than two seconds, never saved: then the power goes.
    std::thread::sleep(Duration::from_millis(2500));
    kill9(&mut app);
    assert!(!session.exists(), "nothing was saved explicitly");
    let mut made = journaled_adds(&session);
    made.sort();
    assert_eq!(made.len(), 3, "three tags made: {made:?}");
    let labels: Vec<&str> = made.iter().map(|m| m.2.as_str()).collect();
    assert!(labels.contains(&"actor") && labels.contains(&"topic") && labels.contains(&"date"));

    // Start again: the edits are back, and a notice says "save to keep them". It only
    // informs, so Ctrl+S (pressed while it is up, as it tells the editor to) writes them to
    // the session file, which is how we look inside the app.
    let (mut app, _window) = start_app(&d, &folder, dir.path());
    std::thread::sleep(Duration::from_millis(500));
    d.xdotool(&["key", "ctrl+s"]);
    wait_for("the save", Duration::from_secs(20), || session.exists());
    assert_eq!(spans(&session), made);
    kill9(&mut app);
    // Saved: the journal is empty again, and a third start has nothing to recover.
    std::thread::sleep(Duration::from_millis(200));
    assert!(journaled_adds(&session).is_empty());
}

#[cfg(unix)]
#[test]
fn edits_survive_sigkill_when_the_session_file_is_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, folder) = project();
    let session = folder.join("nieuws.spanmark.ron");
    let d = Display::start();
    let (mut app, window) = start_app(&d, &folder, dir.path());
    tag_at(&d, &window, POINTS[0].0, POINTS[0].1, "1");
    d.xdotool(&["key", "ctrl+s"]);
    wait_for("the first save", Duration::from_secs(20), || {
        session.exists()
    });
    std::thread::sleep(Duration::from_millis(300));
    let saved = std::fs::read(&session).unwrap();
    std::fs::set_permissions(&session, std::fs::Permissions::from_mode(0o444)).unwrap();

    // More work; the save fails (read-only), the file is untouched, the journal has it.
    tag_at(&d, &window, POINTS[1].0, POINTS[1].1, "2");
    tag_at(&d, &window, POINTS[2].0, POINTS[2].1, "3");
    d.xdotool(&["key", "ctrl+s"]);
    std::thread::sleep(Duration::from_millis(2500));
    kill9(&mut app);
    assert_eq!(
        std::fs::read(&session).unwrap(),
        saved,
        "the read-only file is untouched"
    );
    let later = journaled_adds(&session);
    assert_eq!(later.len(), 2, "{later:?}");

    // Made writable again and reopened: all three spans.
    std::fs::set_permissions(&session, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (mut app, _window) = start_app(&d, &folder, dir.path());
    d.xdotool(&["key", "Escape"]);
    std::thread::sleep(Duration::from_millis(500));
    d.xdotool(&["key", "ctrl+s"]);
    wait_for("the save", Duration::from_secs(20), || {
        std::fs::read(&session).is_ok_and(|b| b != saved)
    });
    let all = spans(&session);
    assert_eq!(all.len(), 3, "{all:?}");
    for l in &later {
        assert!(all.contains(l), "{l:?} recovered");
    }
    kill9(&mut app);
}

/// Two words tagged, a relation made between them with keys only (Ctrl+] picks the first
/// span, r, Tab, 1); a second later the power goes. Started again and saved, the session
/// holds the relation.
#[test]
fn a_relation_survives_sigkill() {
    let (dir, folder) = project();
    let session = folder.join("nieuws.spanmark.ron");
    let d = Display::start();
    let (mut app, window) = start_app(&d, &folder, dir.path());
    for (x, y) in &POINTS[..2] {
        tag_at(&d, &window, *x, *y, "1");
    }
    d.xdotool(&["key", "Escape"]);
    d.xdotool(&["key", "ctrl+Home"]);
    std::thread::sleep(Duration::from_millis(300));
    for key in ["ctrl+bracketright", "r", "Tab", "1"] {
        d.xdotool(&["key", key]);
        std::thread::sleep(Duration::from_millis(300));
    }
    std::thread::sleep(Duration::from_millis(1000));
    kill9(&mut app);
    let relations = read_journal(&journal_path(&session))
        .unwrap()
        .edits
        .into_iter()
        .filter(|e| matches!(e, Edit::AddRelation(_)))
        .count();
    assert_eq!(relations, 1, "the relation is in the journal");
    let (mut app, _window) = start_app(&d, &folder, dir.path());
    std::thread::sleep(Duration::from_millis(500));
    d.xdotool(&["key", "ctrl+s"]);
    wait_for("the save", Duration::from_secs(20), || session.exists());
    let s = spanmark::io::load_session(&session).unwrap();
    assert_eq!(s.relations().len(), 1, "the relation came back");
    kill9(&mut app);
}
