//! Merges two versions of the 5 MB / 50,000-span session against their ancestor, as git's
//! merge driver does, and prints `name: value unit` lines.
//!
//!     cargo bench --bench merge
//!
//! Each side relabels 1,000 spans, removes 1,000 and adds 1,000 (the same 100 on both
//! sides, and 100 relabelled differently: conflicts).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop on a broken set-up

mod common;

use spanmark::model::{Edit, Session};
use std::time::Instant;

fn side(base: &Session, seed: usize, label: &str) -> Session {
    let mut s = base.clone();
    let ids: Vec<_> = s.annotations().iter().map(|a| a.id).collect();
    let n = ids.len();
    let mut edits = Vec::new();
    for k in 0..1000 {
        edits.push(Edit::relabel(ids[(k * 37 + seed) % n], label));
    }
    for k in 0..100 {
        // The same 100 relabelled on both sides, each its own way: conflicts.
        edits.push(Edit::relabel(ids[(k * 101 + 7) % n], label));
    }
    let _ = s.apply(Edit::Batch(edits));
    let gone: Vec<Edit> = (0..1000)
        .map(|k| ids[(k * 53 + seed * 3 + 11) % n])
        .filter(|id| s.get(*id).is_some())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(Edit::Remove)
        .collect();
    let _ = s.apply(Edit::Batch(gone));
    let len = s.document().char_len();
    for k in 0..1000 {
        let start = (k * 4999 + seed * 17) % (len - 10);
        let a = s.new_annotation(start, start + 3, "date");
        let _ = s.apply(Edit::Add(a));
    }
    s
}

fn main() {
    let base = common::big_session(10_000, 50_000);
    let ours = side(&base, 1, "topic");
    let theirs = side(&base, 2, "date");
    let t = Instant::now();
    let (merged, outcome) = spanmark::merge3::merge(&base, &ours, &theirs, ("a", "b")).unwrap();
    println!("merge_50000_ms: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    println!("merge_conflicts: {} annotations", outcome.conflicts);
    println!("merge_spans: {} spans", merged.annotations().len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.spanmark.ron");
    let mut m = merged;
    let t = Instant::now();
    spanmark::io::save_session(&path, &mut m).unwrap();
    println!("merge_write_ms: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
}
