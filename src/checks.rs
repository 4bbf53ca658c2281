//! The properties the fuzz targets (`fuzz/`) check, as plain functions, so that every input a
//! fuzzer found is also a regression test in the normal suite (`tests/it/fuzzed.rs` runs the
//! committed corpora through these on stable). Each panics when its property fails; on a
//! malformed input the property is only "a clear error, no panic, no hang".

use crate::io::formats::{self, Report};
use crate::model::{Document, Edit, History, LabelSet, Session, Source};
use std::path::Path;

/// Sorted, in bounds, ids unique, no whitespace-only span, no duplicate (span, label).
pub fn assert_invariants(s: &Session) {
    let anns = s.annotations();
    let n = s.document().char_len();
    let mut ids = std::collections::HashSet::new();
    for w in anns.windows(2) {
        assert!(w[0].sort_key() < w[1].sort_key(), "not sorted: {w:?}");
        assert!(
            !(w[0].start == w[1].start && w[0].end == w[1].end && w[0].label == w[1].label),
            "duplicate span: {w:?}"
        );
    }
    for a in anns {
        assert!(a.start < a.end && a.end <= n, "out of bounds: {a:?} in {n}");
        assert!(ids.insert(a.id), "id used twice: {a:?}");
        assert!(
            !s.covered(a).trim().is_empty(),
            "whitespace-only span: {a:?}"
        );
        assert!(s.labels().contains(&a.label), "unknown label: {a:?}");
        assert_eq!(s.get(a.id), Some(a), "the id index lost {a:?}");
    }
    for l in s.labels().iter() {
        let counted = anns.iter().filter(|a| a.label == l.name).count();
        assert_eq!(s.count(&l.name), counted, "the count of {}", l.name);
    }
    let longest = anns.iter().map(|a| a.len()).max().unwrap_or(0);
    assert_eq!(s.max_len(), longest, "the longest span's length");
    let orphans: std::collections::HashSet<_> = s.anchors.iter().map(|r| r.id).collect();
    for r in s.relations() {
        for end in [r.from, r.to] {
            assert!(
                ids.contains(&end) || orphans.contains(&end),
                "relation to nothing: {r:?}"
            );
        }
        assert!(r.from != r.to, "relation to itself: {r:?}");
        for end in [r.from, r.to] {
            assert!(
                s.relations_of(end).any(|x| x.id == r.id),
                "the span index lost {r:?}"
            );
        }
        assert!(
            s.relation_label(&r.label).is_some(),
            "unknown relation label: {r:?}"
        );
    }
}

/// A session file: load; if it loads, save and load again gives the same session.
pub fn session_round_trip(bytes: &[u8]) {
    let path = Path::new("fuzz.spanmark.ron");
    let Ok(s) = crate::io::parse_session(path, bytes) else {
        return;
    };
    assert_invariants(&s);
    let mut out = Vec::new();
    if let Err(e) = crate::io::write_session(&mut out, &s) {
        panic!("writing to memory failed: {e}");
    }
    let again = crate::io::parse_session(path, &out)
        .unwrap_or_else(|e| panic!("a saved session does not load: {}", e.lines().join("; ")));
    assert_eq!(again, s, "load → save → load changed the session");
}

/// Three session files (ancestor, ours, theirs; split at 0xFF bytes): when ours and theirs
/// load, the merge validates (saved and loaded back, the invariants hold), whichever side is
/// ours, and the diff conversion renders it.
pub fn merge_three(bytes: &[u8]) {
    let mut parts = bytes.splitn(3, |&b| b == 0xFF);
    let (Some(o), Some(a), Some(b)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let path = Path::new("fuzz.spanmark.ron");
    let (Ok(a), Ok(b)) = (
        crate::io::parse_session(path, a),
        crate::io::parse_session(path, b),
    ) else {
        return;
    };
    // What `spanmark git textconv` prints for each side (the diff conversion).
    let _ = (crate::merge3::diff_lines(&a), crate::merge3::diff_lines(&b));
    let base = crate::io::parse_session(path, o)
        .unwrap_or_else(|_| a.with_text(a.document().clone(), a.source.clone()));
    for (x, y) in [(&a, &b), (&b, &a)] {
        let Ok((m, _)) = crate::merge3::merge(&base, x, y, ("a", "b")) else {
            return;
        };
        assert_invariants(&m);
        let mut out = Vec::new();
        if let Err(e) = crate::io::write_session(&mut out, &m) {
            panic!("writing to memory failed: {e}");
        }
        let back = crate::io::parse_session(path, &out)
            .unwrap_or_else(|e| panic!("a merge does not load: {}", e.lines().join("; ")));
        let _ = crate::merge3::diff_lines(&back);
    }
}

/// The parallel annotation parse gives exactly what the one-pass parse gives: the same
/// session, or the same problems.
pub fn parallel_parse_agrees(bytes: &[u8]) {
    let path = Path::new("fuzz.spanmark.ron");
    let one = crate::io::session_file::parse_session_with(path, bytes, None);
    let par = crate::io::session_file::parse_session_with(path, bytes, Some(1));
    match (one, par) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the parallel parse read another session"),
        (Err(a), Err(b)) => assert_eq!(a, b, "the parses disagree on the problems"),
        (a, b) => panic!("one parse accepts what the other refuses: {a:?} / {b:?}"),
    }
}

