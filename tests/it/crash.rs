//! The real binary in a real X window (Xvfb), driven with xdotool, killed with SIGKILL:
//! every edit older than two seconds must be back when it starts again. `.ci/run` installs
//! Xvfb and xdotool; without them these tests fail rather than pass unseen.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use spanmark::io::journal::{journal_path, read_journal};
use spanmark::io::load_session;
use spanmark::model::Edit;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An X server of our own for one test, ended on drop.
struct Display {
    xvfb: Child,
    name: String,
}

impl Display {
    fn start() -> Self {
        // A free display number, different per test process and test.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let mut n = 200
            + (std::process::id() % 200) * 4
            + NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // A display number with neither a socket nor a lock file (a killed server leaves both).
        while Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            || Path::new(&format!("/tmp/.X{n}-lock")).exists()
        {
            n += 1;
        }
        let name = format!(":{n}");
        let xvfb = Command::new("Xvfb")
            .args([&name, "-screen", "0", "1400x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is needed for this test (apt-get install xvfb xdotool)");
        let socket = format!("/tmp/.X11-unix/X{n}");
        wait_for("the X server", Duration::from_secs(20), || {
            Path::new(&socket).exists()
        });
        Self { xvfb, name }
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.name)
            .output()
            .expect("xdotool is needed for this test");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        // SIGTERM, so that the server removes its socket and lock file.
        let _ = Command::new("kill")
            .arg(self.xvfb.id().to_string())
            .status();
        let _ = self.xvfb.wait();
    }
}

fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The app on `folder`, with a home of its own; returns the process and its window id.
fn start_app(d: &Display, folder: &Path, home: &Path) -> (Child, String) {
    let runtime = home.join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let log = home.join(format!("app-{}.log", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg(folder)
        .env("DISPLAY", &d.name)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("SPANMARK_ANNOTATOR", "crash-test")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    // Each test has an X server of its own: the only window there is ours.
    let mut window = String::new();
    let start = Instant::now();
    while window.is_empty() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "the app exited ({status}) before its window showed:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "no window after 90 s; the app says:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
        window = d
            .xdotool(&["search", "--onlyvisible", "--name", "Spanmark"])
            .lines()
            .last()
            .unwrap_or("")
            .to_owned();
    }
    d.xdotool(&["windowfocus", &window]);
    // Let the first frames draw (a debug build on a CPU renderer is slow).
    std::thread::sleep(Duration::from_secs(3));
    (child, window)
}

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
    let mut v: Vec<_> = load_session(session)
        .unwrap()
        .annotations()
        .iter()
        .map(|a| (a.start, a.end, a.label.clone()))
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

    // Start again: the edits are back (the app says so); Escape closes that notice and
    // Ctrl+S writes them to the session file, which is how we look inside the app.
    let (mut app, _window) = start_app(&d, &folder, dir.path());
    d.xdotool(&["key", "Escape"]);
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
