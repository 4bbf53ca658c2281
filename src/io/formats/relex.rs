//! JSONL for training relation extraction: one document a line, every span with its id and
//! the relations between them as `[from, to, "label"]`:
//!
//! `{"id": "news", "text": "De EU en Japan…", "spans": [{"id": 1, "start": 3, "end": 5,
//! "label": "actor", "text": "EU"}, …], "relations": [[1, 2, "signs_with"]]}`
//!
//! A span with a note carries it in `"note"`. Offsets are code points (Python `str`
//! indices), end-exclusive; a span's `id` is its
//! annotation id, so a relation names its two spans exactly (the same text twice is two
//! spans). Read back, it gives the spans and relations it holds.

use super::{ExportDoc, Imported, Offsets, Report, check_offsets};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Relation-extraction JSONL in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "relations",
    help: "JSONL for relation extraction: {\"id\", \"text\", \"spans\": [{\"id\", \"start\", \"end\", \"label\", \"text\"}], \"relations\": [[from, to, label]]}",
    extension: "jsonl",
    options: &[],
    writer: super::Writer::Stream(|w, docs, _, _| write(w, docs)),
    parallel: true,
    companion: None,
    reader: Some(super::Reader::Text(read)),
    relations: true,
};

#[derive(Serialize, Deserialize)]
struct Span<'a> {
    id: u64,
    start: usize,
    end: usize,
    label: std::borrow::Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    text: &'a str,
    spans: Vec<Span<'a>>,
    relations: Vec<(u64, u64, &'a str)>,
}

pub fn write(w: &mut dyn Write, docs: &[ExportDoc<'_>]) -> std::io::Result<Report> {
    let mut report = Report::default();
    for d in docs {
        let s = d.session;
        let spans = s
            .annotations()
            .iter()
            .map(|a| Span {
                id: a.id.0,
                start: a.start,
                end: a.end,
                label: a.label.as_str().into(),
                text: Some(s.covered(a).into()),
                note: a.note.as_deref().map(Into::into),
            })
            .collect();
        // Relations whose span waits for re-anchoring review are not in `spans`: left out.
        let relations = s
            .relations()
            .iter()
            .filter(|r| s.get(r.from).is_some() && s.get(r.to).is_some())
            .map(|r| (r.from.0, r.to.0, r.label.as_str()))
            .collect();
        let rec = Record {
            id: &d.id,
            text: s.text(),
            spans,
            relations,
        };
        serde_json::to_writer(&mut *w, &rec)?;
        w.write_all(b"\n")?;
        report.documents += 1;
        report.spans += s.annotations().len();
    }
    Ok(report)
}

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    spans: Vec<Span<'a>>,
    #[serde(default)]
    relations: Vec<(u64, u64, String)>,
}

/// Reads relation-extraction JSONL. Bad lines are reported (`NAME:LINE: problem`) and
/// skipped.
pub fn read(name: &str, input: &str, _: Offsets, report: &mut Report) -> Vec<Imported> {
    super::read_lines(name, input, report, parse_record)
}

fn parse_record(line: &str, line_no: usize) -> Result<Imported, String> {
    super::check_record_size(line)?;
    let rec: Input = serde_json::from_str(line).map_err(|e| {
        format!("not a relation-extraction record ({{\"text\", \"spans\", \"relations\"}}): {e}")
    })?;
    let id = match rec.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        _ => format!("record-{line_no}"),
    };
    let n_chars = rec.text.chars().count();
    let mut at = std::collections::HashMap::with_capacity(rec.spans.len());
    let mut spans = Vec::with_capacity(rec.spans.len());
    for s in rec.spans {
        check_offsets(n_chars, s.start, s.end)?;
        if at.insert(s.id, spans.len()).is_some() {
            return Err(format!("span id {} is used twice", s.id));
        }
        let note = s.note.map(std::borrow::Cow::into_owned);
        spans.push((s.start, s.end, s.label.into_owned(), note));
    }
    let mut relations = Vec::with_capacity(rec.relations.len());
    for (from, to, label) in rec.relations {
        match (at.get(&from), at.get(&to)) {
            (Some(&a), Some(&b)) => relations.push((a, b, label)),
            _ => {
                return Err(format!(
                    "relation [{from}, {to}, {label:?}] names a span id the record does not have"
                ));
            }
        }
    }
    Ok(Imported {
        id,
        text: rec.text,
        spans,
        relations,
    })
}
