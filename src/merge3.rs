//! Three-way merge of two versions of a session against their common ancestor, annotation by
//! annotation (git's merge driver, `spanmark git merge-driver`).
//!
//! Annotations and relations are matched by id. A change on one side (added, removed,
//! relabelled, moved, re-noted) is taken; the same change on both sides once; an annotation
//! both sides added with the same id but different content keeps both (the second gets a
//! fresh id; ids the ancestor had never change); the same span and label added on both sides
//! is one. Changed differently on both sides (or changed on one, removed on the other) is a
//! conflict that stays a valid session: both versions wait in the review list as differences
//! to decide, as in the compare view. Labels, rejections and relation labels are united, the
//! done flag is set if either side set it, and time worked adds up. When one side re-anchored
//! the session onto a corrected article, the ancestor and the other side are re-anchored onto
//! it first (what cannot be placed waits as an orphan to review); both sides on texts of
//! their own is an error, and the driver keeps ours.

use crate::model::{
    Annotation, AnnotationId, Relation, RelationId, RelationLabel, ReviewItem, Session,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a merge found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Annotations changed differently on both sides: each now two review items.
    pub conflicts: usize,
    /// Annotations added on both sides with the same id: the second renumbered.
    pub renumbered: usize,
    /// One side had re-anchored the session onto a corrected article: the other's changes
    /// were carried onto it.
    pub reanchored: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    #[error(
        "both sides re-anchored the session onto a different corrected article; the file keeps our version: open the article both agree on in Spanmark, and tag again what the other side changed"
    )]
    DifferentTexts,
}

/// What matters of an annotation for merging: where, which label, its note.
fn content(a: &Annotation) -> (usize, usize, &str, Option<&str>) {
    (a.start, a.end, &a.label, a.note.as_deref())
}

fn by_id(s: &Session) -> HashMap<AnnotationId, &Annotation> {
    s.annotations().iter().map(|a| (a.id, a)).collect()
}

/// One side's version of an annotation as a review item.
fn item(a: &Annotation, who: &str) -> ReviewItem {
    ReviewItem {
        start: a.start,
        end: a.end,
        label: a.label.clone(),
        by: vec![who.to_owned()],
    }
}

/// The diff conversion: one line per annotation in text order (`actor  1021..1026
/// "Japan"  note: …`), then the relations and what waits to be decided.
pub fn diff_lines(s: &Session) -> Vec<String> {
    let mut out = vec![format!(
        "{} annotations, {} relations{}",
        s.annotations().len(),
        s.relations().len(),
        if s.done { ", done" } else { "" }
    )];
    for a in s.annotations() {
        let mut l = format!("{}  {}..{}  {:?}", a.label, a.start, a.end, s.covered(a));
        if let Some(n) = &a.note {
            l.push_str(&format!("  note: {}", n.replace('\n', " ")));
        }
        out.push(l);
    }
    let text = |id| s.get(id).map_or("?", |a| s.covered(a));
    for r in s.relations() {
        out.push(format!("{:?} {} {:?}", text(r.from), r.label, text(r.to)));
    }
    for r in &s.review {
        out.push(format!(
            "to decide: {}  {}..{}  by {}",
            r.label,
            r.start,
            r.end,
            r.by.join(", ")
        ));
    }
    out
}

/// What the merge has taken so far.
struct Taken {
    kept: Vec<Annotation>,
    review: Vec<ReviewItem>,
    /// Their ids as they end up in the merge (renumbered, or one of ours for a twin).
    their_id: HashMap<AnnotationId, AnnotationId>,
    out: Outcome,
    /// The next free annotation id.
    next: u64,
}

type ById<'a> = HashMap<AnnotationId, &'a Annotation>;

/// Merges `ours` and `theirs` against `base`; `names` say who each side is (for the review
/// list). The result always validates.
pub fn merge(
    base: &Session,
    ours: &Session,
    theirs: &Session,
    names: (&str, &str),
) -> Result<(Session, Outcome), MergeError> {
    if ours.text() != theirs.text() {
        return merge_reanchored(base, ours, theirs, names);
    }
    let o = if base.text() == ours.text() {
        by_id(base)
    } else {
        HashMap::new()
    };
    let next = ours
        .annotations()
        .iter()
        .chain(theirs.annotations())
        .chain(base.annotations())
        .map(|x| x.id.0 + 1)
        .chain(
            ours.anchors
                .iter()
                .chain(&theirs.anchors)
                .map(|r| r.id.0 + 1),
        )
        .max()
        .unwrap_or(1);
    let mut t = Taken {
        kept: Vec::new(),
        review: Vec::new(),
        their_id: HashMap::new(),
        out: Outcome::default(),
        next,
    };
    t.ours_side(ours, &o, &by_id(theirs), names);
    t.theirs_side(theirs, ours, &o, names);
    let mut merged = ours.with_text(ours.document().clone(), ours.source.clone());
    fill(&mut merged, base, ours, theirs, t.review, names);
    let merged = build(merged, t.kept, base, ours, theirs, &t.their_id);
    Ok((merged, t.out))
}

