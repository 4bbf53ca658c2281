//! Relations between spans on the core as plain values: made, reversed, relabelled, removed
//! with a span and brought back by one undo; written to the session file and read back;
//! a hostile relation list refused with its line and column.

use spanmark::io::{load_session, save_session, write_session};
use spanmark::model::{
    Document, Edit, History, LabelSet, Relation, RelationLabel, Session, Source, Timestamp,
};

/// "Fleur Korte speaks for the Commission; the EU signs with Japan": four spans, the
/// relation labels speaks_for (directed, key 1) and met (undirected, key 2).
fn sample() -> (Session, History) {
    let text = "Fleur Korte sprak namens de Commissie. De EU tekent met Japan.";
    let mut s = Session::new(
        Document::new(text),
        LabelSet::default(),
        Source::default(),
        "t".into(),
    );
    let mut h = History::new_saved();
    for (needle, label) in [
        ("Fleur Korte", "actor"),
        ("Commissie", "actor"),
        ("EU", "actor"),
        ("Japan", "actor"),
    ] {
        let b = text.find(needle).unwrap();
        let start = text[..b].chars().count();
        let a = s.new_annotation(start, start + needle.chars().count(), label);
        h.apply(&mut s, Edit::Add(a)).unwrap();
    }
    let labels = vec![
        RelationLabel::new("speaks_for", spanmark::model::PALETTE[4], Some('1'), true),
        RelationLabel::new("met", spanmark::model::PALETTE[5], Some('2'), false),
    ];
    h.apply(&mut s, Edit::SetRelationLabels(labels)).unwrap();
    (s, h)
}

fn id_of(s: &Session, text: &str) -> spanmark::model::AnnotationId {
    s.annotations()
        .iter()
        .find(|a| s.covered(a) == text)
        .unwrap()
        .id
}

fn relate(s: &mut Session, h: &mut History, from: &str, to: &str, label: &str) -> Relation {
    let (a, b) = (id_of(s, from), id_of(s, to));
    let r = s.new_relation(a, b, label);
    h.apply(s, Edit::AddRelation(r.clone())).unwrap();
    r
}

#[test]
fn deleting_a_span_takes_its_relations_and_one_undo_brings_both_back() {
    let (mut s, mut h) = sample();
    let r = relate(&mut s, &mut h, "Fleur Korte", "Commissie", "speaks_for");
    relate(&mut s, &mut h, "EU", "Japan", "met");
    assert_eq!(s.relations().len(), 2);
    // The same relation twice is refused; so is an undirected one the other way round, and
    // a span related to itself.
    let eu = id_of(&s, "EU");
    let japan = id_of(&s, "Japan");
    let again = s.new_relation(japan, eu, "met");
    assert!(h.apply(&mut s, Edit::AddRelation(again)).is_err());
    let own = s.new_relation(eu, eu, "met");
    assert!(h.apply(&mut s, Edit::AddRelation(own)).is_err());
    let unknown = s.new_relation(eu, japan, "owns");
    assert!(h.apply(&mut s, Edit::AddRelation(unknown)).is_err());

    let before = s.clone();
    let commissie = id_of(&s, "Commissie");
    h.apply(&mut s, Edit::Remove(commissie)).unwrap();
    assert_eq!(s.relations().len(), 1, "the relation went with its span");
    assert!(s.relation(r.id).is_none());
    h.undo(&mut s).unwrap();
    assert_eq!(s, before, "one undo brings back the span and its relation");
    h.redo(&mut s).unwrap();
    assert_eq!(s.relations().len(), 1);
    h.undo(&mut s).unwrap();

    // Removing many spans at once (a batch) takes all their relations; undo restores all.
    let all: Vec<Edit> = s.annotations().iter().map(|a| Edit::Remove(a.id)).collect();
    h.apply(&mut s, Edit::Batch(all)).unwrap();
    assert!(s.relations().is_empty() && s.annotations().is_empty());
    h.undo(&mut s).unwrap();
    assert_eq!(s, before);
}

