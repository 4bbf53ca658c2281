//! Session files: save then load gives the same session; every bad file gets a clear error
//! naming the file (and line and column where it can); loading never changes a file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::{session_of, tag_all, text_fixtures};
use spanmark::io::{load_session, parse_session, save_session, write_session};
use spanmark::model::{Edit, History, Session};
use std::path::{Path, PathBuf};

fn annotated_sample() -> Session {
    let mut s = session_of(&crate::common::sample_path());
    let mut h = History::new_unsaved();
    tag_all(&mut s, &mut h, "Europese Unie", "actor");
    tag_all(&mut s, &mut h, "Japan", "actor");
    tag_all(&mut s, &mut h, "halfgeleiders", "topic");
    tag_all(&mut s, &mut h, "2022", "date");
    tag_all(&mut s, &mut h, "EU AI-kantoor", "actor");
    tag_all(&mut s, &mut h, "AI", "topic");
    let first = s.annotations()[0].id;
    h.apply(
        &mut s,
        Edit::set_note(first, Some("eerste \"vermelding\"\nregel 2".into())),
    )
    .unwrap();
    s
}

fn saved(s: &mut Session, dir: &Path) -> PathBuf {
    let p = dir.join("a.spanmark.ron");
    save_session(&p, s).unwrap();
    p
}

#[test]
fn save_then_load_is_identical_for_every_fixture() {
    let dir = tempfile::tempdir().unwrap();
    for path in text_fixtures() {
        let mut s = session_of(&path);
        let mut h = History::new_unsaved();
        // Tag every word-ish run of three chars or more, so emoji and accents are covered.
        let text = s.text().to_owned();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i + 3 <= chars.len() {
            if !chars[i..i + 3].iter().any(|c| c.is_whitespace()) {
                let a = s.new_annotation(i, i + 3, ["actor", "topic", "date"][i % 3]);
                h.apply(&mut s, Edit::Add(a)).unwrap();
            }
            i += 4;
        }
        let file = dir.path().join("x.spanmark.ron");
        save_session(&file, &mut s).unwrap();
        let back = load_session(&file).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(back, s, "{}", path.display());
        for a in back.annotations() {
            assert_eq!(back.covered(a), s.covered(a));
        }
    }
}

#[test]
fn file_is_readable_and_diffs_well() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = annotated_sample();
    let p = saved(&mut s, dir.path());
    let text = std::fs::read_to_string(&p).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "(");
    assert_eq!(lines[1], "    format: \"spanmark-session\",");
    assert_eq!(lines[2], "    version: 2,");
    // One line per annotation, in document order.
    let ann: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("        (id: "))
        .collect();
    assert_eq!(ann.len(), s.annotations().len());
    assert!(
        ann[0].contains("label: \"actor\", text: \"Japan\""),
        "{}",
        ann[0]
    );
    // The article text is written as it is, paragraphs on their own lines.
    assert!(text.contains(
        "\nEU en Japan zien mogelijkheden voor gezamenlijk onderzoeksprogramma rond chips\n"
    ));
    // Saving the same session twice gives the same bytes, apart from the modified time.
    let again = dir.path().join("b.spanmark.ron");
    let mut buf1 = Vec::new();
    write_session(&mut buf1, &s).unwrap();
    save_session(&again, &mut s).unwrap();
    let mut buf2 = Vec::new();
    write_session(&mut buf2, &s).unwrap();
    let strip = |b: &[u8]| {
        String::from_utf8(b.to_vec())
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("    modified:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&buf1), strip(&buf2));
}

/// Writes `content` to a session file in a temp dir and loads it; returns the error lines.
fn load_error(content: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.spanmark.ron");
    std::fs::write(&p, content).unwrap();
    let before = std::fs::read(&p).unwrap();
    let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
    let err = load_session(&p).expect_err("must be refused");
    assert_eq!(
        std::fs::read(&p).unwrap(),
        before,
        "loading changed the file"
    );
    assert_eq!(std::fs::metadata(&p).unwrap().modified().unwrap(), mtime);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "loading left files behind"
    );
    err.lines()
        .into_iter()
        .map(|l| l.replace(&p.display().to_string(), "FILE"))
        .collect()
}

fn good_file() -> String {
    let mut buf = Vec::new();
    write_session(&mut buf, &annotated_sample()).unwrap();
    String::from_utf8(buf).unwrap()
}

#[test]
fn syntax_error_names_line_and_column() {
    let good = good_file();
    // Drop the comma after the version: line 3.
    let bad = good.replacen("    version: 2,", "    version: 2", 1);
    let errs = load_error(&bad);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("FILE:4:5: "), "{errs:?}");
}

#[test]
fn truncated_file_is_refused() {
    let good = good_file();
    let errs = load_error(&good[..good.len() / 2]);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("FILE:"), "{errs:?}");
    let (_, rest) = errs[0].split_once("FILE:").unwrap();
    let line: usize = rest.split(':').next().unwrap().parse().unwrap();
    assert!(line > 10, "{errs:?}");
}

