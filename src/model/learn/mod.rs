//! Learned suggestions: a sequence tagger trained on the editor's own annotations, offline and
//! in the binary. An averaged perceptron (greedy, left to right, BIO tags) over features that
//! carry across languages: the word, its lower case and shape, prefixes and suffixes,
//! capitalisation away from the sentence start and whether the word also occurs in lower
//! case in the document, the words around it, the project's own tagged terms, quotes; CJK
//! text char by char. Its scores turn into a confidence per span (0..1), so weak guesses can
//! be hidden. Pure: no files, no threads; the caller decides when to train.

use super::{Annotation, Document, Rejected};
use std::collections::{HashMap, HashSet};

mod actions;
mod document;
mod particles;
mod perceptron;
pub use actions::{Span, actions_by_hand, actions_with};
use document::document_pass;
use particles::inner_words;
use perceptron::{Averaged, Weights};

/// A token of a text: char offsets (end-exclusive) and its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    /// The token's text: a slice of the document's (no copy per token).
    pub text: &'a str,
}

/// Han, kana and hangul: tokens of one char (no spaces between words).
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// The sentences of a text, as tokens: words (letters and digits, joined across an inner
/// hyphen, apostrophe or dot: "AI-kantoor", "d'Hondt", "U.S", but not before a possessive
/// `'s`: "EU" "’s"), CJK chars one by one, every
/// other visible char alone. A sentence ends after `.`, `!` or `?`, at a line break, or at
/// 200 tokens.
pub fn sentences(text: &str) -> Vec<Vec<Token<'_>>> {
    Sentences::new(text).collect()
}

/// The sentences of a text one at a time (see [`sentences`]): a long document is read
/// without holding all of its tokens.
pub struct Sentences<'a> {
    text: &'a str,
    it: std::iter::Peekable<std::str::CharIndices<'a>>,
    /// The char index of the next char (tokens count chars; their text is a slice).
    ci: usize,
}

impl<'a> Sentences<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            it: text.char_indices().peekable(),
            ci: 0,
        }
    }

    /// The byte end of a word starting with `c` at `end_b`: letters and digits, joined
    /// across an inner `-`, `'`, `’` or `.`.
    fn word_end(&mut self, mut end_b: usize) -> usize {
        loop {
            let mut look = self.it.clone();
            let joins = match look.next() {
                Some((_, d)) if is_word(d) => true,
                Some((_, d)) => {
                    let next = look.next();
                    let possessive = matches!(d, '\'' | '’')
                        && matches!(next, Some((_, 's')))
                        && !look.next().is_some_and(|(_, n)| is_word(n));
                    matches!(d, '-' | '\'' | '’' | '.')
                        && next.is_some_and(|(_, n)| is_word(n))
                        && !possessive
                }
                None => false,
            };
            match self.it.next_if(|_| joins) {
                Some((_, d)) => {
                    end_b += d.len_utf8();
                    self.ci += 1;
                }
                None => return end_b,
            }
        }
    }
}

impl<'a> Iterator for Sentences<'a> {
    type Item = Vec<Token<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut sent: Vec<Token<'a>> = Vec::new();
        while let Some((b, c)) = self.it.next() {
            self.ci += 1;
            if c.is_whitespace() {
                if c == '\n' && !sent.is_empty() {
                    return Some(sent);
                }
                continue;
            }
            let start = self.ci - 1;
            let mut end_b = b + c.len_utf8();
            if is_word(c) {
                end_b = self.word_end(end_b);
            }
            sent.push(Token {
                start,
                end: self.ci,
                text: &self.text[b..end_b],
            });
            if matches!(c, '.' | '!' | '?') && self.ci - start == 1 || sent.len() >= 200 {
                return Some(sent);
            }
        }
        (!sent.is_empty()).then_some(sent)
    }
}