#[test]
fn reverse_relabel_and_note_are_undoable_edits() {
    let (mut s, mut h) = sample();
    let r = relate(&mut s, &mut h, "Fleur Korte", "Commissie", "speaks_for");
    let at = Timestamp::now();
    h.apply(&mut s, Edit::ReverseRelation { id: r.id, at })
        .unwrap();
    let got = s.relation(r.id).unwrap();
    assert_eq!((got.from, got.to), (r.to, r.from));
    h.apply(
        &mut s,
        Edit::RelabelRelation {
            id: r.id,
            label: "met".into(),
            at,
        },
    )
    .unwrap();
    h.apply(
        &mut s,
        Edit::SetRelationNote {
            id: r.id,
            note: Some("in the press release".into()),
            at,
        },
    )
    .unwrap();
    let got = s.relation(r.id).unwrap();
    assert_eq!(got.label, "met");
    assert_eq!(got.note.as_deref(), Some("in the press release"));
    // A relation label in use cannot go.
    assert!(
        h.apply(&mut s, Edit::SetRelationLabels(RelationLabel::defaults()))
            .is_err()
    );
    for _ in 0..3 {
        h.undo(&mut s).unwrap();
    }
    assert_eq!(s.relation(r.id).unwrap(), &r);
}

#[test]
fn relations_are_saved_one_line_each_and_read_back_equal() {
    let (mut s, mut h) = sample();
    relate(&mut s, &mut h, "Fleur Korte", "Commissie", "speaks_for");
    relate(&mut s, &mut h, "EU", "Japan", "met");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.spanmark.ron");
    save_session(&path, &mut s).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("    version: 2,"));
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(", from: ")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("label: \"speaks_for\""), "{}", lines[0]);
    assert!(text.contains("(name: \"met\""), "{text}");
    let back = load_session(&path).unwrap();
    assert_eq!(back, s);
    // The next relation gets a fresh id.
    let mut back = back;
    let r = back.new_relation(id_of(&back, "EU"), id_of(&back, "Commissie"), "met");
    assert_eq!(r.id.0, 3);
}

#[test]
fn a_version_one_session_opens_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.spanmark.ron");
    let (s, _) = sample();
    let mut buf = Vec::new();
    write_session(&mut buf, &s).unwrap();
    // As version 1 wrote it: no relation fields.
    let old: String = String::from_utf8(buf)
        .unwrap()
        .replace("    version: 2,", "    version: 1,")
        .lines()
        .scan(false, |skip, l| {
            if l == "    relation_labels: [" {
                *skip = true;
            }
            let keep = !*skip;
            if *skip && l == "    ]," {
                *skip = false;
            }
            Some(keep.then(|| format!("{l}\n")))
        })
        .flatten()
        .collect();
    assert!(!old.contains("relation"));
    std::fs::write(&path, &old).unwrap();
    let back = load_session(&path).unwrap();
    assert_eq!(back.annotations(), s.annotations());
    assert!(back.relations().is_empty());
    assert_eq!(back.relation_labels(), RelationLabel::defaults().as_slice());
}

fn load_error(text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.spanmark.ron");
    std::fs::write(&path, text).unwrap();
    let err = load_session(&path).expect_err("must be refused");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "nothing written"
    );
    err.lines()
}

