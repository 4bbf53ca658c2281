//! CoNLL-2003 style: `-DOCSTART- -X- O O` and a blank line before each document, then one
//! token a line as `TOKEN _ _ TAG`, a blank line between sentences. Tags are IOB2
//! (`B-actor`, `I-actor`, `O`) or BIOES (`S-`, `B-`, `I-`, `E-`). Tokens and sentences follow
//! Unicode rules, split at span boundaries; whitespace is dropped (CoNLL cannot carry it).
//! Overlapping spans cannot be represented: [`Overlaps`] decides, and every span dropped is
//! reported by document and span.

use super::overlaps::resolve_reported;
use super::tokens::{sentences, tokenize};
use super::{ExportDoc, Imported, Overlaps, Report, Scheme};
use std::io::Write;

/// CoNLL in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "conll",
    help: "CoNLL-2003 style, one token and its IOB2/BIOES tag a line",
    extension: "conll",
    options: &[super::FormatOption::Scheme, super::FormatOption::Overlaps],
    writer: super::Writer::Stream(|w, docs, opts, _| write(w, docs, opts.scheme, opts.overlaps)),
    parallel: true,
    companion: None,
    reader: Some(super::Reader::Text(|name, text, _, report| {
        read(name, text, report)
    })),
    relations: false,
};

pub fn write(
    w: &mut dyn Write,
    docs: &[ExportDoc<'_>],
    scheme: Scheme,
    overlaps: Overlaps,
) -> std::io::Result<Report> {
    let mut report = Report::default();
    for d in docs {
        let s = d.session;
        let Some(kept) = resolve_reported(&d.id, s, overlaps, "dropped", &mut report) else {
            continue;
        };
        let toks = tokenize(s);
        let sents = sentences(s, &toks);
        writeln!(w, "-DOCSTART- -X- O O")?;
        writeln!(w)?;
        let mut k = 0; // index into kept
        let mut ti = 0;
        let mut prev_span = None;
        for sent in sents {
            let mut wrote = false;
            while let Some(t) = toks.get(ti) {
                if t.start >= sent.end {
                    break;
                }
                ti += 1;
                if t.space {
                    continue;
                }
                while kept.get(k).is_some_and(|a| a.end <= t.start) {
                    k += 1;
                }
                let inside = kept.get(k).filter(|a| a.start <= t.start && t.end <= a.end);
                // The first written token of a span begins it, even when the span starts
                // with whitespace that CoNLL drops.
                let continuing = inside.is_some() && inside.map(|a| a.id) == prev_span;
                prev_span = inside.map(|a| a.id);
                let word = s.text().get(t.bytes.clone()).unwrap_or("");
                w.write_all(word.as_bytes())?;
                match inside {
                    None => w.write_all(b" _ _ O\n")?,
                    Some(a) => {
                        let first = !continuing;
                        let last = t.end == a.end
                            || !toks[ti..]
                                .iter()
                                .take_while(|n| n.start < a.end)
                                .any(|n| !n.space);
                        let p: &[u8] = match (scheme, first, last) {
                            (Scheme::Iob2, true, _) => b" _ _ B-",
                            (Scheme::Iob2, false, _) => b" _ _ I-",
                            (Scheme::Bioes, true, true) => b" _ _ S-",
                            (Scheme::Bioes, true, false) => b" _ _ B-",
                            (Scheme::Bioes, false, true) => b" _ _ E-",
                            (Scheme::Bioes, false, false) => b" _ _ I-",
                        };
                        w.write_all(p)?;
                        w.write_all(a.label.as_bytes())?;
                        w.write_all(b"\n")?;
                    }
                }
                wrote = true;
            }
            if wrote {
                writeln!(w)?;
            }
        }
        report.documents += 1;
        report.spans += kept.len();
    }
    Ok(report)
}

/// Reads CoNLL: the last column is the tag (IOB1/IOB2/BIOES), the first the token. The text
/// is rebuilt with one space between tokens and a newline between sentences.
pub fn read(name: &str, input: &str, report: &mut Report) -> Vec<Imported> {
    let mut docs = Vec::new();
    let mut cur = Imported::default();
    let mut open: Option<(usize, String)> = None;
    let mut chars = 0usize;
    let mut line_start_of_sentence = true;
    let flush_span =
        |open: &mut Option<(usize, String)>,
         end: usize,
         spans: &mut Vec<(usize, usize, String, Option<String>)>| {
            if let Some((s, l)) = open.take() {
                spans.push((s, end, l, None));
            }
        };
    let mut last_end = 0;
    for (i, line) in input.lines().enumerate() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.first() == Some(&"-DOCSTART-") {
            flush_span(&mut open, last_end, &mut cur.spans);
            if !cur.text.is_empty() {
                docs.push(std::mem::take(&mut cur));
            }
            cur.id = format!("{}", docs.len() + 1);
            chars = 0;
            line_start_of_sentence = true;
            continue;
        }
        if cols.is_empty() {
            flush_span(&mut open, last_end, &mut cur.spans);
            if !cur.text.is_empty() && !line_start_of_sentence {
                cur.text.push('\n');
                chars += 1;
            }
            line_start_of_sentence = true;
            continue;
        }
        let (Some(word), Some(tag)) = (cols.first(), cols.last()) else {
            continue;
        };
        if cols.len() < 2 {
            report.notes.push(format!(
                "{name}:{}: a token line needs a token and a tag; line skipped",
                i + 1
            ));
            report.failed = true;
            continue;
        }
        if !line_start_of_sentence {
            cur.text.push(' ');
            chars += 1;
        }
        line_start_of_sentence = false;
        let start = chars;
        cur.text.push_str(word);
        chars += word.chars().count();
        let (prefix, label) = match tag.split_once('-') {
            Some((p @ ("B" | "I" | "E" | "S"), l)) => (p, l),
            None if *tag == "O" => ("O", ""),
            _ => {
                report.notes.push(format!(
                    "{name}:{}: tag {tag:?} is not O, B-…, I-…, E-… or S-…; read as O",
                    i + 1
                ));
                ("O", "")
            }
        };
        let continues =
            matches!(prefix, "I" | "E") && open.as_ref().is_some_and(|(_, l)| l == label);
        if !continues {
            flush_span(&mut open, last_end, &mut cur.spans);
            if prefix != "O" {
                open = Some((start, label.to_owned()));
            }
        }
        last_end = chars;
        if matches!(prefix, "E" | "S") {
            flush_span(&mut open, last_end, &mut cur.spans);
        }
    }
    flush_span(&mut open, last_end, &mut cur.spans);
    if !cur.text.is_empty() {
        if cur.text.ends_with('\n') {
            cur.text.pop();
        }
        docs.push(cur);
    }
    for (n, d) in docs.iter_mut().enumerate() {
        if d.id.is_empty() {
            d.id = format!("{}", n + 1);
        }
        while d.text.ends_with('\n') {
            d.text.pop();
        }
    }
    docs
}