/// A word's shape: `Xxxx`, `XX`, `dd-dd` (runs of one kind longer than two shortened).
fn shape(word: &str) -> String {
    let mut out = String::new();
    let (mut last, mut run) = ('\0', 0);
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if is_cjk(c) {
            'C'
        } else {
            c
        };
        run = if k == last { run + 1 } else { 1 };
        last = k;
        if run <= 2 {
            out.push(k);
        }
    }
    out
}

fn is_title(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// A feature name, hashed (FNV-1a: the same on every run and machine).
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The project's tagged terms as lower-case token sequences, by their first token: tokenised
/// once, however many documents look them up.
#[derive(Default)]
pub struct Terms {
    by_first: HashMap<String, Vec<(Vec<String>, String, usize)>>,
    /// The words of names of more than one word: where in the name ("first", "inner",
    /// "last") and its label, by term index (a first name met in tagged people, "Bank" in
    /// organisations).
    parts: HashMap<String, Vec<(&'static str, String, usize)>>,
}

impl Terms {
    /// `terms`: (text, label) tagged anywhere in the project.
    pub fn new(terms: &[(String, String)]) -> Self {
        let mut by_first: HashMap<String, Vec<(Vec<String>, String, usize)>> = HashMap::new();
        let mut parts: HashMap<String, Vec<(&'static str, String, usize)>> = HashMap::new();
        for (k, (text, label)) in terms.iter().enumerate() {
            let words: Vec<String> = sentences(text)
                .into_iter()
                .flatten()
                .map(|t| t.text.to_lowercase())
                .collect();
            for (i, w) in words.iter().enumerate().filter(|_| words.len() > 1) {
                let at = match i {
                    0 => "first",
                    _ if i + 1 == words.len() => "last",
                    _ => "inner",
                };
                let list = parts.entry(w.clone()).or_default();
                if list.len() < MAX_PARTS {
                    list.push((at, label.clone(), k));
                }
            }
            if let Some(first) = words.first() {
                by_first
                    .entry(first.clone())
                    .or_default()
                    .push((words, label.clone(), k));
            }
        }
        Self { by_first, parts }
    }
}

/// Names a word is remembered in, at most.
const MAX_PARTS: usize = 64;

/// What the features of a document's tokens read besides the tokens: the words it has in
/// lower case, and the project's terms but those (by index) it must not see.
pub struct Context<'a> {
    lower: &'a HashSet<String>,
    terms: &'a Terms,
    hidden: HashSet<usize>,
}

/// The words of a text that are not capitalised (what [`Context`] reads), in one pass.
pub fn lower_words<'t>(tokens: impl Iterator<Item = Token<'t>>) -> HashSet<String> {
    tokens
        .filter(|t| !is_title(t.text))
        .map(|t| t.text.to_owned())
        .collect()
}

impl<'a> Context<'a> {
    pub fn new(lower: &'a HashSet<String>, terms: &'a Terms, hidden: HashSet<usize>) -> Self {
        Self {
            lower,
            terms,
            hidden,
        }
    }

    /// For each token of a sentence, the tag of the longest project term covering it
    /// (`B-label`, `I-label`), if any.
    fn term_tags(&self, sent: &[Token]) -> Vec<Option<String>> {
        let lower: Vec<String> = sent.iter().map(|t| t.text.to_lowercase()).collect();
        let mut tags = vec![None; sent.len()];
        let mut i = 0;
        while i < sent.len() {
            let best = self.terms.by_first.get(&lower[i]).and_then(|cands| {
                cands
                    .iter()
                    .filter(|(w, _, k)| {
                        !self.hidden.contains(k) && lower.get(i..i + w.len()) == Some(&w[..])
                    })
                    .max_by_key(|(w, _, _)| w.len())
            });
            match best {
                Some((w, label, _)) => {
                    for (k, tag) in tags[i..i + w.len()].iter_mut().enumerate() {
                        *tag = Some(format!("{}-{label}", if k == 0 { "B" } else { "I" }));
                    }
                    i += w.len();
                }
                None => i += 1,
            }
        }
        tags
    }

    /// The features of every token of a sentence that do not depend on the tags before it.
    fn features(&self, sent: &[Token]) -> Vec<Vec<u64>> {
        let lower: Vec<String> = sent.iter().map(|t| t.text.to_lowercase()).collect();
        let shapes: Vec<String> = sent.iter().map(|t| shape(t.text)).collect();
        let terms = self.term_tags(sent);
        let word = |k: isize| -> &str {
            usize::try_from(k)
                .ok()
                .and_then(|k| lower.get(k))
                .map_or(if k < 0 { "<s>" } else { "</s>" }, String::as_str)
        };
        let mut quoted = false;
        let mut out = Vec::with_capacity(sent.len());
        for (i, t) in sent.iter().enumerate() {
            if matches!(t.text, "\"" | "“" | "”" | "«" | "»" | "„") {
                quoted = !quoted;
            }
            let k = i as isize;
            let w = &lower[i];
            let chars: Vec<char> = w.chars().collect();
            let pre = |n: usize| chars[..n.min(chars.len())].iter().collect::<String>();
            let suf = |n: usize| {
                chars[chars.len().saturating_sub(n)..]
                    .iter()
                    .collect::<String>()
            };
            let title = is_title(t.text);
            let mut f = vec![
                hash(&["bias"]),
                hash(&["w", w]),
                hash(&["W", t.text]),
                hash(&["shape", &shapes[i]]),
                hash(&["pre3", &pre(3)]),
                hash(&["suf3", &suf(3)]),
                hash(&["suf2", &suf(2)]),
                hash(&["w-1", word(k - 1)]),
                hash(&["w+1", word(k + 1)]),
                hash(&["w-2", word(k - 2)]),
                hash(&["w+2", word(k + 2)]),
                hash(&["w-1w", word(k - 1), w]),
                hash(&["ww+1", w, word(k + 1)]),
                hash(&[
                    "sh-1",
                    shapes.get(i.wrapping_sub(1)).map_or("<s>", String::as_str),
                ]),
                hash(&["sh+1", shapes.get(i + 1).map_or("</s>", String::as_str)]),
            ];
            if i == 0 {
                f.push(hash(&["first"]));
            }
            if title && i > 0 {
                f.push(hash(&["title-inside"]));
            }
            if title && !self.lower.contains(w) {
                f.push(hash(&["title-never-lower"]));
            }
            if quoted {
                f.push(hash(&["quoted"]));
            }
            if let Some(tag) = &terms[i] {
                f.push(hash(&["term", tag]));
            }
            let mut seen: Vec<(&str, &str)> = Vec::new();
            for (at, label, k) in self.terms.parts.get(w).into_iter().flatten() {
                if !self.hidden.contains(k) && !seen.contains(&(at, label)) {
                    seen.push((at, label));
                    f.push(hash(&["part", at, label]));
                }
            }
            out.push(f);
        }
        out
    }
}

/// The tags before a token, as features.
fn history(prev: &str, prev2: &str, word: &str) -> [u64; 3] {
    [
        hash(&["t-1", prev]),
        hash(&["t-2t-1", prev2, prev]),
        hash(&["t-1w", prev, word]),
    ]
}

/// A trained tagger: tags (`O`, `B-label`, `I-label`) and a weight per feature and tag.
#[derive(Clone, Debug, Default)]
pub struct Model {
    tags: Vec<String>,
    weights: Weights,
    /// Labels it was trained on, with how many spans each had.
    pub trained_on: Vec<(String, usize)>,
    /// Lower-case words met inside tagged names more often than between two names ("van",
    /// "der", "te" in Dutch): two proposed spans with only these between them are one name.
    inner: HashSet<String>,
}

/// A span the model proposes, with its confidence (0..1).
#[derive(Clone, Debug, PartialEq)]
pub struct Learned {
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub score: f32,
}

/// A document to learn from: its text, its annotations, and whether untagged text in it is
/// known not to be a name (a done document; otherwise only its sentences with a tag count).
pub struct Example<'a> {
    pub doc: &'a Document,
    pub annotations: &'a [Annotation],
    /// Suggestions the editor rejected: evidence of what is not a name.
    pub rejected: &'a [Rejected],
    pub done: bool,
}