#[test]
fn newer_version_is_refused_clearly() {
    let bad = good_file().replacen("    version: 2,", "    version: 7,", 1);
    let errs = load_error(&bad);
    assert_eq!(
        errs,
        [format!(
            "FILE: written by a newer Spanmark (session format version 7; spanmark {} reads up to version 2); update Spanmark to open it",
            env!("CARGO_PKG_VERSION")
        )]
    );
}

#[test]
fn foreign_files_are_refused() {
    assert_eq!(
        load_error("(name: \"my game\", level: 3)"),
        ["FILE: not a Spanmark session: expected `format: \"spanmark-session\"` at the top"]
    );
    assert_eq!(load_error(""), ["FILE: the file is empty"]);
    let errs = load_error("{\"text\": \"json, not ron\"}");
    assert!(errs[0].starts_with("FILE:1:"), "{errs:?}");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bin.spanmark.ron");
    std::fs::write(&p, b"(\xff\xfe)").unwrap();
    let err = load_session(&p).unwrap_err().lines();
    assert_eq!(
        err,
        [format!(
            "{}:1:2: not a Spanmark session: the file is not UTF-8 text",
            p.display()
        )]
    );
}

#[test]
fn offsets_beyond_the_text_are_refused_with_their_line() {
    let first = annotated_sample().annotations()[0].clone();
    let good = good_file();
    let prefix = format!("        (id: {},", first.id.0);
    let line_no = good.lines().position(|l| l.starts_with(&prefix)).unwrap() + 1;
    let line = good.lines().nth(line_no - 1).unwrap().to_owned();
    let bad_line = line.replacen(
        &format!("start: {}, end: {},", first.start, first.end),
        "start: 99990, end: 99995,",
        1,
    );
    assert_ne!(line, bad_line, "{line}");
    let errs = load_error(&good.replacen(&line, &bad_line, 1));
    assert_eq!(
        errs,
        [format!(
            "FILE:{line_no}:9: annotation {}: offsets 99990..99995 lie beyond the end of the text (2280 characters)",
            first.id.0
        )]
    );
}

#[test]
fn covered_text_mismatch_is_refused() {
    let first = annotated_sample().annotations()[0].clone();
    assert_eq!(first.label, "actor");
    let good = good_file();
    let errs = load_error(&good.replacen("text: \"Japan\"", "text: \"Japen\"", 1));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("FILE:"), "{errs:?}");
    assert!(
        errs[0].ends_with(&format!(
            ":9: annotation {}: the text at {}..{} is \"Japan\", but the file says \"Japen\"",
            first.id.0, first.start, first.end
        )),
        "{errs:?}"
    );
}

#[test]
fn unknown_labels_and_duplicate_ids_are_refused() {
    let good = good_file();
    let bad = good.replacen("label: \"topic\"", "label: \"place\"", 1);
    let errs = load_error(&bad);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("label \"place\" is not in the label set"),
        "{errs:?}"
    );
    let bad = good.replacen("(id: 2,", "(id: 1,", 1);
    let errs = load_error(&bad);
    assert!(
        errs.iter()
            .any(|e| e.ends_with("annotation id 1 is used twice")),
        "{errs:?}"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let good = good_file();
    let bad = good
        .replacen("text: \"Japan\"", "text: \"Japen\"", 1)
        .replacen("label: \"topic\"", "label: \"place\"", 1);
    assert_eq!(load_error(&bad).len(), 2);
}

#[test]
fn unknown_fields_are_refused_with_position() {
    let good = good_file();
    let bad = good.replacen("    annotator:", "    annotater: \"x\",\n    annotator:", 1);
    let errs = load_error(&bad);
    assert!(
        errs[0].starts_with("FILE:7:5: Unexpected field named `annotater` in the session"),
        "{errs:?}"
    );
    assert!(errs[0].contains("annotater"), "{errs:?}");
}

#[test]
fn hostile_nesting_is_refused_without_a_crash() {
    let deep = format!(
        "(format: \"spanmark-session\", version: 1, x: {}{})",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let errs = load_error(&deep);
    assert_eq!(errs.len(), 1, "{errs:?}");
}

#[test]
fn interrupted_save_leaves_the_previous_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = annotated_sample();
    let p = saved(&mut s, dir.path());
    let before = std::fs::read(&p).unwrap();
    // A write that dies half way.
    let err = spanmark::io::atomic::write_atomic(&p, |w| {
        w.write_all(b"(\n    format: \"spanmark-session\",\n")?;
        Err(std::io::Error::other("power cut"))
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "power cut");
    assert_eq!(std::fs::read(&p).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        [std::ffi::OsString::from("a.spanmark.ron")],
        "temp file left behind"
    );
    assert!(load_session(&p).is_ok());
}

#[test]
fn save_into_a_missing_folder_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gone/a.spanmark.ron");
    let mut s = annotated_sample();
    let err = save_session(&p, &mut s).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}: could not save: ", p.display())),
        "{err}"
    );
}

