//! How the cost of each operation grows with the document: import, open, tag, tag all of a
//! frequent word, undo of that, journal replay of 1,000 edits, export jsonl and conll, at 0.5,
//! 2 and 5 MB (5,000 / 20,000 / 50,000 spans). Prints `name: value unit` lines, one per size,
//! and the 5 MB / 0.5 MB ratio of each (linear is about 10).
//!
//! Then hostile relation files: a 5 MB session with 100,000 and with 1,000,000 relations
//! (every span related to its next 2 / 20, so the relations form cycles) saved and loaded,
//! and the ratio of what they add to the load (linear is about 10).
//!
//!     cargo bench --bench scaling
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop on a broken set-up

mod common;

use spanmark::io::formats::{ExportOptions, Format, Offsets, Overlaps};
use spanmark::io::journal::{Recovered, replay};
use spanmark::io::{load_session, save_session, transfer};
use spanmark::model::{Edit, History, Session};
use std::collections::BTreeMap;
use std::time::Instant;

/// (name, paragraphs of ~505 bytes, spans).
const SIZES: [(&str, usize, usize); 3] = [
    ("0.5mb", 1_000, 5_000),
    ("2mb", 4_000, 20_000),
    ("5mb", 10_000, 50_000),
];

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// The best of `runs` timings of `f` (the machine's noise only ever adds).
fn best(runs: usize, mut f: impl FnMut() -> f64) -> f64 {
    (0..runs).map(|_| f()).fold(f64::INFINITY, f64::min)
}

fn measure(s: &Session, dir: &std::path::Path) -> BTreeMap<&'static str, f64> {
    let mut out = BTreeMap::new();
    let sessions = vec![("doc".to_owned(), s.clone())];
    let jsonl = dir.join("doc.jsonl");
    out.insert(
        "export_jsonl",
        best(3, || {
            let t = Instant::now();
            transfer::export(Format::Jsonl, &sessions, &jsonl, ExportOptions::default()).unwrap();
            ms(t)
        }),
    );
    let conll_opts = ExportOptions {
        overlaps: Overlaps::Outermost,
        ..ExportOptions::default()
    };
    out.insert(
        "export_conll",
        best(3, || {
            let t = Instant::now();
            transfer::export(
                Format::Conll,
                &sessions,
                &dir.join("doc.conll"),
                conll_opts.clone(),
            )
            .unwrap();
            ms(t)
        }),
    );
    let mut n = 0;
    out.insert(
        "import",
        best(3, || {
            n += 1;
            let to = dir.join(format!("imported-{n}"));
            let t = Instant::now();
            let r = transfer::import(Format::Jsonl, &jsonl, &to, Offsets::Chars, transfer::QUIET)
                .unwrap();
            let took = ms(t);
            assert!(!r.failed, "{:?}", r.notes);
            took
        }),
    );
    let file = dir.join("doc.spanmark.ron");
    let mut saved = s.clone();
    save_session(&file, &mut saved).unwrap();
    out.insert(
        "open",
        best(3, || {
            let t = Instant::now();
            let l = load_session(&file).unwrap();
            let took = ms(t);
            assert_eq!(l.annotations().len(), s.annotations().len());
            took
        }),
    );

    // One tag: an add through the history (what a keypress does to the document).
    let words: Vec<std::ops::Range<usize>> = s
        .text()
        .split(' ')
        .scan(0usize, |at, w| {
            let start = *at;
            *at += w.chars().count() + 1;
            Some(start..start + w.chars().count())
        })
        .filter(|r| !r.is_empty())
        .collect();
    let mut doc = s.clone();
    let mut h = History::new_saved();
    let mut k = 0;
    out.insert(
        "tag",
        best(200, || {
            k += 97;
            let r = words[k % words.len()].clone();
            let a = doc.new_annotation(r.start, r.end, "date");
            let t = Instant::now();
            let _ = h.apply(&mut doc, Edit::Add(a));
            ms(t)
        }),
    );

    // Tag all of a frequent word ("EU"), then undo it.
    let mut tag_all = Vec::new();
    let mut undo = Vec::new();
    for _ in 0..5 {
        let mut doc = s.clone();
        let mut h = History::new_saved();
        let t = Instant::now();
        let ranges = spanmark::model::search::occurrences(doc.document(), "EU");
        let ok = doc.addable(&ranges, "topic");
        let ranges: Vec<_> = ranges
            .into_iter()
            .zip(ok)
            .filter_map(|(r, ok)| ok.then_some(r))
            .collect();
        let edits: Vec<Edit> = ranges
            .into_iter()
            .map(|r| Edit::Add(doc.new_annotation(r.start, r.end, "topic")))
            .collect();
        h.apply(&mut doc, Edit::Batch(edits)).unwrap();
        tag_all.push(ms(t));
        let t = Instant::now();
        h.undo(&mut doc).unwrap();
        undo.push(ms(t));
    }
    out.insert(
        "tag_all",
        tag_all.iter().copied().fold(f64::INFINITY, f64::min),
    );
    out.insert(
        "undo_tag_all",
        undo.iter().copied().fold(f64::INFINITY, f64::min),
    );

    // Agreement of two annotators: this session and one with a third of its spans moved.
    let mut other = s.clone();
    let moved: Vec<Edit> = s
        .annotations()
        .iter()
        .step_by(3)
        .map(|a| Edit::Remove(a.id))
        .collect();
    other.apply(Edit::Batch(moved)).unwrap();
    let who = |name: &str, s: &Session| spanmark::agree::Annotator {
        name: name.into(),
        docs: [("doc".to_owned(), ("doc".to_owned(), s.clone()))].into(),
    };
    let pair = [who("a", s), who("b", &other)];
    out.insert(
        "agree",
        best(3, || {
            let t = Instant::now();
            std::hint::black_box(spanmark::agree::agree(&pair));
            ms(t)
        }),
    );

    // Journal replay of 1,000 edits: adds, relabels and removes spread over the document.
    let mut scratch = s.clone();
    let ids: Vec<_> = s.annotations().iter().map(|a| a.id).collect();
    let mut edits = Vec::new();
    for i in 0..250 {
        let r = words[(i * 7919) % words.len()].clone();
        let a = scratch.new_annotation(r.start, r.end, "date");
        if scratch.apply(Edit::Add(a.clone())).is_ok() {
            edits.push(Edit::Add(a));
        }
        let id = ids[(i * 104_729) % ids.len()];
        edits.push(Edit::relabel(id, "topic"));
        edits.push(Edit::set_note(id, Some(format!("note {i}"))));
        edits.push(Edit::Remove(ids[(i * 15_485_863 + 1) % ids.len()]));
    }
    let rec = Recovered {
        header: None,
        edits,
        problems: Vec::new(),
    };
    out.insert(
        "journal_replay_1000",
        best(3, || {
            let mut doc = s.clone();
            let mut h = History::new_saved();
            let t = Instant::now();
            let (n, _) = replay(&rec, |e| h.apply(&mut doc, e));
            let took = ms(t);
            assert!(n >= 900, "{n} replayed");
            took
        }),
    );
    out
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for (name, paragraphs, spans) in SIZES {
        let s = common::big_session(paragraphs, spans);
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let m = measure(&s, &sub);
        for (op, v) in &m {
            if *v < 1.0 {
                println!("{op}_{name}_us: {:.1} us", v * 1000.0);
            } else {
                println!("{op}_{name}_ms: {v:.2} ms");
            }
        }
        all.push(m);
    }
    for op in all[0].keys() {
        let ratio = all[2][op] / all[0][op].max(1e-6);
        println!("{op}_ratio: {ratio:.1}");
    }
    relations(dir.path());
}

