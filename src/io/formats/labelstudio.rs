//! Label Studio JSON: a list of tasks `{"id", "data": {"text", "doc_id"}, "annotations":
//! [{"result": [...]}]}` (or `"predictions"`), each result
//! `{"id", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start",
//! "end", "text", "labels": ["actor"]}}` with char offsets. A note is a per-region
//! `textarea` result with the same id. [`config_xml`] is the labelling config to import with.

use super::{ExportDoc, Imported, Report, check_offsets};
use crate::model::LabelSet;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

/// Label Studio in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "labelstudio",
    help: "Label Studio JSON tasks, plus the labelling config XML",
    extension: "json",
    options: &[super::FormatOption::Predictions],
    writer: super::Writer::Stream(|w, docs, opts, _| write(w, docs, opts.as_predictions)),
    parallel: false,
    companion: Some(super::Companion {
        suffix: "label_config.xml",
        what: "labelling config",
        bytes: |labels, _| Ok(config_xml(labels).into_bytes()),
    }),
    reader: Some(super::Reader::Text(|name, text, _, report| {
        read(name, text, report)
    })),
    relations: true,
};

pub fn config_xml(labels: &LabelSet) -> String {
    let mut out = String::from("<View>\n  <Labels name=\"label\" toName=\"text\">\n");
    for l in labels.iter() {
        out.push_str(&format!(
            "    <Label value=\"{}\" background=\"{}\"/>\n",
            xml_escape(&l.name),
            l.color
        ));
    }
    out.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n");
    out.push_str("  <TextArea name=\"note\" toName=\"text\" perRegion=\"true\" editable=\"true\" placeholder=\"Note\"/>\n</View>\n");
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn write(
    w: &mut dyn Write,
    docs: &[ExportDoc<'_>],
    as_predictions: bool,
) -> std::io::Result<Report> {
    let mut report = Report::default();
    let tasks: Vec<Value> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let s = d.session;
            let mut result = Vec::new();
            for a in s.annotations() {
                let rid = format!("s{}", a.id.0);
                result.push(json!({
                    "id": rid,
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "origin": if as_predictions { "prediction" } else { "manual" },
                    "value": {"start": a.start, "end": a.end, "text": s.covered(a), "labels": [a.label]},
                }));
                if let Some(n) = &a.note {
                    result.push(json!({
                        "id": rid,
                        "from_name": "note",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {"start": a.start, "end": a.end, "text": [n]},
                    }));
                }
            }
            for r in s.relations() {
                let directed = s.relation_label(&r.label).is_none_or(|l| l.directed);
                result.push(json!({
                    "type": "relation",
                    "from_id": format!("s{}", r.from.0),
                    "to_id": format!("s{}", r.to.0),
                    "direction": if directed { "right" } else { "bi" },
                    "labels": [r.label],
                }));
            }
            report.documents += 1;
            report.spans += s.annotations().len();
            let key = if as_predictions { "predictions" } else { "annotations" };
            let mut entry = json!({"result": result});
            if as_predictions {
                entry["model_version"] = json!(format!("spanmark {}", env!("CARGO_PKG_VERSION")));
            }
            let mut task = json!({"id": i + 1, "data": {"text": s.text(), "doc_id": d.id}});
            task[key] = json!([entry]);
            task
        })
        .collect();
    serde_json::to_writer_pretty(&mut *w, &tasks)?;
    w.write_all(b"\n")?;
    Ok(report)
}

/// Reads Label Studio tasks: the first annotation of each task (or its first prediction).
pub fn read(name: &str, input: &str, report: &mut Report) -> Vec<Imported> {
    let v: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => {
            report.notes.push(format!(
                "{name}:{}:{}: broken JSON: {e}",
                e.line(),
                e.column()
            ));
            report.failed = true;
            return Vec::new();
        }
    };
    let tasks = match v {
        Value::Array(t) => t,
        obj @ Value::Object(_) => vec![obj],
        _ => {
            report
                .notes
                .push(format!("{name}: not a Label Studio task list"));
            report.failed = true;
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        let mut warnings = Vec::new();
        let parsed = parse_task(task, i, &mut warnings);
        report.notes.extend(
            warnings
                .into_iter()
                .map(|w| format!("{name}: task {}: {w}", i + 1)),
        );
        match parsed {
            Ok(d) => out.push(d),
            Err(e) => {
                report
                    .notes
                    .push(format!("{name}: task {}: {e}; task skipped", i + 1));
                report.failed = true;
            }
        }
    }
    out
}

