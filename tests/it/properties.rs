//! Property tests: random edit sequences undo to the start state; save then load is identity.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::{session_of, text_fixtures};
use proptest::prelude::*;
use spanmark::io::{parse_session, write_session};
use spanmark::model::{Edit, History, Session};
use std::path::Path;

#[derive(Clone, Debug)]
enum Op {
    Add(usize, usize, usize),
    Remove(usize),
    Relabel(usize, usize),
    Bounds(usize, usize, usize),
    Note(usize, Option<String>),
    Batch(Vec<(usize, usize, usize)>),
    Relate(usize, usize),
    Reverse(usize),
    Unrelate(usize),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..400, 1usize..30, 0usize..3).prop_map(|(s, l, k)| Op::Add(s, s + l, k)),
        1 => any::<usize>().prop_map(Op::Remove),
        1 => (any::<usize>(), 0usize..4).prop_map(|(i, k)| Op::Relabel(i, k)),
        1 => (any::<usize>(), 0usize..400, 0usize..30).prop_map(|(i, s, l)| Op::Bounds(i, s, s + l)),
        1 => (any::<usize>(), proptest::option::of("[a-zé\"\\\\\n 👍]{0,12}")).prop_map(|(i, n)| Op::Note(i, n)),
        1 => proptest::collection::vec((0usize..400, 1usize..30, 0usize..3), 1..5).prop_map(Op::Batch),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Relate(a, b)),
        1 => any::<usize>().prop_map(Op::Reverse),
        1 => any::<usize>().prop_map(Op::Unrelate),
        1 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

const LABELS: [&str; 4] = ["actor", "topic", "date", "nope"];

fn nth_id(s: &Session, i: usize) -> Option<spanmark::model::AnnotationId> {
    let n = s.annotations().len();
    (n > 0).then(|| s.annotations()[i % n].id)
}

/// Applies an op; refused edits are fine (they must change nothing).
fn run(s: &mut Session, h: &mut History, op: &Op) {
    let before = s.clone();
    let edit = match op {
        Op::Add(a, b, k) => Edit::Add(s.new_annotation(*a, *b, LABELS[*k])),
        Op::Remove(i) => match nth_id(s, *i) {
            Some(id) => Edit::Remove(id),
            None => return,
        },
        Op::Relabel(i, k) => match nth_id(s, *i) {
            Some(id) => Edit::relabel(id, LABELS[*k]),
            None => return,
        },
        Op::Bounds(i, a, b) => match nth_id(s, *i) {
            Some(id) => Edit::set_bounds(id, *a, *b),
            None => return,
        },
        Op::Note(i, n) => match nth_id(s, *i) {
            Some(id) => Edit::set_note(id, n.clone()),
            None => return,
        },
        Op::Batch(adds) => Edit::Batch(
            adds.iter()
                .map(|(a, l, k)| Edit::Add(s.new_annotation(*a, a + l, LABELS[*k])))
                .collect(),
        ),
        Op::Relate(a, b) => match (nth_id(s, *a), nth_id(s, *b)) {
            (Some(a), Some(b)) => Edit::AddRelation(s.new_relation(a, b, "related")),
            _ => return,
        },
        Op::Reverse(i) | Op::Unrelate(i) => {
            let n = s.relations().len();
            if n == 0 {
                return;
            }
            let id = s.relations()[i % n].id;
            match op {
                Op::Reverse(_) => Edit::ReverseRelation {
                    id,
                    at: spanmark::model::Timestamp::now(),
                },
                _ => Edit::RemoveRelation(id),
            }
        }
        Op::Undo => {
            h.undo(s);
            return;
        }
        Op::Redo => {
            h.redo(s);
            return;
        }
    };
    if h.apply(s, edit).is_err() {
        assert_eq!(*s, before, "a refused edit changed the session");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn undo_all_restores_the_start(ops in proptest::collection::vec(op(), 1..60), fixture in 0usize..11) {
        let path = &text_fixtures()[fixture];
        let mut s = session_of(path);
        let mut h = History::new_saved();
        let start = s.clone();
        for o in &ops {
            run(&mut s, &mut h, o);
            for a in s.annotations() {
                prop_assert!(a.start < a.end && a.end <= s.document().char_len());
            }
            // The per-label counts the palette shows are kept with every edit, undo and redo.
            spanmark::checks::assert_invariants(&s);
        }
        let end = s.clone();
        let mut undone = 0;
        while h.undo(&mut s).is_some() {
            undone += 1;
        }
        prop_assert_eq!(&s, &start);
        prop_assert!(!h.has_unsaved_changes());
        for _ in 0..undone {
            prop_assert!(h.redo(&mut s).is_some());
        }
        prop_assert_eq!(&s, &end);
    }

    #[test]
    fn save_then_load_is_identical(ops in proptest::collection::vec(op(), 1..40), fixture in 0usize..11, annotator in "[a-zA-Zé ]{1,10}") {
        let path = &text_fixtures()[fixture];
        let mut s = session_of(path);
        s.annotator = annotator;
        let mut h = History::new_unsaved();
        for o in &ops {
            run(&mut s, &mut h, o);
        }
        let mut buf = Vec::new();
        write_session(&mut buf, &s).unwrap();
        let back = parse_session(Path::new("mem.spanmark.ron"), &buf);
        prop_assert!(back.is_ok(), "{}", back.unwrap_err());
        prop_assert_eq!(back.unwrap(), s);
    }

    #[test]
    fn any_text_survives_a_round_trip(text in "\\PC{1,200}|[\"#\\\\r\t\u{a0}\u{200d}a-z]{1,50}") {
        let s = Session::new(
            spanmark::model::Document::new(text),
            Default::default(),
            Default::default(),
            "t".into(),
        );
        let mut buf = Vec::new();
        write_session(&mut buf, &s).unwrap();
        let back = parse_session(Path::new("mem.spanmark.ron"), &buf);
        prop_assert!(back.is_ok(), "{}", back.unwrap_err());
        prop_assert_eq!(back.unwrap(), s);
    }

    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_session(Path::new("x.spanmark.ron"), &bytes);
        let _ = spanmark::io::decode_article("x.txt", &bytes);
    }
}
