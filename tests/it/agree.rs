//! `spanmark agree` on constructed annotators with known answers, and its token-level kappa
//! against scikit-learn's `cohen_kappa_score`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::python::python;
use crate::common::session_of;
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
    let sample = crate::common::sample_path();
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
    let mut other = crate::common::session_of(&crate::common::fixture("japanese.txt"));
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
    let sample = crate::common::sample_path();
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

fn merge(args: &[&Path], out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg("merge")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn merge_keeps_what_all_agree_on_and_leaves_the_rest_for_review() {
    let dir = tempfile::tempdir().unwrap();
    pair(dir.path());
    let out = dir.path().join("merged.spanmark.ron");
    let a = dir.path().join("a/nieuws.spanmark.ron");
    let b = dir.path().join("b/nieuws.spanmark.ron");
    let o = merge(&[&a, &b], &out);
    assert!(o.status.success(), "{o:?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("1 spans agreed, 6 for review"), "{stderr}");
    let m = spanmark::io::load_session(&out).unwrap();
    let agreed: Vec<&str> = m.annotations().iter().map(|x| m.covered(x)).collect();
    assert_eq!(agreed, ["EU"]);
    let review: Vec<(String, String, usize)> = m
        .review
        .iter()
        .map(|r| {
            (
                m.document().slice(r.start..r.end).unwrap().to_owned(),
                r.label.clone(),
                r.by.len(),
            )
        })
        .collect();
    assert!(review.contains(&("Japan versterken".into(), "actor".into(), 1)));
    assert!(review.contains(&("halfgeleiders".into(), "topic".into(), 1)));
    assert!(review.contains(&("halfgeleiders".into(), "actor".into(), 1)));
    // Never over an existing file.
    let o = merge(&[&a, &b], &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists; not overwritten"));
    // Another text is refused.
    let other = dir.path().join("b/ander.spanmark.ron");
    let o = merge(&[&a, &other], &dir.path().join("x.spanmark.ron"));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another text"));
}

#[test]
fn merge_of_three_takes_the_majority() {
    let dir = tempfile::tempdir().unwrap();
    let sample = crate::common::sample_path();
    let mut paths = Vec::new();
    for (i, labels) in [["actor", "date"], ["actor", "topic"], ["topic", "date"]]
        .iter()
        .enumerate()
    {
        let mut s = session_of(&sample);
        s.annotator = format!("annotator{i}");
        tag(&mut s, "EU", 0, labels[0]);
        tag(&mut s, "2022", 0, labels[1]);
        let p = dir.path().join(format!("s{i}.spanmark.ron"));
        save_session(&p, &mut s).unwrap();
        paths.push(p);
    }
    let out = dir.path().join("m.spanmark.ron");
    let refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    assert!(merge(&refs, &out).status.success());
    let m = spanmark::io::load_session(&out).unwrap();
    let got: Vec<(String, String, Option<String>)> = m
        .annotations()
        .iter()
        .map(|a| (m.covered(a).to_owned(), a.label.clone(), a.note.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "EU".into(),
                "actor".into(),
                Some("majority: annotator0, annotator1".into())
            ),
            (
                "2022".into(),
                "date".into(),
                Some("majority: annotator0, annotator2".into())
            ),
        ]
    );
    assert_eq!(m.review.len(), 2, "EU topic and 2022 topic, one vote each");
    assert!(
        m.review
            .iter()
            .all(|r| r.label == "topic" && r.by.len() == 1)
    );
}

/// The curator in the real window (egui_kittest).
#[cfg(feature = "gui")]
mod window {
    use super::*;

    /// A relation only A made waits under "Relations to decide" in the side panel; Drop
    /// lets it go (one undo brings it back), and the saved file no longer lists it.
    #[test]
    fn a_relation_to_decide_is_dropped_from_the_side_panel() {
        use egui::{Key, Modifiers};
        use egui_kittest::kittest::Queryable;
        let dir = tempfile::tempdir().unwrap();
        let (pa, pb) = relation_pair(dir.path());
        let out = dir.path().join("merged.spanmark.ron");
        assert!(merge(&[&pa, &pb], &out).status.success());
        let mut h = crate::common::gui::app_with(Some(out.clone()), vec![], true);
        h.get_by_label("Relations to decide");
        h.get_by_label_contains("“EU” met “2022”");
        h.get_by_label("Drop").click();
        h.run();
        assert!(h.state().session().relation_review.is_empty());
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
        assert_eq!(h.state().session().relation_review.len(), 1);
        h.get_by_label("Drop").click();
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::S);
        h.run();
        assert!(
            spanmark::io::load_session(&out)
                .unwrap()
                .relation_review
                .is_empty()
        );
    }

    #[test]
    fn the_curator_accepts_and_rejects_review_items_in_the_window() {
        use egui::{Key, Modifiers};
        use egui_kittest::kittest::Queryable;
        let dir = tempfile::tempdir().unwrap();
        pair(dir.path());
        let out = dir.path().join("merged.spanmark.ron");
        let a = dir.path().join("a/nieuws.spanmark.ron");
        let b = dir.path().join("b/nieuws.spanmark.ron");
        assert!(merge(&[&a, &b], &out).status.success());
        let mut h = crate::common::gui::app(Some(out.clone()), vec![]);
        // The six review items are among the suggestions (dashed, not annotations).
        let review = |h: &egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>| {
            h.state()
                .ws
                .suggest
                .list
                .iter()
                .filter(|g| g.source == spanmark::model::search::SuggestionSource::Review)
                .count()
        };
        assert_eq!(review(&h), 6);
        assert_eq!(h.state().session().annotations().len(), 1);
        // Tab to the first (A's "Japan"), Enter accepts it; Tab, x rejects B's longer version.
        h.key_press(Key::Tab);
        h.run();
        let status = h.state().ws.notices.status.clone().unwrap().text;
        assert!(
            status.contains(
                "Difference 1 of 4 (bounds): A's “Japan” as actor; B: “Japan versterken” actor."
            ),
            "{status}"
        );
        h.key_press(Key::Enter);
        h.run();
        h.key_press(Key::Tab);
        h.run();
        let status = h.state().ws.notices.status.clone().unwrap().text;
        assert!(
            status.contains("Difference 1 of 4 (B only): B's “Japan versterken” as actor."),
            "{status}"
        );
        h.key_press(Key::X);
        h.run();
        assert_eq!(review(&h), 4);
        // The differences list: halfgeleiders is a label disagreement; a click goes there.
        h.get_by_label("Differences");
        assert_eq!(h.get_all_by_label(" labels ").count(), 1);
        h.get_by_label("halfgeleiders").click();
        h.run();
        let status = h.state().ws.notices.status.clone().unwrap().text;
        assert!(
            status.contains("(labels): B's “halfgeleiders” as actor; A: topic."),
            "{status}"
        );
        h.key_press_modifiers(Modifiers::COMMAND, Key::S);
        h.run();
        let m = spanmark::io::load_session(&out).unwrap();
        assert_eq!(m.annotations().len(), 2, "EU and the accepted Japan");
        // Decided items stay in the review list (so undo can bring them back); the rejection
        // is kept, and reopened the four undecided items are three differences (halfgeleiders
        // with two labels, 2022, Tokyo).
        assert_eq!(m.review.len(), 6);
        assert_eq!(m.rejected.len(), 1);
        assert_eq!(m.rejected[0].label, "actor");
        let h = crate::common::gui::app(Some(out), vec![]);
        assert_eq!(review(&h), 4);
        h.get_by_label("3 to decide");
    }

    /// The pair above with annotators' names: A is alice, B is bob.
    fn named_pair(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
        pair(dir);
        let a = dir.join("a/nieuws.spanmark.ron");
        let b = dir.join("b/nieuws.spanmark.ron");
        for (p, name) in [(&a, "alice"), (&b, "bob")] {
            let mut s = spanmark::io::load_session(p).unwrap();
            s.annotator = name.into();
            save_session(p, &mut s).unwrap();
        }
        (a, b)
    }

    fn covered(s: &Session) -> Vec<(String, String)> {
        s.annotations()
            .iter()
            .map(|a| (s.covered(a).to_owned(), a.label.clone()))
            .collect()
    }

    /// File > Compare with another session… (Ctrl+Shift+M): both versions in one text, each
    /// difference marked by kind, walked and decided from the keyboard, written to a new file.
    #[test]
    fn compare_two_sessions_and_curate_them_from_the_keyboard() {
        use egui::{Key, Modifiers};
        use egui_kittest::kittest::Queryable;
        use spanmark::agree::DiffKind;
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = named_pair(dir.path());
        let (a_bytes, b_bytes) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        let mut h = crate::common::gui::app(Some(a.clone()), vec![Some(b.clone())]);
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::M);
        h.run();
        assert!(
            h.state().ws.notices.prompt.is_none(),
            "{:?}",
            h.state().ws.notices.prompt
        );
        let s = h.state().session();
        assert_eq!(s.compared, ["alice", "bob"]);
        assert_eq!(covered(s), [("EU".into(), "actor".into())], "agreed");

        // Four differences, each of its kind, marked in the text by kind.
        let kinds: Vec<DiffKind> = h
            .state()
            .ws
            .curation
            .differences()
            .iter()
            .map(|d| d.kind.clone())
            .collect();
        assert_eq!(
            kinds,
            [
                DiffKind::Bounds,                     // Japan / Japan versterken
                DiffKind::Labels,                     // halfgeleiders topic / actor
                DiffKind::Only(vec!["alice".into()]), // 2022
                DiffKind::Only(vec!["bob".into()]),   // Tokyo
            ]
        );
        let text = h.state().session().text().to_owned();
        let marks: Vec<(String, String)> = h
            .state()
            .ws
            .curation
            .chips()
            .iter()
            .map(|m| {
                let t: String = text.chars().skip(m.start).take(m.end - m.start).collect();
                (t, m.text.clone())
            })
            .collect();
        for want in [
            ("Japan", "bounds"), // one chip per difference, on its first version
            ("halfgeleiders", "labels"),
            ("2022", "A only"),
            ("Tokyo", "B only"),
        ] {
            assert!(
                marks.contains(&(want.0.into(), want.1.into())),
                "{want:?} in {marks:?}"
            );
        }
        let color_of = |t: &str| {
            h.state()
                .ws
                .curation
                .chips()
                .iter()
                .find(|m| m.text == t)
                .map(|m| spanmark::app::theme::chip_color(m.kind))
                .unwrap()
        };
        assert_ne!(color_of("A only"), color_of("B only"));
        assert_ne!(color_of("labels"), color_of("bounds"));
        // The list says who A and B are and how many are left.
        h.get_by_label("Differences");
        h.get_by_label("4 to decide");
        h.get_by_label("alice");
        h.get_by_label("bob");

        // Tab goes to the first difference; Alt+2 takes B's version of it ("Japan versterken")
        // and moves on to the next, where Alt+1 takes A's label.
        h.key_press(Key::Tab);
        h.run();
        assert_eq!(
            h.state().ws.curation.differences()[0].kind,
            DiffKind::Bounds
        );
        h.get_by_label("Take B's version");
        h.key_press_modifiers(Modifiers::ALT, Key::Num2);
        h.run();
        h.run();
        let status = h.state().ws.notices.status.clone().unwrap().text;
        assert!(
            status.contains("Took B's version of “Japan versterken” (1 in, 1 out). Next: Difference 1 of 3 (labels): B's “halfgeleiders” as actor; A: topic."),
            "{status}"
        );
        h.get_by_label("3 to decide");
        h.key_press_modifiers(Modifiers::ALT, Key::Num1);
        h.run();
        h.run();
        // 2022, only A's: B's version is no span at all.
        h.key_press_modifiers(Modifiers::ALT, Key::Num2);
        h.run();
        h.run();
        // Tokyo, only B's: Enter accepts that one span.
        assert_eq!(
            h.state().ws.curation.differences()[0].kind,
            DiffKind::Only(vec!["bob".into()])
        );
        h.key_press(Key::Enter);
        h.run();
        h.get_by_label("0 to decide");
        let want: Vec<(String, String)> = [
            ("EU", "actor"),
            ("Japan versterken", "actor"),
            ("halfgeleiders", "topic"),
            ("Tokyo", "actor"),
        ]
        .iter()
        .map(|(t, l)| ((*t).into(), (*l).into()))
        .collect();
        let mut got = covered(h.state().session());
        got.sort();
        let mut sorted = want.clone();
        sorted.sort();
        assert_eq!(got, sorted);

        // Every decision undoes, rejections included, and redoes.
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
        h.get_by_label("2 to decide");
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        h.run();
        h.get_by_label("0 to decide");

        // Ctrl+S writes a new session beside A; A and B are untouched.
        h.key_press_modifiers(Modifiers::COMMAND, Key::S);
        h.run();
        let out = dir.path().join("a/nieuws.curated.spanmark.ron");
        let m = spanmark::io::load_session(&out).unwrap();
        let mut got = covered(&m);
        got.sort();
        assert_eq!(got, sorted);
        assert_eq!(m.compared, ["alice", "bob"]);
        assert_eq!(std::fs::read(&a).unwrap(), a_bytes);
        assert_eq!(std::fs::read(&b).unwrap(), b_bytes);
        // Reopened, nothing is left to decide.
        let h = crate::common::gui::app(Some(out), vec![]);
        assert!(h.state().ws.curation.differences().is_empty());
        h.get_by_label("0 to decide");
    }

    #[test]
    fn comparing_with_a_session_of_another_text_is_refused() {
        use egui::{Key, Modifiers};
        let dir = tempfile::tempdir().unwrap();
        let (a, _) = named_pair(dir.path());
        let other = dir.path().join("b/ander.spanmark.ron");
        let mut h = crate::common::gui::app(Some(a.clone()), vec![Some(other)]);
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::M);
        h.run();
        match &h.state().ws.notices.prompt {
            Some(spanmark::workspace::Prompt::Error(e)) => {
                assert!(e.contains("another text"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        assert!(h.state().session().compared.is_empty());
        assert!(!dir.path().join("a/nieuws.curated.spanmark.ron").exists());
    }

    /// Unsaved edits in A are asked about first; discarded, they are not part of the comparison
    /// (A is what its file holds), and A's file is not touched either way.
    #[test]
    fn comparing_asks_about_unsaved_edits_first() {
        use egui::{Key, Modifiers};
        use egui_kittest::kittest::Queryable;
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = named_pair(dir.path());
        let a_bytes = std::fs::read(&a).unwrap();
        let mut h = crate::common::gui::app(Some(a.clone()), vec![Some(b)]);
        let r = crate::common::gui::find(&h, "Tokyo", 0);
        crate::common::gui::drag_over(&mut h, r);
        h.key_press(Key::Num1);
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::M);
        h.run();
        assert!(matches!(
            h.state().ws.notices.prompt,
            Some(spanmark::workspace::Prompt::Unsaved(_))
        ));
        h.get_by_label("Discard").click();
        h.run();
        let s = h.state().session();
        assert_eq!(s.compared, ["alice", "bob"]);
        // Tokyo is B's alone (A's tag of it was discarded): still a difference, not agreed.
        assert!(covered(s).iter().all(|(t, _)| t != "Tokyo"));
        assert!(
            h.state()
                .ws
                .curation
                .differences()
                .iter()
                .any(|d| d.kind == spanmark::agree::DiffKind::Only(vec!["bob".into()]))
        );
        assert_eq!(std::fs::read(&a).unwrap(), a_bytes);
    }

    /// An unfinished curation is in its journal: comparing the same two sessions again recovers
    /// it (and says so); a journal from other versions of them is kept aside, not applied.
    #[test]
    fn an_unfinished_curation_is_recovered_only_onto_the_same_comparison() {
        use egui::{Key, Modifiers};
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = named_pair(dir.path());
        let compare = |b: &Path| {
            let mut h = crate::common::gui::app(Some(a.clone()), vec![Some(b.to_owned())]);
            h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::M);
            h.run();
            h
        };
        let mut h = compare(&b);
        h.key_press(Key::Tab);
        h.run();
        h.key_press_modifiers(Modifiers::ALT, Key::Num2);
        h.run();
        let journal = dir.path().join("a/nieuws.curated.spanmark.ron.journal");
        let start = std::time::Instant::now();
        while spanmark::io::journal::read_journal(&journal).map_or(true, |r| r.edits.is_empty()) {
            assert!(start.elapsed().as_secs() < 10);
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        drop(h); // not saved: as if the machine went down

        let h = compare(&b);
        match &h.state().ws.notices.prompt {
            Some(spanmark::workspace::Prompt::Info(m)) => {
                assert!(m.starts_with("Recovered 1 edit"), "{m}")
            }
            other => panic!("{other:?}"),
        }
        assert!(
            covered(h.state().session())
                .iter()
                .any(|(t, _)| t == "Japan versterken")
        );
        assert_eq!(h.state().ws.curation.differences().len(), 3);
        drop(h);

        // B changed since: the journal does not belong to this comparison.
        let mut bs = spanmark::io::load_session(&b).unwrap();
        tag(&mut bs, "Canada", 0, "actor");
        save_session(&b, &mut bs).unwrap();
        let h = compare(&b);
        match &h.state().ws.notices.prompt {
            Some(spanmark::workspace::Prompt::Info(m)) => {
                assert!(m.contains("was not applied"), "{m}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            h.state().ws.curation.differences().len(),
            5,
            "nothing decided"
        );
    }
}

/// Relation agreement: a relation matches when both its spans match exactly, with the same
/// label and direction (either way round for a label whose direction does not matter).
/// A: EU→Japan speaks_for, EU–halfgeleiders met, Japan→2022 speaks_for.
/// B: the first the same, the second the other way round (matches: undirected), the third
///    reversed (no match), and one A does not have.
#[test]
fn relation_f1_needs_both_spans_the_label_and_the_direction() {
    use spanmark::model::{PALETTE, RelationLabel};
    let dir = tempfile::tempdir().unwrap();
    let sample = crate::common::sample_path();
    let make = |rels: &[(&str, &str, &str)]| {
        let mut s = session_of(&sample);
        for w in ["EU", "Japan", "halfgeleiders", "2022"] {
            tag(&mut s, w, 0, "actor");
        }
        s.apply(Edit::SetRelationLabels(vec![
            RelationLabel::new("speaks_for", PALETTE[4], Some('1'), true),
            RelationLabel::new("met", PALETTE[5], Some('2'), false),
        ]))
        .unwrap();
        let id = |s: &Session, w: &str| {
            let (a, _) = find(s, w, 0);
            s.annotations().iter().find(|x| x.start == a).unwrap().id
        };
        for (f, t, l) in rels {
            let r = s.new_relation(id(&s, f), id(&s, t), l);
            s.apply(Edit::AddRelation(r)).unwrap();
        }
        s
    };
    let mut a = make(&[
        ("EU", "Japan", "speaks_for"),
        ("EU", "halfgeleiders", "met"),
        ("Japan", "2022", "speaks_for"),
    ]);
    let mut b = make(&[
        ("EU", "Japan", "speaks_for"),
        ("halfgeleiders", "EU", "met"),
        ("2022", "Japan", "speaks_for"),
        ("EU", "2022", "met"),
    ]);
    save(&dir.path().join("a"), "n.spanmark.ron", &mut a);
    save(&dir.path().join("b"), "n.spanmark.ron", &mut b);
    let (pa, pb) = (dir.path().join("a"), dir.path().join("b"));
    let (v, o) = agree_json(&[&pa, &pb]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = &v["pairs"][0]["relations"];
    assert_eq!(
        (r["tp"].as_u64(), r["fp"].as_u64(), r["fn_"].as_u64()),
        (Some(2), Some(2), Some(1))
    );
    // F1 = 2·2 / (2·2 + 2 + 1)
    let f1 = v["pairs"][0]["relation_f1"].as_f64().unwrap();
    assert!((f1 - 4.0 / 7.0).abs() < 1e-9, "{f1}");
    let table = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["agree"])
        .args([&pa, &pb])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("relations") && l.contains("0.571")),
        "{text}"
    );
}

/// Two annotators' sessions of the sample with relations: both relate EU and Japan
/// (speaks_for, and met either way round); only A tags 2022 and relates EU to it.
fn relation_pair(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use spanmark::model::{PALETTE, RelationLabel};
    let sample = crate::common::sample_path();
    let make = |words: &[&str], rels: &[(&str, &str, &str)]| {
        let mut s = session_of(&sample);
        for w in words {
            tag(&mut s, w, 0, "actor");
        }
        s.apply(Edit::SetRelationLabels(vec![
            RelationLabel::new("speaks_for", PALETTE[4], Some('1'), true),
            RelationLabel::new("met", PALETTE[5], Some('2'), false),
        ]))
        .unwrap();
        for (f, t, l) in rels {
            let id = |w: &str| {
                let (a, _) = find(&s, w, 0);
                s.annotations().iter().find(|x| x.start == a).unwrap().id
            };
            let r = s.new_relation(id(f), id(t), l);
            s.apply(Edit::AddRelation(r)).unwrap();
        }
        s
    };
    let mut a = make(
        &["EU", "Japan", "2022"],
        &[
            ("EU", "Japan", "speaks_for"),
            ("Japan", "EU", "met"),
            ("EU", "2022", "met"),
        ],
    );
    let mut b = make(
        &["EU", "Japan"],
        &[("EU", "Japan", "speaks_for"), ("EU", "Japan", "met")],
    );
    save(&dir.join("a"), "n.spanmark.ron", &mut a);
    save(&dir.join("b"), "n.spanmark.ron", &mut b);
    (dir.join("a/n.spanmark.ron"), dir.join("b/n.spanmark.ron"))
}

/// `spanmark merge` carries relations: one both annotators made between agreed spans is a
/// relation of the merged session; one only A made, or one whose span is still a
/// difference, waits in `relation_review`. Deciding one (take or drop) is one undoable
/// step; taking one whose span is not decided yet says so and changes nothing.
#[test]
fn merge_carries_relations_and_a_relation_one_annotator_made_is_decided() {
    use spanmark::workspace::{Op, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb) = relation_pair(dir.path());
    let out = dir.path().join("merged.spanmark.ron");
    let o = merge(&[&pa, &pb], &out);
    assert!(o.status.success(), "{o:?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("2 relations agreed, 1 for review"),
        "{stderr}"
    );
    let m = spanmark::io::load_session(&out).unwrap();
    let texts = |s: &Session| -> Vec<(String, String, String)> {
        let t = |id| s.covered(s.get(id).unwrap()).to_owned();
        s.relations()
            .iter()
            .map(|r| (t(r.from), r.label.clone(), t(r.to)))
            .collect()
    };
    // "met" does not care for direction: Japan–EU (A) and EU–Japan (B) agree.
    let mut agreed = texts(&m);
    agreed.sort();
    assert_eq!(
        agreed,
        [
            ("EU".into(), "met".into(), "Japan".into()),
            ("EU".into(), "speaks_for".into(), "Japan".into())
        ]
    );
    assert_eq!(m.relation_review.len(), 1);
    let r = &m.relation_review[0];
    assert_eq!((r.label.as_str(), r.by.len()), ("met", 1));
    assert_eq!(m.document().slice(r.to.0..r.to.1), Some("2022"));

    // In the workspace: taking it waits for its span "2022" (A only); taken, then it goes in.
    let mut w = Workspace::new(None, vec![]);
    w.start(Some(&out));
    w.run(Op::DecideRelation(0, true));
    assert_eq!(w.doc.session.relation_review.len(), 1, "its span first");
    assert!(
        w.notices
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Take both spans")
    );
    let (s2022, e2022) = (r.to.0, r.to.1);
    w.cursor.selection = Some(s2022..e2022);
    w.run(spanmark::workspace::EditOp::Tag("actor".into()));
    w.run(Op::DecideRelation(0, true));
    assert!(w.doc.session.relation_review.is_empty());
    assert!(texts(&w.doc.session).contains(&("EU".into(), "met".into(), "2022".into())));
    w.undo();
    assert_eq!(w.doc.session.relation_review.len(), 1, "one undo: both");
    assert_eq!(w.doc.session.relations().len(), 2);
    w.run(Op::DecideRelation(0, false));
    assert!(w.doc.session.relation_review.is_empty());
    assert_eq!(w.doc.session.relations().len(), 2, "dropped");
    assert!(w.save());
    let back = spanmark::io::load_session(&out).unwrap();
    assert!(back.relation_review.is_empty());
}