/// An article's bytes, as text, HTML and Word: decoded or refused, never a panic.
pub fn article_decodes(bytes: &[u8]) {
    if let Ok(a) = crate::io::decode_article("fuzz.txt", bytes) {
        assert!(!a.text.contains('\r'), "a CR survived decoding");
        let _ = Document::new(a.text);
    }
    for kind in [
        crate::io::article::Kind::Html,
        crate::io::article::Kind::Docx,
    ] {
        if let Ok(a) = crate::io::article::extract_article("fuzz", bytes, kind) {
            assert!(!a.text.trim().is_empty());
        }
    }
}

/// Another tool's file (the first byte picks the format): every record read or reported;
/// every session made from them keeps the invariants and saves to a file that loads.
pub fn import_makes_valid_sessions(bytes: &[u8]) {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut report = Report::default();
    let docs = match pick % 6 {
        0 => formats::jsonl::read("fuzz", &text, formats::Offsets::Chars, &mut report),
        1 => formats::spacy::read("fuzz", &text, &mut report),
        2 => formats::conll::read("fuzz", &text, &mut report),
        3 => formats::labelstudio::read("fuzz", &text, &mut report),
        5 => formats::relex::read("fuzz", &text, formats::Offsets::Chars, &mut report),
        _ => {
            let (txt, ann) = text.split_once('\u{0}').unwrap_or((&text, ""));
            vec![formats::brat::read_ann(
                "fuzz",
                "doc",
                txt,
                ann,
                &mut report,
            )]
        }
    };
    for (_, s) in formats::to_sessions(docs, "fuzz", None, &mut report) {
        assert_invariants(&s);
        let mut out = Vec::new();
        if let Err(e) = crate::io::write_session(&mut out, &s) {
            panic!("writing to memory failed: {e}");
        }
        if let Err(e) = crate::io::parse_session(Path::new("fuzz.spanmark.ron"), &out) {
            panic!(
                "an imported session does not load: {}",
                e.lines().join("; ")
            );
        }
    }
}

/// The session a journal is replayed onto in [`journal_replays`].
pub fn journal_base() -> Session {
    Session::new(
        Document::new("De EU en Japan 🇪🇺 werken samen.\nTokyo, 2025."),
        LabelSet::default(),
        Source::default(),
        "fuzz".into(),
    )
}

/// A journal's text: read (bad lines reported), replayed onto a session through the
/// history; the session keeps its invariants and undoing everything gives the start back.
pub fn journal_replays(bytes: &[u8]) {
    let rec = crate::io::journal::parse_journal(&String::from_utf8_lossy(bytes));
    let start = journal_base();
    let mut s = start.clone();
    let mut h = History::new_saved();
    let _ = crate::io::journal::replay(&rec, |e| h.apply(&mut s, e));
    assert_invariants(&s);
    while h.undo(&mut s).is_some() {}
    assert_eq!(
        s, start,
        "undoing a replayed journal did not give the start back"
    );
}

/// One step of a random editing session (see [`edits_keep_invariants`]).
#[derive(Clone, Debug)]
pub enum Op {
    Add {
        start: u16,
        len: u8,
        label: u8,
    },
    Remove(u8),
    Relabel(u8, u8),
    Bounds(u8, i8, i8),
    Note(u8, bool),
    Reject(u8),
    Batch(Vec<(u16, u8, u8)>),
    /// Relates the k-th span to the l-th (a relation to itself is refused).
    Relate(u8, u8),
    /// Reverses, or removes, the k-th relation.
    Reverse(u8),
    Unrelate(u8),
    Undo,
    Redo,
}