/// Passes over the training data.
const EPOCHS: usize = 6;

/// Perceptrons trained in other orders and averaged.
const RUNS: usize = 3;

/// Above this many training sentences one order is enough (the data outweighs its
/// accidents) and the time goes to reading more of it.
const ENSEMBLE_MAX_SENTENCES: usize = 5_000;

impl Model {
    /// Whether it learned anything to suggest.
    pub fn is_empty(&self) -> bool {
        self.tags.len() <= 1
    }

    /// Trains on `examples` for `labels` (other labels' spans are ignored); `terms` are the
    /// project's tagged (text, label) pairs.
    pub fn train(examples: &[Example<'_>], labels: &[String], terms: &[(String, String)]) -> Self {
        let data = training_data(examples, labels, terms);
        let mut tags: Vec<String> = vec!["O".into()];
        let mut counts: HashMap<String, usize> = HashMap::new();
        for sent in &data {
            for g in &sent.gold {
                if !tags.contains(g) {
                    tags.push(g.clone());
                }
                if let Some(l) = g.strip_prefix("B-") {
                    *counts.entry(l.to_owned()).or_default() += 1;
                }
            }
        }
        let index: HashMap<&str, usize> = tags
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i))
            .collect();
        let golds: Vec<Vec<usize>> = data
            .iter()
            .map(|sent| {
                sent.gold
                    .iter()
                    .filter_map(|g| index.get(g.as_str()).copied())
                    .collect()
            })
            .collect();
        // Perceptrons that read the data in other orders, averaged: one order's accidents
        // (a name met first in a misleading sentence) weigh less.
        let mut weights = Weights::default();
        let runs = if data.len() <= ENSEMBLE_MAX_SENTENCES {
            RUNS
        } else {
            1
        };
        for run in 0..runs {
            let mut trainer = Averaged::new(tags.len());
            // A fixed order that mixes documents (the same data trains the same model).
            let mut order: Vec<usize> = (0..data.len()).collect();
            for epoch in 0..EPOCHS {
                order.sort_by_cached_key(|&i| {
                    hash(&[&i.to_string(), &epoch.to_string(), &run.to_string()])
                });
                for &i in &order {
                    trainer.learn(&data[i], &golds[i], &tags);
                }
            }
            for (f, w) in trainer.averaged() {
                let sum = weights.entry(f).or_insert_with(|| vec![0.0; w.len()]);
                for (x, y) in sum.iter_mut().zip(w) {
                    *x += y / runs as f32;
                }
            }
        }
        let mut trained_on: Vec<(String, usize)> = counts.into_iter().collect();
        trained_on.sort();
        Model {
            weights,
            tags,
            trained_on,
            inner: inner_words(examples, labels),
        }
    }

    /// Scores of each tag for one token.
    fn scores(&self, feats: &[u64], extra: &[u64]) -> Vec<f32> {
        let mut s = vec![0.0; self.tags.len()];
        for f in feats.iter().chain(extra) {
            if let Some(w) = self.weights.get(f) {
                for (x, y) in s.iter_mut().zip(w) {
                    *x += y;
                }
            }
        }
        s
    }

    /// The spans it proposes in `text`, sorted by start, each with its confidence.
    pub fn predict(&self, text: &str, terms: &[(String, String)]) -> Vec<Learned> {
        if self.is_empty() {
            return Vec::new();
        }
        let sents = sentences(text);
        let index = Terms::new(terms);
        let lower = lower_words(sents.iter().flatten().copied());
        let ctx = Context::new(&lower, &index, HashSet::new());
        let mut out = Vec::new();
        for sent in &sents {
            let feats = ctx.features(sent);
            let mut tagged: Vec<(usize, f32)> = Vec::with_capacity(sent.len());
            for (i, f) in feats.iter().enumerate() {
                let prev = |k: usize| {
                    i.checked_sub(k)
                        .map_or("<s>", |j| self.tags[tagged[j].0].as_str())
                };
                let h = history(prev(1), prev(2), &sent[i].text.to_lowercase());
                let s = self.scores(f, &h);
                tagged.push(best_with_confidence(&s));
            }
            spans_of(sent, &tagged, &self.tags, &mut out);
        }
        document_pass(&sents, out, &self.inner)
    }
}

