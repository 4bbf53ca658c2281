//! Tokens and sentences by Unicode rules (UAX #29), split further at every span boundary so
//! that every annotation starts and ends on a token boundary. Offsets are chars.

use crate::model::Session;
use unicode_segmentation::UnicodeSegmentation;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Char offsets into the document, end-exclusive.
    pub start: usize,
    pub end: usize,
    /// Whether a single space follows (spaCy's `ws`).
    pub ws: bool,
    /// True for a run of whitespace kept as its own token (spaCy keeps these; CoNLL drops them).
    pub space: bool,
    /// Byte offsets of the same range, for slicing the text without counting chars.
    pub bytes: std::ops::Range<usize>,
}

/// Tokens of the whole document. Whitespace: a single space after a token is that token's
/// `ws`; any other whitespace becomes a `space` token, so that the tokens and their `ws`
/// flags reproduce the text exactly.
pub fn tokenize(s: &Session) -> Vec<Token> {
    tokenize_with(s, Tokenizer::Unicode)
}

/// How text is cut into tokens (before the cuts at span boundaries).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tokenizer {
    /// Unicode words (UAX #29): punctuation apart from words
    #[default]
    Unicode,
    /// Runs of non-whitespace, as `str.split()` gives
    Whitespace,
}

/// Runs of whitespace and runs of anything else, with their byte offsets.
fn whitespace_runs(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind = None;
    for (b, c) in text.char_indices() {
        let k = c.is_whitespace();
        if kind.is_some_and(|p| p != k) {
            out.push((start, &text[start..b]));
            start = b;
        }
        kind = Some(k);
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
    out
}

/// Tokens of the whole document by `tokenizer`, split at every span boundary.
pub fn tokenize_with(s: &Session, tokenizer: Tokenizer) -> Vec<Token> {
    let text = s.text();
    let segments: Vec<(usize, &str)> = match tokenizer {
        Tokenizer::Unicode => text.split_word_bound_indices().collect(),
        Tokenizer::Whitespace => whitespace_runs(text),
    };
    let mut cuts: Vec<usize> = s
        .annotations()
        .iter()
        .flat_map(|a| [a.start, a.end])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut tokens: Vec<Token> = Vec::new();
    let mut pos = 0; // chars
    for (byte, seg) in segments {
        let n = if seg.is_ascii() {
            seg.len()
        } else {
            seg.chars().count()
        };
        let (start, end) = (pos, pos + n);
        pos = end;
        if seg.chars().all(char::is_whitespace) {
            let (mut from, mut seg, mut byte) = (start, seg, byte);
            if seg.starts_with(' ')
                && let Some(prev) = tokens.last_mut()
                && !prev.ws
                && !prev.space
                && prev.end == start
            {
                prev.ws = true;
                from += 1;
                seg = &seg[1..];
                byte += 1;
            }
            push_split(&mut tokens, seg, byte, from, &cuts, true);
        } else {
            push_split(&mut tokens, seg, byte, start, &cuts, false);
        }
    }
    tokens
}

/// Pushes the segment `seg` (at byte `byte`, char `start`) as tokens, split at the cuts.
fn push_split(
    tokens: &mut Vec<Token>,
    seg: &str,
    byte: usize,
    start: usize,
    cuts: &[usize],
    space: bool,
) {
    if seg.is_empty() {
        return;
    }
    let end = start + seg.chars().count();
    let mut from = start;
    let mut from_b = byte;
    let from_cut = cuts.partition_point(|&c| c <= start);
    let to_cut = cuts.partition_point(|&c| c < end);
    let mut inner = cuts[from_cut..to_cut].iter().peekable();
    if inner.peek().is_some() {
        for (i, (b, _)) in seg.char_indices().enumerate() {
            let c = start + i;
            if inner.peek() == Some(&&c) {
                inner.next();
                tokens.push(Token {
                    start: from,
                    end: c,
                    ws: false,
                    space,
                    bytes: from_b..byte + b,
                });
                from = c;
                from_b = byte + b;
            }
        }
    }
    tokens.push(Token {
        start: from,
        end,
        ws: false,
        space,
        bytes: from_b..byte + seg.len(),
    });
}

/// Sentence char ranges by UAX #29 sentence boundaries, moved to the nearest token
/// boundary so no token is split (and no span crosses a sentence boundary).
pub fn sentences(s: &Session, tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut bounds: Vec<usize> = Vec::new();
    let mut pos = 0;
    for sent in s.text().split_sentence_bounds() {
        pos += sent.chars().count();
        bounds.push(pos);
    }
    // Never split inside an annotation: a sentence ends only where no span is open. The
    // annotations are sorted by start, so one sweep tracks the furthest open end.
    let anns = s.annotations();
    let mut next_ann = 0;
    let mut open_until = 0;
    let mut out = Vec::new();
    let mut start = 0;
    let mut b = bounds.into_iter().peekable();
    for t in tokens {
        while anns.get(next_ann).is_some_and(|a| a.start < t.start) {
            open_until = open_until.max(anns[next_ann].end);
            next_ann += 1;
        }
        let mut boundary = false;
        while let Some(&x) = b.peek() {
            if x > t.start {
                break;
            }
            b.next();
            boundary |= x > start;
        }
        if boundary && open_until <= t.start && t.start > start {
            out.push(start..t.start);
            start = t.start;
        }
    }
    let end = s.document().char_len();
    if start < end {
        out.push(start..end);
    }
    out
}
