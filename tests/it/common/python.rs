//! The test virtual environment with the real consumers and reference implementations.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the venv lives (as `tests/python/setup-venv.sh` puts it): `$SPANMARK_TEST_VENV`, else
/// `$XDG_CACHE_HOME/spanmark/test-venv`, else `~/.cache/spanmark/test-venv`.
fn venv_path() -> PathBuf {
    if let Some(v) = std::env::var_os("SPANMARK_TEST_VENV") {
        return PathBuf::from(v);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    cache.join("spanmark/test-venv")
}

/// The test virtual environment with spaCy, seqeval, pybrat, label-studio-converter and
/// scikit-learn
/// (made on first use; `.ci/run` makes it up front).
pub fn python() -> PathBuf {
    static ONCE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let venv = venv_path();
        let py = venv.join("bin/python");
        let ok = py.exists()
            && Command::new(&py)
                .args([
                    "-c",
                    "import spacy, seqeval, pybrat, label_studio_converter, sklearn, docx, datasets",
                ])
                .status()
                .is_ok_and(|s| s.success());
        if !ok {
            let st = Command::new("bash")
                .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/setup-venv.sh"))
                .arg(&venv)
                .status()
                .unwrap();
            assert!(
                st.success(),
                "could not create the test virtual environment"
            );
        }
        py
    })
    .clone()
}

pub fn run_py(script: &str, args: &[&Path]) -> String {
    let out = Command::new(python())
        .arg(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/python")
                .join(script),
        )
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}
