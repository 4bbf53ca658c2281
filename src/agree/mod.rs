//! Inter-annotator agreement: span-level precision, recall and F1 (exact and overlap), and
//! token-level Cohen's kappa (pairs) and Fleiss' kappa (three or more annotators).
//!
//! Documents are matched by the SHA-256 of their text. Tokens are the text's Unicode words
//! (UAX #29, whitespace dropped), the same for every annotator; a token's label is that of
//! the outermost annotation covering its first character, or `O`.

use crate::model::{RelationReview, Session};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use unicode_segmentation::UnicodeSegmentation;

/// Counts for precision, recall and F1 of a candidate against a reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Candidate spans that match a reference span.
    pub tp: usize,
    /// Candidate spans that match none.
    pub fp: usize,
    /// Reference spans that no candidate span matches.
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }

    /// Precision; undefined (NaN) when the candidate has no spans.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall; undefined (NaN) when the reference has no spans.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1 = 2 tp / (2 tp + fp + fn); undefined (NaN) when neither side has spans.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

type Span = (usize, usize, String);

fn spans(s: &Session) -> Vec<Span> {
    s.annotations()
        .iter()
        .map(|a| (a.start, a.end, a.label.clone()))
        .collect()
}

/// A relation as agreement compares it: its two spans (bounds and label) and its label; one
/// whose direction does not matter has its spans in order.
type RelationKey = (Span, Span, String);

fn relations(s: &Session) -> Vec<RelationKey> {
    let span = |id| s.get(id).map(|a| (a.start, a.end, a.label.clone()));
    s.relations()
        .iter()
        .filter_map(|r| {
            let (a, b) = (span(r.from)?, span(r.to)?);
            let directed = s.relation_label(&r.label).is_none_or(|l| l.directed);
            let (a, b) = if !directed && b < a { (b, a) } else { (a, b) };
            Some((a, b, r.label.clone()))
        })
        .collect()
}

/// Exact matching: the same value (a span's start, end and label; a relation's spans, label
/// and direction).
pub fn exact<T: Eq + std::hash::Hash>(reference: &[T], candidate: &[T]) -> Counts {
    let mut left: HashMap<&T, usize> = HashMap::new();
    for r in reference {
        *left.entry(r).or_default() += 1;
    }
    let mut c = Counts::default();
    for s in candidate {
        match left.get_mut(s) {
            Some(n) if *n > 0 => {
                *n -= 1;
                c.tp += 1;
            }
            _ => c.fp += 1,
        }
    }
    c.fn_ = reference.len() - c.tp;
    c
}

/// Overlap matching: same label and at least one shared character, each span matched at most
/// once (candidates in document order take the reference span overlapping them most).
pub fn overlap(reference: &[Span], candidate: &[Span]) -> Counts {
    // Only references that can overlap a candidate are looked at: those starting before its
    // end and at most the longest reference's length before its start (by start, in order).
    let mut by_start: Vec<usize> = (0..reference.len()).collect();
    by_start.sort_by_key(|&i| reference[i].0);
    let starts: Vec<usize> = by_start.iter().map(|&i| reference[i].0).collect();
    let longest = reference.iter().map(|(s, e, _)| e - s).max().unwrap_or(0);
    let mut used = vec![false; reference.len()];
    let mut c = Counts::default();
    for (s, e, l) in candidate {
        let lo = starts.partition_point(|&rs| rs + longest < *s);
        let hi = starts.partition_point(|&rs| rs < *e);
        let mut window: Vec<usize> = by_start[lo..hi].to_vec();
        // The same order as a scan of every reference, so ties go the same way.
        window.sort_unstable();
        let best = window
            .into_iter()
            .map(|i| (i, &reference[i]))
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
}

/// The label of each word token of the text: the outermost annotation covering the token's
/// first character, or `O`.
pub fn token_labels(s: &Session) -> Vec<String> {
    // One sweep: annotations that have started, outermost (first in document order) on top;
    // one that has ended is dropped for good, since positions only grow.
    let anns = s.annotations();
    let mut started = std::collections::BinaryHeap::new();
    let mut next = 0;
    let mut out = Vec::new();
    let mut pos = 0;
    for w in s.text().split_word_bounds() {
        let n = w.chars().count();
        if !w.chars().all(char::is_whitespace) {
            while anns.get(next).is_some_and(|a| a.start <= pos) {
                started.push(std::cmp::Reverse(next));
                next += 1;
            }
            while started
                .peek()
                .is_some_and(|&std::cmp::Reverse(i)| anns[i].end <= pos)
            {
                started.pop();
            }
            out.push(started.peek().map_or_else(
                || "O".to_owned(),
                |&std::cmp::Reverse(i)| anns[i].label.clone(),
            ));
        }
        pos += n;
    }
    out
}

/// Cohen's kappa of two label sequences of the same length. NaN when chance agreement is
/// total (both use one and the same category throughout), as scikit-learn gives.
pub fn cohen_kappa(a: &[String], b: &[String]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return f64::NAN;
    }
    let mut agree = 0usize;
    let mut ca: HashMap<&str, usize> = HashMap::new();
    let mut cb: HashMap<&str, usize> = HashMap::new();
    for (x, y) in a.iter().zip(b) {
        agree += usize::from(x == y);
        *ca.entry(x).or_default() += 1;
        *cb.entry(y).or_default() += 1;
    }
    let nf = n as f64;
    let po = agree as f64 / nf;
    let pe: f64 = ca
        .iter()
        .map(|(k, &x)| x as f64 / nf * cb.get(k).copied().unwrap_or(0) as f64 / nf)
        .sum();
    if pe >= 1.0 {
        return f64::NAN;
    }
    (po - pe) / (1.0 - pe)
}

