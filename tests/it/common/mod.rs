//! Shared test fixtures: the tricky texts every part of Spanmark must get right.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

#[cfg(feature = "gui")]
pub mod gui;
pub mod python;
#[cfg(feature = "gui")]
pub mod xvfb;

use spanmark::io::{Article, read_article};
use spanmark::model::{Document, History, LabelSet, Session};
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/eu-japan-digitaal-partnerschap.nl.txt")
}

/// The articles of the fixture set that decode: Dutch sample, Japanese, emoji with ZWJ and
/// flags, combining accents, CRLF, NBSP and double spaces, Arabic, BOMs, UTF-16.
pub fn text_fixtures() -> Vec<PathBuf> {
    let mut v = vec![sample_path()];
    for name in [
        "japanese.txt",
        "emoji.txt",
        "combining.txt",
        "crlf.txt",
        "nbsp.txt",
        "arabic.txt",
        "utf8-bom.txt",
        "utf16le.txt",
        "utf16be.txt",
        "cp1252.txt",
    ] {
        v.push(fixture(name));
    }
    v
}

pub fn article(path: &std::path::Path) -> Article {
    read_article(path).unwrap_or_else(|e| panic!("{e}"))
}

pub fn session_of(path: &std::path::Path) -> Session {
    let a = article(path);
    Session::new(
        Document::new(a.text),
        LabelSet::default(),
        a.source,
        "tester".into(),
    )
}

/// Tags every occurrence of `needle` with `label`; returns how many were tagged.
pub fn tag_all(s: &mut Session, h: &mut History, needle: &str, label: &str) -> usize {
    let text = s.text().to_owned();
    let mut n = 0;
    for (byte, _) in text.match_indices(needle) {
        let start = s.document().byte_to_char(byte).unwrap();
        let end = start + needle.chars().count();
        let a = s.new_annotation(start, end, label);
        h.apply(s, spanmark::model::Edit::Add(a)).unwrap();
        n += 1;
    }
    n
}

/// A project folder with three articles: a.txt, b.txt, c.md.
pub fn project() -> tempfile::TempDir {
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

pub fn session(dir: &std::path::Path, stem: &str) -> PathBuf {
    dir.join(format!("{stem}.spanmark.ron"))
}

/// Runs the `spanmark` binary of this build with `args`.
pub fn spanmark(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .output()
        .unwrap()
}

/// As [`spanmark`], and it must succeed.
pub fn spanmark_ok(args: &[&str]) -> std::process::Output {
    let out = spanmark(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// (start, end, text, label) of every span in the session file, in document order.
#[cfg(feature = "gui")]
pub fn session_spans(session: &std::path::Path) -> Vec<(usize, usize, String, String)> {
    let s = spanmark::io::load_session(session).unwrap();
    s.annotations()
        .iter()
        .map(|a| (a.start, a.end, s.covered(a).to_owned(), a.label.clone()))
        .collect()
}
