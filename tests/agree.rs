//! `spanmark agree` on constructed annotators with known answers, and its token-level kappa
//! against scikit-learn's `cohen_kappa_score`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::python::python;
use common::session_of;
use spanmark::io::save_session;
use spanmark::model::{Edit, Session};
use std::path::Path;
use std::process::Command;

fn find(s: &Session, needle: &str, nth: usize) -> (usize, usize) {
    let (b, _) = s.text().match_indices(needle).nth(nth).unwrap();
    let start = s.document().byte_to_char(b).unwrap();
    (start, start + needle.chars().count())
}

fn tag(s: &mut Session, needle: &str, nth: usize, label: &str) {
    let (a, b) = find(s, needle, nth);
    let ann = s.new_annotation(a, b, label);
    s.apply(Edit::Add(ann)).unwrap();
}

fn save(dir: &Path, name: &str, s: &mut Session) {
    std::fs::create_dir_all(dir).unwrap();
    save_session(&dir.join(name), s).unwrap();
}

fn agree_json(args: &[&Path]) -> (serde_json::Value, std::process::Output) {
    let o = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg("agree")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    (
        serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null),
        o,
    )
}

/// A: EU, Japan (actor), halfgeleiders (topic), 2022 (date).
/// B: EU (same), Japan shifted to "Japan versterken" (overlap only), halfgeleiders relabelled
///    actor, 2022 missing, an extra "Tokyo" actor.
fn pair(dir: &Path) {
    let sample = common::sample_path();
    let mut a = session_of(&sample);
    tag(&mut a, "EU", 0, "actor");
    tag(&mut a, "Japan", 0, "actor");
    tag(&mut a, "halfgeleiders", 0, "topic");
    tag(&mut a, "2022", 0, "date");
    let mut b = session_of(&sample);
    tag(&mut b, "EU", 0, "actor");
    tag(&mut b, "Japan versterken", 0, "actor");
    tag(&mut b, "halfgeleiders", 0, "actor");
    tag(&mut b, "Tokyo", 0, "actor");
    save(&dir.join("a"), "nieuws.spanmark.ron", &mut a);
    save(&dir.join("b"), "nieuws.spanmark.ron", &mut b);
    // A document only B has.
    let mut other = common::session_of(&common::fixture("japanese.txt"));
    save(&dir.join("b"), "ander.spanmark.ron", &mut other);
}

#[test]
fn known_answers_for_a_constructed_pair() {
    let dir = tempfile::tempdir().unwrap();
    pair(dir.path());
    let (v, o) = agree_json(&[&dir.path().join("a"), &dir.path().join("b")]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(v["documents_compared"], 1);
    assert_eq!(v["unmatched"].as_array().unwrap().len(), 1);
    let p = &v["pairs"][0];
    // Exact: EU only. tp 1, fp 3 (shifted Japan, relabelled, Tokyo), fn 3.
    assert_eq!(p["exact"], serde_json::json!({"tp": 1, "fp": 3, "fn_": 3}));
    // Overlap: EU and Japan. tp 2, fp 2, fn 2.
    assert_eq!(
        p["overlap"],
        serde_json::json!({"tp": 2, "fp": 2, "fn_": 2})
    );
    assert!((p["exact_f1"].as_f64().unwrap() - 0.25).abs() < 1e-12);
    assert!((p["overlap_f1"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert_eq!(
        p["labels"]["date"][0],
        serde_json::json!({"tp": 0, "fp": 0, "fn_": 1})
    );
    assert_eq!(
        p["labels"]["topic"][0],
        serde_json::json!({"tp": 0, "fp": 0, "fn_": 1})
    );

    // The same table for people.
    let o = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["agree"])
        .arg(dir.path().join("a"))
        .arg(dir.path().join("b"))
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("1 documents compared"), "{out}");
    assert!(out.contains("B against A"), "{out}");
    let all = out
        .lines()
        .find(|l| l.trim_start().starts_with("all"))
        .unwrap();
    let cols: Vec<&str> = all.split_whitespace().collect();
    assert_eq!(
        cols[1..7],
        ["0.250", "0.250", "0.250", "0.500", "0.500", "0.500"]
    );
    assert!(out.contains("not matched: ander"), "{out}");
}

#[test]
fn identical_and_disjoint_annotators() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample_path();
    let mut a = session_of(&sample);
    tag(&mut a, "EU", 0, "actor");
    tag(&mut a, "2025", 0, "date");
    save(&dir.path().join("a"), "x.spanmark.ron", &mut a);
    save(&dir.path().join("same"), "y.spanmark.ron", &mut a.clone());
    let mut d = session_of(&sample);
    tag(&mut d, "Tokyo", 0, "actor");
    save(&dir.path().join("disjoint"), "z.spanmark.ron", &mut d);
    let (v, _) = agree_json(&[
        &dir.path().join("a/x.spanmark.ron"),
        &dir.path().join("same"),
        &dir.path().join("disjoint"),
    ]);
    let same = &v["pairs"][0];
    assert_eq!(same["exact_f1"], 1.0);
    assert_eq!(same["cohen_kappa"], 1.0);
    let disjoint = &v["pairs"][1];
    assert_eq!(disjoint["exact_f1"], 0.0);
    assert!(disjoint["cohen_kappa"].as_f64().unwrap() < 0.0);
    assert!(v["fleiss_kappa"].as_f64().is_some(), "three annotators");
}

#[test]
fn token_kappa_matches_scikit_learn() {
    let dir = tempfile::tempdir().unwrap();
    pair(dir.path());
    let a = spanmark::io::load_session(&dir.path().join("a/nieuws.spanmark.ron")).unwrap();
    let b = spanmark::io::load_session(&dir.path().join("b/nieuws.spanmark.ron")).unwrap();
    let (ta, tb) = (
        spanmark::agree::token_labels(&a),
        spanmark::agree::token_labels(&b),
    );
    let labels = dir.path().join("labels.json");
    std::fs::write(&labels, serde_json::to_string(&(&ta, &tb)).unwrap()).unwrap();
    let out = Command::new(python())
        .arg("-c")
        .arg(
            "import json,sys\nfrom sklearn.metrics import cohen_kappa_score\n\
             a,b=json.load(open(sys.argv[1]))\nprint(repr(cohen_kappa_score(a,b)))",
        )
        .arg(&labels)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let sk: f64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let (v, _) = agree_json(&[&dir.path().join("a"), &dir.path().join("b")]);
    let ours = v["pairs"][0]["cohen_kappa"].as_f64().unwrap();
    assert!((ours - sk).abs() < 1e-12, "ours {ours}, scikit-learn {sk}");
    assert!(ours > 0.0 && ours < 1.0);
}
