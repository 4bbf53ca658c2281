//! Curation: comparing the open session with another of the same text, the differences the
//! curator decides (keyed on the document's version), and taking one annotator's version.

use super::doc::Doc;
use super::editing::ellipsize;
use super::notice::Outcome;
use crate::agree::{DiffKind, Difference, annotator_letter};
use crate::io;
use crate::model::search::{Suggestion, SuggestionKey};
use crate::model::{Edit, History, Rejected, Session};
use std::path::{Path, PathBuf};

/// How many annotators' versions the keyboard can take (Alt+1 …).
pub const MAX_VERSIONS: usize = 9;

/// The undecided differences of a compared or merged session.
#[derive(Default)]
pub struct Curation {
    /// The document version they were found for.
    key: Option<u64>,
    differences: Vec<Difference>,
    chips: Vec<Chip>,
}

/// A small label at the start of a span in the compare view: whose span it is, or how the
/// versions differ.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: ChipKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChipKind {
    /// Only annotator `k` (A = 0) made it.
    Annotator(usize),
    /// Several annotators (but not all) made it, or the annotators are not named.
    Several,
    Labels,
    Bounds,
}

/// The chip a difference wears in the text.
pub fn chip_of(s: &Session, d: &Difference) -> (String, ChipKind) {
    match &d.kind {
        DiffKind::Only(by) => {
            let ks: Vec<usize> = by
                .iter()
                .filter_map(|b| s.compared.iter().position(|c| c == b))
                .collect();
            let letters: String = ks.iter().map(|&k| annotator_letter(k)).collect();
            let kind = match ks.as_slice() {
                [k] => ChipKind::Annotator(*k),
                _ => ChipKind::Several,
            };
            if letters.is_empty() {
                (format!("only {}", by.join(", ")), kind)
            } else {
                (format!("{letters} only"), kind)
            }
        }
        DiffKind::Labels => ("labels".into(), ChipKind::Labels),
        DiffKind::Bounds => ("bounds".into(), ChipKind::Bounds),
    }
}

