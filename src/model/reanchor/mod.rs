//! Re-anchoring: carrying a session's annotations onto a corrected text of its article.
//!
//! First through a diff of the old and new text (lines, then the words of changed lines); a
//! span the diff cannot carry is looked for by its quote and the text around it (the W3C Web
//! Annotation text-quote selector: exact, prefix, suffix), so a moved paragraph keeps its spans.
//! Every annotation ends **exact** (same text, new offsets), **changed** (its text was edited:
//! placed on the edited text, to be confirmed) or **orphaned** (no confident place: kept aside
//! with its old text and context, never placed on unrelated text). Ids, labels, notes, authors
//! and times survive.

use super::{AnchorKind, AnchorReview, Annotation, AnnotationId, Document, Session, Source};
use similar::{Algorithm, DiffOp};

mod diff;
use diff::*;
use std::time::{Duration, Instant};

/// Chars of context kept before and after a span.
pub const CONTEXT: usize = 32;
/// A quote found away from where the diff puts it must share at least this many chars of its
/// old context (before and after together), or all it had if it had less.
const MIN_CONTEXT: usize = 24;
/// A span the diff carries must share at least this many (a word diff of rewritten text
/// matches common words by chance; context tells them apart).
const MIN_DIFF_CONTEXT: usize = 8;
/// A changed span's new text must be at least this similar to its old text (0..1).
const MIN_SIMILARITY: f32 = 0.5;
/// Changed stretches longer than this many chars (either side) are not diffed word by word.
const MAX_WORD_DIFF: usize = 200_000;
/// How long a diff may search for the smallest difference before settling for a larger one.
const DIFF_TIME: Duration = Duration::from_secs(2);
/// Candidates looked at per quote (the nearest to where the span was expected)...
const MAX_CANDIDATES: usize = 2_000;
/// ... fewer when many spans are looked for, so that the whole stays bounded: candidates
/// looked at in all, and candidates weighed in full in all.
const CANDIDATE_BUDGET: usize = 1_000_000;
const FULL_CHECK_BUDGET: usize = 50_000;

/// Where an annotation ended up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Placement {
    Exact,
    Changed,
    Orphaned,
}

impl Placement {
    pub fn name(self) -> &'static str {
        match self {
            Placement::Exact => "exact",
            Placement::Changed => "changed",
            Placement::Orphaned => "orphaned",
        }
    }
}

/// What became of one annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub id: AnnotationId,
    pub label: String,
    /// Its offsets in the old text.
    pub old: (usize, usize),
    /// Its offsets in the new text (`None` when orphaned).
    pub new: Option<(usize, usize)>,
    pub placement: Placement,
    /// Its text in the old article.
    pub quote: String,
}

/// A session carried onto a new text, and what became of each annotation.
pub struct Reanchored {
    pub session: Session,
    /// One per annotation of the old session (in its order), then one per orphan it already had.
    pub outcomes: Vec<Outcome>,
    /// Chars the new text has that the old did not, and the other way round.
    pub inserted: usize,
    pub deleted: usize,
    /// Curator's review items and rejected suggestions whose text is gone (they are hints, not
    /// annotations, and are not kept).
    pub lost_hints: usize,
}

impl Reanchored {
    pub fn count(&self, p: Placement) -> usize {
        self.outcomes.iter().filter(|o| o.placement == p).count()
    }

    /// `exact 45, changed 1, orphaned 2`
    pub fn summary(&self) -> String {
        format!(
            "exact {}, changed {}, orphaned {}",
            self.count(Placement::Exact),
            self.count(Placement::Changed),
            self.count(Placement::Orphaned)
        )
    }
}

/// A text with its char offsets.
struct Text<'a> {
    doc: &'a Document,
}

