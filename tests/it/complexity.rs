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

/// A batch of removes that names a missing or repeated id fails as a whole and changes
/// nothing: with few removes (checked one by one against the index) and with many (checked
/// by one pass), wherever the bad id sits in the batch.
#[test]
fn a_bulk_remove_with_a_bad_id_changes_nothing() {
    let (mut s, words) = big();
    let adds: Vec<Edit> = words[..2_000]
        .iter()
        .map(|r| Edit::Add(s.new_annotation(r.start, r.end, "actor")))
        .collect();
    s.apply(Edit::Batch(adds)).unwrap();
    let ids: Vec<_> = s.annotations().iter().map(|a| a.id).collect();
    let missing = spanmark::model::AnnotationId(9_999_999);
    for take in [20, 1_500] {
        for at in [0, take / 2, take] {
            for bad in [missing, ids[0]] {
                let mut batch: Vec<Edit> =
                    ids[1..=take].iter().map(|&id| Edit::Remove(id)).collect();
                // `ids[0]` twice: once here, once at `at`.
                if bad == ids[0] {
                    batch.insert(0, Edit::Remove(bad));
                }
                batch.insert(at, Edit::Remove(bad));
                let before: Vec<_> = s.annotations().to_vec();
                let err = s.apply(Edit::Batch(batch)).unwrap_err();
                assert_eq!(
                    err,
                    spanmark::model::EditError::NoSuchAnnotation(bad),
                    "{take} removes, bad id at {at}"
                );
                assert_eq!(s.annotations(), before.as_slice());
                // The index still finds every annotation: each can be removed and put back.
                for &id in &ids {
                    assert!(s.get(id).is_some(), "{id} lost from the index");
                }
            }
        }
    }
    let all: Vec<Edit> = ids.iter().map(|&id| Edit::Remove(id)).collect();
    let undo = s.apply(Edit::Batch(all)).unwrap();
    assert!(s.annotations().is_empty());
    s.apply(undo).unwrap();
    assert_eq!(s.annotations().len(), 2_000);
}

/// A batch of many adds (the bulk path) that holds the same span and label twice, an
/// annotation already there, or one id twice, fails as a whole and changes nothing.
#[test]
fn a_bulk_add_with_a_duplicate_changes_nothing() {
    use spanmark::model::EditError;
    let (mut s, words) = big();
    let first = s.new_annotation(words[0].start, words[0].end, "actor");
    s.apply(Edit::Add(first.clone())).unwrap();
    let before = s.annotations().to_vec();
    let batch = |s: &mut Session| -> Vec<_> {
        words[1..200]
            .iter()
            .map(|r| s.new_annotation(r.start, r.end, "topic"))
            .collect()
    };
    // The same span and label twice, far apart in the batch.
    let mut adds = batch(&mut s);
    let twin = s.new_annotation(words[150].start, words[150].end, "topic");
    adds.insert(3, twin);
    let err = s
        .apply(Edit::Batch(adds.into_iter().map(Edit::Add).collect()))
        .unwrap_err();
    assert!(matches!(err, EditError::Duplicate { .. }), "{err:?}");
    assert_eq!(s.annotations(), before.as_slice());
    // A span already tagged so.
    let mut adds = batch(&mut s);
    adds.push(s.new_annotation(words[0].start, words[0].end, "actor"));
    let err = s
        .apply(Edit::Batch(adds.into_iter().map(Edit::Add).collect()))
        .unwrap_err();
    assert_eq!(
        err,
        EditError::Duplicate {
            label: "actor".into(),
            text: "woord0".into(),
            existing: first.id
        }
    );
    assert_eq!(s.annotations(), before.as_slice());
    // One id twice (and an id already in the session), on other spans.
    for in_session in [false, true] {
        let mut adds = batch(&mut s);
        let mut again = s.new_annotation(words[300].start, words[300].end, "date");
        again.id = if in_session { first.id } else { adds[10].id };
        adds.push(again);
        let id = adds.last().unwrap().id;
        let err = s
            .apply(Edit::Batch(adds.into_iter().map(Edit::Add).collect()))
            .unwrap_err();
        assert_eq!(err, EditError::DuplicateId(id));
        assert_eq!(s.annotations(), before.as_slice());
    }
    // The batch on its own goes in, counted.
    let adds = batch(&mut s);
    s.apply(Edit::Batch(adds.into_iter().map(Edit::Add).collect()))
        .unwrap();
    assert_eq!(s.count("topic"), 199);
    assert_eq!(s.count("actor"), 1);
}

/// One span with many labels: each new label's duplicate check is one binary search, not a
/// walk over the labels the span already has (100,000 labels on one span took 34 s).
#[test]
fn many_labels_on_one_span_are_checked_in_log_time() {
    let (mut s, words) = big();
    let r = words[0].clone();
    let names: Vec<String> = (0..N).map(|i| format!("label{i}")).collect();
    let mut set = s.labels().clone();
    for n in &names {
        set.add_met(n, None);
    }
    s.apply(Edit::SetLabels(set)).unwrap();
    let adds: Vec<Edit> = names
        .iter()
        .map(|n| Edit::Add(s.new_annotation(r.start, r.end, n)))
        .collect();
    let before = s.work();
    s.apply(Edit::Batch(adds)).unwrap();
    let added = s.work() - before;
    assert_eq!(s.annotations().len(), N);
    let bound = 4 * N as u64 * log2(N);
    assert!(
        added <= bound,
        "{N} labels on one span: {added} visits > {bound}"
    );
    // One more, one at a time: still a search, not a walk.
    let before = s.work();
    let dup = s.new_annotation(r.start, r.end, &names[N / 2]);
    assert!(
        s.apply(Edit::Add(dup)).is_err(),
        "the same span and label twice"
    );
    let one = s.work() - before;
    assert!(one <= 4 * log2(N) + 4, "one duplicate check: {one} visits");
}
