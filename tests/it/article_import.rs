//! Article import: every character right, and a clear error for every bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::fixture;
use spanmark::io::{decode_article, read_article};
use std::process::Command;

/// Python's reading of the file with its default universal newlines, as the reference.
fn python_read(path: &std::path::Path, encoding: &str) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys; sys.stdout.buffer.write(open(sys.argv[1], encoding=sys.argv[2]).read().encode('utf-8'))",
        ])
        .arg(path)
        .arg(encoding)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn text_matches_what_python_open_gives() {
    for (name, py_encoding, ours) in [
        ("eu-japan", "utf-8", "utf-8"),
        ("japanese.txt", "utf-8", "utf-8"),
        ("emoji.txt", "utf-8", "utf-8"),
        ("combining.txt", "utf-8", "utf-8"),
        ("crlf.txt", "utf-8", "utf-8"),
        ("nbsp.txt", "utf-8", "utf-8"),
        ("arabic.txt", "utf-8", "utf-8"),
        ("utf8-bom.txt", "utf-8-sig", "utf-8-bom"),
        ("utf16le.txt", "utf-16", "utf-16le"),
        ("utf16be.txt", "utf-16", "utf-16be"),
        ("cp1252.txt", "cp1252", "windows-1252"),
    ] {
        let path = if name == "eu-japan" {
            crate::common::sample_path()
        } else {
            fixture(name)
        };
        let a = read_article(&path).unwrap();
        assert_eq!(a.text, python_read(&path, py_encoding), "{name}");
        assert_eq!(a.source.encoding, ours, "{name}");
        assert_eq!(a.source.bytes, std::fs::metadata(&path).unwrap().len());
        assert_eq!(a.source.sha256.len(), 64);
    }
}

#[test]
fn nothing_but_newlines_is_changed() {
    let a = read_article(&fixture("nbsp.txt")).unwrap();
    assert!(a.text.contains("Artikel\u{a0}7 van het  verdrag  geldt"));
    assert!(a.source.normalised.is_empty());
    let a = read_article(&fixture("combining.txt")).unwrap();
    assert!(a.text.starts_with("Cafe\u{301} "), "no NFC normalisation");
    let a = read_article(&fixture("crlf.txt")).unwrap();
    assert_eq!(
        a.text,
        "De EU en Japan\nwerken samen.\nEinde.\nLaatste regel\n"
    );
    assert_eq!(
        a.source.normalised,
        [
            "3 CRLF line endings became LF",
            "1 CR line endings became LF"
        ]
    );
    let a = decode_article("x.txt", b"  leading and trailing  \n\n").unwrap();
    assert_eq!(a.text, "  leading and trailing  \n\n");
}

#[test]
fn sha256_is_of_the_original_bytes() {
    let a = read_article(&fixture("crlf.txt")).unwrap();
    let out = Command::new("sha256sum")
        .arg(fixture("crlf.txt"))
        .output()
        .unwrap();
    let expected = String::from_utf8(out.stdout).unwrap();
    assert_eq!(a.source.sha256, expected.split_whitespace().next().unwrap());
}

#[test]
fn windows_1252_fallback_is_told() {
    let a = read_article(&fixture("cp1252.txt")).unwrap();
    assert_eq!(a.text, "Café “Europa” € 5\n");
    assert_eq!(a.warnings.len(), 1);
    assert!(
        a.warnings[0].ends_with("cp1252.txt: not valid UTF-8 (byte 3); decoded as Windows-1252"),
        "{}",
        a.warnings[0]
    );
}

#[test]
fn empty_file_is_refused() {
    let err = read_article(&fixture("empty.txt")).unwrap_err().to_string();
    assert!(err.ends_with("empty.txt: the file is empty"), "{err}");
    let err = decode_article("bom-only.txt", b"\xEF\xBB\xBF").unwrap_err();
    assert_eq!(err.to_string(), "bom-only.txt: the file is empty");
}

#[test]
fn binary_file_is_refused() {
    let err = read_article(&fixture("binary.txt"))
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(
            "binary.txt: looks like a binary file, not text (NUL byte at byte 4); Spanmark opens .txt and .md articles"
        ),
        "{err}"
    );
    // A NUL inside otherwise valid UTF-8 or UTF-16 is refused too.
    let err = decode_article("nul.txt", b"abc\0def")
        .unwrap_err()
        .to_string();
    assert!(err.contains("NUL byte at byte 3"), "{err}");
    let err = decode_article("nul16.txt", b"\xFF\xFEa\0\0\0")
        .unwrap_err()
        .to_string();
    assert!(err.contains("NUL byte at byte 4"), "{err}");
}

#[test]
fn missing_and_unreadable_paths_are_refused() {
    let err = read_article(&fixture("no-such-file.txt"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no-such-file.txt: cannot read the file: "),
        "{err}"
    );
    assert!(err.contains("No such file or directory"), "{err}");
    // A folder cannot be read as an article.
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("folder.txt");
    std::fs::create_dir(&sub).unwrap();
    let err = read_article(&sub).unwrap_err().to_string();
    assert!(err.contains("folder.txt: cannot read the file: "), "{err}");
}

#[test]
fn other_file_types_are_refused() {
    let err = read_article(std::path::Path::new("report.pdf"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "report.pdf: unsupported file type \".pdf\"; Spanmark opens .txt and .md articles and .spanmark.ron sessions"
    );
}

#[test]
fn broken_utf16_is_refused() {
    let err = decode_article("odd.txt", b"\xFF\xFEa\0b")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "odd.txt: starts with a utf-16le byte order mark but is not valid utf-16le"
    );
    // An unpaired surrogate.
    let err = decode_article("sur.txt", b"\xFF\xFE\x00\xD8a\0")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not valid utf-16le"), "{err}");
}

#[test]
fn markdown_is_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.md");
    std::fs::write(&p, "# Kop\n\n*De EU* en **Japan**\n").unwrap();
    assert_eq!(
        read_article(&p).unwrap().text,
        "# Kop\n\n*De EU* en **Japan**\n"
    );
}