impl Taken {
    /// Each of our annotations against the ancestor and their version.
    fn ours_side(&mut self, ours: &Session, o: &ById<'_>, b: &ById<'_>, names: (&str, &str)) {
        for mine in ours.annotations() {
            match (o.get(&mine.id), b.get(&mine.id)) {
                (Some(old), Some(other)) => {
                    self.their_id.insert(mine.id, mine.id);
                    if content(mine) == content(other) || content(other) == content(old) {
                        self.kept.push(mine.clone());
                    } else if content(mine) == content(old) {
                        self.kept.push((*other).clone());
                    } else {
                        self.out.conflicts += 1;
                        self.review.push(item(mine, names.0));
                        self.review.push(item(other, names.1));
                    }
                }
                // They removed it: gone unless we changed it (then a conflict: ours waits).
                (Some(old), None) => {
                    if content(mine) != content(old) {
                        self.out.conflicts += 1;
                        self.review.push(item(mine, names.0));
                    }
                }
                (None, Some(other)) if content(mine) == content(other) => {
                    self.their_id.insert(mine.id, mine.id);
                    self.kept.push(mine.clone());
                }
                // Both added an annotation with this id: theirs gets a fresh one later.
                (None, _) => self.kept.push(mine.clone()),
            }
        }
    }

    /// What only they have: added by them, or removed by us.
    fn theirs_side(&mut self, theirs: &Session, ours: &Session, o: &ById<'_>, names: (&str, &str)) {
        let a = by_id(ours);
        let ours_keys: HashMap<(usize, usize, &str), AnnotationId> = ours
            .annotations()
            .iter()
            .map(|x| ((x.start, x.end, x.label.as_str()), x.id))
            .collect();
        for y in theirs.annotations() {
            if self.their_id.contains_key(&y.id) {
                continue;
            }
            match (o.get(&y.id), a.get(&y.id)) {
                // We removed it: gone unless they changed it.
                (Some(old), None) => {
                    if content(y) != content(old) {
                        self.out.conflicts += 1;
                        self.review.push(item(y, names.1));
                    }
                }
                (Some(_), Some(_)) => {}
                (None, mine) => {
                    // Added by them; the same span and label added by us too is one.
                    if let Some(&twin) = ours_keys.get(&(y.start, y.end, y.label.as_str()))
                        && !o.contains_key(&twin)
                    {
                        self.their_id.insert(y.id, twin);
                        continue;
                    }
                    let mut y = y.clone();
                    if mine.is_some() {
                        self.out.renumbered += 1;
                        self.their_id.insert(y.id, AnnotationId(self.next));
                        y.id = AnnotationId(self.next);
                        self.next += 1;
                    } else {
                        self.their_id.insert(y.id, y.id);
                    }
                    self.kept.push(y);
                }
            }
        }
    }
}

/// One side re-anchored the session onto a corrected article (its text is not the
/// ancestor's): the ancestor and the other side are carried onto that text the way opening
/// the corrected article would (what cannot be placed waits for review as an orphan), then
/// merged as usual. Both sides on texts of their own is `DifferentTexts`.
fn merge_reanchored(
    base: &Session,
    ours: &Session,
    theirs: &Session,
    names: (&str, &str),
) -> Result<(Session, Outcome), MergeError> {
    let onto = |s: &Session, to: &Session| {
        let text = to.text().to_owned();
        crate::model::reanchor::reanchor(s, text, to.source.clone()).session
    };
    let (o, a, b) = if base.text() == ours.text() {
        (onto(base, theirs), onto(ours, theirs), theirs.clone())
    } else if base.text() == theirs.text() {
        (onto(base, ours), ours.clone(), onto(theirs, ours))
    } else {
        return Err(MergeError::DifferentTexts);
    };
    let (m, mut out) = merge(&o, &a, &b, names)?;
    out.reanchored = true;
    Ok((m, out))
}

