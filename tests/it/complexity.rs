//! The cost of edits, counted as work (annotations visited, `Session::work`) rather than
//! timed: an edit is O(log n) in the number of annotations and a batch (import, tag all,
//! accept all, merge, label delete, undo of any of them) O(n log n). A linear scan per edit
//! makes these bounds fail by orders of magnitude at 50,000 spans.

use spanmark::model::{Document, Edit, LabelSet, Session, Source};

const N: usize = 50_000;

/// A text of N + 10 distinct words and an empty session over it.
fn big() -> (Session, Vec<std::ops::Range<usize>>) {
    let mut text = String::new();
    let mut words = Vec::new();
    for i in 0..N + 10 {
        let start = text.chars().count();
        text.push_str(&format!("woord{i} "));
        words.push(start..start + format!("woord{i}").chars().count());
    }
    let s = Session::new(
        Document::new(text),
        LabelSet::default(),
        Source::default(),
        "t".into(),
    );
    (s, words)
}

fn log2(n: usize) -> u64 {
    u64::from(usize::BITS - n.leading_zeros())
}

#[test]
fn a_batch_of_50000_adds_and_its_undo_are_n_log_n() {
    let (mut s, words) = big();
    // In reverse document order: the worst order for one-by-one inserts.
    let adds: Vec<Edit> = words[..N]
        .iter()
        .rev()
        .map(|r| Edit::Add(s.new_annotation(r.start, r.end, "actor")))
        .collect();
    let before = s.work();
    let undo = s.apply(Edit::Batch(adds)).unwrap();
    let added = s.work() - before;
    assert_eq!(s.annotations().len(), N);
    let bound = 4 * N as u64 * log2(N);
    assert!(added <= bound, "adding {N}: {added} visits > {bound}");

    let before = s.work();
    s.apply(undo).unwrap();
    let removed = s.work() - before;
    assert!(s.annotations().is_empty());
    assert!(removed <= bound, "removing {N}: {removed} visits > {bound}");
}

#[test]
fn single_edits_at_50000_spans_are_log_n_each() {
    let (mut s, words) = big();
    let adds: Vec<Edit> = words[..N]
        .iter()
        .map(|r| Edit::Add(s.new_annotation(r.start, r.end, "actor")))
        .collect();
    s.apply(Edit::Batch(adds)).unwrap();
    let ids: Vec<_> = s.annotations().iter().map(|a| a.id).collect();
    // 1,000 of each single edit, spread over the document (as a person or a journal replay
    // makes them).
    let before = s.work();
    let mut edits = 0u64;
    for (k, &id) in ids.iter().step_by(N / 1000).enumerate() {
        s.apply(Edit::relabel(id, "topic")).unwrap();
        s.apply(Edit::set_note(id, Some(format!("n{k}")))).unwrap();
        let removed = s.apply(Edit::Remove(id)).unwrap();
        s.apply(removed).unwrap(); // undo of the remove: an add
        let r = &words[N + k % 10];
        let a = s.new_annotation(r.start, r.end, "date");
        let extra = a.id;
        s.apply(Edit::Add(a)).unwrap();
        s.apply(Edit::Remove(extra)).unwrap();
        edits += 6;
    }
    let per_edit = (s.work() - before) / edits;
    let bound = 8 * log2(N);
    assert!(per_edit <= bound, "{per_edit} visits per edit > {bound}");
    assert_eq!(s.annotations().len(), N);
}