impl Text<'_> {
    fn slice(&self, start: usize, end: usize) -> &str {
        self.doc.slice(start..end).unwrap_or("")
    }

    /// Up to `n` chars before `at` (one char-to-byte lookup, then a walk of `n` chars).
    fn before(&self, at: usize, n: usize) -> &str {
        let Some(b) = self.doc.char_to_byte(at) else {
            return "";
        };
        let head = &self.doc.text()[..b];
        let from = match n.checked_sub(1) {
            Some(k) => head.char_indices().rev().nth(k).map_or(0, |(i, _)| i),
            None => b,
        };
        &head[from..]
    }

    /// Up to `n` chars after `at`.
    fn after(&self, at: usize, n: usize) -> &str {
        let Some(b) = self.doc.char_to_byte(at) else {
            return "";
        };
        let tail = &self.doc.text()[b..];
        &tail[..tail.char_indices().nth(n).map_or(tail.len(), |(i, _)| i)]
    }
}

/// How many more chars of context a place found away from the diff's must keep than the next
/// best place.
const MIN_MARGIN: usize = 8;

/// Chars of context on each side that must both be found around an edited span.
const SIDE: usize = 16;
/// Sides shorter than this (at the very start or end of a text) are not distinctive enough.
const MIN_SIDE: usize = 8;

/// Candidates per span whose context is compared in full (after a quick ranking).
const FULL_CHECKS: usize = 16;

/// How many candidates each of `spans` spans may look at, and weigh in full.
fn shares(spans: usize) -> (usize, usize) {
    let spans = spans.max(1);
    (
        (CANDIDATE_BUDGET / spans).clamp(FULL_CHECKS, MAX_CANDIDATES),
        (FULL_CHECK_BUDGET / spans).clamp(2, FULL_CHECKS),
    )
}

/// The `k` positions of `sorted` nearest to `at`.
fn nearest(sorted: &[usize], at: usize, k: usize) -> &[usize] {
    let (mut lo, mut hi) = {
        let i = sorted.partition_point(|&c| c < at);
        (i, i)
    };
    while hi - lo < k && (lo > 0 || hi < sorted.len()) {
        let left = lo.checked_sub(1).map(|l| at.abs_diff(sorted[l]));
        let right = sorted.get(hi).map(|&r| r.abs_diff(at));
        match (left, right) {
            (Some(l), Some(r)) if l <= r => lo -= 1,
            (Some(_), None) => lo -= 1,
            _ => hi += 1,
        }
    }
    &sorted[lo..hi]
}

/// Chars two strings share in order, in runs of at least four (shorter ones match by chance
/// between any two sentences): the most such chars any alignment keeps. A table of the two
/// strings' chars (context strings are 32 chars: about a thousand cells).
fn shared(a: &str, b: &str) -> usize {
    const RUN: usize = 4;
    // Context strings are CONTEXT chars long; longer ones are cut there.
    const N: usize = CONTEXT + 1;
    let take = |s: &str| {
        let mut out = ['\0'; CONTEXT];
        let n = out.iter_mut().zip(s.chars()).map(|(o, c)| *o = c).count();
        (out, n)
    };
    let ((a, al), (b, bl)) = (take(a), take(b));
    // run: chars matched in a row ending at (i, j); best: the most kept in a[..i], b[..j];
    // ending: the most kept with a run of at least RUN ending exactly at (i, j).
    let mut run = [[0u8; N]; N];
    let mut best = [[0u8; N]; N];
    let mut ending = [[0u8; N]; N];
    for i in 1..=al {
        for j in 1..=bl {
            if a[i - 1] == b[j - 1] {
                run[i][j] = run[i - 1][j - 1] + 1;
                if usize::from(run[i][j]) >= RUN {
                    let extend = if usize::from(run[i - 1][j - 1]) >= RUN {
                        ending[i - 1][j - 1] + 1
                    } else {
                        0
                    };
                    ending[i][j] = extend.max(best[i - RUN][j - RUN] + RUN as u8);
                }
            }
            best[i][j] = best[i][j - 1].max(best[i - 1][j]).max(ending[i][j]);
        }
    }
    usize::from(best[al][bl])
}