/// One task; what is read only in part is said in `warnings` (never dropped silently).
fn parse_task(task: &Value, i: usize, warnings: &mut Vec<String>) -> Result<Imported, String> {
    let data = task.get("data").ok_or("no \"data\"")?;
    let text = data
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no \"data.text\" string")?
        .to_owned();
    let id = match (data.get("doc_id"), task.get("id")) {
        (Some(Value::String(s)), _) => s.clone(),
        (_, Some(Value::Number(n))) if n.is_u64() || n.is_i64() => format!("task-{n}"),
        _ => format!("task-{}", i + 1),
    };
    for k in ["annotations", "predictions"] {
        match task.get(k) {
            Some(Value::Array(list)) if list.len() > 1 => warnings.push(format!(
                "{} {k}; only the first is read (a session holds one annotator's spans: import the others as separate files)",
                list.len()
            )),
            Some(Value::Array(_)) | None => {}
            Some(_) => warnings.push(format!("\"{k}\" is not a list; ignored")),
        }
    }
    let result = ["annotations", "predictions"]
        .iter()
        .find_map(|k| task.get(*k)?.as_array()?.first()?.get("result")?.as_array())
        .cloned()
        .unwrap_or_default();
    let n = text.chars().count();
    let mut notes: HashMap<String, String> = HashMap::new();
    for r in &result {
        if r.get("type").and_then(Value::as_str) == Some("textarea")
            && let (Some(id), Some(t)) = (
                r.get("id").and_then(Value::as_str),
                r.pointer("/value/text/0").and_then(Value::as_str),
            )
        {
            notes.insert(id.to_owned(), t.to_owned());
        }
    }
    let mut spans = Vec::new();
    // Each region's first span, for the relations that name it.
    let mut region: HashMap<String, usize> = HashMap::new();
    for r in &result {
        if r.get("type").and_then(Value::as_str) != Some("labels") {
            continue;
        }
        if let Some(id) = r.get("id").and_then(Value::as_str) {
            region.entry(id.to_owned()).or_insert(spans.len());
        }
        let val = r.get("value").ok_or("a result has no \"value\"")?;
        let s = val.get("start").and_then(Value::as_u64);
        let e = val.get("end").and_then(Value::as_u64);
        let labels = val.get("labels").and_then(Value::as_array);
        let (Some(s), Some(e), Some(labels)) = (s, e, labels) else {
            return Err("a labels result needs value.start, value.end and value.labels".into());
        };
        let (s, e) = (s as usize, e as usize);
        check_offsets(n, s, e)?;
        let note = r
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| notes.get(id).cloned());
        for l in labels {
            match l.as_str() {
                Some(l) => spans.push((s, e, l.to_owned(), note.clone())),
                None => warnings.push(format!("span {s}..{e}: label {l} is not a string; skipped")),
            }
        }
    }
    let relations = relations_of(&result, &region, warnings);
    Ok(Imported {
        id,
        text,
        spans,
        relations,
    })
}

/// The `relation` results between regions read as spans (`region`: id to span index); one
/// with `direction: "left"` goes from `to_id` to `from_id`.
fn relations_of(
    result: &[Value],
    region: &HashMap<String, usize>,
    warnings: &mut Vec<String>,
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for r in result {
        if r.get("type").and_then(Value::as_str) != Some("relation") {
            continue;
        }
        let end = |k: &str| {
            r.get(k)
                .and_then(Value::as_str)
                .and_then(|id| region.get(id))
        };
        let (Some(&a), Some(&b)) = (end("from_id"), end("to_id")) else {
            warnings.push("a relation names a region that is not a span; skipped".into());
            continue;
        };
        let label = r
            .pointer("/labels/0")
            .and_then(Value::as_str)
            .unwrap_or("related")
            .to_owned();
        let left = r.get("direction").and_then(Value::as_str) == Some("left");
        out.push(if left { (b, a, label) } else { (a, b, label) });
    }
    out
}