/// Random edits through the history: after each, the invariants hold; the journal of what
/// was applied, replayed onto the start, gives the same session; undoing everything gives the
/// start back.
pub fn edits_keep_invariants(ops: &[Op]) {
    let start = journal_base();
    let labels: Vec<String> = start.labels().iter().map(|l| l.name.clone()).collect();
    let label = |k: u8| labels[usize::from(k) % labels.len()].clone();
    let mut s = start.clone();
    let mut h = History::new_saved();
    let mut journal: Vec<Edit> = Vec::new();
    let n = s.document().char_len();
    for op in ops {
        let pick = |k: u8, s: &Session| {
            let a = s.annotations();
            (!a.is_empty()).then(|| a[usize::from(k) % a.len()].clone())
        };
        let edit = match op {
            Op::Add {
                start,
                len,
                label: l,
            } => {
                let st = usize::from(*start) % (n + 1);
                let a = s.new_annotation(st, st + usize::from(*len), &label(*l));
                Some(Edit::Add(a))
            }
            Op::Remove(k) => pick(*k, &s).map(|a| Edit::Remove(a.id)),
            Op::Relabel(k, l) => pick(*k, &s).map(|a| Edit::relabel(a.id, &label(*l))),
            Op::Bounds(k, ds, de) => pick(*k, &s).map(|a| {
                let st = a.start.saturating_add_signed(isize::from(*ds));
                let en = a.end.saturating_add_signed(isize::from(*de));
                Edit::set_bounds(a.id, st, en)
            }),
            Op::Note(k, on) => pick(*k, &s)
                .map(|a| Edit::set_note(a.id, on.then(|| "a note, with \"quotes\"".to_owned()))),
            Op::Reject(k) => pick(*k, &s).map(|a| {
                Edit::Reject(crate::model::Rejected {
                    start: a.start,
                    end: a.end,
                    label: a.label,
                })
            }),
            Op::Batch(items) => Some(Edit::Batch(
                items
                    .iter()
                    .map(|(st, len, l)| {
                        let st = usize::from(*st) % (n + 1);
                        Edit::Add(s.new_annotation(st, st + usize::from(*len), &label(*l)))
                    })
                    .collect(),
            )),
            Op::Relate(k, l) => match (pick(*k, &s), pick(*l, &s)) {
                (Some(a), Some(b)) => {
                    Some(Edit::AddRelation(s.new_relation(a.id, b.id, "related")))
                }
                _ => None,
            },
            Op::Reverse(k) | Op::Unrelate(k) => {
                let rels = s.relations();
                (!rels.is_empty()).then(|| {
                    let id = rels[usize::from(*k) % rels.len()].id;
                    match op {
                        Op::Reverse(_) => Edit::ReverseRelation {
                            id,
                            at: crate::model::Timestamp::now(),
                        },
                        _ => Edit::RemoveRelation(id),
                    }
                })
            }
            Op::Undo => {
                h.undo(&mut s);
                None
            }
            Op::Redo => {
                h.redo(&mut s);
                None
            }
        };
        if let Some(e) = edit {
            let _ = h.apply(&mut s, e);
        }
        journal.extend(h.take_applied());
        assert_invariants(&s);
    }
    let mut replayed = start.clone();
    for e in journal {
        replayed
            .apply(e)
            .unwrap_or_else(|e| panic!("a journalled edit does not replay: {e}"));
    }
    assert_eq!(replayed, s, "the journal replayed gives another session");
    while h.undo(&mut s).is_some() {}
    assert_eq!(s, start, "undoing everything did not give the start back");
}

/// [`edits_keep_invariants`] on ops decoded from raw bytes (what the fuzzer mutates): an op
/// code, then its fields, little-endian; what runs out ends the list.
pub fn edits_from_bytes(data: &[u8]) {
    let mut ops = Vec::new();
    let mut b = data.iter().copied();
    let mut next = || b.next();
    while let Some(code) = next() {
        let op = match code % 12 {
            0 => {
                let (Some(lo), Some(hi), Some(len), Some(label)) = (next(), next(), next(), next())
                else {
                    break;
                };
                Op::Add {
                    start: u16::from_le_bytes([lo, hi]),
                    len,
                    label,
                }
            }
            1 => match next() {
                Some(k) => Op::Remove(k),
                None => break,
            },
            2 => match (next(), next()) {
                (Some(k), Some(l)) => Op::Relabel(k, l),
                _ => break,
            },
            3 => match (next(), next(), next()) {
                (Some(k), Some(a), Some(e)) => Op::Bounds(k, a as i8, e as i8),
                _ => break,
            },
            4 => match (next(), next()) {
                (Some(k), Some(on)) => Op::Note(k, on % 2 == 0),
                _ => break,
            },
            5 => match next() {
                Some(k) => Op::Reject(k),
                None => break,
            },
            6 => {
                let Some(n) = next() else { break };
                let mut items = Vec::new();
                for _ in 0..n % 32 {
                    match (next(), next(), next(), next()) {
                        (Some(lo), Some(hi), Some(len), Some(l)) => {
                            items.push((u16::from_le_bytes([lo, hi]), len, l));
                        }
                        _ => break,
                    }
                }
                Op::Batch(items)
            }
            7 => Op::Undo,
            8 => match (next(), next()) {
                (Some(k), Some(l)) => Op::Relate(k, l),
                _ => break,
            },
            9 => match next() {
                Some(k) => Op::Reverse(k),
                None => break,
            },
            10 => match next() {
                Some(k) => Op::Unrelate(k),
                None => break,
            },
            _ => Op::Redo,
        };
        ops.push(op);
    }
    edits_keep_invariants(&ops);
}