/// Chars two strings share at their ends.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Every occurrence of each quote in `text`, as char offsets, by quote index.
fn occurrences(quotes: &[&str], doc: &Document) -> Vec<Vec<usize>> {
    let mut found = vec![Vec::new(); quotes.len()];
    let Ok(ac) = aho_corasick::AhoCorasick::new(quotes) else {
        return found;
    };
    let text = doc.text();
    let (mut last_b, mut last_c) = (0usize, 0usize);
    for m in ac.find_overlapping_iter(text) {
        let b = m.start();
        let c = if b >= last_b {
            last_c + text.get(last_b..b).map_or(0, |s| s.chars().count())
        } else {
            last_c - text.get(b..last_b).map_or(0, |s| s.chars().count())
        };
        (last_b, last_c) = (b, c);
        found[m.pattern().as_usize()].push(c);
    }
    found
}

/// Where a span goes: its new bounds and how it got there.
type Place = (usize, usize, Placement);
/// Where the diff puts a span, and how much of its context came with it.
type DiffPlace = (usize, usize, Placement, usize);

/// What every stage of re-anchoring reads: the old text, the new one, the diff between them.
struct Carry<'a> {
    ot: Text<'a>,
    nt: Text<'a>,
    map: &'a Map,
    new_doc: &'a Document,
}

