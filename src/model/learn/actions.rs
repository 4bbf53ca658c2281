//! README's action model: what tagging a document costs an editor by hand and with
//! suggestions, for measuring them.

use crate::model::Document;
use std::collections::{HashMap, HashSet};

/// A span as (start, end, label), for measuring.
pub type Span = (usize, usize, String);

/// Actions an editor needs to tag `gold` by hand (README's action model): per distinct
/// (text, label), select + Shift+key (2) plus 2 for each wrong span that tag-all made (a
/// whole-word occurrence that is not gold with that label, or already `done`), or 2 per
/// span, whichever is less.
pub fn actions_by_hand(doc: &Document, gold: &[Span], done: &HashSet<Span>) -> usize {
    let gold_set: HashSet<&Span> = gold.iter().collect();
    let mut pairs: HashMap<(&str, &str), usize> = HashMap::new();
    for g in gold.iter().filter(|g| !done.contains(*g)) {
        let text = doc.slice(g.0..g.1).unwrap_or("");
        *pairs.entry((text, g.2.as_str())).or_default() += 1;
    }
    pairs
        .into_iter()
        .map(|((text, label), n)| {
            let wrong = crate::model::search::occurrences(doc, text)
                .into_iter()
                .filter(|r| {
                    let s = (r.start, r.end, label.to_owned());
                    !gold_set.contains(&s) || done.contains(&s)
                })
                .count();
            (2 + 2 * wrong).min(2 * n)
        })
        .sum()
}

/// Actions with suggestions: per label with any, accept all (1), then 2 per wrong one
/// (relabel or delete; a relabelled one with a gold span's bounds then counts as that span),
/// then what is missing by hand.
pub fn actions_with(doc: &Document, gold: &[Span], suggested: &[Span]) -> usize {
    let gold_set: HashSet<&Span> = gold.iter().collect();
    let labels: HashSet<&str> = suggested.iter().map(|s| s.2.as_str()).collect();
    let mut right: HashSet<Span> = suggested
        .iter()
        .filter(|s| gold_set.contains(s))
        .cloned()
        .collect();
    let mut wrong = 0;
    for s in suggested.iter().filter(|s| !gold_set.contains(s)) {
        wrong += 1;
        // Relabelled: the gold span with these bounds, if one is not yet right.
        if let Some(g) = gold
            .iter()
            .find(|g| g.0 == s.0 && g.1 == s.1 && !right.contains(*g))
        {
            right.insert(g.clone());
        }
    }
    labels.len() + 2 * wrong + actions_by_hand(doc, gold, &right)
}