#[test]
fn parse_from_bytes_matches_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = annotated_sample();
    let p = saved(&mut s, dir.path());
    let bytes = std::fs::read(&p).unwrap();
    assert_eq!(parse_session(&p, &bytes).unwrap(), s);
}

/// A long session (read in parallel, line by line) loads exactly as saved, and a bad line in
/// it is still reported with its line and column.
#[test]
fn a_long_session_loads_exactly_and_reports_bad_lines() {
    let text: String = (0..6000).map(|i| format!("woord{i} ")).collect();
    let mut s = Session::new(
        spanmark::model::Document::new(text.clone()),
        spanmark::model::LabelSet::default(),
        Default::default(),
        "fleur".into(),
    );
    let mut pos = 0;
    for (i, w) in text.split(' ').filter(|w| !w.is_empty()).enumerate() {
        let (start, n) = (pos, w.chars().count()); // ASCII: chars are bytes
        let label = ["actor", "topic", "date"][i % 3];
        let mut a = s.new_annotation(start, start + n, label);
        if i % 7 == 0 {
            a.note = Some(format!("note {i}, with \"quotes\"\nand a newline"));
        }
        s.apply(Edit::Add(a)).unwrap();
        pos += n + 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = saved(&mut s, dir.path());
    let loaded = load_session(&path).unwrap();
    assert_eq!(loaded, s);
    assert_eq!(loaded.annotations().len(), 6000);

    // Break annotation 4321's line: the error names that line.
    let content = std::fs::read_to_string(&path).unwrap();
    let (line_no, line) = content
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("(id: 4321,"))
        .unwrap();
    let broken = content.replacen(line, &line.replace("start:", "strat:"), 1);
    std::fs::write(&path, broken).unwrap();
    let err = load_session(&path).unwrap_err().to_string();
    assert!(
        err.contains(&format!(":{}:", line_no + 1)) && err.contains("strat"),
        "{err}"
    );
}

/// The fast (parallel) parse of long files must read exactly what the one-pass parse reads:
/// lines inside a multi-line string that look like annotation lines are text, not annotations.
#[test]
fn annotation_lines_inside_a_string_are_not_annotations() {
    use spanmark::model::LabelSet;
    let n = 5000;
    let text: String = (0..n).map(|i| format!("w{i} ")).collect();
    let mut labels = LabelSet::default().to_vec();
    labels[0].description = Some("XDESCX".into());
    let mut s = Session::new(
        spanmark::model::Document::new(text.clone()),
        LabelSet::new(labels).unwrap(),
        Default::default(),
        "t".into(),
    );
    // One real annotation, to copy its line's layout.
    let a = s.new_annotation(0, 2, "actor");
    s.apply(Edit::Add(a)).unwrap();
    let mut bytes = Vec::new();
    write_session(&mut bytes, &s).unwrap();
    let src = String::from_utf8(bytes).unwrap();
    let line = src
        .lines()
        .find(|l| l.trim_start().starts_with("(id: 1,"))
        .unwrap()
        .to_owned();
    // The file's real list: empty. The description (a raw string, so quotes need no escape):
    // a fake list of n annotation lines.
    let mut fake = String::from("\n    annotations: [\n");
    let mut at = 0;
    for i in 0..n {
        let w = format!("w{i}");
        let l = line
            .replacen("(id: 1,", &format!("(id: {},", i + 10), 1)
            .replacen("start: 0,", &format!("start: {at},"), 1)
            .replacen("end: 2,", &format!("end: {},", at + w.len()), 1)
            .replacen("text: \"w0\"", &format!("text: \"{w}\""), 1);
        fake.push_str(&l);
        fake.push('\n');
        at += w.len() + 1;
    }
    fake.push_str("    ],\n");
    let src = src
        .replacen("\"XDESCX\"", &format!("r#\"{fake}\"#"), 1)
        .replacen(&format!("{line}\n"), "", 1);
    let loaded = parse_session(Path::new("hostile.spanmark.ron"), src.as_bytes()).unwrap();
    assert!(
        loaded.annotations().is_empty(),
        "{} annotations",
        loaded.annotations().len()
    );
    let desc = loaded
        .labels()
        .get("actor")
        .unwrap()
        .description
        .clone()
        .unwrap();
    assert!(
        desc.contains("annotations: ["),
        "the description keeps its text"
    );
}

/// A byte-order mark before a session is not an error; a file nested too deeply says so in
/// words of the file, not of the parser's options.
#[test]
fn a_bom_is_ignored_and_deep_nesting_is_named_plainly() {
    let s = session_of(&crate::common::sample_path());
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    write_session(&mut bytes, &s).unwrap();
    let loaded = parse_session(Path::new("bom.spanmark.ron"), &bytes).unwrap();
    assert_eq!(loaded.text(), s.text());

    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = parse_session(Path::new("deep.spanmark.ron"), deep.as_bytes()).unwrap_err();
    let said = e.to_string();
    assert!(
        !said.contains("recursion_limit") && !said.contains("Options"),
        "{said}"
    );
    assert!(said.starts_with("deep.spanmark.ron:"), "{said}");
}