impl Carry<'_> {
    /// How much of a span's old context (before, after) is around a place in the new text:
    /// the chars the two share in order (a word edited next to a span costs that word, not
    /// the rest), and how much context it had.
    fn context(&self, a: &Annotation, s: usize, e: usize) -> (usize, usize) {
        let (ot, nt) = (&self.ot, &self.nt);
        let (prefix, suffix) = (ot.before(a.start, CONTEXT), ot.after(a.end, CONTEXT));
        let (np, ns) = (nt.before(s, CONTEXT), nt.after(e, CONTEXT));
        let (pl, sl) = (prefix.chars().count(), suffix.chars().count());
        // A side kept whole needs no closer look.
        let before = match common_suffix(prefix, np) {
            n if n == pl => n,
            _ => shared(prefix, np),
        };
        let after = match common_prefix(suffix, ns) {
            n if n == sl => n,
            _ => shared(suffix, ns),
        };
        (before + after, pl + sl)
    }

    /// How much context `a` has (before and after together): all [`CONTEXT`] chars a side but
    /// at the ends of the text.
    fn available(&self, a: &Annotation) -> usize {
        let (prefix, suffix) = (
            self.ot.before(a.start, CONTEXT),
            self.ot.after(a.end, CONTEXT),
        );
        prefix.chars().count() + suffix.chars().count()
    }

    /// Whether all the context on one side (at least MIN_SIDE chars of it) is unchanged.
    fn whole_side(&self, a: &Annotation, s: usize, e: usize) -> bool {
        let (ot, nt) = (&self.ot, &self.nt);
        let (prefix, suffix) = (ot.before(a.start, CONTEXT), ot.after(a.end, CONTEXT));
        let (pl, sl) = (prefix.chars().count(), suffix.chars().count());
        (pl >= MIN_SIDE && common_suffix(prefix, nt.before(s, CONTEXT)) == pl)
            || (sl >= MIN_SIDE && common_prefix(suffix, nt.after(e, CONTEXT)) == sl)
    }

    /// The cheap part of it: the context kept unchanged next to the span.
    fn quick(&self, (prefix, suffix): (&str, &str), s: usize, e: usize) -> usize {
        common_suffix(prefix, self.nt.before(s, CONTEXT))
            + common_prefix(suffix, self.nt.after(e, CONTEXT))
    }

    /// Stage 1: where the diff puts each span, if its context came with it and its text is the same
    /// (or like it).
    fn through_diff(&self, a: &Annotation) -> Option<DiffPlace> {
        let (s, e) = (self.map.start(a.start)?, self.map.end(a.end)?);
        // Text more than three times longer or shorter is not like it (and is not diffed).
        if s >= e || 3 * (e - s).min(a.len()) < (e - s).max(a.len()) {
            return None;
        }
        let (score, available) = self.context(a, s, e);
        if score < MIN_DIFF_CONTEXT.min(available) {
            return None;
        }
        let (q, nq) = (self.ot.slice(a.start, a.end), self.nt.slice(s, e));
        let placement = if q == nq {
            Placement::Exact
        } else if !nq.trim().is_empty() && similarity(q, nq) >= MIN_SIMILARITY {
            Placement::Changed
        } else {
            return None;
        };
        Some((s, e, placement, score))
    }

    /// A span the diff carried with its whole context, or the whole of one side of it (the
    /// start of a paragraph that moved has new text before it), or edited where it stands,
    /// its context kept, is settled: no need to look elsewhere.
    fn settled(&self, a: &Annotation, d: Option<DiffPlace>) -> Option<Place> {
        match d? {
            (s, e, Placement::Exact, score)
                if score == self.context(a, s, e).1 || self.whole_side(a, s, e) =>
            {
                Some((s, e, Placement::Exact))
            }
            (s, e, Placement::Changed, score)
                if score >= MIN_CONTEXT.min(self.context(a, s, e).1) =>
            {
                Some((s, e, Placement::Changed))
            }
            _ => None,
        }
    }

    /// Stage 2: the spans not settled, by quote and context: each goes where its context is best
    /// kept, if that place stands out.
    fn by_quote(
        &self,
        anns: &[Annotation],
        through: &[Option<DiffPlace>],
        placed: &mut [Option<Place>],
    ) {
        let missing: Vec<usize> = (0..anns.len()).filter(|&i| placed[i].is_none()).collect();
        if missing.is_empty() {
            return;
        }
        let mut quotes: Vec<&str> = missing
            .iter()
            .map(|&i| self.ot.slice(anns[i].start, anns[i].end))
            .collect();
        quotes.sort_unstable();
        quotes.dedup();
        let found = occurrences(&quotes, self.new_doc);
        let share = shares(missing.len());
        for &i in &missing {
            let a = &anns[i];
            let q = self.ot.slice(a.start, a.end);
            let cands = quotes.binary_search(&q).map_or(&[][..], |k| &found[k]);
            placed[i] = self.best_by_quote(a, cands, through[i], share);
        }
    }

    /// Where the quote of `a` occurs (`cands`), the place its context names; else where the
    /// diff put its edited text, if anywhere.
    fn best_by_quote(
        &self,
        a: &Annotation,
        cands: &[usize],
        diff: Option<DiffPlace>,
        (most, full): (usize, usize),
    ) -> Option<Place> {
        let len = a.end - a.start;
        let diff_at = match diff {
            Some((s, _, Placement::Exact, _)) => Some(s),
            _ => None,
        };
        let expect = diff_at.unwrap_or_else(|| self.map.near(a.start));
        let cands = nearest(cands, expect, most);
        let available = self.available(a);
        // The best few by unchanged context (and nearness) are weighed in full.
        let old = (
            self.ot.before(a.start, CONTEXT),
            self.ot.after(a.end, CONTEXT),
        );
        let mut ranked: Vec<(usize, std::cmp::Reverse<usize>, usize)> = cands
            .iter()
            .map(|&c| {
                (
                    self.quick(old, c, c + len),
                    std::cmp::Reverse(c.abs_diff(expect)),
                    c,
                )
            })
            .collect();
        ranked.sort_unstable_by(|x, y| y.cmp(x));
        ranked.truncate(full);
        if let Some(d) = diff_at
            && !ranked.iter().any(|r| r.2 == d)
        {
            ranked.push((0, std::cmp::Reverse(d.abs_diff(expect)), d));
        }
        let mut scored: Vec<_> = ranked
            .iter()
            .map(|&(exact, near, c)| {
                let (score, _) = self.context(a, c, c + len);
                // Where the diff put it wins a tie; then the nearest to it.
                (score, Some(c) == diff_at, near, c, exact)
            })
            .collect();
        scored.sort_unstable_by(|x, y| y.cmp(x));
        // Away from the diff's place, a candidate must stand out from the next best (or keep
        // all its context): a phrase that recurs is no evidence.
        let runner_up = scored.get(1).map_or(0, |x| x.0);
        let elsewhere = scored
            .first()
            .copied()
            .filter(|&(score, at_diff, _, c, _)| {
                !at_diff
                    && (score >= available || score >= runner_up + MIN_MARGIN)
                    && (self.whole_side(a, c, c + len) || 4 * score >= 3 * available)
            });
        let at_diff = scored
            .iter()
            .copied()
            .find(|x| x.1 && x.0 >= MIN_DIFF_CONTEXT.min(available));
        match elsewhere.or(at_diff) {
            Some((_, _, _, c, _)) => Some((c, c + len, Placement::Exact)),
            // Its text was edited: where the diff put it, if anywhere.
            None => diff
                .filter(|d| d.2 == Placement::Changed)
                .map(|(s, e, p, _)| (s, e, p)),
        }
    }

    /// Stage 2b: an edited span the diff could not follow: between its old context, if both sides
    /// of it are still there, close together, around text like its old text.
    fn between_sides(&self, anns: &[Annotation], placed: &mut [Option<Place>]) {
        let edited: Vec<usize> = (0..anns.len()).filter(|&i| placed[i].is_none()).collect();
        if edited.is_empty() {
            return;
        }
        let sides: Vec<(String, String)> = edited
            .iter()
            .map(|&i| {
                let a = &anns[i];
                (
                    self.ot.before(a.start, SIDE).to_owned(),
                    self.ot.after(a.end, SIDE).to_owned(),
                )
            })
            .collect();
        let mut patterns: Vec<&str> = sides
            .iter()
            .flat_map(|(p, s)| [p.as_str(), s.as_str()])
            .filter(|p| p.chars().count() >= MIN_SIDE)
            .collect();
        patterns.sort_unstable();
        patterns.dedup();
        let found = occurrences(&patterns, self.new_doc);
        let at = |p: &str| patterns.binary_search(&p).ok().map(|k| &found[k]);
        let (most, _) = shares(edited.len());
        for (&i, (p, sx)) in edited.iter().zip(&sides) {
            if let (Some(ends), Some(starts)) = (at(p), at(sx)) {
                placed[i] = self.between(&anns[i], ends, starts, p.chars().count(), most);
            }
        }
    }

    /// The one place between an occurrence of the span's old prefix (`ends`, `plen` chars
    /// long) and the next of its old suffix (`starts`) that holds text like its old text.
    fn between(
        &self,
        a: &Annotation,
        ends: &[usize],
        starts: &[usize],
        plen: usize,
        most: usize,
    ) -> Option<Place> {
        let len = a.end - a.start;
        let q = self.ot.slice(a.start, a.end);
        let expect = self.map.near(a.start);
        let found: Vec<_> = nearest(ends, expect, most)
            .iter()
            .filter_map(|&pe| {
                let s0 = pe + plen;
                // The nearest following suffix, not too far.
                let k = starts.partition_point(|&x| x <= s0);
                let e0 = *starts.get(k)?;
                (e0 - s0 <= 2 * len + 16).then_some((s0, e0))
            })
            .filter(|&(s0, e0)| {
                let nq = self.nt.slice(s0, e0);
                similarity(q, nq) >= MIN_SIMILARITY && !nq.trim().is_empty()
            })
            .collect();
        // Only a place the context names alone: where its two sides recur together elsewhere
        // too, there is no telling which is its own.
        let [(s0, e0)] = found.as_slice() else {
            return None;
        };
        let placement = if self.nt.slice(*s0, *e0) == q {
            Placement::Exact
        } else {
            Placement::Changed
        };
        Some((*s0, *e0, placement))
    }

    /// Hints (a curator's review items, rejected suggestions) move only when exact.
    fn hint(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let (s, e) = (self.map.start(start)?, self.map.end(end)?);
        (s < e && self.ot.slice(start, end) == self.nt.slice(s, e)).then_some((s, e))
    }
}