/// Fleiss' kappa from a table: `table[i][j]` raters putting item `i` in category `j`; every
/// row sums to the same number of raters (at least 2).
pub fn fleiss_kappa(table: &[Vec<usize>]) -> f64 {
    let Some(first) = table.first() else {
        return f64::NAN;
    };
    let raters: usize = first.iter().sum();
    if raters < 2 {
        return f64::NAN;
    }
    let (items, r) = (table.len() as f64, raters as f64);
    let cats = first.len();
    let mut p_j = vec![0.0; cats];
    let mut p_bar = 0.0;
    for row in table {
        let sq: f64 = row.iter().map(|&x| (x * x) as f64).sum();
        p_bar += (sq - r) / (r * (r - 1.0));
        for (j, &x) in row.iter().enumerate() {
            p_j[j] += x as f64;
        }
    }
    p_bar /= items;
    let pe: f64 = p_j.iter().map(|&x| (x / (items * r)).powi(2)).sum();
    if pe >= 1.0 {
        return f64::NAN;
    }
    (p_bar - pe) / (1.0 - pe)
}

/// Fleiss' kappa of several label sequences of the same length.
pub fn fleiss_kappa_of(seqs: &[Vec<String>]) -> f64 {
    let cats: BTreeSet<&String> = seqs.iter().flatten().collect();
    let index: HashMap<&String, usize> = cats.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let n = seqs.iter().map(Vec::len).min().unwrap_or(0);
    let table: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            let mut row = vec![0; cats.len()];
            for s in seqs {
                row[index[&s[i]]] += 1;
            }
            row
        })
        .collect();
    fleiss_kappa(&table)
}

/// One annotator's sessions (from a file or a folder), keyed by the SHA-256 of the text.
pub struct Annotator {
    pub name: String,
    pub docs: BTreeMap<String, (String, Session)>,
}