/// The best tag and its softmax probability.
fn best_with_confidence(scores: &[f32]) -> (usize, f32) {
    let (best, max) =
        scores
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f32::NEG_INFINITY),
                |b, (i, s)| if s > b.1 { (i, s) } else { b },
            );
    let sum: f32 = scores.iter().map(|s| (s - max).exp()).sum();
    (best, 1.0 / sum.max(1.0))
}

/// BIO tags to spans (an `I-` after anything but its own label starts a span); a span's
/// confidence is its least confident token's.
fn spans_of(sent: &[Token], tagged: &[(usize, f32)], tags: &[String], out: &mut Vec<Learned>) {
    let mut open: Option<Learned> = None;
    for (t, &(tag, p)) in sent.iter().zip(tagged) {
        let tag = tags[tag].as_str();
        let (kind, label) = tag.split_once('-').unwrap_or(("O", ""));
        match (&mut open, kind) {
            (Some(o), "I") if o.label == label => {
                o.end = t.end;
                o.score = o.score.min(p);
            }
            (_, "B" | "I") => {
                out.extend(open.take());
                open = Some(Learned {
                    start: t.start,
                    end: t.end,
                    label: label.to_owned(),
                    score: p,
                });
            }
            _ => out.extend(open.take()),
        }
    }
    out.extend(open);
}