#[test]
fn a_relation_naming_a_missing_span_itself_or_an_unknown_label_is_an_error_at_its_line() {
    let (mut s, mut h) = sample();
    relate(&mut s, &mut h, "Fleur Korte", "Commissie", "speaks_for");
    let mut buf = Vec::new();
    write_session(&mut buf, &s).unwrap();
    let good = String::from_utf8(buf).unwrap();
    let line_no = good.lines().position(|l| l.contains(", from: ")).unwrap() + 1;
    let from = id_of(&s, "Fleur Korte").0;
    for (bad, says) in [
        (
            format!("from: {from}, to: 99"),
            "names annotation 99, which does not exist",
        ),
        (format!("from: {from}, to: {from}"), "to itself"),
    ] {
        let text = good.replacen(
            &format!("from: {from}, to: {}", id_of(&s, "Commissie").0),
            &bad,
            1,
        );
        let errs = load_error(&text);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].contains(&format!("bad.spanmark.ron:{line_no}:9: ")) && errs[0].contains(says),
            "{errs:?}"
        );
    }
    let errs = load_error(&good.replacen(
        "label: \"speaks_for\", annotator",
        "label: \"owns\", annotator",
        1,
    ));
    assert!(errs[0].contains("relation label \"owns\""), "{errs:?}");
}

/// 200,000 relations naming spans that do not exist: refused, one problem per relation (the
/// checks are hash lookups, linear in the file; `complexity` holds the loader to that).
#[test]
fn many_bad_relations_are_each_refused() {
    let (s, _) = sample();
    let mut buf = Vec::new();
    write_session(&mut buf, &s).unwrap();
    let good = String::from_utf8(buf).unwrap();
    let mut rels = String::from("    relations: [\n");
    for i in 1..=200_000u64 {
        rels.push_str(&format!(
            "        (id: {i}, from: {}, to: {}, label: \"related\", annotator: \"t\", created: \"2026-01-01T00:00:00Z\", modified: \"2026-01-01T00:00:00Z\"),\n",
            i + 100,
            i + 101
        ));
    }
    rels.push_str("    ],\n");
    let text = good.replacen("    text: ", &format!("{rels}    text: "), 1);
    let errs = load_error(&text);
    assert_eq!(errs.len(), 200_000);
    assert!(errs[0].contains("relation 1 names annotation 101, which does not exist"));
}

/// Re-anchoring onto a corrected article keeps relations with their spans; a relation whose
/// span is orphaned waits with it; letting the orphan go takes the relation (undo brings it
/// back), and the session stays valid throughout.
#[test]
fn relations_follow_their_spans_through_reanchoring() {
    let (mut s, mut h) = sample();
    relate(&mut s, &mut h, "Fleur Korte", "Commissie", "speaks_for");
    let met = relate(&mut s, &mut h, "EU", "Japan", "met");
    let corrected = "Fleur Korte sprak gisteren namens de Commissie. De EU tekent met Korea.";
    let r = spanmark::model::reanchor::reanchor(&s, corrected.into(), Source::default());
    let mut t = r.session;
    assert_eq!(
        t.relations().len(),
        2,
        "both kept: Japan is orphaned, not gone"
    );
    let japan = met.to;
    assert!(t.get(japan).is_none() && t.anchors.iter().any(|a| a.id == japan));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.spanmark.ron");
    save_session(&path, &mut t).unwrap();
    assert_eq!(
        load_session(&path).unwrap(),
        t,
        "an orphan's relation is valid on disk"
    );
    // Letting the orphan go takes its relation; undo brings both back.
    let mut h = History::new_saved();
    let before = t.clone();
    h.apply(&mut t, Edit::Settle(japan)).unwrap();
    assert_eq!(t.relations().len(), 1);
    save_session(&path, &mut t).unwrap();
    assert!(load_session(&path).is_ok());
    h.undo(&mut t).unwrap();
    assert_eq!(t.relations(), before.relations());
}