/// Who made a review item, as letters ("A", "A+C") where the comparison names them.
pub fn who_made(s: &Session, by: &[String]) -> String {
    by.iter()
        .map(|b| {
            s.compared
                .iter()
                .position(|c| c == b)
                .map_or_else(|| b.clone(), |k| annotator_letter(k).to_string())
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// A file for a curated session beside `base` that does not exist yet:
/// `news.spanmark.ron` → `news.curated.spanmark.ron` (or `news.curated-2.spanmark.ron`…).
pub fn curated_path(base: &Path) -> PathBuf {
    let suffix = io::session_file::SESSION_SUFFIX;
    let file = base
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let stem = file
        .strip_suffix(suffix)
        .or_else(|| file.strip_suffix(".ron"))
        .unwrap_or(&file);
    let dir = base.parent().unwrap_or(Path::new("."));
    (1..)
        .map(|n| {
            let tag = if n == 1 {
                "curated".to_owned()
            } else {
                format!("curated-{n}")
            };
            dir.join(format!("{stem}.{tag}{suffix}"))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.curated{suffix}")))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

impl Curation {
    pub fn differences(&self) -> &[Difference] {
        &self.differences
    }

    /// One chip per difference, on its first version (sorted by start).
    pub fn chips(&self) -> &[Chip] {
        &self.chips
    }

    /// Finds the undecided differences again if the document changed since.
    pub fn refresh(&mut self, doc: &Doc) {
        let s = &doc.session;
        let key = doc.version();
        if self.key == Some(key) {
            return;
        }
        let list = if s.review.is_empty() {
            Vec::new()
        } else {
            let rejected: std::collections::HashSet<(usize, usize, &str)> = s
                .rejected
                .iter()
                .map(|x| (x.start, x.end, x.label.as_str()))
                .collect();
            crate::agree::differences(s, |r| {
                !rejected.contains(&(r.start, r.end, r.label.as_str()))
                    && s.check_span(r.start, r.end, &r.label, None).is_ok()
            })
        };
        let mut chips: Vec<Chip> = list
            .iter()
            .filter_map(|d| {
                let (text, kind) = chip_of(s, d);
                let r = s.review.get(*d.items.first()?)?;
                Some(Chip {
                    start: r.start,
                    end: r.end,
                    text,
                    kind,
                })
            })
            .collect();
        chips.sort_by_key(|m| (m.start, m.end));
        *self = Curation {
            key: Some(key),
            differences: list,
            chips,
        };
    }

    /// The difference the suggestion `g` (or else the caret) is in.
    pub fn current(
        &self,
        s: &Session,
        g: Option<&Suggestion>,
        caret: Option<usize>,
    ) -> Option<usize> {
        let list = &self.differences;
        if let Some(g) = g {
            return list.iter().position(|d| {
                d.items.iter().any(|&i| {
                    s.review
                        .get(i)
                        .is_some_and(|r| (r.start, r.end, &r.label) == (g.start, g.end, &g.label))
                })
            });
        }
        let c = caret?;
        list.iter().position(|d| d.start <= c && c < d.end)
    }

    /// What the status line says of a review suggestion: which difference, whose version,
    /// what the others made, and (with `keys`) the keys.
    pub fn describe(&self, s: &Session, g: &Suggestion, keys: bool) -> Option<String> {
        let k = self.current(s, Some(g), None)?;
        let d = self.differences.get(k)?;
        let mut mine = String::new();
        let mut others = Vec::new();
        for r in d.items.iter().filter_map(|&j| s.review.get(j)) {
            let who = who_made(s, &r.by);
            if (r.start, r.end, &r.label) == (g.start, g.end, &g.label) {
                mine = who;
            } else if (r.start, r.end) == (g.start, g.end) {
                others.push(format!("{who}: {}", r.label));
            } else {
                let t = s.document().slice(r.start..r.end).unwrap_or("");
                others.push(format!("{who}: “{}” {}", ellipsize(t, 30), r.label));
            }
        }
        let others = if others.is_empty() {
            String::new()
        } else {
            format!("; {}", others.join(", "))
        };
        let keys = if keys { version_keys(s) } else { String::new() };
        let text = ellipsize(s.document().slice(g.range()).unwrap_or(""), 40);
        Some(format!(
            "Difference {} of {} ({}): {mine}'s “{text}” as {}{others}.{keys}",
            k + 1,
            self.differences.len(),
            chip_of(s, d).0,
            g.label
        ))
    }

    /// Alt+1, Alt+2…: the difference `at` (see [`Curation::current`]) as annotator `k` made
    /// it, in one undo step. Returns what to say, and where the difference ended.
    pub fn take_version(
        &mut self,
        k: usize,
        at: Option<usize>,
        doc: &mut Doc,
    ) -> Result<(Outcome, usize), Outcome> {
        self.refresh(doc);
        let letter = annotator_letter(k);
        let Some(who) = doc.session.compared.get(k).cloned() else {
            return Err(Outcome::info(format!(
                "There is no annotator {letter} here: compare two sessions first (File > Compare with another session…)."
            )));
        };
        let Some(d) = at.and_then(|i| self.differences.get(i).cloned()) else {
            return Err(Outcome::info(
                "Go to a difference first: Tab goes to the next one.",
            ));
        };
        let s = &doc.session;
        let (take, drop) = d.version_of(s, &who);
        let mut edits = Vec::new();
        let mut scratch = s.clone();
        for r in take.iter().filter_map(|&i| s.review.get(i)) {
            let a = scratch.new_annotation(r.start, r.end, &r.label);
            if scratch.apply(Edit::Add(a.clone())).is_ok() {
                edits.push(Edit::Add(a));
            }
        }
        for r in drop.iter().filter_map(|&i| s.review.get(i)) {
            edits.push(Edit::Reject(Rejected {
                start: r.start,
                end: r.end,
                label: r.label.clone(),
            }));
        }
        let text = ellipsize(s.document().slice(d.start..d.end).unwrap_or(""), 40);
        doc.edit(Edit::Batch(edits)).map_err(Outcome::refused)?;
        self.refresh(doc);
        let took = format!(
            "Took {letter}'s version of “{text}” ({} in, {} out).",
            take.len(),
            drop.len()
        );
        Ok((Outcome::info(took), d.end))
    }

    /// The first version of the next difference from `pos` on, as a suggestion.
    pub fn next_from(&self, s: &Session, pos: usize) -> Option<SuggestionKey> {
        let d = self.differences.iter().find(|x| x.start >= pos)?;
        let r = s.review.get(*d.items.first()?)?;
        Some(SuggestionKey {
            start: r.start,
            end: r.end,
            label: r.label.clone(),
        })
    }
}

/// Takes (`take`) or drops relation difference `i` of the review list, in one undo step.
/// Taking needs both its spans as annotations (decide them first).
pub fn decide_relation(i: usize, take: bool, doc: &mut Doc) -> Outcome {
    let s = &doc.session;
    let Some(item) = s.relation_review.get(i).cloned() else {
        return Outcome::none();
    };
    let text =
        |e: &(usize, usize, String)| ellipsize(s.document().slice(e.0..e.1).unwrap_or(""), 30);
    let what = format!("“{}” {} “{}”", text(&item.from), item.label, text(&item.to));
    let settle = Edit::SettleRelationReview(i);
    if !take {
        return match doc.edit(settle) {
            Ok(()) => Outcome::info(format!("Dropped the relation {what}.")),
            Err(e) => Outcome::refused(e),
        };
    }
    let ends = [&item.from, &item.to].map(|e| (e.0, e.1, e.2.as_str()));
    let [from, to] = ends.map(|e| s.already_tagged(&[e])[0]);
    let (Some(from), Some(to)) = (from, to) else {
        return Outcome::info(format!(
            "Take both spans of {what} first (Tab goes to each difference); then the relation."
        ));
    };
    let mut scratch = s.clone();
    let r = scratch.new_relation(from, to, &item.label);
    let edits = if s.check_relation(&r).is_ok() {
        vec![Edit::AddRelation(r), settle]
    } else {
        // Already related so (taken by hand): only the decision is left.
        vec![settle]
    };
    match doc.edit(Edit::Batch(edits)) {
        Ok(()) => Outcome::info(format!("Took the relation {what}.")),
        Err(e) => Outcome::refused(e),
    }
}

/// " Alt+1 / Alt+2 take A's / B's version; Enter takes this span, x drops it."
fn version_keys(s: &Session) -> String {
    if s.compared.len() < 2 {
        return " Enter takes this span, x drops it.".to_owned();
    }
    let n = s.compared.len().min(MAX_VERSIONS);
    let alts: Vec<String> = (1..=n).map(|i| format!("Alt+{i}")).collect();
    let whose: Vec<String> = (0..n)
        .map(|i| format!("{}'s", annotator_letter(i)))
        .collect();
    format!(
        " {} take {} version; Enter takes this span, x drops it.",
        alts.join(" / "),
        whose.join(" / ")
    )
}

/// Why two sessions could not be compared.
pub type CompareError = String;

/// The curated session of the open one (A, named `a_name`) and the session at `path` (B): a
/// new, unsaved document holding what both made, every difference waiting for the curator.
/// Neither A nor B is ever written; the curated session goes to a new file beside A. Returns
/// it and what to say.
pub fn compare(doc: &Doc, path: &Path, annotator: &str) -> Result<(Doc, Compared), CompareError> {
    let b = io::load_session(path)
        .map_err(|e| format!("Could not compare with {}:\n\n{e}", path.display()))?;
    let a_name = doc
        .session_path
        .as_deref()
        .map_or_else(|| doc.name.clone(), |p| p.display().to_string());
    // Still unsaved here means the user chose to discard those edits: A is the file.
    let a = match &doc.session_path {
        Some(p) if doc.dirty() && p.exists() => {
            io::load_session(p).map_err(|e| format!("Could not compare:\n\n{e}"))?
        }
        _ => doc.session.clone(),
    };
    let mut named = vec![(a_name, a), (path.display().to_string(), b)];
    crate::agree::annotator_names(&mut named);
    if named[0].1.text() != named[1].1.text() {
        return Err(format!(
            "{} is a session of another text than the open one; compare two sessions of the same document.",
            path.display()
        ));
    }
    let (merged, summary) =
        crate::agree::merge(&named, annotator).map_err(|e| format!("Could not compare: {e}."))?;
    let base = doc.session_path.clone().unwrap_or_else(|| path.to_owned());
    let out = curated_path(&base);
    let name = format!(
        "{} (curating {} and {})",
        file_name(&out),
        named[0].0,
        named[1].0
    );
    // The same two sessions give the same start: an unfinished curation of them is recovered
    // from its journal, and one of other sessions is not applied.
    let start: Vec<_> = merged
        .annotations()
        .iter()
        .map(|a| (a.id.0, a.start, a.end, &a.label))
        .collect();
    let origin = io::article::sha256_hex(
        format!(
            "{start:?}{:?}{:?}{:?}{:?}",
            merged.review,
            merged.compared,
            merged.relations(),
            merged.relation_review
        )
        .as_bytes(),
    );
    let mut curated = Doc::new(merged, History::new_unsaved(), Some(out.clone()), name);
    curated.journal.origin = Some(origin);
    let compared = Compared {
        a: named[0].0.clone(),
        b: named[1].0.clone(),
        agreed: summary.agreed,
        relations: summary.relations_review,
        out: file_name(&out),
    };
    Ok((curated, compared))
}

/// What a comparison found, for the status line.
pub struct Compared {
    a: String,
    b: String,
    agreed: usize,
    /// Relations to decide.
    relations: usize,
    out: String,
}

impl Compared {
    /// What to say once the `differences` are found.
    pub fn said(&self, differences: usize) -> Outcome {
        let relations = match self.relations {
            0 => String::new(),
            n => format!(" and {n} relation(s) to decide in the side panel"),
        };
        Outcome::info(format!(
            "A = {}, B = {}: {} spans agreed, {differences} differences{relations}. Tab goes to each; Ctrl+S writes {}.",
            self.a, self.b, self.agreed, self.out
        ))
    }
}