#[derive(Debug, Serialize)]
pub struct PairReport {
    pub reference: String,
    pub candidate: String,
    pub exact: Counts,
    pub overlap: Counts,
    /// Undefined figures (nothing to divide by) are `null`.
    pub exact_f1: Option<f64>,
    pub overlap_f1: Option<f64>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    /// Per label: exact and overlap counts.
    pub labels: BTreeMap<String, (Counts, Counts)>,
    pub cohen_kappa: Option<f64>,
    /// Per label, tokens as that label or not.
    pub label_kappa: BTreeMap<String, Option<f64>>,
    /// Relations: a match has both spans exactly, the label and the direction.
    pub relations: Counts,
    pub relation_f1: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub annotators: Vec<String>,
    pub documents_compared: usize,
    /// Documents that not every annotator has: (annotator, document name).
    pub unmatched: Vec<(String, String)>,
    pub tokens: usize,
    pub pairs: Vec<PairReport>,
    pub fleiss_kappa: Option<f64>,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Agreement of every annotator with the first (span figures) and of every pair (kappa).
pub fn agree(annotators: &[Annotator]) -> Report {
    let common: Vec<&String> = annotators
        .first()
        .map(|a| {
            a.docs
                .keys()
                .filter(|k| annotators.iter().all(|o| o.docs.contains_key(*k)))
                .collect()
        })
        .unwrap_or_default();
    let mut unmatched = Vec::new();
    for a in annotators {
        for (k, (name, _)) in &a.docs {
            if !common.contains(&k) {
                unmatched.push((a.name.clone(), name.clone()));
            }
        }
    }
    // Token labels per annotator, all documents in the same order.
    let tokens: Vec<Vec<String>> = annotators
        .iter()
        .map(|a| {
            common
                .iter()
                .flat_map(|k| token_labels(&a.docs[*k].1))
                .collect()
        })
        .collect();
    let mut pairs = Vec::new();
    for i in 0..annotators.len() {
        for j in i + 1..annotators.len() {
            let (a, b) = (&annotators[i], &annotators[j]);
            let mut ex = Counts::default();
            let mut ov = Counts::default();
            let mut labels: BTreeMap<String, (Counts, Counts)> = BTreeMap::new();
            let mut rel = Counts::default();
            for k in &common {
                rel.add(exact(&relations(&a.docs[*k].1), &relations(&b.docs[*k].1)));
                let (ra, rb) = (spans(&a.docs[*k].1), spans(&b.docs[*k].1));
                ex.add(exact(&ra, &rb));
                ov.add(overlap(&ra, &rb));
                let names: BTreeSet<&String> = ra.iter().chain(&rb).map(|s| &s.2).collect();
                for l in names {
                    let fa: Vec<Span> = ra.iter().filter(|s| &s.2 == l).cloned().collect();
                    let fb: Vec<Span> = rb.iter().filter(|s| &s.2 == l).cloned().collect();
                    let e = labels.entry(l.clone()).or_default();
                    e.0.add(exact(&fa, &fb));
                    e.1.add(overlap(&fa, &fb));
                }
            }
            let label_kappa = labels
                .keys()
                .map(|l| {
                    let bin = |t: &[String]| -> Vec<String> {
                        t.iter()
                            .map(|x| if x == l { l.clone() } else { "O".into() })
                            .collect()
                    };
                    (
                        l.clone(),
                        finite(cohen_kappa(&bin(&tokens[i]), &bin(&tokens[j]))),
                    )
                })
                .collect();
            pairs.push(PairReport {
                reference: a.name.clone(),
                candidate: b.name.clone(),
                exact: ex,
                overlap: ov,
                exact_f1: finite(ex.f1()),
                overlap_f1: finite(ov.f1()),
                precision: finite(ex.precision()),
                recall: finite(ex.recall()),
                labels,
                cohen_kappa: finite(cohen_kappa(&tokens[i], &tokens[j])),
                label_kappa,
                relations: rel,
                relation_f1: finite(rel.f1()),
            });
        }
    }
    let fleiss_kappa = (annotators.len() >= 3)
        .then(|| finite(fleiss_kappa_of(&tokens)))
        .flatten();
    Report {
        annotators: annotators.iter().map(|a| a.name.clone()).collect(),
        documents_compared: common.len(),
        unmatched,
        tokens: tokens.first().map_or(0, Vec::len),
        pairs,
        fleiss_kappa,
    }
}

/// What `merge` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub agreed: usize,
    pub review: usize,
    /// Relations every annotator made between agreed spans (or, with three or more, more
    /// than half of them), and those left for the curator.
    pub relations_agreed: usize,
    pub relations_review: usize,
}

/// Why sessions cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("nothing to merge")]
    Nothing,
    #[error("{name} is about another text than {first}; merge sessions of the same document")]
    OtherText { name: String, first: String },
    #[error("could not merge: {0}")]
    Edit(crate::model::EditError),
}