/// Everything but annotations and relations: labels, rejections, status, time, review.
fn fill(
    m: &mut Session,
    base: &Session,
    ours: &Session,
    theirs: &Session,
    review: Vec<ReviewItem>,
    names: (&str, &str),
) {
    let mut labels = ours.labels().clone();
    for l in theirs.labels().iter() {
        labels.add_met(&l.name, Some(l.color));
    }
    let _ = m.apply(crate::model::Edit::SetLabels(labels));
    for r in ours.rejected.iter().chain(&theirs.rejected) {
        if !m.rejected.contains(r) {
            m.rejected.push(r.clone());
        }
    }
    m.done = if ours.done == theirs.done {
        ours.done
    } else {
        ours.done != base.done || theirs.done != base.done
    };
    let grew = |s: &Session| s.active_secs.saturating_sub(base.active_secs);
    m.active_secs = base.active_secs + grew(ours) + grew(theirs);
    m.review = ours.review.clone();
    for r in &theirs.review {
        if !m.review.contains(r) {
            m.review.push(r.clone());
        }
    }
    if !review.is_empty() {
        m.compared = vec![names.0.to_owned(), names.1.to_owned()];
        m.review.extend(review);
    }
    m.relation_review = ours.relation_review.clone();
    for r in &theirs.relation_review {
        if !m.relation_review.contains(r) {
            m.relation_review.push(r.clone());
        }
    }
    m.anchors = ours.anchors.clone();
    for r in &theirs.anchors {
        if !m.anchors.iter().any(|x| x.id == r.id) {
            m.anchors.push(r.clone());
        }
    }
}

/// The merged session from its annotations (checked as a file is) and the relations of both
/// sides whose two spans are in it; whatever does not fit is left out, never invalid.
fn build(
    m: Session,
    kept: Vec<Annotation>,
    base: &Session,
    ours: &Session,
    theirs: &Session,
    their_id: &HashMap<AnnotationId, AnnotationId>,
) -> Session {
    let fallback = m.clone();
    // Anything the rules refuse (a duplicate span made by two changes) is dropped.
    let mut kept = kept;
    let s = loop {
        match Session::from_parts(m.clone(), kept.clone()) {
            Ok(s) => break s,
            Err(problems) => {
                let bad: HashSet<AnnotationId> = problems.iter().map(|(id, _)| *id).collect();
                let before = kept.len();
                kept.retain(|x| !bad.contains(&x.id));
                if kept.len() == before {
                    break fallback;
                }
            }
        }
    };
    // A span waiting for review that the merge kept placed (one side placed it, the other
    // orphaned it) is placed: its review record goes; a changed one's needs its annotation.
    let mut s = s;
    let ids: HashSet<AnnotationId> = s.annotations().iter().map(|a| a.id).collect();
    s.anchors.retain(|r| match r.kind {
        crate::model::AnchorKind::Changed => ids.contains(&r.id),
        crate::model::AnchorKind::Orphaned => r.orphan.is_some() && !ids.contains(&r.id),
    });
    let (labels, relations) = merge_relations(base, ours, theirs, their_id, &s);
    let plain = s.clone();
    s.with_relations(labels, relations).unwrap_or(plain)
}

