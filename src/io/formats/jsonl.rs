//! doccano's sequence-labelling JSONL: one document a line,
//! `{"id": "news", "text": "…", "label": [[3, 5, "actor"], …]}`.
//!
//! Offsets are chars (code points), or UTF-16 units with `Offsets::Utf16` (doccano's own).
//! Notes, when any, go in `"notes": [[start, end, "label", "note"], …]` (doccano keeps
//! unknown keys as metadata). Import also takes doccano's older shapes: `labels` instead of
//! `label`, and `entities: [{"start_offset", "end_offset", "label"}]`.
//!
//! A document with relations also carries them as doccano's relation projects export them:
//! `"entities": [{"id", "label", "start_offset", "end_offset"}], "relations": [{"id",
//! "from_id", "to_id", "type"}]` (the entity ids are the annotation ids); import reads that
//! shape whenever `relations` is there.

use super::{ExportDoc, Imported, Offsets, Report, Utf16Map, check_offsets};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

/// doccano JSONL in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "jsonl",
    help: "doccano sequence labelling JSONL: {\"id\", \"text\", \"label\": [[start, end, label]]}",
    extension: "jsonl",
    options: &[super::FormatOption::Offsets],
    writer: super::Writer::Stream(|w, docs, opts, _| write(w, docs, opts.offsets)),
    parallel: true,
    companion: None,
    reader: Some(super::Reader::Text(read)),
    relations: true,
};

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<(usize, usize, &'a str, &'a str)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entities: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relations: Option<Vec<Value>>,
}

pub fn write(
    w: &mut dyn Write,
    docs: &[ExportDoc<'_>],
    offsets: Offsets,
) -> std::io::Result<Report> {
    let mut report = Report::default();
    for d in docs {
        let s = d.session;
        let map = (offsets == Offsets::Utf16 && !s.document().is_ascii())
            .then(|| Utf16Map::new(s.text()));
        let conv = |c: usize| map.as_ref().and_then(|m| m.to_utf16(c)).unwrap_or(c);
        let rec = Record {
            id: &d.id,
            text: s.text(),
            label: s
                .annotations()
                .iter()
                .map(|a| (conv(a.start), conv(a.end), a.label.as_str()))
                .collect(),
            notes: s
                .annotations()
                .iter()
                .filter_map(|a| {
                    Some((
                        conv(a.start),
                        conv(a.end),
                        a.label.as_str(),
                        a.note.as_deref()?,
                    ))
                })
                .collect(),
            entities: None,
            relations: None,
        };
        let rec = if s.relations().is_empty() {
            rec
        } else {
            let (entities, relations) = relation_layout(s, &conv);
            Record {
                entities: Some(entities),
                relations: Some(relations),
                ..rec
            }
        };
        serde_json::to_writer(&mut *w, &rec)?;
        w.write_all(b"\n")?;
        report.documents += 1;
        report.spans += s.annotations().len();
    }
    Ok(report)
}

/// doccano's relation layout of a session: entities by annotation id, relations between them.
fn relation_layout(
    s: &crate::model::Session,
    conv: &dyn Fn(usize) -> usize,
) -> (Vec<Value>, Vec<Value>) {
    let entities = s
        .annotations()
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id.0,
                "label": a.label,
                "start_offset": conv(a.start),
                "end_offset": conv(a.end),
            })
        })
        .collect();
    let relations = s
        .relations()
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id.0,
                "from_id": r.from.0,
                "to_id": r.to.0,
                "type": r.label,
            })
        })
        .collect();
    (entities, relations)
}

/// Reads doccano JSONL. Bad lines are reported (`NAME:LINE: problem`) and skipped.
pub fn read(name: &str, input: &str, offsets: Offsets, report: &mut Report) -> Vec<Imported> {
    let lines: Vec<(usize, &str)> = input
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect();
    // Records are independent: parsed on every core, reported in file order.
    let parsed = crate::io::par::par_map(&lines, |&(line_no, line)| {
        parse_record(line, offsets, line_no)
    });
    let mut out = Vec::with_capacity(parsed.len());
    for ((line_no, _), r) in lines.iter().zip(parsed) {
        match r {
            Ok(doc) => out.push(doc),
            Err(e) => {
                report
                    .notes
                    .push(format!("{name}:{line_no}: {e}; record skipped"));
                report.failed = true;
            }
        }
    }
    out
}

