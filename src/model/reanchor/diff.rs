//! The diff under re-anchoring: old text positions to new ones, by a patience line diff with
//! a deadline (lines matched by content wherever they moved), then a word diff of the
//! changed lines (similar).

use super::*;

/// A stretch of the old text and the stretch of the new text it became.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seg {
    pub(super) old: usize,
    pub(super) old_end: usize,
    pub(super) new: usize,
    pub(super) new_end: usize,
    pub(super) equal: bool,
}

/// Old text positions to new ones, from a diff.
pub(super) struct Map {
    pub(super) segs: Vec<Seg>,
}

impl Map {
    /// The stretch holding old char `p`.
    pub(super) fn seg_of(&self, p: usize) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.old_end <= p);
        self.segs.get(i).filter(|s| s.old <= p && p < s.old_end)
    }

    /// Where a span starting at old char `s` starts in the new text.
    pub(super) fn start(&self, s: usize) -> Option<usize> {
        let g = self.seg_of(s)?;
        if g.equal {
            Some(g.new + (s - g.old))
        } else {
            (s == g.old).then_some(g.new)
        }
    }

    /// Where a span ending before old char `e` ends in the new text.
    pub(super) fn end(&self, e: usize) -> Option<usize> {
        let g = self.seg_of(e.checked_sub(1)?)?;
        if g.equal {
            Some(g.new + (e - g.old))
        } else {
            (e == g.old_end).then_some(g.new_end)
        }
    }

    /// Roughly where old char `p` went: for ranking candidates, not for placing.
    pub(super) fn near(&self, p: usize) -> usize {
        match self.seg_of(p) {
            Some(g) if g.equal => g.new + (p - g.old),
            Some(g) => g.new + (p - g.old).min(g.new_end - g.new),
            None => self.segs.last().map_or(0, |g| g.new_end),
        }
    }
}

/// Splits text into words (runs of letters and digits), runs of spaces, and single other chars.
pub(super) fn tokens(text: &[char]) -> Vec<&[char]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let kind = |c: char| {
            if c.is_alphanumeric() {
                0
            } else if c.is_whitespace() {
                1
            } else {
                2
            }
        };
        let k = kind(text[i]);
        let mut j = i + 1;
        if k != 2 {
            while j < text.len() && kind(text[j]) == k {
                j += 1;
            }
        }
        out.push(&text[i..j]);
        i = j;
    }
    out
}

/// How long the line diff may look for the smallest difference before settling for a larger
/// one (lines it leaves unmatched are then matched by content).
pub(super) const LINE_DIFF_TIME: Duration = Duration::from_millis(250);

/// The lines of a text (each with its line break) and the char offset each starts at (one
/// more at the end: the text's length).
pub(super) fn lines_of(text: &str) -> (Vec<&str>, Vec<usize>) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut starts = Vec::with_capacity(lines.len() + 1);
    let mut n = 0;
    starts.push(0);
    for l in &lines {
        n += l.chars().count();
        starts.push(n);
    }
    (lines, starts)
}

/// For each old line, the new line it is: the equal lines of a patience diff (in order),
/// then the lines left over matched by their content wherever they moved (the k-th copy of a
/// paragraph to its k-th copy). Blank lines are only matched by the diff.
pub(super) fn pair_lines(old: &[&str], new: &[&str], deadline: Instant) -> Vec<Option<usize>> {
    let mut pair = vec![None; old.len()];
    let mut taken = vec![false; new.len()];
    for op in similar::capture_diff_slices_deadline(Algorithm::Patience, old, new, Some(deadline)) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                pair[old_index + k] = Some(new_index + k);
                taken[new_index + k] = true;
            }
        }
    }
    // By content without the line break (the last line has none, wherever it went).
    let mut left: std::collections::HashMap<&str, std::collections::VecDeque<usize>> =
        std::collections::HashMap::new();
    for (j, l) in new.iter().enumerate() {
        if !taken[j] && !l.trim().is_empty() {
            left.entry(bare(l)).or_default().push_back(j);
        }
    }
    for (i, l) in old.iter().enumerate() {
        if pair[i].is_none()
            && let Some(j) = left.get_mut(bare(l)).and_then(|q| q.pop_front())
        {
            pair[i] = Some(j);
        }
    }
    pair
}

/// A line without its line break.
pub(super) fn bare(line: &str) -> &str {
    line.strip_suffix('\n').unwrap_or(line)
}

