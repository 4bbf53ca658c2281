//! Overlapping spans, for the formats that cannot carry them (CoNLL, Hugging Face tags,
//! spaCy's `doc.ents`): [`Overlaps`] decides which spans stay, and every span left out is
//! reported by document and span, in the words of the format that left it out.

use super::{Overlaps, Report};
use crate::model::{Annotation, Session};

/// A span left out, and the kept span it overlaps.
pub struct Dropped<'s> {
    pub span: &'s Annotation,
    pub by: &'s Annotation,
}

/// Spans that do not overlap, chosen per the policy, and those left out.
pub struct Resolved<'s> {
    pub kept: Vec<&'s Annotation>,
    pub dropped: Vec<Dropped<'s>>,
}

impl Resolved<'_> {
    /// One report line per span left out: `document ID: VERB actor 3..8 "Japan" (overlaps …)`.
    pub fn notes(&self, id: &str, s: &Session, verb: &str) -> Vec<String> {
        self.dropped
            .iter()
            .map(|d| {
                format!(
                    "document {id}: {verb} {} (overlaps {})",
                    describe(s, d.span),
                    describe(s, d.by)
                )
            })
            .collect()
    }
}

fn describe(s: &Session, a: &Annotation) -> String {
    format!("{} {}..{} {:?}", a.label, a.start, a.end, s.covered(a))
}

/// Picks spans that do not overlap, per the policy; with [`Overlaps::Error`], the first two
/// that overlap are the error.
pub fn resolve<'s>(id: &str, s: &'s Session, policy: Overlaps) -> Result<Resolved<'s>, String> {
    let mut order: Vec<&Annotation> = s.annotations().iter().collect();
    match policy {
        Overlaps::Error => {
            if let Some((p, a)) = first_overlap(&order) {
                return Err(format!(
                    "document {id}: spans overlap: {} and {}; choose --overlaps outermost or longest",
                    describe(s, p),
                    describe(s, a)
                ));
            }
            return Ok(Resolved {
                kept: order,
                dropped: Vec::new(),
            });
        }
        // Outermost: document order puts outer spans first at each start.
        Overlaps::Outermost => {}
        Overlaps::Longest => order.sort_by_key(|a| (std::cmp::Reverse(a.len()), a.start)),
    }
    // Kept spans never overlap, so by start they are also by end: the ones a new span
    // overlaps are the few just before its end. (A scan of every kept span was quadratic.)
    let mut kept: std::collections::BTreeMap<usize, (usize, &Annotation)> = Default::default();
    let mut dropped = Vec::new();
    for a in order {
        let first_kept = kept
            .range(..a.end)
            .rev()
            .take_while(|(_, (_, k))| k.end > a.start)
            .min_by_key(|(_, (n, _))| *n)
            .map(|(_, (_, k))| *k);
        match first_kept {
            Some(by) => dropped.push(Dropped { span: a, by }),
            None => {
                let n = kept.len();
                kept.insert(a.start, (n, a));
            }
        }
    }
    Ok(Resolved {
        kept: kept.into_values().map(|(_, a)| a).collect(),
        dropped,
    })
}

/// The first two spans (in document order) that overlap.
fn first_overlap<'s>(order: &[&'s Annotation]) -> Option<(&'s Annotation, &'s Annotation)> {
    let mut max_end: Option<&Annotation> = None;
    for &a in order {
        if let Some(p) = max_end
            && p.end > a.start
        {
            return Some((p, a));
        }
        if max_end.is_none_or(|p| a.end > p.end) {
            max_end = Some(a);
        }
    }
    None
}

/// [`resolve`], with a refusal recorded in `report` (the document is then skipped) and the
/// spans left out reported with `verb` ("dropped").
pub fn resolve_reported<'s>(
    id: &str,
    s: &'s Session,
    policy: Overlaps,
    verb: &str,
    report: &mut Report,
) -> Option<Vec<&'s Annotation>> {
    match resolve(id, s, policy) {
        Ok(r) => {
            report.notes.extend(r.notes(id, s, verb));
            Some(r.kept)
        }
        Err(e) => {
            report.notes.push(e);
            report.failed = true;
            None
        }
    }
}