/// Loading the same session with none, 100,000 and 1,000,000 relations (in cycles): the
/// cost per relation stays the same.
fn relations(dir: &std::path::Path) {
    let mut took = Vec::new();
    for (name, per_span) in [("0", 0usize), ("100k", 2), ("1m", 20)] {
        let mut s = common::big_session(10_000, 50_000);
        let ids: Vec<_> = s.annotations().iter().map(|a| a.id).collect();
        let mut edits = Vec::with_capacity(ids.len() * per_span);
        for (i, &from) in ids.iter().enumerate() {
            for k in 1..=per_span {
                let to = ids[(i + k) % ids.len()];
                edits.push(Edit::AddRelation(s.new_relation(from, to, "related")));
            }
        }
        s.apply(Edit::Batch(edits)).unwrap();
        let n = s.relations().len();
        let path = dir.join(format!("relations-{name}.spanmark.ron"));
        save_session(&path, &mut s).unwrap();
        let bytes = std::fs::metadata(&path).unwrap().len();
        let ms = best(2, || {
            let t = Instant::now();
            let back = load_session(&path).unwrap();
            assert_eq!(back.relations().len(), n);
            ms(t)
        });
        println!("load_relations_{name}_ms: {ms:.0} ms");
        println!(
            "load_relations_{name}_file_mb: {:.0} MB",
            bytes as f64 / 1e6
        );
        took.push(ms);
    }
    // What the relations add to the load, 1,000,000 against 100,000 (linear: about 10).
    let ratio = (took[2] - took[0]) / (took[1] - took[0]).max(1e-6);
    println!("load_relations_ratio: {ratio:.1}");
}
