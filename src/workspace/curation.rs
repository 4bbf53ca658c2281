//! Curation: comparing the open session with another of the same text, the differences the
//! curator decides (keyed on the document's version), and taking one annotator's version.

use super::Workspace;
use super::doc::Doc;
use super::editing::ellipsize;
use crate::agree::{DiffKind, Difference, annotator_letter};
use crate::io;
use crate::model::search::Suggestion;
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

impl Curation {
    pub fn differences(&self) -> &[Difference] {
        &self.differences
    }

    /// One chip per difference, on its first version (sorted by start).
    pub fn chips(&self) -> &[Chip] {
        &self.chips
    }
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

impl Workspace {
    /// Compares the open session (A) with the session at `path` (B): a new, unsaved session
    /// holds what both made, and every difference waits for the curator. Neither A nor B is
    /// ever written; the curated session goes to a new file beside A.
    pub fn compare_with(&mut self, path: &Path) {
        let b = match io::load_session(path) {
            Ok(b) => b,
            Err(e) => {
                return self.fail(format!("Could not compare with {}:\n\n{e}", path.display()));
            }
        };
        let a_name = self
            .doc
            .session_path
            .as_deref()
            .map_or_else(|| self.doc.name.clone(), |p| p.display().to_string());
        // Still unsaved here means the user chose to discard those edits: A is the file.
        let a = match &self.doc.session_path {
            Some(p) if self.doc.dirty() && p.exists() => match io::load_session(p) {
                Ok(s) => s,
                Err(e) => return self.fail(format!("Could not compare:\n\n{e}")),
            },
            _ => self.doc.session.clone(),
        };
        let mut named = vec![(a_name, a), (path.display().to_string(), b)];
        crate::agree::annotator_names(&mut named);
        if named[0].1.text() != named[1].1.text() {
            return self.fail(format!(
                "{} is a session of another text than the open one; compare two sessions of the same document.",
                path.display()
            ));
        }
        let (merged, summary) = match crate::agree::merge(&named, &self.annotator) {
            Ok(m) => m,
            Err(e) => return self.fail(format!("Could not compare: {e}.")),
        };
        let base = self
            .doc
            .session_path
            .clone()
            .unwrap_or_else(|| path.to_owned());
        let out = curated_path(&base);
        let name = format!(
            "{} (curating {} and {})",
            file_name(&out),
            named[0].0,
            named[1].0
        );
        // A comparison stands on its own, outside any project.
        self.project = None;
        // The same two sessions give the same start: an unfinished curation of them is
        // recovered from its journal, and one of other sessions is not applied.
        let start: Vec<_> = merged
            .annotations()
            .iter()
            .map(|a| (a.id.0, a.start, a.end, &a.label))
            .collect();
        let origin = io::article::sha256_hex(
            format!("{start:?}{:?}{:?}", merged.review, merged.compared).as_bytes(),
        );
        let mut doc = Doc::new(merged, History::new_unsaved(), Some(out.clone()), name);
        doc.journal.origin = Some(origin);
        self.install_doc(doc);
        self.refresh_differences();
        self.info(format!(
            "A = {}, B = {}: {} spans agreed, {} differences. Tab goes to each; Ctrl+S writes {}.",
            named[0].0,
            named[1].0,
            summary.agreed,
            self.curation.differences.len(),
            file_name(&out)
        ));
    }

    /// Finds the undecided differences again if the document changed since.
    pub fn refresh_differences(&mut self) {
        let s = &self.doc.session;
        let key = self.doc.version();
        if self.curation.key == Some(key) {
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
        self.curation = Curation {
            key: Some(key),
            differences: list,
            chips,
        };
    }

    /// The difference the current suggestion (or the caret) is in.
    pub fn current_difference(&self) -> Option<usize> {
        let s = &self.doc.session;
        let list = &self.curation.differences;
        if let Some(g) = self.suggest.current() {
            return list.iter().position(|d| {
                d.items.iter().any(|&i| {
                    s.review
                        .get(i)
                        .is_some_and(|r| (r.start, r.end, &r.label) == (g.start, g.end, &g.label))
                })
            });
        }
        let c = self.cursor.caret?;
        list.iter().position(|d| d.start <= c && c < d.end)
    }

    /// What the status line says of a review suggestion: which difference, whose version,
    /// what the others made, and the keys.
    pub(super) fn describe_difference(&self, g: &Suggestion, keys: bool) -> Option<String> {
        let k = self.current_difference()?;
        let d = self.curation.differences.get(k)?;
        let s = &self.doc.session;
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
        let keys = if !keys {
            String::new()
        } else if s.compared.len() >= 2 {
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
        } else {
            " Enter takes this span, x drops it.".to_owned()
        };
        let text = ellipsize(s.document().slice(g.range()).unwrap_or(""), 40);
        Some(format!(
            "Difference {} of {} ({}): {mine}'s “{text}” as {}{others}.{keys}",
            k + 1,
            self.curation.differences.len(),
            chip_of(s, d).0,
            g.label
        ))
    }

    /// Alt+1, Alt+2…: the current difference as annotator `k` made it, in one undo step;
    /// then on to the next difference.
    pub fn take_version(&mut self, k: usize) {
        self.refresh_differences();
        let letter = annotator_letter(k);
        let Some(who) = self.doc.session.compared.get(k).cloned() else {
            self.info(format!(
                "There is no annotator {letter} here: compare two sessions first (File > Compare with another session…)."
            ));
            return;
        };
        let Some(d) = self
            .current_difference()
            .and_then(|i| self.curation.differences.get(i).cloned())
        else {
            self.info("Go to a difference first: Tab goes to the next one.");
            return;
        };
        let s = &self.doc.session;
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
        if !self.edit(Edit::Batch(edits)) {
            return;
        }
        self.suggest.current = None;
        self.cursor.caret = Some(d.end);
        self.refresh_differences();
        let took = format!(
            "Took {letter}'s version of “{text}” ({} in, {} out).",
            take.len(),
            drop.len()
        );
        // On to the next difference, as Tab would.
        let _ = self.refresh_suggestions(self.now);
        let s = &self.doc.session;
        let next = self
            .curation
            .differences
            .iter()
            .find(|x| x.start >= d.end)
            .and_then(|n| n.items.first())
            .and_then(|&i| s.review.get(i))
            .cloned();
        let i = next.and_then(|r| {
            self.suggest
                .list
                .iter()
                .position(|g| (g.start, g.end, &g.label) == (r.start, r.end, &r.label))
        });
        match i {
            Some(i) => {
                self.select_suggestion(i);
                // The keys were said before; what is next is what matters.
                let then = self
                    .suggest
                    .current()
                    .cloned()
                    .and_then(|g| self.describe_difference(&g, false));
                match then {
                    Some(then) => self.info(format!("{took} Next: {then}")),
                    None => self.info(took),
                }
            }
            None => self.info(took),
        }
    }
}