/// Relations by id like annotations, their spans mapped to the merge's ids; one whose span
/// is not in the merge goes with it.
fn merge_relations(
    base: &Session,
    ours: &Session,
    theirs: &Session,
    their_id: &HashMap<AnnotationId, AnnotationId>,
    merged: &Session,
) -> (Vec<RelationLabel>, Vec<Relation>) {
    let mut labels: Vec<RelationLabel> = ours.relation_labels().to_vec();
    for l in theirs.relation_labels() {
        if !labels.iter().any(|x| x.name == l.name) {
            labels.push(l.clone());
        }
    }
    let key = |r: &Relation| (r.from, r.to, r.label.clone(), r.note.clone());
    let o: HashMap<RelationId, &Relation> = base.relations().iter().map(|r| (r.id, r)).collect();
    let a: HashMap<RelationId, &Relation> = ours.relations().iter().map(|r| (r.id, r)).collect();
    let mut out: BTreeMap<RelationId, Relation> = BTreeMap::new();
    let mut next = ours
        .relations()
        .iter()
        .chain(theirs.relations())
        .chain(base.relations())
        .map(|r| r.id.0 + 1)
        .max()
        .unwrap_or(1);
    for r in ours.relations() {
        out.insert(r.id, r.clone());
    }
    for r in theirs.relations() {
        let mut r = r.clone();
        r.from = their_id.get(&r.from).copied().unwrap_or(r.from);
        r.to = their_id.get(&r.to).copied().unwrap_or(r.to);
        match (o.get(&r.id), a.get(&r.id)) {
            // Changed by them only: theirs.
            (Some(old), Some(mine)) if key(mine) == key(old) => {
                out.insert(r.id, r);
            }
            (Some(_), Some(_)) => {}
            // We removed it.
            (Some(_), None) => {}
            (None, Some(mine)) if key(mine) == key(&r) => {}
            (None, Some(_)) => {
                r.id = RelationId(next);
                next += 1;
                out.insert(r.id, r);
            }
            (None, None) => {
                out.insert(r.id, r);
            }
        }
    }
    // Removed by them and unchanged by us: gone.
    let t: HashSet<RelationId> = theirs.relations().iter().map(|r| r.id).collect();
    out.retain(|id, r| {
        let removed_by_them = o
            .get(id)
            .is_some_and(|old| !t.contains(id) && key(old) == key(r));
        !removed_by_them
    });
    // Only relations whose spans are both here, each pair and label once.
    let mut seen = HashSet::new();
    let relations = out
        .into_values()
        .filter(|r| {
            merged.get(r.from).is_some()
                && merged.get(r.to).is_some()
                && r.from != r.to
                && labels.iter().any(|l| l.name == r.label)
                && seen.insert((r.from, r.to, r.label.clone()))
        })
        .collect();
    (labels, relations)
}

/// Three-way merge of the project file: span labels and relation labels by name (added on
/// either side: kept; removed on one side and unchanged on the other: removed; changed on
/// one side: that change; changed on both: ours), a key two labels would share left to the
/// first; annotator and guidelines likewise. `base` is `None` when both sides added the file.
pub fn merge_project(
    base: Option<&crate::io::project::ProjectFile>,
    ours: &crate::io::project::ProjectFile,
    theirs: &crate::io::project::ProjectFile,
) -> crate::io::project::ProjectFile {
    let mut m = ours.clone();
    let scalar = |b: Option<&String>, o: &String, t: &String| match b {
        Some(b) if b == o => t.clone(),
        _ => o.clone(),
    };
    m.annotator = scalar(
        base.map(|b| &b.annotator),
        &ours.annotator,
        &theirs.annotator,
    );
    m.guidelines = scalar(
        base.map(|b| &b.guidelines),
        &ours.guidelines,
        &theirs.guidelines,
    );
    let base_labels = base.map_or(Vec::new(), |b| b.labels.to_vec());
    let mut labels = merge_named(
        &base_labels,
        &ours.labels.to_vec(),
        &theirs.labels.to_vec(),
        |l| &l.name,
    );
    crate::model::drop_repeated_keys(&mut labels, |l| &mut l.hotkey);
    if let Ok(set) = crate::model::LabelSet::new(labels) {
        m.labels = set;
    }
    let base_rel = base.map_or(&[][..], |b| b.relation_labels.as_slice());
    let mut rel = merge_named(
        base_rel,
        &ours.relation_labels,
        &theirs.relation_labels,
        |l| &l.name,
    );
    crate::model::drop_repeated_keys(&mut rel, |l| &mut l.hotkey);
    m.relation_labels = rel;
    m
}

/// Three-way merge of lists of named things (see [`merge_project`]): ours in our order, then
/// what only theirs has in theirs.
fn merge_named<T: Clone + PartialEq>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    name: impl Fn(&T) -> &String,
) -> Vec<T> {
    let index = |list: &[T]| -> HashMap<String, usize> {
        list.iter()
            .enumerate()
            .map(|(i, x)| (name(x).clone(), i))
            .collect()
    };
    let (b, o, t) = (index(base), index(ours), index(theirs));
    let mut out = Vec::new();
    for x in ours {
        let n = name(x);
        let was = b.get(n).map(|&i| &base[i]);
        match (was, t.get(n).map(|&i| &theirs[i])) {
            // Removed by them, untouched by us.
            (Some(w), None) if w == x => {}
            // Changed by them only.
            (Some(w), Some(y)) if w == x && y != w => out.push(y.clone()),
            _ => out.push(x.clone()),
        }
    }
    for y in theirs {
        let n = name(y);
        if o.contains_key(n) {
            continue;
        }
        // Removed by us and untouched by them: stays removed. Added by them, or changed by
        // them while we removed it: kept (nothing is lost).
        if b.get(n).is_none_or(|&i| &base[i] != y) {
            out.push(y.clone());
        }
    }
    out
}