/// Merges annotators' sessions of one text: a span every annotator made (or, with three or
/// more, more than half of them) becomes an annotation; every other span goes to the review
/// list for the curator, with who made it. Labels are the union, in order of appearance.
pub fn merge(
    named: &[(String, Session)],
    annotator: &str,
) -> Result<(Session, MergeSummary), MergeError> {
    let Some((first_name, first)) = named.first() else {
        return Err(MergeError::Nothing);
    };
    if let Some((name, _)) = named.iter().find(|(_, s)| s.text() != first.text()) {
        return Err(MergeError::OtherText {
            name: name.clone(),
            first: first_name.clone(),
        });
    }
    let mut labels = first.labels().clone();
    for (_, s) in &named[1..] {
        for l in s.labels().iter() {
            if !labels.contains(&l.name) {
                labels.add_met(&l.name, Some(l.color));
            }
        }
    }
    let mut out = Session::new(
        first.document().clone(),
        labels,
        first.source.clone(),
        annotator.to_owned(),
    );
    // Each distinct span with who made it, in document order.
    let mut votes: BTreeMap<(usize, usize, String), Vec<String>> = BTreeMap::new();
    for (name, s) in named {
        let mine: BTreeSet<(usize, usize, String)> = s
            .annotations()
            .iter()
            .map(|a| (a.start, a.end, a.label.clone()))
            .collect();
        for k in mine {
            votes.entry(k).or_default().push(name.clone());
        }
    }
    let n = named.len();
    let mut summary = MergeSummary::default();
    let mut edits = Vec::new();
    for ((start, end, label), by) in votes {
        let agreed = by.len() == n || (n >= 3 && by.len() * 2 > n);
        if agreed {
            let mut a = out.new_annotation(start, end, &label);
            a.note = (by.len() < n).then(|| format!("majority: {}", by.join(", ")));
            edits.push(crate::model::Edit::Add(a));
            summary.agreed += 1;
        } else {
            out.review.push(crate::model::ReviewItem {
                start,
                end,
                label,
                by,
            });
            summary.review += 1;
        }
    }
    out.apply(crate::model::Edit::Batch(edits))
        .map_err(MergeError::Edit)?;
    merge_relations(named, &mut out, &mut summary).map_err(MergeError::Edit)?;
    out.compared = named.iter().map(|(name, _)| name.clone()).collect();
    Ok((out, summary))
}

/// A span as the annotators' sessions share it: bounds and label.
type SpanKey = (usize, usize, String);

/// The relations of the annotators' sessions into the merged `out` (whose spans are already
/// decided): one every annotator made (or a majority of three or more) between two agreed
/// spans becomes a relation; every other waits in `relation_review` with who made it.
/// Relation labels are the union, in order of appearance.
fn merge_relations(
    named: &[(String, Session)],
    out: &mut Session,
    summary: &mut MergeSummary,
) -> Result<(), crate::model::EditError> {
    let mut labels = out.relation_labels().to_vec();
    for (_, s) in named {
        for l in s.relation_labels() {
            if !labels.iter().any(|x| x.name == l.name) {
                labels.push(l.clone());
            }
        }
    }
    crate::model::drop_repeated_keys(&mut labels, |l| &mut l.hotkey);
    out.apply(crate::model::Edit::SetRelationLabels(labels))?;
    let directed = |label: &str| out.relation_label(label).is_none_or(|l| l.directed);
    let mut votes: BTreeMap<(SpanKey, SpanKey, String), Vec<String>> = BTreeMap::new();
    for (name, s) in named {
        let key = |id| {
            s.get(id)
                .map(|a: &crate::model::Annotation| (a.start, a.end, a.label.clone()))
        };
        let mut mine = BTreeSet::new();
        for r in s.relations() {
            let (Some(mut f), Some(mut t)) = (key(r.from), key(r.to)) else {
                continue; // an end waiting for re-anchoring review
            };
            if !directed(&r.label) && t < f {
                std::mem::swap(&mut f, &mut t);
            }
            mine.insert((f, t, r.label.clone()));
        }
        for k in mine {
            votes.entry(k).or_default().push(name.clone());
        }
    }
    let at: BTreeMap<SpanKey, crate::model::AnnotationId> = out
        .annotations()
        .iter()
        .map(|a| ((a.start, a.end, a.label.clone()), a.id))
        .collect();
    let n = named.len();
    let mut edits = Vec::new();
    for ((from, to, label), by) in votes {
        let agreed = by.len() == n || (n >= 3 && by.len() * 2 > n);
        match (agreed, at.get(&from), at.get(&to)) {
            (true, Some(&a), Some(&b)) => {
                edits.push(crate::model::Edit::AddRelation(
                    out.new_relation(a, b, &label),
                ));
                summary.relations_agreed += 1;
            }
            _ => {
                let item = RelationReview {
                    from,
                    to,
                    label,
                    by,
                };
                out.relation_review.push(item);
                summary.relations_review += 1;
            }
        }
    }
    out.apply(crate::model::Edit::Batch(edits))?;
    Ok(())
}