/// Diffs the texts: lines first (a moved paragraph is still an equal stretch, at its new
/// place), then the words of each changed stretch of lines that has a changed stretch of new
/// lines in its place.
pub(super) fn diff(old: &str, new: &str) -> Map {
    let deadline = Instant::now() + DIFF_TIME;
    let ((ol, oc), (nl, nc)) = (lines_of(old), lines_of(new));
    let pair = pair_lines(&ol, &nl, Instant::now() + LINE_DIFF_TIME);
    let mut taken = vec![false; nl.len()];
    pair.iter().flatten().for_each(|&j| taken[j] = true);
    let mut segs = Vec::new();
    let mut i = 0;
    while i < ol.len() {
        let mut j = i + 1;
        if let Some(n) = pair[i] {
            // A run of lines, ended early by one whose line break was added or taken away.
            while ol[j - 1] == nl[n + (j - 1 - i)] && j < ol.len() && pair[j] == Some(n + (j - i)) {
                j += 1;
            }
            let n1 = n + (j - i);
            let lost_break = ol[j - 1].ends_with('\n') && !nl[n1 - 1].ends_with('\n');
            let o1 = oc[j] - usize::from(lost_break);
            let new_end = nc[n] + (o1 - oc[i]);
            segs.push(Seg {
                old: oc[i],
                old_end: o1,
                new: nc[n],
                new_end,
                equal: true,
            });
            if o1 < oc[j] {
                segs.push(Seg {
                    old: o1,
                    old_end: oc[j],
                    new: new_end,
                    new_end: nc[n1],
                    equal: false,
                });
            }
        } else {
            while j < ol.len() && pair[j].is_none() {
                j += 1;
            }
            // The new lines in its place: after the new place of the line before it, up to
            // the next new line that is matched.
            let n0 = if i == 0 {
                0
            } else {
                pair[i - 1].map_or(0, |p| p + 1)
            };
            let n1 = (n0..nl.len()).find(|&k| taken[k]).unwrap_or(nl.len());
            let (o0, o1, c0, c1) = (oc[i], oc[j], nc[n0], nc[n1]);
            if n1 > n0 && o1 - o0 <= MAX_WORD_DIFF && c1 - c0 <= MAX_WORD_DIFF {
                let a: Vec<char> = ol[i..j].iter().flat_map(|l| l.chars()).collect();
                let b: Vec<char> = nl[n0..n1].iter().flat_map(|l| l.chars()).collect();
                word_segs(&a, &b, o0, c0, deadline, &mut segs);
            } else {
                segs.push(Seg {
                    old: o0,
                    old_end: o1,
                    new: c0,
                    new_end: c1,
                    equal: false,
                });
            }
        }
        i = j;
    }
    Map { segs }
}

/// Equal runs shorter than this between two changes are chance ("de", " en ") and count as
/// changed: a span is carried through a word diff only on a run that says something.
pub(super) const MIN_EQUAL_RUN: usize = 16;

/// The word diff of one changed stretch, as stretches offset by `o0` and `n0`.
pub(super) fn word_segs(
    a: &[char],
    b: &[char],
    o0: usize,
    n0: usize,
    deadline: Instant,
    out: &mut Vec<Seg>,
) {
    let (ta, tb) = (tokens(a), tokens(b));
    let starts = |t: &[&[char]]| {
        let mut v = Vec::with_capacity(t.len() + 1);
        let mut n = 0;
        v.push(0);
        for w in t {
            n += w.len();
            v.push(n);
        }
        v
    };
    let (sa, sb) = (starts(&ta), starts(&tb));
    let mut segs: Vec<Seg> =
        similar::capture_diff_slices_deadline(Algorithm::Myers, &ta, &tb, Some(deadline))
            .iter()
            .map(|op| {
                let (o, n) = (op.old_range(), op.new_range());
                Seg {
                    old: o0 + sa[o.start],
                    old_end: o0 + sa[o.end],
                    new: n0 + sb[n.start],
                    new_end: n0 + sb[n.end],
                    equal: matches!(op, DiffOp::Equal { .. }),
                }
            })
            .collect();
    // A short run between two changes is chance: part of one change.
    for i in 1..segs.len().saturating_sub(1) {
        let g = segs[i];
        if g.equal && g.old_end - g.old < MIN_EQUAL_RUN && !segs[i - 1].equal && !segs[i + 1].equal
        {
            segs[i].equal = false;
        }
    }
    for seg in segs {
        // A change next to another change is one change.
        match out.last_mut() {
            Some(last) if !last.equal && !seg.equal && last.old_end == seg.old => {
                last.old_end = seg.old_end;
                last.new_end = seg.new_end;
            }
            _ => out.push(seg),
        }
    }
}

/// How alike two strings are, 0..1 (by the chars they share in order).
pub(super) fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}