fn parse_record(line: &str, offsets: Offsets, line_no: usize) -> Result<Imported, String> {
    super::check_record_size(line)?;
    let v: Value = serde_json::from_str(line).map_err(|e| format!("broken JSON: {e}"))?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    let text = obj
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no \"text\" string: not doccano's sequence-labelling shape")?
        .to_owned();
    let id = match obj.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        Some(Value::Number(n)) => {
            return Err(format!(
                "\"id\" is a number too large to keep exactly (it reads as {n}); write it as a string"
            ));
        }
        _ => format!("record-{line_no}"),
    };
    let mut raw: Vec<(u64, u64, String)> = Vec::new();
    // doccano's relation shape: entities with ids, relations between them.
    let with_relations = obj.get("relations").is_some() && obj.get("entities").is_some();
    let mut entity_ids: Vec<u64> = Vec::new();
    if with_relations {
        entities_with_ids(&obj["entities"], &mut raw, &mut entity_ids)?;
    } else if let Some(list) = obj.get("label").or_else(|| obj.get("labels")) {
        label_list(list, &mut raw)?;
    } else if let Some(list) = obj.get("entities") {
        let list = list.as_array().ok_or("\"entities\" is not a list")?;
        for item in list {
            let s = item.get("start_offset").and_then(Value::as_u64);
            let e = item.get("end_offset").and_then(Value::as_u64);
            let l = item.get("label").and_then(Value::as_str);
            match (s, e, l) {
                (Some(s), Some(e), Some(l)) => raw.push((s, e, l.to_owned())),
                _ => {
                    return Err(format!(
                        "entity {item} has no start_offset, end_offset and label"
                    ));
                }
            }
        }
    } else if obj
        .get("spans")
        .is_some_and(|s| s.as_array().is_some_and(|l| !l.is_empty()))
    {
        // Prodigy's shape: importing it as doccano's would silently lose every span.
        return Err(
            "it has \"spans\" (Prodigy/spaCy JSONL), not doccano's \"label\": import it with --format spacy"
                .into(),
        );
    }
    let mut notes: Vec<(u64, u64, String, String)> = Vec::new();
    if let Some(Value::Array(list)) = obj.get("notes") {
        for item in list {
            if let Some([s, e, l, n]) = item.as_array().map(Vec::as_slice)
                && let (Some(s), Some(e), Some(l), Some(n)) =
                    (s.as_u64(), e.as_u64(), l.as_str(), n.as_str())
            {
                notes.push((s, e, l.to_owned(), n.to_owned()));
            }
        }
    }
    let map = (offsets == Offsets::Utf16).then(|| Utf16Map::new(&text));
    let to_chars = |u: u64| -> Result<usize, String> {
        let u = usize::try_from(u).map_err(|_| format!("offset {u} is too large"))?;
        match &map {
            Some(m) => m.to_chars(u).ok_or_else(|| {
                format!("UTF-16 offset {u} falls inside a character or beyond the text")
            }),
            None => Ok(u),
        }
    };
    let n_chars = text.chars().count();
    let mut spans = Vec::with_capacity(raw.len());
    for (s, e, l) in raw {
        let (cs, ce) = (to_chars(s)?, to_chars(e)?);
        check_offsets(n_chars, cs, ce)?;
        let note = notes
            .iter()
            .find(|(ns, ne, nl, _)| (*ns, *ne) == (s, e) && *nl == l)
            .map(|(_, _, _, n)| n.clone());
        spans.push((cs, ce, l, note));
    }
    let relations = if with_relations {
        relations_of(&obj["relations"], &entity_ids)?
    } else {
        Vec::new()
    };
    Ok(Imported {
        id,
        text,
        spans,
        relations,
    })
}

/// doccano's `label: [[start, end, "label"], …]` into `raw`.
fn label_list(list: &Value, raw: &mut Vec<(u64, u64, String)>) -> Result<(), String> {
    let list = list.as_array().ok_or("\"label\" is not a list")?;
    for item in list {
        let (s, e, l) = match item.as_array().map(Vec::as_slice) {
            Some([s, e, l]) => (s.as_u64(), e.as_u64(), l.as_str()),
            _ => (None, None, None),
        };
        match (s, e, l) {
            (Some(s), Some(e), Some(l)) => raw.push((s, e, l.to_owned())),
            _ => return Err(format!("label entry {item} is not [start, end, \"label\"]")),
        }
    }
    Ok(())
}

/// doccano's relation-project `entities` (each with its id) into `raw` and `ids`.
fn entities_with_ids(
    list: &Value,
    raw: &mut Vec<(u64, u64, String)>,
    ids: &mut Vec<u64>,
) -> Result<(), String> {
    let list = list.as_array().ok_or("\"entities\" is not a list")?;
    for item in list {
        let id = item.get("id").and_then(Value::as_u64);
        let s = item.get("start_offset").and_then(Value::as_u64);
        let e = item.get("end_offset").and_then(Value::as_u64);
        let l = item.get("label").and_then(Value::as_str);
        let (Some(id), Some(s), Some(e), Some(l)) = (id, s, e, l) else {
            return Err(format!(
                "entity {item} has no id, start_offset, end_offset and label"
            ));
        };
        ids.push(id);
        raw.push((s, e, l.to_owned()));
    }
    Ok(())
}

/// doccano's `relations` as (span index, span index, type); `ids` are the entities' ids in
/// span order.
fn relations_of(list: &Value, ids: &[u64]) -> Result<Vec<(usize, usize, String)>, String> {
    let at: std::collections::HashMap<u64, usize> =
        ids.iter().enumerate().map(|(k, id)| (*id, k)).collect();
    let list = list.as_array().ok_or("\"relations\" is not a list")?;
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        let end = |k: &str| {
            item.get(k)
                .and_then(Value::as_u64)
                .and_then(|id| at.get(&id))
        };
        let label = item.get("type").and_then(Value::as_str);
        match (end("from_id"), end("to_id"), label) {
            (Some(&a), Some(&b), Some(l)) => out.push((a, b, l.to_owned())),
            _ => {
                return Err(format!(
                    "relation {item} needs from_id and to_id of entities, and a type"
                ));
            }
        }
    }
    Ok(out)
}
