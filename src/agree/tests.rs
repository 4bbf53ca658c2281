//! The agreement measures checked against plain scans and known answers.

use super::*;

/// The sweeps give what a scan per token / per candidate gives, on nested, overlapping
/// and long spans.
#[test]
fn sweeps_agree_with_the_plain_scans() {
    use crate::model::{Document, Edit, LabelSet, Source};
    let text =
        "De EU en Japan spraken in Tokyo over de Europese Unie en 日本 en nog meer woorden hier. "
            .repeat(20);
    let mut s = Session::new(
        Document::new(text),
        LabelSet::default(),
        Source::default(),
        "t".into(),
    );
    let len = s.document().char_len();
    let mut seed = 7u64;
    let mut rnd = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    for k in 0..400 {
        let start = rnd(len - 1);
        let end = (start + 1 + rnd(if k % 50 == 0 { 300 } else { 12 })).min(len);
        let label = ["actor", "topic", "date"][rnd(3)];
        let a = s.new_annotation(start, end, label);
        let _ = s.apply(Edit::Add(a));
    }
    let mut plain = Vec::new();
    let mut pos = 0;
    for w in s.text().split_word_bounds() {
        if !w.chars().all(char::is_whitespace) {
            plain.push(
                s.at(pos)
                    .next()
                    .map_or_else(|| "O".to_owned(), |a| a.label.clone()),
            );
        }
        pos += w.chars().count();
    }
    assert_eq!(token_labels(&s), plain);

    let reference = spans(&s);
    let candidate: Vec<Span> = reference
        .iter()
        .step_by(3)
        .map(|(a, b, l)| (a + 1, b + 2, l.clone()))
        .collect();
    let scan = |reference: &[Span], candidate: &[Span]| {
        let mut used = vec![false; reference.len()];
        let mut c = Counts::default();
        for (s, e, l) in candidate {
            let best = reference
                .iter()
                .enumerate()
                .filter(|(i, (rs, re, rl))| !used[*i] && rl == l && rs < e && s < re)
                .max_by_key(|(_, (rs, re, _))| (re.min(e) - rs.max(s), std::cmp::Reverse(*rs)));
            match best {
                Some((i, _)) => {
                    used[i] = true;
                    c.tp += 1;
                }
                None => c.fp += 1,
            }
        }
        c.fn_ = reference.len() - c.tp;
        c
    };
    let (a, b) = (
        overlap(&reference, &candidate),
        scan(&reference, &candidate),
    );
    assert_eq!((a.tp, a.fp, a.fn_), (b.tp, b.fp, b.fn_));
    let (a, b) = (
        overlap(&candidate, &reference),
        scan(&candidate, &reference),
    );
    assert_eq!((a.tp, a.fp, a.fn_), (b.tp, b.fp, b.fn_));
}

fn sp(v: &[(usize, usize, &str)]) -> Vec<Span> {
    v.iter()
        .map(|(s, e, l)| (*s, *e, (*l).to_owned()))
        .collect()
}

#[test]
fn identical_disjoint_shifted_relabelled() {
    let a = sp(&[(0, 2, "actor"), (5, 9, "topic")]);
    assert_eq!(exact(&a, &a).f1(), 1.0);
    let disjoint = sp(&[(20, 22, "actor")]);
    let c = exact(&a, &disjoint);
    assert_eq!((c.tp, c.fp, c.fn_), (0, 1, 2));
    assert_eq!(c.f1(), 0.0);
    // Shifted boundaries: no exact match, an overlap match.
    let shifted = sp(&[(0, 3, "actor"), (6, 9, "topic")]);
    assert_eq!(exact(&a, &shifted).tp, 0);
    assert_eq!(overlap(&a, &shifted).tp, 2);
    // Relabelled: neither.
    let relabelled = sp(&[(0, 2, "topic"), (5, 9, "topic")]);
    let c = exact(&a, &relabelled);
    assert_eq!((c.tp, c.fp, c.fn_), (1, 1, 1));
    assert!((c.precision() - 0.5).abs() < 1e-12 && (c.f1() - 0.5).abs() < 1e-12);
    // One long candidate overlapping two reference spans matches only one of them.
    let long = sp(&[(0, 9, "actor")]);
    let c = overlap(&sp(&[(0, 2, "actor"), (5, 9, "actor")]), &long);
    assert_eq!((c.tp, c.fp, c.fn_), (1, 0, 1));
}

/// A session of "abcdefghij klmnop" whose review list holds `items` (start, end, label,
/// by), between annotators a and b.
fn review_of(items: &[(usize, usize, &str, &str)]) -> Session {
    let mut s = Session::new(
        crate::model::Document::new("abcdefghij klmnop"),
        crate::model::LabelSet::default(),
        Default::default(),
        "curator".into(),
    );
    s.compared = vec!["a".into(), "b".into()];
    s.review = items
        .iter()
        .map(|(start, end, label, by)| crate::model::ReviewItem {
            start: *start,
            end: *end,
            label: (*label).into(),
            by: vec![(*by).into()],
        })
        .collect();
    s
}