/// A review record for `a` as it was in the old text `ot`.
fn review(
    ot: &Text<'_>,
    a: &Annotation,
    kind: AnchorKind,
    orphan: Option<Annotation>,
) -> AnchorReview {
    AnchorReview {
        id: a.id,
        kind,
        quote: ot.slice(a.start, a.end).to_owned(),
        prefix: ot.before(a.start, CONTEXT).to_owned(),
        suffix: ot.after(a.end, CONTEXT).to_owned(),
        orphan,
    }
}

/// The annotations where they were placed (no two on one span with one label), what became
/// of each, and the review records of those to confirm or place by hand.
struct Decided {
    annotations: Vec<Annotation>,
    outcomes: Vec<Outcome>,
    anchors: Vec<AnchorReview>,
}

/// Stage 3: each annotation where it was placed, or orphaned; orphans of an earlier re-anchoring
/// stay orphans, and a span still waiting from one keeps its first record.
fn decide(c: &Carry<'_>, old: &Session, placed: Vec<Option<Place>>) -> Decided {
    let anns = old.annotations();
    let mut taken = std::collections::HashSet::new();
    let mut d = Decided {
        annotations: Vec::with_capacity(anns.len()),
        outcomes: Vec::with_capacity(anns.len()),
        anchors: Vec::new(),
    };
    let earlier: std::collections::HashMap<AnnotationId, &AnchorReview> =
        old.anchors.iter().map(|r| (r.id, r)).collect();
    for (a, p) in anns.iter().zip(placed) {
        let p = p.filter(|&(s, e, _)| taken.insert((s, e, a.label.as_str())));
        let placement = match p {
            Some((s, e, placement)) => {
                d.annotations.push(Annotation {
                    start: s,
                    end: e,
                    ..a.clone()
                });
                match (placement, earlier.get(&a.id)) {
                    (_, Some(r)) => d.anchors.push((*r).clone()),
                    (Placement::Changed, None) => {
                        d.anchors.push(review(&c.ot, a, AnchorKind::Changed, None));
                    }
                    _ => {}
                }
                placement
            }
            None => {
                d.anchors
                    .push(review(&c.ot, a, AnchorKind::Orphaned, Some(a.clone())));
                Placement::Orphaned
            }
        };
        d.outcomes.push(Outcome {
            id: a.id,
            label: a.label.clone(),
            old: (a.start, a.end),
            new: p.map(|(s, e, _)| (s, e)),
            placement,
            quote: c.ot.slice(a.start, a.end).to_owned(),
        });
    }
    for r in old.anchors.iter().filter(|r| r.orphan.is_some()) {
        if let Some(a) = &r.orphan {
            d.outcomes.push(Outcome {
                id: a.id,
                label: a.label.clone(),
                old: (a.start, a.end),
                new: None,
                placement: Placement::Orphaned,
                quote: r.quote.clone(),
            });
        }
        d.anchors.push(r.clone());
    }
    d
}

