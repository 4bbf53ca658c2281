//! A real X server (Xvfb) for tests that run the real binary and drive it with xdotool.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An X server of our own for one test, ended on drop.
pub struct Display {
    xvfb: Child,
    pub name: String,
}

impl Display {
    pub fn start() -> Self {
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
            .args([
                &name,
                "-screen",
                "0",
                "1400x900x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ])
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

    pub fn xdotool(&self, args: &[&str]) -> String {
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

pub fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The binary the real-window tests drive: `$SPANMARK_TEST_BIN` (tests/run.sh sets it to the
/// release build, what editors run), else this test build's.
pub fn app_binary() -> std::path::PathBuf {
    std::env::var_os("SPANMARK_TEST_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_spanmark").into())
}

/// The app on `folder`, with a home of its own; returns the process and its window id.
pub fn start_app(d: &Display, folder: &Path, home: &Path) -> (Child, String) {
    start_app_with(d, Some(folder), home, &[])
}

/// As [`start_app`], with more environment (`None` removes a variable).
pub fn start_app_with(
    d: &Display,
    path: Option<&Path>,
    home: &Path,
    env: &[(&str, Option<&str>)],
) -> (Child, String) {
    let runtime = home.join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let log = home.join(format!("app-{}.log", std::process::id()));
    let mut cmd = Command::new(app_binary());
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.args(path);
    let mut child = cmd
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

impl Display {
    /// Sets the keyboard layout (`us`, `be`, `fr`, `de`). The server runs with `-noreset`:
    /// otherwise it resets (and forgets the layout) when its last client leaves.
    pub fn layout(&self, layout: &str) {
        let st = Command::new("setxkbmap")
            .args(["-display", &self.name, layout])
            .status()
            .expect("setxkbmap is needed for this test (apt-get install x11-xkb-utils)");
        assert!(st.success(), "setxkbmap {layout} failed");
    }

    /// Presses `key` with `modifiers` held, as a person does: modifiers down, the key, then
    /// modifiers up, each in frames of its own.
    pub fn chord(&self, modifiers: &[&str], key: &str) {
        for m in modifiers {
            self.xdotool(&["keydown", m]);
            std::thread::sleep(Duration::from_millis(80));
        }
        self.xdotool(&["key", key]);
        std::thread::sleep(Duration::from_millis(80));
        for m in modifiers.iter().rev() {
            self.xdotool(&["keyup", m]);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}