/// A training sentence: each token's features (those that do not depend on the tags before
/// it), its lower-case word, its gold tag.
struct Sentence {
    feats: Vec<Vec<u64>>,
    words: Vec<String>,
    gold: Vec<String>,
}

/// The training sentences. A span counts when it starts and ends on token edges; of
/// overlapping spans the first (longest at a start) wins. A document not marked done gives
/// only the sentences the editor worked on: where it has a span or a rejected suggestion
/// (whose words are then `O`, "not this label").
fn training_data(
    examples: &[Example<'_>],
    labels: &[String],
    terms: &[(String, String)],
) -> Vec<Sentence> {
    // A document learns from the terms the others tagged, as a new one will: with its own
    // names among them, the model would learn that a name is whatever is already known.
    let own: Vec<HashSet<(String, String)>> = examples
        .iter()
        .map(|ex| {
            ex.annotations
                .iter()
                .filter_map(|a| Some((ex.doc.slice(a.start..a.end)?.to_owned(), a.label.clone())))
                .collect()
        })
        .collect();
    let mut docs_with: HashMap<&(String, String), usize> = HashMap::new();
    for set in &own {
        for t in set {
            *docs_with.entry(t).or_default() += 1;
        }
    }
    let (index, none) = (Terms::new(terms), Terms::default());
    let position: HashMap<&(String, String), usize> =
        terms.iter().enumerate().map(|(k, t)| (t, k)).collect();
    let mut data = Vec::new();
    let per_doc = (MAX_SENTENCES / examples.len().max(1)).max(1);
    for (ex, mine) in examples.iter().zip(&own) {
        let hidden: HashSet<usize> = mine
            .iter()
            .filter(|t| docs_with.get(t).copied().unwrap_or(0) <= 1)
            .filter_map(|t| position.get(t).copied())
            .collect();
        // The document is read three times, never held whole as tokens: its plain words,
        // the sentences worked on, then the sample's features.
        let text = ex.doc.text();
        let lower = lower_words(Sentences::new(text).flatten());
        // Half the sentences (a fixed half) learn without the terms, so that a name no one
        // tagged yet is still found by its shape and its neighbours.
        let ctx = Context::new(&lower, &index, hidden);
        let bare = Context::new(&lower, &none, HashSet::new());
        let mut anns: Vec<&Annotation> = ex
            .annotations
            .iter()
            .filter(|a| labels.contains(&a.label))
            .collect();
        anns.sort_by_key(|a| (a.start, std::cmp::Reverse(a.end)));
        let mut rejected: Vec<(usize, usize)> =
            ex.rejected.iter().map(|r| (r.start, r.end)).collect();
        rejected.sort_unstable();
        let worked: Vec<usize> = Sentences::new(text)
            .enumerate()
            .filter(|(_, sent)| ex.done || has_span(sent, &anns) || has_rejection(sent, &rejected))
            .map(|(k, _)| k)
            .collect();
        // A long document teaches from an even sample of its sentences: training time and
        // memory stay bounded whatever its size (gold tags are made for the sample only).
        let step = worked.len().div_ceil(per_doc).max(1);
        let sample: HashSet<usize> = worked.into_iter().step_by(step).collect();
        for (k, sent) in Sentences::new(text).enumerate() {
            if !sample.contains(&k) {
                continue;
            }
            let sent = &sent;
            let gold = gold_tags(sent, &anns);
            // A span off the token edges teaches nothing: not "no name here" either.
            let blank = gold.iter().all(|g| g == "O");
            if blank && !ex.done && !has_rejection(sent, &rejected) {
                continue;
            }
            let with_terms =
                hash(&[&k.to_string(), ex.doc.text().get(..64).unwrap_or("")]).is_multiple_of(2);
            data.push(Sentence {
                feats: if with_terms { &ctx } else { &bare }.features(sent),
                words: sent.iter().map(|t| t.text.to_lowercase()).collect(),
                gold,
            });
        }
    }
    data
}

/// Whether an annotation (`anns`: sorted by start) starts in the sentence.
fn has_span(sent: &[Token], anns: &[&Annotation]) -> bool {
    let (Some(first), Some(last)) = (sent.first(), sent.last()) else {
        return false;
    };
    let lo = anns.partition_point(|a| a.start < first.start);
    anns.get(lo).is_some_and(|a| a.start < last.end)
}

/// Whether a rejected suggestion (`rejected`: bounds, sorted) lies in the sentence.
fn has_rejection(sent: &[Token], rejected: &[(usize, usize)]) -> bool {
    let (Some(first), Some(last)) = (sent.first(), sent.last()) else {
        return false;
    };
    let lo = rejected.partition_point(|r| r.0 < first.start);
    rejected[lo..]
        .iter()
        .take_while(|r| r.0 < last.end)
        .any(|r| r.1 <= last.end)
}

/// Sentences learned from in all: each document gives at most its share (an even sample).
const MAX_SENTENCES: usize = 40_000;

/// The BIO tags of a sentence's tokens from the annotations on it.
fn gold_tags(sent: &[Token], anns: &[&Annotation]) -> Vec<String> {
    let mut gold = vec!["O".to_owned(); sent.len()];
    let (Some(first), Some(last)) = (sent.first(), sent.last()) else {
        return gold;
    };
    let lo = anns.partition_point(|a| a.start < first.start);
    for a in anns[lo..].iter().take_while(|a| a.start < last.end) {
        let s = sent.iter().position(|t| t.start == a.start);
        let e = sent.iter().position(|t| t.end == a.end);
        if let (Some(s), Some(e)) = (s, e)
            && gold[s..=e].iter().all(|g| g == "O")
        {
            for (k, g) in gold[s..=e].iter_mut().enumerate() {
                *g = format!("{}-{}", if k == 0 { "B" } else { "I" }, a.label);
            }
        }
    }
    gold
}

#[cfg(test)]
mod tests;