/// The review items and rejected suggestions that move exactly, and how many did not.
fn carry_hints(
    c: &Carry<'_>,
    old: &Session,
) -> (Vec<super::ReviewItem>, Vec<super::Rejected>, usize) {
    let mut lost = 0;
    let review: Vec<_> = old
        .review
        .iter()
        .filter_map(|r| {
            let moved = c
                .hint(r.start, r.end)
                .map(|(start, end)| super::ReviewItem {
                    start,
                    end,
                    ..r.clone()
                });
            lost += usize::from(moved.is_none());
            moved
        })
        .collect();
    let rejected: Vec<_> = old
        .rejected
        .iter()
        .filter_map(|r| {
            let moved = c.hint(r.start, r.end).map(|(start, end)| super::Rejected {
                start,
                end,
                label: r.label.clone(),
            });
            lost += usize::from(moved.is_none());
            moved
        })
        .collect();
    (review, rejected, lost)
}

/// The new session from `base` (the new text, hints carried) and what was decided; a place the
/// session's rules refuse (whitespace only, …) orphans that annotation.
fn assemble(map: &Map, old: &Session, mut base: Session, d: Decided) -> (Session, Vec<Outcome>) {
    let ot = Text {
        doc: old.document(),
    };
    let Decided {
        mut annotations,
        mut outcomes,
        anchors,
    } = d;
    let position = |r: &AnchorReview| match &r.orphan {
        Some(a) => map.near(a.start),
        None => annotations
            .iter()
            .find(|a| a.id == r.id)
            .map_or(usize::MAX, |a| a.start),
    };
    let mut keyed: Vec<(usize, AnchorReview)> =
        anchors.into_iter().map(|r| (position(&r), r)).collect();
    keyed.sort_by_key(|(p, r)| (*p, r.id));
    base.anchors = keyed.into_iter().map(|(_, r)| r).collect();
    let fallback = base.clone();
    let problems = match Session::from_parts(base, annotations.clone()) {
        Ok(s) => return (s, outcomes),
        Err(problems) => problems,
    };
    let bad: std::collections::HashSet<AnnotationId> = problems.iter().map(|(id, _)| *id).collect();
    let mut base = fallback;
    for (a, o) in old.annotations().iter().zip(outcomes.iter_mut()) {
        if bad.contains(&a.id) {
            o.placement = Placement::Orphaned;
            o.new = None;
            base.anchors.retain(|r| r.id != a.id);
            base.anchors
                .push(review(&ot, a, AnchorKind::Orphaned, Some(a.clone())));
        }
    }
    annotations.retain(|a| !bad.contains(&a.id));
    let session = Session::from_parts(base.clone(), annotations).unwrap_or(base);
    (session, outcomes)
}

