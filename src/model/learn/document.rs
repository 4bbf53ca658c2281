//! What a whole document says about the spans the tagger proposes in it: split names joined,
//! one label per text, names found again where they recur. Linear in the tokens.

use super::{Learned, Token};
use std::collections::{HashMap, HashSet};

/// What a whole document says about its spans: two spans with nothing but space between
/// them are one name ("Jaap van" + "Delden"; the longer part's label); the same text keeps one label in a
/// document (the surest), a surname alone takes its full name's label, and a name found
/// once is found wherever it recurs in the document.
pub(super) fn document_pass(
    sents: &[Vec<Token>],
    spans: Vec<Learned>,
    inner: &HashSet<String>,
) -> Vec<Learned> {
    let tokens: Vec<&Token> = sents.iter().flatten().collect();
    let at: HashMap<usize, usize> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.start, i))
        .collect();
    let mut merged = join_split(&tokens, &at, spans, inner);
    let firsts: HashSet<usize> = sents
        .iter()
        .filter_map(|s| Some(s.first()?.start))
        .collect();
    for l in &mut merged {
        take_particles(&tokens, &at, &firsts, l, inner);
    }
    let text_of = |l: &Learned| -> Vec<&str> {
        at.get(&l.start).map_or_else(Vec::new, |&a| {
            tokens[a..]
                .iter()
                .take_while(|t| t.end <= l.end)
                .map(|t| t.text)
                .collect()
        })
    };
    // The surest label of each text; a word alone takes the label of a longer name ending
    // in it.
    let mut best: HashMap<Vec<&str>, (String, f32)> = HashMap::new();
    for l in &merged {
        let words = text_of(l);
        let e = best
            .entry(words.clone())
            .or_insert((l.label.clone(), l.score));
        if l.score > e.1 {
            *e = (l.label.clone(), l.score);
        }
        if words.len() > 1
            && let Some(last) = words.last()
        {
            best.entry(vec![*last])
                .and_modify(|e| e.0 = l.label.clone())
                .or_insert((l.label.clone(), l.score));
        }
    }
    for l in &mut merged {
        if let Some((label, _)) = best.get(&text_of(l)) {
            l.label = label.clone();
        }
    }
    let found = recur(&tokens, &best, merged);
    // A part found again may complete a name split at its particles ("Wout" … "Aert").
    join_split(&tokens, &at, found, inner)
}

/// A name's capitalised particles before it are its own ("De" Wever, "Van der" Poel), but
/// at a sentence's start, where any word is capitalised.
fn take_particles(
    tokens: &[&Token],
    at: &HashMap<usize, usize>,
    firsts: &HashSet<usize>,
    l: &mut Learned,
    inner: &HashSet<String>,
) {
    let Some(&k) = at.get(&l.start) else {
        return;
    };
    for n in (1..=3.min(k)).rev() {
        let run = &tokens[k - n..k];
        let words: Vec<String> = run.iter().map(|t| t.text.to_lowercase()).collect();
        let title = run[0].text.chars().next().is_some_and(char::is_uppercase);
        let tight =
            run.windows(2).all(|w| w[1].start == w[0].end + 1) && run[n - 1].end + 1 == l.start;
        if title && tight && !firsts.contains(&run[0].start) && inner.contains(&words.join(" ")) {
            l.start = run[0].start;
            return;
        }
    }
}

/// Spans that are one name joined ([`joined`]); the longer part gives the label, the less
/// sure the score.
fn join_split(
    tokens: &[&Token],
    at: &HashMap<usize, usize>,
    spans: Vec<Learned>,
    inner: &HashSet<String>,
) -> Vec<Learned> {
    let mut merged: Vec<Learned> = Vec::with_capacity(spans.len());
    for sp in spans {
        if let Some(prev) = merged.last_mut()
            && joined(tokens, at, (prev, &sp), inner)
        {
            if sp.end - sp.start > prev.end - prev.start {
                prev.label = sp.label.clone();
            }
            prev.end = sp.end;
            prev.score = prev.score.min(sp.score);
            continue;
        }
        merged.push(sp);
    }
    merged
}

/// A label and how sure the model is of it.
type LabelScore = (String, f32);

/// Whether two spans are one name: only space between them, or a name's inner words
/// ("van der") after a word alone ("Zeger" … "Wal") or between two of one label (not
/// "Dave Sinardet" van de "VUB").
fn joined(
    tokens: &[&Token],
    at: &HashMap<usize, usize>,
    (prev, next): (&Learned, &Learned),
    inner: &HashSet<String>,
) -> bool {
    let Some(&k) = at.get(&next.start) else {
        return false;
    };
    let mut between: Vec<&str> = tokens[..k]
        .iter()
        .rev()
        .take_while(|t| t.start >= prev.end)
        .take(4)
        .map(|t| t.text)
        .collect();
    between.reverse();
    let single = at
        .get(&prev.start)
        .is_some_and(|&i| tokens[i].end == prev.end);
    next.start > prev.end
        && (between.is_empty()
            || inner.contains(&between.join(" ")) && (prev.label == next.label || single))
}

/// Adds the other whole-token occurrences of each found name that no span covers (in time
/// linear in the tokens and the names' words).
fn recur(
    tokens: &[&Token],
    best: &HashMap<Vec<&str>, LabelScore>,
    mut spans: Vec<Learned>,
) -> Vec<Learned> {
    let mut covered = vec![false; tokens.len()];
    let mut k = 0;
    for sp in &spans {
        while k < tokens.len() && tokens[k].end <= sp.start {
            k += 1;
        }
        let mut j = k;
        while j < tokens.len() && tokens[j].start < sp.end {
            covered[j] = true;
            j += 1;
        }
    }
    // Names by their first word, longest first. A one-word name that is also a word in
    // lower case here ("Het", "Zo") is not sought: it is a sentence start, not a name.
    let lower: HashSet<&str> = tokens
        .iter()
        .map(|t| t.text)
        .filter(|w| w.chars().all(|c| !c.is_uppercase()))
        .collect();
    let mut by_first: HashMap<&str, Vec<(&Vec<&str>, &LabelScore)>> = HashMap::new();
    for (words, v) in best {
        if let [one] = words.as_slice()
            && lower.contains(one.to_lowercase().as_str())
        {
            continue;
        }
        if let Some(first) = words.first() {
            by_first.entry(first).or_default().push((words, v));
        }
    }
    for v in by_first.values_mut() {
        v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(b.0)));
    }
    let mut i = 0;
    while i < tokens.len() {
        let hit = by_first.get(tokens[i].text).and_then(|names| {
            names.iter().find(|(words, _)| {
                let n = words.len();
                i + n <= tokens.len()
                    && !covered[i..i + n].contains(&true)
                    && tokens[i..i + n]
                        .iter()
                        .zip(words.iter())
                        .all(|(t, w)| t.text == *w)
            })
        });
        match hit {
            Some((words, (label, score))) => {
                let n = words.len();
                spans.push(Learned {
                    start: tokens[i].start,
                    end: tokens[i + n - 1].end,
                    label: label.clone(),
                    score: *score,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    spans.sort_by_key(|s| (s.start, s.end));
    spans
}