/// Names for annotators' sessions: their annotator names when those tell them apart, else
/// the names given (their files).
/// A, B, C… for annotator 0, 1, 2….
pub fn annotator_letter(k: usize) -> char {
    char::from(b'A' + (k % 26) as u8)
}

pub fn annotator_names(named: &mut [(String, Session)]) {
    let names: BTreeSet<&str> = named.iter().map(|(_, s)| s.annotator.as_str()).collect();
    if names.len() == named.len() {
        for (name, s) in named.iter_mut() {
            name.clone_from(&s.annotator);
        }
    }
}

/// What kind of disagreement a [`Difference`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffKind {
    /// A span only these annotators made (and no one else has another version of).
    Only(Vec<String>),
    /// The same span with different labels.
    Labels,
    /// Overlapping spans that begin or end elsewhere (and may differ in label too).
    Bounds,
}

/// One disagreement for the curator: review items that are versions of the same thing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The characters all its versions cover.
    pub start: usize,
    pub end: usize,
    /// Indices into the session's review list, in document order.
    pub items: Vec<usize>,
    pub kind: DiffKind,
}

/// Groups a merged session's review items (those `open` lets through: the undecided) into
/// differences: items that overlap and were made by different annotators are versions of one
/// difference. Also a review item with the same span as an agreed annotation of another label
/// is a label difference.
pub fn differences(
    s: &Session,
    open: impl Fn(&crate::model::ReviewItem) -> bool,
) -> Vec<Difference> {
    let review = &s.review;
    let mut order: Vec<usize> = (0..review.len()).filter(|&i| open(&review[i])).collect();
    order.sort_by_key(|&i| (review[i].start, review[i].end));
    // Union-find over the sorted items; only neighbours that can still overlap are compared.
    let mut parent: Vec<usize> = (0..review.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if review[j].start >= review[i].end {
                break;
            }
            let disjoint_by = !review[i].by.iter().any(|b| review[j].by.contains(b));
            if disjoint_by {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &order {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Difference> = groups
        .into_values()
        .map(|items| {
            let first = &review[items[0]];
            let same_span = items
                .iter()
                .all(|&i| review[i].start == first.start && review[i].end == first.end);
            let kind = if items.len() > 1 {
                if same_span {
                    DiffKind::Labels
                } else {
                    DiffKind::Bounds
                }
            } else if s
                .annotations()
                .iter()
                .any(|a| a.start == first.start && a.end == first.end && a.label != first.label)
            {
                DiffKind::Labels
            } else {
                DiffKind::Only(first.by.clone())
            };
            Difference {
                start: items.iter().map(|&i| review[i].start).min().unwrap_or(0),
                end: items.iter().map(|&i| review[i].end).max().unwrap_or(0),
                items,
                kind,
            }
        })
        .collect();
    out.sort_by_key(|d| (d.start, d.end));
    out
}

impl Difference {
    /// Taking `who`'s version: the items `who` made are accepted, the others rejected.
    pub fn version_of(&self, s: &Session, who: &str) -> (Vec<usize>, Vec<usize>) {
        self.items
            .iter()
            .partition(|&&i| s.review[i].by.iter().any(|b| b == who))
    }
}

#[cfg(test)]
mod tests;