/// The keyboard flow in the workspace core: a span selected, r, Tab to the nearest other
/// span, the relation key; Shift+R reverses it; deleting the span takes the relation, one
/// undo brings both back; the save holds it.
#[test]
fn r_tab_and_a_key_make_a_relation_in_the_workspace() {
    use spanmark::workspace::{Direction, EditOp, RelateOp, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    std::fs::write(&article, "De EU en Japan tekenen in Tokio een akkoord.\n").unwrap();
    let mut w = Workspace::new(None, vec![]);
    w.start(Some(&article));
    for (a, b) in [(3, 5), (9, 14), (26, 31)] {
        w.cursor.selection = Some(a..b);
        w.run(EditOp::Tag("actor".into()));
    }
    let id = |w: &Workspace, text: &str| id_of(&w.doc.session, text);
    w.run(EditOp::Reveal(id(&w, "EU")));
    w.run(RelateOp::Start);
    assert!(w.relate.pending.is_some());
    w.run(RelateOp::Step(Direction::Forward));
    assert_eq!(
        w.relate.pending.as_ref().unwrap().to,
        Some(id(&w, "Japan")),
        "nearest first"
    );
    w.run(RelateOp::Step(Direction::Forward));
    assert_eq!(w.relate.pending.as_ref().unwrap().to, Some(id(&w, "Tokio")));
    w.run(RelateOp::Step(Direction::Backward));
    w.run(RelateOp::Label("related".into()));
    let s = &w.doc.session;
    assert_eq!(s.relations().len(), 1);
    let r = s.relations()[0].clone();
    assert_eq!((r.from, r.to), (id(&w, "EU"), id(&w, "Japan")));
    assert_eq!(w.relate.selected, Some(r.id), "the new relation is picked");
    w.run(RelateOp::Reverse);
    let r2 = w.doc.session.relation(r.id).unwrap().clone();
    assert_eq!((r2.from, r2.to), (r.to, r.from));
    w.run(EditOp::Delete(id(&w, "Japan")));
    assert!(w.doc.session.relations().is_empty());
    w.undo();
    assert_eq!(
        w.doc.session.relation(r.id),
        Some(&r2),
        "one undo: span and relation"
    );
    w.save();
    let saved = load_session(&spanmark::io::session_path_for(&article)).unwrap();
    assert_eq!(saved.relations(), w.doc.session.relations());
}

/// Tags `a` and `b` in the open document and relates them with the only relation label.
fn relate_in(w: &mut spanmark::workspace::Workspace, a: &str, b: &str) {
    use spanmark::workspace::{EditOp, RelateOp};
    for word in [a, b] {
        let text = w.doc.session.text();
        let start = text[..text.find(word).unwrap()].chars().count();
        w.cursor.selection = Some(start..start + word.chars().count());
        w.run(EditOp::Tag("actor".into()));
    }
    let from = id_of(&w.doc.session, a);
    w.run(EditOp::Reveal(from));
    w.run(RelateOp::Start);
    w.run(RelateOp::Pick(id_of(&w.doc.session, b)));
}

fn rel_op(w: &mut spanmark::workspace::Workspace, op: spanmark::workspace::RelationLabelOp) {
    w.label_op(spanmark::workspace::LabelOp::Relation(op), |_| None);
}

fn on_disk(dir: &std::path::Path, stem: &str) -> Session {
    load_session(&crate::common::session(dir, stem)).unwrap()
}

/// Relation labels are the project's: added, renamed, made undirected and deleted in the
/// label editor of one document, the change reaches every session on disk and the project
/// file; deleting takes the relations everywhere and one undo brings them back everywhere.
#[test]
fn relation_labels_are_edited_once_for_the_whole_project() {
    use spanmark::workspace::{Direction, ProjectOp, RelationLabelOp as Op, Workspace};
    let dir = crate::common::project();
    let d = dir.path();
    let mut w = Workspace::new(None, vec![]);
    w.start(Some(d));
    relate_in(&mut w, "EU", "Japan");
    assert_eq!(
        w.doc.session.relations().len(),
        1,
        "one relation label: r, pick"
    );
    w.run(ProjectOp::Step(Direction::Forward));
    relate_in(&mut w, "Tokyo", "Japan");
    assert_eq!(on_disk(d, "a").relations()[0].label, "related");

    rel_op(&mut w, Op::Add("meets".into()));
    let meets = w.doc.session.relation_label("meets").unwrap().clone();
    assert_eq!(meets.hotkey, Some('2'), "the first free digit");
    rel_op(
        &mut w,
        Op::Rename {
            from: "related".into(),
            to: "speaks for".into(),
        },
    );
    rel_op(
        &mut w,
        Op::Directed {
            name: "meets".into(),
            directed: false,
        },
    );
    let a = on_disk(d, "a");
    assert_eq!(a.relations()[0].label, "speaks for", "carried to a on disk");
    let names: Vec<_> = a
        .relation_labels()
        .iter()
        .map(|l| (l.name.as_str(), l.directed))
        .collect();
    assert_eq!(names, [("speaks for", true), ("meets", false)]);
    let pf = spanmark::io::project::read_project_file(d)
        .unwrap()
        .unwrap();
    assert_eq!(pf.relation_labels, w.doc.session.relation_labels());
    assert_eq!(w.doc.session.relations()[0].label, "speaks for");

    // A key another relation label has is refused, and nothing changes.
    rel_op(
        &mut w,
        Op::Hotkey {
            name: "meets".into(),
            key: Some('1'),
        },
    );
    assert_eq!(
        w.doc.session.relation_label("meets").unwrap().hotkey,
        Some('2')
    );

    rel_op(&mut w, Op::Delete("speaks for".into()));
    assert!(w.doc.session.relations().is_empty());
    assert!(on_disk(d, "a").relations().is_empty(), "gone in a too");
    assert!(on_disk(d, "a").relation_label("speaks for").is_none());
    w.undo();
    assert_eq!(w.doc.session.relations().len(), 1);
    let a = on_disk(d, "a");
    assert_eq!(a.relations().len(), 1, "back in a");
    assert_eq!(a.relations()[0].label, "speaks for");
    assert_eq!(
        a.covered(a.get(a.relations()[0].from).unwrap()),
        "EU",
        "with its spans"
    );
}

/// Outside a project, deleting a relation label takes its relations in one undoable step;
/// the direction cannot stop mattering while a pair is related both ways.
#[test]
fn a_documents_relation_labels_change_in_one_undoable_step() {
    use spanmark::workspace::{RelationLabelOp as Op, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("news.txt");
    std::fs::write(&article, "De EU en Japan tekenen in Tokio een akkoord.\n").unwrap();
    let mut w = Workspace::new(None, vec![]);
    w.start(Some(&article));
    relate_in(&mut w, "EU", "Japan");
    let (eu, japan) = (id_of(&w.doc.session, "EU"), id_of(&w.doc.session, "Japan"));
    let back = w.doc.session.new_relation(japan, eu, "related");
    w.doc
        .edit(spanmark::model::Edit::AddRelation(back))
        .unwrap();
    rel_op(
        &mut w,
        Op::Directed {
            name: "related".into(),
            directed: false,
        },
    );
    assert!(
        w.doc.session.relation_label("related").unwrap().directed,
        "refused"
    );
    assert!(
        w.notices
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("both ways")
    );
    rel_op(&mut w, Op::Delete("related".into()));
    assert!(w.doc.session.relations().is_empty() && w.doc.session.relation_labels().is_empty());
    w.undo();
    assert_eq!(w.doc.session.relations().len(), 2);
    assert_eq!(w.doc.session.relation_labels(), RelationLabel::defaults());
}

/// A cycle of relations (A → B → C → A, and an undirected pair both ways round is one) is
/// a valid session: saved, it loads back equal; deleting a span of the cycle takes its two
/// relations only.
#[test]
fn a_cycle_of_relations_loads_and_a_span_takes_only_its_own() {
    let (mut s, mut h) = sample();
    relate(&mut s, &mut h, "Fleur Korte", "Commissie", "speaks_for");
    relate(&mut s, &mut h, "Commissie", "EU", "speaks_for");
    relate(&mut s, &mut h, "EU", "Fleur Korte", "speaks_for");
    relate(&mut s, &mut h, "EU", "Japan", "met");
    let (eu, japan) = (id_of(&s, "EU"), id_of(&s, "Japan"));
    let twice = s.new_relation(japan, eu, "met");
    assert!(
        h.apply(&mut s, Edit::AddRelation(twice)).is_err(),
        "undirected: one relation per pair"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cycle.spanmark.ron");
    save_session(&path, &mut s).unwrap();
    assert_eq!(load_session(&path).unwrap(), s);
    let commissie = id_of(&s, "Commissie");
    h.apply(&mut s, Edit::Remove(commissie)).unwrap();
    let left: Vec<(String, String)> = s
        .relations()
        .iter()
        .map(|r| {
            let t = |id| s.covered(s.get(id).unwrap()).to_owned();
            (t(r.from), t(r.to))
        })
        .collect();
    assert_eq!(
        left,
        [
            ("EU".to_owned(), "Fleur Korte".to_owned()),
            ("EU".to_owned(), "Japan".to_owned())
        ]
    );
}

/// Deleting a span label in a project takes its annotations from every document, and their
/// relations with them; one undo brings both back in the documents on disk too.
#[test]
fn deleting_a_span_label_in_a_project_and_undoing_brings_relations_back() {
    use spanmark::workspace::{Direction, LabelOp, ProjectOp, Workspace};
    let dir = crate::common::project();
    let d = dir.path();
    let mut w = Workspace::new(None, vec![]);
    w.start(Some(d));
    relate_in(&mut w, "EU", "Japan");
    w.run(ProjectOp::Step(Direction::Forward));
    assert_eq!(on_disk(d, "a").relations().len(), 1);
    w.label_op(LabelOp::DeleteConfirmed("actor".into()), |_| None);
    let a = on_disk(d, "a");
    assert!(a.annotations().is_empty() && a.relations().is_empty());
    w.undo();
    let a = on_disk(d, "a");
    assert_eq!(a.annotations().len(), 2);
    assert_eq!(
        a.relations().len(),
        1,
        "the relation came back with its spans"
    );
}

/// A relation label deleted in a project, and in the meantime a new relation in a document
/// whose session got the deleted relation's id (ids restart after the highest one on
/// disk): undoing the delete brings the old relation back under a fresh id, losing neither.
#[test]
fn undoing_a_relation_label_delete_keeps_a_relation_made_since() {
    use spanmark::workspace::{Direction, ProjectOp, RelationLabelOp as Op, Workspace};
    let dir = crate::common::project();
    let d = dir.path();
    let mut w = Workspace::new(None, vec![]);
    w.start(Some(d));
    rel_op(&mut w, Op::Add("met".into()));
    relate_in(&mut w, "EU", "Japan"); // two labels: r, pick, then the key
    w.run(spanmark::workspace::RelateOp::Label("related".into()));
    assert_eq!(w.doc.session.relations().len(), 1);
    let old_id = w.doc.session.relations()[0].id;
    w.run(ProjectOp::Step(Direction::Forward));
    rel_op(&mut w, Op::Delete("related".into()));
    assert!(on_disk(d, "a").relations().is_empty());
    // Back in a (reopened from disk): a "met" relation gets the first free id, the old one's.
    w.run(ProjectOp::Step(Direction::Backward));
    let (eu, japan) = (id_of(&w.doc.session, "EU"), id_of(&w.doc.session, "Japan"));
    let r = w.doc.session.new_relation(japan, eu, "met");
    let reused = r.id;
    assert_eq!(reused, old_id, "the id is given again");
    w.doc.edit(Edit::AddRelation(r)).unwrap();
    assert!(w.save());
    w.run(ProjectOp::Step(Direction::Forward));
    w.undo(); // the label delete, from b
    let a = on_disk(d, "a");
    let mut labels: Vec<&str> = a.relations().iter().map(|r| r.label.as_str()).collect();
    labels.sort();
    assert_eq!(labels, ["met", "related"], "both kept");
    let ids: std::collections::HashSet<_> = a.relations().iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&reused));
}
