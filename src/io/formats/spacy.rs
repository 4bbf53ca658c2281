//! Prodigy/spaCy JSONL, one document a line:
//! `{"text", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start", "end",
//! "token_start", "token_end", "label"}], "meta": {"id": …}}`.
//!
//! `start`/`end` are chars; `token_end` is inclusive. Tokens follow Unicode word boundaries
//! and are split at every span boundary, so `Doc(words, spaces).char_span(start, end,
//! alignment_mode="strict")` finds every span. Whitespace other than one space after a token
//! becomes a token of its own, so the tokens and their `ws` rebuild the text exactly.
//! Notes go in each span's `"note"`.

use super::tokens::tokenize;
use super::{ExportDoc, Imported, Report, check_offsets};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

/// Prodigy/spaCy JSONL in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "spacy",
    help: "Prodigy/spaCy JSONL with tokens and token-aligned spans",
    extension: "jsonl",
    options: &[],
    writer: super::Writer::Stream(|w, docs, _, _| write(w, docs)),
    parallel: true,
    companion: None,
    reader: Some(super::Reader::Text(|name, text, _, report| {
        read(name, text, report)
    })),
    relations: false,
};

#[derive(Serialize)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    id: usize,
    ws: bool,
}

#[derive(Serialize)]
struct Span<'a> {
    start: usize,
    end: usize,
    token_start: usize,
    token_end: usize,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct Meta<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct Record<'a> {
    text: &'a str,
    tokens: Vec<Tok<'a>>,
    spans: Vec<Span<'a>>,
    meta: Meta<'a>,
}

pub fn write(w: &mut dyn Write, docs: &[ExportDoc<'_>]) -> std::io::Result<Report> {
    let mut report = Report::default();
    for d in docs {
        let s = d.session;
        let toks = tokenize(s);
        let token_at_start = |c: usize| toks.partition_point(|t| t.start < c);
        let token_at_end = |c: usize| toks.partition_point(|t| t.end < c);
        let rec = Record {
            text: s.text(),
            tokens: toks
                .iter()
                .enumerate()
                .map(|(id, t)| Tok {
                    text: s.text().get(t.bytes.clone()).unwrap_or(""),
                    start: t.start,
                    end: t.end,
                    id,
                    ws: t.ws,
                })
                .collect(),
            spans: s
                .annotations()
                .iter()
                .map(|a| Span {
                    start: a.start,
                    end: a.end,
                    token_start: token_at_start(a.start),
                    token_end: token_at_end(a.end),
                    label: &a.label,
                    note: a.note.as_deref(),
                })
                .collect(),
            meta: Meta { id: &d.id },
        };
        serde_json::to_writer(&mut *w, &rec)?;
        w.write_all(b"\n")?;
        report.documents += 1;
        report.spans += s.annotations().len();
    }
    Ok(report)
}

/// Reads Prodigy/spaCy JSONL (`text` and `spans` with char `start`/`end`; tokens ignored).
pub fn read(name: &str, input: &str, report: &mut Report) -> Vec<Imported> {
    super::read_lines(name, input, report, parse)
}

fn parse(line: &str, line_no: usize) -> Result<Imported, String> {
    super::check_record_size(line)?;
    let v: Value = serde_json::from_str(line).map_err(|e| format!("broken JSON: {e}"))?;
    let text = v
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no \"text\" string: not Prodigy/spaCy JSONL")?
        .to_owned();
    let id = match v.get("meta").and_then(|m| m.get("id")) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        Some(Value::Number(n)) => {
            return Err(format!(
                "\"meta.id\" is a number too large to keep exactly (it reads as {n}); write it as a string"
            ));
        }
        _ => format!("record-{line_no}"),
    };
    let n = text.chars().count();
    let mut spans = Vec::new();
    if let Some(list) = v.get("spans") {
        for sp in list.as_array().ok_or("\"spans\" is not a list")? {
            let s = sp.get("start").and_then(Value::as_u64);
            let e = sp.get("end").and_then(Value::as_u64);
            let l = sp.get("label").and_then(Value::as_str);
            let (Some(s), Some(e), Some(l)) = (s, e, l) else {
                return Err(format!("span {sp} has no start, end and label"));
            };
            let (s, e) = (s as usize, e as usize);
            check_offsets(n, s, e)?;
            let note = sp.get("note").and_then(Value::as_str).map(str::to_owned);
            spans.push((s, e, l.to_owned(), note));
        }
    }
    Ok(Imported {
        id,
        text,
        spans,
        relations: Vec::new(),
    })
}