/// Carries `old`'s annotations onto `text` (the article as it is now, read from `source`), in
/// stages: through the diff (1), by quote and context (2), between the old sides of an edited
/// span (2b), then decide (3).
pub fn reanchor(old: &Session, text: String, source: Source) -> Reanchored {
    let new_doc = Document::new(text);
    let map = diff(old.text(), new_doc.text());
    // What the equal stretches do not cover (a moved paragraph is neither).
    let (kept_old, kept_new) = map
        .segs
        .iter()
        .filter(|g| g.equal)
        .fold((0, 0), |(o, n), g| {
            (o + g.old_end - g.old, n + g.new_end - g.new)
        });
    let inserted = new_doc.char_len().saturating_sub(kept_new);
    let deleted = old.document().char_len().saturating_sub(kept_old);
    let c = Carry {
        ot: Text {
            doc: old.document(),
        },
        nt: Text { doc: &new_doc },
        map: &map,
        new_doc: &new_doc,
    };
    let anns = old.annotations();
    let through: Vec<Option<DiffPlace>> = anns.iter().map(|a| c.through_diff(a)).collect();
    let mut placed: Vec<Option<Place>> = anns
        .iter()
        .zip(&through)
        .map(|(a, d)| c.settled(a, *d))
        .collect();
    c.by_quote(anns, &through, &mut placed);
    c.between_sides(anns, &mut placed);
    let decided = decide(&c, old, placed);
    let (review, rejected, lost_hints) = carry_hints(&c, old);
    let mut base = old.with_text(new_doc, source);
    base.review = review;
    base.rejected = rejected;
    let (mut session, outcomes) = assemble(&map, old, base, decided);
    // Relations stay with their spans, an orphaned one's waiting with it.
    session.carry_relations(old);
    Reanchored {
        session,
        outcomes,
        inserted,
        deleted,
        lost_hints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_spaces_and_marks_are_tokens() {
        let t: Vec<char> = "De EU, nu!".chars().collect();
        let words: Vec<String> = tokens(&t).iter().map(|w| w.iter().collect()).collect();
        assert_eq!(words, ["De", " ", "EU", ",", " ", "nu", "!"]);
    }

    #[test]
    fn context_is_shared_in_runs_of_four_or_more() {
        assert_eq!(shared("de EU en", "de EU en"), 8);
        // The first chars differ; the run after them is kept whole.
        assert_eq!(shared("abc EU en", "xbc EU en"), 8);
        assert_eq!(shared("ab", "ab"), 0);
        assert_eq!(shared("Japan en Tokio", "Tokio en Japan"), 5);
        assert_eq!(shared("", "de EU"), 0);
    }

    #[test]
    fn positions_move_with_an_insert_before_them() {
        let m = diff("a b\nc d\n", "new\na b\nc d\n");
        assert_eq!(m.start(4), Some(8));
        assert_eq!(m.end(7), Some(11));
    }
}