#[test]
fn nested_spans() {
    // A tags "kunstmatige intelligentie" (0..25) as topic and the nested "intelligentie"
    // (12..25) as topic too; B only the outer one.
    let a = sp(&[(0, 25, "topic"), (12, 25, "topic")]);
    let b = sp(&[(0, 25, "topic")]);
    let c = exact(&a, &b);
    assert_eq!((c.tp, c.fp, c.fn_), (1, 0, 1));
    assert_eq!((c.precision(), c.recall()), (1.0, 0.5));
    // Overlap is one-to-one: B's span matches one of A's two, not both.
    let c = overlap(&a, &b);
    assert_eq!((c.tp, c.fp, c.fn_), (1, 0, 1));
    // Tokens take the outermost span: the two annotators agree on every token.
    let doc = crate::model::Document::new("kunstmatige intelligentie is hier");
    let mk = |spans: &[(usize, usize)]| token_labels(&mk_session(&doc, spans));
    let (ta, tb) = (mk(&[(0, 25), (12, 25)]), mk(&[(0, 25)]));
    assert_eq!(ta, ["topic", "topic", "O", "O"]);
    assert_eq!(ta, tb);
    // And a merge of the two keeps the outer span and leaves the nested one for review.
    let named = vec![
        ("a".to_owned(), mk_session(&doc, &[(0, 25), (12, 25)])),
        ("b".to_owned(), mk_session(&doc, &[(0, 25)])),
    ];
    let (m, summary) = merge(&named, "curator").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((summary.agreed, summary.review), (1, 1));
    assert_eq!(m.review[0].by, ["a"]);
    let d = differences(&m, |_| true);
    assert_eq!(d[0].kind, DiffKind::Only(vec!["a".into()]));
}

fn mk_session(doc: &crate::model::Document, spans: &[(usize, usize)]) -> Session {
    let mut s = Session::new(
        doc.clone(),
        crate::model::LabelSet::default(),
        Default::default(),
        "x".into(),
    );
    for &(start, end) in spans {
        let ann = s.new_annotation(start, end, "topic");
        s.apply(crate::model::Edit::Add(ann))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    s
}

#[test]
fn differences_by_kind() {
    // Disjoint spans, one each: two "only" differences.
    let s = review_of(&[(0, 2, "actor", "a"), (11, 13, "actor", "b")]);
    let d = differences(&s, |_| true);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].kind, DiffKind::Only(vec!["a".into()]));
    assert_eq!(d[1].kind, DiffKind::Only(vec!["b".into()]));
    // Relabelled: one label difference of two versions.
    let s = review_of(&[(0, 4, "actor", "a"), (0, 4, "topic", "b")]);
    let d = differences(&s, |_| true);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].kind.clone(), d[0].items.len()), (DiffKind::Labels, 2));
    // Shifted boundaries: one bounds difference covering both.
    let s = review_of(&[(0, 4, "actor", "a"), (2, 6, "actor", "b")]);
    let d = differences(&s, |_| true);
    assert_eq!((d.len(), d[0].kind.clone()), (1, DiffKind::Bounds));
    assert_eq!((d[0].start, d[0].end), (0, 6));
    // Taking a's version accepts a's span and rejects b's; b's the other way round.
    assert_eq!(d[0].version_of(&s, "a"), (vec![0], vec![1]));
    assert_eq!(d[0].version_of(&s, "b"), (vec![1], vec![0]));
    // Nested spans of one annotator are not versions of each other.
    let s = review_of(&[(0, 10, "topic", "a"), (2, 4, "actor", "a")]);
    assert_eq!(differences(&s, |_| true).len(), 2);
    // Decided items are left out.
    let s = review_of(&[(0, 4, "actor", "a"), (0, 4, "topic", "b")]);
    let d = differences(&s, |r| r.label != "topic");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].kind, DiffKind::Only(vec!["a".into()]));
    // An agreed annotation with another label makes a lone item a label difference.
    let mut s = review_of(&[(0, 4, "topic", "b")]);
    let a = s.new_annotation(0, 4, "actor");
    s.apply(crate::model::Edit::Add(a))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(differences(&s, |_| true)[0].kind, DiffKind::Labels);
}

#[test]
fn cohen_kappa_textbook() {
    // Cohen's kappa, the classic 2x2 example (Wikipedia): 20 yes/yes, 5 yes/no,
    // 10 no/yes, 15 no/no gives po = 0.7, pe = 0.5, kappa = 0.4.
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (x, y, n) in [
        ("y", "y", 20),
        ("y", "n", 5),
        ("n", "y", 10),
        ("n", "n", 15),
    ] {
        for _ in 0..n {
            a.push(x.to_owned());
            b.push(y.to_owned());
        }
    }
    assert!((cohen_kappa(&a, &b) - 0.4).abs() < 1e-12);
    assert!(cohen_kappa(&a[..1], &b[..1]).is_nan());
}

#[test]
fn fleiss_kappa_textbook() {
    // Fleiss (1971) as worked in Wikipedia: 10 subjects, 14 raters, 5 categories.
    let table = vec![
        vec![0, 0, 0, 0, 14],
        vec![0, 2, 6, 4, 2],
        vec![0, 0, 3, 5, 6],
        vec![0, 3, 9, 2, 0],
        vec![2, 2, 8, 1, 1],
        vec![7, 7, 0, 0, 0],
        vec![3, 2, 6, 3, 0],
        vec![2, 5, 3, 2, 2],
        vec![6, 5, 2, 1, 0],
        vec![0, 2, 2, 3, 7],
    ];
    assert!(
        (fleiss_kappa(&table) - 0.20993).abs() < 1e-4,
        "{}",
        fleiss_kappa(&table)
    );
}
