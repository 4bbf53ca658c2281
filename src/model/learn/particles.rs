//! The particles of names ("van der", "De"): known for the languages of Europe, and learned
//! from the project's own names.

use super::{Annotation, Example, Sentences, Token};
use std::collections::{HashMap, HashSet};

/// A name's particles ("van der"): [`PARTICLES`] and the runs of lower-case words met
/// inside tagged names (not at their edges) more often than alone between two tagged
/// names that would be joined (a list's "en" is not one).
pub(super) fn inner_words(examples: &[Example<'_>], labels: &[String]) -> HashSet<String> {
    let mut inside: HashMap<String, isize> = HashMap::new();
    for ex in examples {
        let mut anns: Vec<&Annotation> = ex
            .annotations
            .iter()
            .filter(|a| labels.contains(&a.label))
            .collect();
        anns.sort_by_key(|a| (a.start, a.end));
        for a in &anns {
            let text = ex.doc.slice(a.start..a.end).unwrap_or("");
            let words: Vec<Token> = Sentences::new(text).flatten().collect();
            let lower = |t: &Token| !t.text.chars().any(char::is_uppercase);
            for run in words.chunk_by(|a, b| lower(a) == lower(b)) {
                let edge = run.first() == words.first() || run.last() == words.last();
                if !edge && run.iter().all(lower) {
                    *inside.entry(words_of(run)).or_default() += 1;
                }
            }
        }
        for pair in anns.windows(2) {
            let gap = ex.doc.slice(pair[0].end..pair[1].start).unwrap_or("");
            let words: Vec<Token> = Sentences::new(gap).flatten().collect();
            // Only where the join would be made: after one word, or between one label's.
            let left = ex.doc.slice(pair[0].start..pair[0].end).unwrap_or("");
            let would_join =
                pair[0].label == pair[1].label || Sentences::new(left).flatten().count() == 1;
            if !words.is_empty() && words.len() <= 3 && would_join {
                *inside.entry(words_of(&words)).or_default() -= 1;
            }
        }
    }
    let mut words: HashSet<String> = PARTICLES.iter().map(|&w| w.to_owned()).collect();
    for (w, n) in inside {
        if n > 0 {
            words.insert(w);
        } else if n < 0 {
            words.remove(&w);
        }
    }
    words
}

/// Particles of family names in the languages of Europe and around it, known before any
/// tagging: "van der" (Dutch), "von" (German), "de la" (French, Spanish), "di" (Italian),
/// "dos" (Portuguese), "bin", "al" (Arabic). What the project's own names show adds to them,
/// and one met more often between two names than inside one is dropped.
const PARTICLES: &[&str] = &[
    "van",
    "van der",
    "van den",
    "van de",
    "van het",
    "de",
    "den",
    "der",
    "te",
    "ten",
    "ter",
    "von",
    "von der",
    "zu",
    "von und zu",
    "di",
    "da",
    "del",
    "della",
    "de la",
    "du",
    "des",
    "le",
    "la",
    "dos",
    "das",
    "do",
    "bin",
    "ibn",
    "al",
    "el",
    "y",
];

/// Words joined by one space.
fn words_of(tokens: &[Token]) -> String {
    tokens.iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
}
