//! Hugging Face token classification: JSONL with `id`, `tokens`, `ner_tags` (ints) and `tags`
//! (their names), one document a line, and the tag names in order written beside it
//! (`NAME.labels.json`, a JSON list: `datasets.ClassLabel(names=…)` decodes `ner_tags` with
//! it). Tags are IOB2 or BIOES; tokens are Unicode words (or whitespace-separated runs), split
//! at every span boundary, whitespace left out. Overlapping spans are resolved by `overlaps`.

use super::overlaps::resolve_reported;
use super::tokens::tokenize_with;
use super::{ExportDoc, ExportOptions, Report, Scheme};
use crate::model::LabelSet;
use serde::Serialize;
use std::io::Write;

/// Hugging Face token classification in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "hf",
    help: "Hugging Face token classification JSONL: tokens, ner_tags, tags (export only)",
    extension: "jsonl",
    options: &[
        super::FormatOption::Scheme,
        super::FormatOption::Overlaps,
        super::FormatOption::Tokenizer,
    ],
    writer: super::Writer::Stream(write),
    parallel: true,
    companion: Some(super::Companion {
        suffix: "labels.json",
        what: "label names",
        bytes: |labels, opts| {
            serde_json::to_vec(&tag_names(labels, opts.scheme)).map_err(std::io::Error::other)
        },
    }),
    reader: None,
    relations: false,
};

/// The tag names, in the order `ner_tags` counts them: `O`, then each label's tags.
pub fn tag_names(labels: &LabelSet, scheme: Scheme) -> Vec<String> {
    let prefixes: &[&str] = match scheme {
        Scheme::Iob2 => &["B", "I"],
        Scheme::Bioes => &["B", "I", "E", "S"],
    };
    std::iter::once("O".to_owned())
        .chain(
            labels
                .iter()
                .flat_map(|l| prefixes.iter().map(move |p| format!("{p}-{}", l.name))),
        )
        .collect()
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    tokens: Vec<&'a str>,
    ner_tags: Vec<usize>,
    tags: Vec<&'a str>,
}

pub fn write(
    w: &mut dyn Write,
    docs: &[ExportDoc<'_>],
    opts: &ExportOptions,
    labels: &LabelSet,
) -> std::io::Result<Report> {
    let names = tag_names(labels, opts.scheme);
    let index: std::collections::HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut report = Report::default();
    for d in docs {
        let s = d.session;
        let Some(kept) = resolve_reported(&d.id, s, opts.overlaps, "dropped", &mut report) else {
            continue;
        };
        let toks: Vec<_> = tokenize_with(s, opts.tokenizer)
            .into_iter()
            .filter(|t| {
                !t.space
                    && !s
                        .text()
                        .get(t.bytes.clone())
                        .unwrap_or("")
                        .trim()
                        .is_empty()
            })
            .collect();
        let mut tags: Vec<String> = vec!["O".to_owned(); toks.len()];
        for a in &kept {
            let from = toks.partition_point(|t| t.start < a.start);
            let to = toks.partition_point(|t| t.end <= a.end);
            let n = to.saturating_sub(from);
            for (k, tag) in tags.iter_mut().enumerate().take(to).skip(from) {
                let p = match (opts.scheme, k == from, k + 1 == to) {
                    (Scheme::Iob2, true, _) => "B",
                    (Scheme::Iob2, false, _) => "I",
                    (Scheme::Bioes, true, true) => "S",
                    (Scheme::Bioes, true, false) => "B",
                    (Scheme::Bioes, false, true) => "E",
                    (Scheme::Bioes, false, false) => "I",
                };
                *tag = format!("{p}-{}", a.label);
            }
            if n == 0 {
                report.notes.push(format!(
                    "document {}: span {} {}..{} has no token",
                    d.id, a.label, a.start, a.end
                ));
            }
        }
        let mut ner_tags = Vec::with_capacity(tags.len());
        for t in &tags {
            match index.get(t.as_str()) {
                Some(&i) => ner_tags.push(i),
                None => {
                    return Err(std::io::Error::other(format!(
                        "document {}: tag {t} is not among the label names",
                        d.id
                    )));
                }
            }
        }
        let rec = Record {
            id: &d.id,
            tokens: toks
                .iter()
                .map(|t| s.text().get(t.bytes.clone()).unwrap_or(""))
                .collect(),
            ner_tags,
            tags: tags.iter().map(String::as_str).collect(),
        };
        serde_json::to_writer(&mut *w, &rec)?;
        w.write_all(b"\n")?;
        report.documents += 1;
        report.spans += kept.len();
    }
    Ok(report)
}
