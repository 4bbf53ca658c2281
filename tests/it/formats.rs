//! Exporters and importers: round trips over the Unicode fixtures, offsets that match the
//! covered text in every format, and real consumers (spaCy, seqeval, a brat reader, Label
//! Studio's converter) reading the output.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::python::run_py;
use crate::common::{session_of, text_fixtures};
use spanmark::io::formats::{ExportOptions, Format, Offsets, Overlaps, Report, Scheme};
use spanmark::io::transfer;
use spanmark::model::{Edit, History, Session};
use std::path::Path;
use unicode_segmentation::UnicodeSegmentation;

/// A fixture session with every third word tagged, some two-word spans over them (nested and
/// overlapping), and notes.
fn annotated(path: &Path, nested: bool) -> Session {
    let mut s = session_of(path);
    let mut h = History::new_unsaved();
    let text = s.text().to_owned();
    let doc = s.document().clone();
    let words: Vec<(usize, usize)> = text
        .split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
        .map(|(b, w)| {
            let c = doc.byte_to_char(b).unwrap();
            (c, c + w.chars().count())
        })
        .collect();
    let labels = ["actor", "topic", "date"];
    for (i, &(a, b)) in words.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let mut ann = s.new_annotation(a, b, labels[i % 3]);
        if i % 4 == 0 {
            ann.note = Some(format!("note {i}: \"quoted\", tab\tand é"));
        }
        h.apply(&mut s, Edit::Add(ann)).unwrap();
        if nested && let Some(&(_, b2)) = words.get(i + 1) {
            // Two words: contains this one (nested) and reaches into the next.
            let ann = s.new_annotation(a, b2, labels[(i + 1) % 3]);
            let _ = h.apply(&mut s, Edit::Add(ann));
        }
    }
    assert!(s.annotations().len() >= 2, "{}", path.display());
    s
}

pub fn docs(nested: bool) -> Vec<(String, Session)> {
    text_fixtures()
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, annotated(p, nested))
        })
        .collect()
}

type Span = (usize, usize, String, Option<String>);

fn spans_of(s: &Session) -> Vec<Span> {
    s.annotations()
        .iter()
        .map(|a| (a.start, a.end, a.label.clone(), a.note.clone()))
        .collect()
}

fn export(
    format: Format,
    sessions: &[(String, Session)],
    out: &Path,
    opts: ExportOptions,
) -> Report {
    transfer::export(format, sessions, out, opts).unwrap()
}

fn reimport(format: Format, input: &Path, offsets: Offsets) -> Vec<(String, Session)> {
    let mut report = Report::default();
    let (docs, labels) = transfer::read_foreign(format, input, offsets, &mut report).unwrap();
    assert!(!report.failed, "{:?}", report.notes);
    spanmark::io::formats::to_sessions(docs, "test", labels.as_ref(), &mut report)
}

/// import(export(s)) == s: same ids, the exact text, the same spans (and notes).
fn assert_round_trip(format: Format, offsets: Offsets, with_notes: bool) {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(true);
    let out = dir.path().join(format!("out.{}", format.extension()));
    let report = export(
        format,
        &sessions,
        &out,
        ExportOptions {
            offsets,
            ..Default::default()
        },
    );
    assert!(!report.failed, "{:?}", report.notes);
    let mut back = reimport(format, &out, offsets);
    let mut sessions = sessions;
    sessions.sort_by(|a, b| a.0.cmp(&b.0));
    back.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(back.len(), sessions.len());
    for ((id, s), (id2, s2)) in sessions.iter().zip(&back) {
        assert_eq!(id, id2);
        assert_eq!(s.text(), s2.text(), "{format} {id}");
        let mut want = spans_of(s);
        if !with_notes {
            want.iter_mut().for_each(|x| x.3 = None);
        }
        if format == Format::Brat {
            // brat notes are one line: tabs and newlines become spaces.
            want.iter_mut()
                .for_each(|x| x.3 = x.3.take().map(|n| n.replace(['\t', '\n'], " ")));
        }
        let got = spans_of(s2);
        assert_eq!(got, want, "{format} {id}");
        for a in s2.annotations() {
            assert_eq!(s2.covered(a), s.document().slice(a.range()).unwrap());
        }
    }
}

#[test]
fn jsonl_round_trips_in_chars_and_utf16() {
    assert_round_trip(Format::Jsonl, Offsets::Chars, true);
    assert_round_trip(Format::Jsonl, Offsets::Utf16, true);
}

#[test]
fn spacy_round_trips() {
    assert_round_trip(Format::Spacy, Offsets::Chars, true);
}

#[test]
fn brat_round_trips() {
    assert_round_trip(Format::Brat, Offsets::Chars, true);
}

#[test]
fn labelstudio_round_trips() {
    assert_round_trip(Format::Labelstudio, Offsets::Chars, true);
}

#[test]
fn utf16_offsets_count_surrogate_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let s = annotated(&crate::common::fixture("emoji.txt"), false);
    let out = dir.path().join("e.jsonl");
    export(
        Format::Jsonl,
        &[("emoji".into(), s.clone())],
        &out,
        ExportOptions {
            offsets: Offsets::Utf16,
            ..Default::default()
        },
    );
    let v: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&out).unwrap().trim()).unwrap();
    let text: Vec<u16> = v["text"].as_str().unwrap().encode_utf16().collect();
    for (ann, l) in s.annotations().iter().zip(v["label"].as_array().unwrap()) {
        let (a, b) = (
            l[0].as_u64().unwrap() as usize,
            l[1].as_u64().unwrap() as usize,
        );
        assert_eq!(String::from_utf16(&text[a..b]).unwrap(), s.covered(ann));
    }
}

#[test]
fn every_exported_span_covers_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(true);
    // jsonl, spacy: text[start:end] per record; csv: the text column; brat: the T line's text.
    let out = dir.path().join("a.jsonl");
    export(Format::Jsonl, &sessions, &out, ExportOptions::default());
    for (line, (_, s)) in std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .zip(&sessions)
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let chars: Vec<char> = v["text"].as_str().unwrap().chars().collect();
        for (l, a) in v["label"].as_array().unwrap().iter().zip(s.annotations()) {
            let (x, y) = (
                l[0].as_u64().unwrap() as usize,
                l[1].as_u64().unwrap() as usize,
            );
            assert_eq!(chars[x..y].iter().collect::<String>(), s.covered(a));
        }
    }
    let out = dir.path().join("a.csv");
    export(Format::Csv, &sessions, &out, ExportOptions::default());
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let total: usize = sessions.iter().map(|(_, s)| s.annotations().len()).sum();
    assert_eq!(rows.len(), total);
    for r in rows {
        let (_, s) = sessions.iter().find(|(id, _)| id == &r[0]).unwrap();
        let (a, b): (usize, usize) = (r[1].parse().unwrap(), r[2].parse().unwrap());
        assert_eq!(s.document().slice(a..b).unwrap(), &r[4]);
    }
}

#[test]
fn conll_overlaps_error_by_default_and_report_what_was_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(true);
    let out = dir.path().join("a.conll");
    let r = export(Format::Conll, &sessions, &out, ExportOptions::default());
    assert!(r.failed);
    assert!(r.notes[0].contains("spans overlap"), "{:?}", r.notes);
    assert!(
        r.notes[0].contains("--overlaps outermost or longest"),
        "{:?}",
        r.notes
    );
    let r = export(
        Format::Conll,
        &sessions,
        &out,
        ExportOptions {
            overlaps: Overlaps::Outermost,
            ..Default::default()
        },
    );
    assert!(!r.failed);
    assert!(
        r.notes.iter().any(|n| n.contains("dropped")),
        "{:?}",
        r.notes
    );
    // Flat data round-trips its labels and span texts through CoNLL.
    let flat = docs(false);
    let r = export(
        Format::Conll,
        &flat,
        &out,
        ExportOptions {
            scheme: Scheme::Bioes,
            ..Default::default()
        },
    );
    assert!(!r.failed && r.notes.is_empty(), "{:?}", r.notes);
    let back = reimport(Format::Conll, &out, Offsets::Chars);
    assert_eq!(back.len(), flat.len());
    for ((_, s), (_, s2)) in flat.iter().zip(&back) {
        let a: Vec<(String, String)> = s
            .annotations()
            .iter()
            .map(|a| (s.covered(a).to_owned(), a.label.clone()))
            .collect();
        let b: Vec<(String, String)> = s2
            .annotations()
            .iter()
            .map(|a| (s2.covered(a).to_owned(), a.label.clone()))
            .collect();
        assert_eq!(a, b);
    }
}

#[test]
fn bad_records_are_named_and_the_good_ones_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            "{\"id\": 1, \"text\": \"De EU en Japan\", \"label\": [[3, 5, \"actor\"]]}\n",
            "{\"id\": 2, \"text\": \"kort\", \"label\": [[0, 40, \"actor\"]]}\n",
            "{\"id\": 3, \"text\": \"broken\n",
            "{\"id\": 4, \"data\": \"no text\"}\n",
            "{\"id\": 5, \"text\": \"oude vorm\", \"entities\": [{\"start_offset\": 0, \"end_offset\": 4, \"label\": \"topic\"}]}\n",
            "{\"id\": 6, \"text\": \"labels\", \"labels\": [[0, 6, \"place\"]]}\n",
        ),
    )
    .unwrap();
    let out = dir.path().join("sessions");
    let r = transfer::import(Format::Jsonl, &input, &out, Offsets::Chars, transfer::QUIET).unwrap();
    assert!(r.failed);
    let name = input.display().to_string();
    assert_eq!(
        r.notes,
        [
            format!(
                "{name}:2: span 0..40 lies beyond the end of the text (4 characters); record skipped"
            ),
            format!(
                "{name}:3: broken JSON: EOF while parsing a string at line 1 column 25; record skipped"
            ),
            format!(
                "{name}:4: no \"text\" string: not doccano's sequence-labelling shape; record skipped"
            ),
        ]
    );
    assert_eq!((r.documents, r.spans), (3, 3));
    let s = spanmark::io::load_session(&out.join("5.spanmark.ron")).unwrap();
    assert_eq!(s.covered(&s.annotations()[0]), "oude");
    let s = spanmark::io::load_session(&out.join("6.spanmark.ron")).unwrap();
    assert_eq!(s.annotations()[0].label, "place");
    assert!(s.labels().contains("place"));
    // Importing again never overwrites.
    let r = transfer::import(Format::Jsonl, &input, &out, Offsets::Chars, transfer::QUIET).unwrap();
    assert!(
        r.notes
            .iter()
            .any(|n| n.ends_with("already exists; not overwritten"))
    );
}

// ---- real consumers ----------------------------------------------------------------------

/// What we expect consumers to find: per document, sorted (start, end, label).
pub fn expected(sessions: &[(String, Session)]) -> serde_json::Value {
    serde_json::Value::Array(
        sessions
            .iter()
            .map(|(_, s)| {
                serde_json::Value::Array(
                    s.annotations()
                        .iter()
                        .map(|a| serde_json::json!([a.start, a.end, a.label, s.covered(a)]))
                        .collect(),
                )
            })
            .collect(),
    )
}

#[test]
fn spacy_builds_docs_with_strict_char_spans() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(true);
    let out = dir.path().join("spacy.jsonl");
    export(Format::Spacy, &sessions, &out, ExportOptions::default());
    let got: serde_json::Value = serde_json::from_str(&run_py("check_spacy.py", &[&out])).unwrap();
    assert_eq!(got, expected(&sessions));
}

#[test]
fn spacy_convert_and_seqeval_read_the_conll_export() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(false);
    let out = dir.path().join("flat.conll");
    let r = export(Format::Conll, &sessions, &out, ExportOptions::default());
    assert!(!r.failed, "{:?}", r.notes);
    let got: serde_json::Value =
        serde_json::from_str(&run_py("check_conll.py", &[&out, dir.path()])).unwrap();
    // spaCy's entities, as (text, label) per document, equal ours.
    let want: Vec<Vec<(String, String)>> = sessions
        .iter()
        .map(|(_, s)| {
            s.annotations()
                .iter()
                .map(|a| {
                    (
                        s.covered(a)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                        a.label.clone(),
                    )
                })
                .collect()
        })
        .collect();
    let spacy: Vec<Vec<(String, String)>> = serde_json::from_value(got["spacy"].clone()).unwrap();
    assert_eq!(spacy, want);
    let n: usize = want.iter().map(Vec::len).sum();
    assert_eq!(got["seqeval_entities"], n);
    assert_eq!(got["seqeval_f1_self"], 1.0);
}

#[test]
fn pybrat_reads_the_brat_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(true);
    let out = dir.path().join("brat");
    export(Format::Brat, &sessions, &out, ExportOptions::default());
    let got: serde_json::Value = serde_json::from_str(&run_py("check_brat.py", &[&out])).unwrap();
    let want: serde_json::Map<String, serde_json::Value> = sessions
        .iter()
        .map(|(id, s)| {
            let mut v: Vec<serde_json::Value> = s
                .annotations()
                .iter()
                .map(|a| serde_json::json!([a.start, a.end, a.label]))
                .collect();
            v.sort_by_key(|x| x.to_string());
            (id.clone(), serde_json::Value::Array(v))
        })
        .collect();
    assert_eq!(got, serde_json::Value::Object(want));
}

#[test]
fn label_studio_converter_reads_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(true);
    let out = dir.path().join("tasks.json");
    export(
        Format::Labelstudio,
        &sessions,
        &out,
        ExportOptions::default(),
    );
    let config = transfer::companion_path(&out);
    assert!(config.exists());
    let got: serde_json::Value = serde_json::from_str(&run_py(
        "check_labelstudio.py",
        &[&out, &config, dir.path()],
    ))
    .unwrap();
    assert_eq!(got, expected(&sessions));
}

#[test]
fn conll_begins_a_span_that_starts_with_whitespace() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    // 30..36 is " Tokyo": the span starts with the space CoNLL drops.
    std::fs::write(&input, "{\"id\": \"n\", \"text\": \"De EU en Japan werken samen in Tokyo.\", \"label\": [[30, 36, \"place\"], [3, 5, \"actor\"]]}\n").unwrap();
    let sessions = reimport(Format::Jsonl, &input, Offsets::Chars);
    let out = dir.path().join("n.conll");
    for (scheme, tag) in [(Scheme::Iob2, "B-place"), (Scheme::Bioes, "S-place")] {
        let r = export(
            Format::Conll,
            &sessions,
            &out,
            ExportOptions {
                scheme,
                ..Default::default()
            },
        );
        assert!(!r.failed, "{:?}", r.notes);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains(&format!("\nTokyo _ _ {tag}\n")), "{text}");
    }
}

#[test]
fn ids_that_cannot_be_kept_and_brat_ids_defined_twice_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    // A JSONL id past what a whole number can hold exactly: said, not turned into 1.23e22.
    let input = dir.path().join("big.jsonl");
    std::fs::write(
        &input,
        "{\"id\": 12345678901234567890123, \"text\": \"De EU.\", \"label\": [[3, 5, \"actor\"]]}\n\
         {\"id\": 42, \"text\": \"Japan.\", \"label\": [[0, 5, \"actor\"]]}\n",
    )
    .unwrap();
    let mut report = Report::default();
    let (docs, _) =
        transfer::read_foreign(Format::Jsonl, &input, Offsets::Chars, &mut report).unwrap();
    assert_eq!(
        docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["42"]
    );
    assert!(report.failed);
    assert!(
        report.notes.iter().any(|n| n.contains("big.jsonl:1")
            && n.contains("too large to keep exactly")
            && n.contains("write it as a string")),
        "{:?}",
        report.notes
    );

    // brat: T1 twice; the first is kept and the second reported by line.
    let brat = dir.path().join("brat");
    std::fs::create_dir_all(&brat).unwrap();
    std::fs::write(brat.join("doc.txt"), "De EU en Japan").unwrap();
    std::fs::write(
        brat.join("doc.ann"),
        "T1\tactor 3 5\tEU\nT1\ttopic 9 14\tJapan\n",
    )
    .unwrap();
    let mut report = Report::default();
    let (docs, _) =
        transfer::read_foreign(Format::Brat, &brat, Offsets::Chars, &mut report).unwrap();
    assert_eq!(docs[0].spans.len(), 1);
    assert_eq!(docs[0].spans[0].2, "actor");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("doc.ann:2") && n.contains("T1 is defined twice")),
        "{:?}",
        report.notes
    );
}

#[test]
fn inputs_past_the_limits_are_refused_before_they_are_read() {
    use spanmark::io::limits;
    let dir = tempfile::tempdir().unwrap();
    // Sparse files: their size says what they are without filling the disk.
    let big = |name: &str, len: u64| {
        let p = dir.path().join(name);
        std::fs::File::create(&p).unwrap().set_len(len).unwrap();
        p
    };
    let article = big("huge.txt", limits::MAX_ARTICLE_BYTES + 1);
    let err = spanmark::io::read_article(&article)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("huge.txt") && err.contains("Spanmark reads articles up to 128 MB"),
        "{err}"
    );
    let session = big("huge.spanmark.ron", limits::MAX_SESSION_BYTES + 1);
    let err = spanmark::io::load_session(&session)
        .unwrap_err()
        .lines()
        .join("\n");
    assert!(
        err.contains("huge.spanmark.ron") && err.contains("session files up to 1024 MB"),
        "{err}"
    );
    // 100,001 distinct labels: refused as a whole, with the count.
    let input = dir.path().join("labels.jsonl");
    let mut text = String::from("{\"id\": \"many\", \"text\": \"");
    text.push_str(&"ab ".repeat(limits::MAX_LABELS + 1));
    text.push_str("\", \"label\": [");
    for i in 0..=limits::MAX_LABELS {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!("[{}, {}, \"l{i}\"]", 3 * i, 3 * i + 2));
    }
    text.push_str("]}\n");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let r = transfer::import(Format::Jsonl, &input, &out, Offsets::Chars, transfer::QUIET).unwrap();
    assert!(r.failed);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("100004 labels with the defaults; Spanmark takes up to 100000")),
        "{:?}",
        r.notes
    );
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}

#[test]
fn prodigy_spans_given_as_doccano_jsonl_are_not_silently_lost() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("prodigy.jsonl");
    std::fs::write(
        &input,
        "{\"text\": \"De EU.\", \"spans\": [{\"start\": 3, \"end\": 5, \"label\": \"actor\"}]}\n",
    )
    .unwrap();
    let mut report = Report::default();
    let (docs, _) =
        transfer::read_foreign(Format::Jsonl, &input, Offsets::Chars, &mut report).unwrap();
    assert!(docs.is_empty() && report.failed);
    assert!(
        report.notes[0].contains("prodigy.jsonl:1") && report.notes[0].contains("--format spacy"),
        "{:?}",
        report.notes
    );
}

/// Each fixture session with relations: every fifth span to the next one, as `speaks_for`
/// (directed) or `met` (undirected) in turn.
fn with_relations(mut s: Session) -> Session {
    use spanmark::model::{PALETTE, RelationLabel};
    let mut h = History::new_unsaved();
    let labels = vec![
        RelationLabel::new("speaks_for", PALETTE[4], Some('1'), true),
        RelationLabel::new("met", PALETTE[5], Some('2'), false),
    ];
    h.apply(&mut s, Edit::SetRelationLabels(labels)).unwrap();
    let ids: Vec<_> = s.annotations().iter().map(|a| a.id).collect();
    for (k, pair) in ids.windows(2).enumerate().filter(|(k, _)| k % 5 == 0) {
        let label = if k % 2 == 0 { "speaks_for" } else { "met" };
        let r = s.new_relation(pair[0], pair[1], label);
        h.apply(&mut s, Edit::AddRelation(r)).unwrap();
    }
    assert!(!s.relations().is_empty());
    s
}

/// (from text, from start, label, to text, to start) of a session's relations, sorted.
fn relation_texts(s: &Session) -> Vec<(String, usize, String, String, usize)> {
    let end = |id| {
        s.get(id)
            .map(|a| (s.covered(a).to_owned(), a.start))
            .unwrap()
    };
    let mut v: Vec<_> = s
        .relations()
        .iter()
        .map(|r| {
            let ((ft, fs), (tt, ts)) = (end(r.from), end(r.to));
            (ft, fs, r.label.clone(), tt, ts)
        })
        .collect();
    v.sort();
    v
}

/// brat: relations as R lines and in annotation.conf; pybrat reads every relation with its
/// two spans' exact text; imported back, each session has the same relations.
#[test]
fn relations_go_to_brat_pybrat_reads_them_and_they_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let sessions: Vec<(String, Session)> = docs(true)
        .into_iter()
        .map(|(id, s)| (id, with_relations(s)))
        .collect();
    let out = dir.path().join("brat");
    export(Format::Brat, &sessions, &out, ExportOptions::default());
    let conf = std::fs::read_to_string(out.join("annotation.conf")).unwrap();
    assert!(
        conf.contains("speaks_for\tArg1:<ENTITY>, Arg2:<ENTITY>\n"),
        "{conf}"
    );
    assert!(
        conf.contains("met\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric"),
        "{conf}"
    );
    let got: serde_json::Value =
        serde_json::from_str(&run_py("check_brat_relations.py", &[&out])).unwrap();
    for (id, s) in &sessions {
        let mut want: Vec<serde_json::Value> = relation_texts(s)
            .into_iter()
            .map(|(ft, fs, l, tt, ts)| {
                // brat joins a span's line fragments with a space.
                let join = |t: String| {
                    t.split('\n')
                        .filter(|f| !f.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let (ft, tt) = (join(ft), join(tt));
                serde_json::json!([ft, fs, l, tt, ts])
            })
            .collect();
        want.sort_by_key(|x| x.to_string());
        let mut have = got[id].as_array().unwrap().clone();
        have.sort_by_key(|x| x.to_string());
        assert_eq!(have, want, "{id}");
    }
    let back = reimport(Format::Brat, &out, Offsets::Chars);
    for (id, s) in &sessions {
        let b = &back.iter().find(|(i, _)| i == id).unwrap().1;
        assert_eq!(relation_texts(b), relation_texts(s), "{id}");
    }
}

/// Label Studio: `relation` results (from_id, to_id, direction, labels) between the span
/// regions; the converter still reads the tasks, a Label Studio-style reader sees every
/// relation with its spans' exact text and direction, and the import gives them back.
#[test]
fn relations_go_to_label_studio_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let sessions: Vec<(String, Session)> = docs(true)
        .into_iter()
        .map(|(id, s)| (id, with_relations(s)))
        .collect();
    let out = dir.path().join("tasks.json");
    let report = export(
        Format::Labelstudio,
        &sessions,
        &out,
        ExportOptions::default(),
    );
    assert!(
        !report.notes.iter().any(|n| n.contains("left out")),
        "{:?}",
        report.notes
    );
    let config = transfer::companion_path(&out);
    let got: serde_json::Value = serde_json::from_str(&run_py(
        "check_labelstudio_relations.py",
        &[&out, &config, dir.path()],
    ))
    .unwrap();
    for (id, s) in &sessions {
        let mut want: Vec<serde_json::Value> = relation_texts(s)
            .into_iter()
            .map(|(ft, fs, l, tt, ts)| {
                let dir = if l == "met" { "bi" } else { "right" };
                serde_json::json!([ft, fs, l, tt, ts, dir])
            })
            .collect();
        want.sort_by_key(|x| x.to_string());
        let mut have = got[id].as_array().unwrap().clone();
        have.sort_by_key(|x| x.to_string());
        assert_eq!(have, want, "{id}");
    }
    let back = reimport(Format::Labelstudio, &out, Offsets::Chars);
    for (id, s) in &sessions {
        let b = &back.iter().find(|(i, _)| i == id).unwrap().1;
        assert_eq!(relation_texts(b), relation_texts(s), "{id}");
    }
    // A format without relations says how many it left out, once.
    let csv = export(
        Format::Csv,
        &sessions,
        &dir.path().join("x.csv"),
        ExportOptions::default(),
    );
    let n: usize = sessions.iter().map(|(_, s)| s.relations().len()).sum();
    let said: Vec<&String> = csv
        .notes
        .iter()
        .filter(|m| m.contains("relations left out"))
        .collect();
    assert_eq!(said.len(), 1, "{:?}", csv.notes);
    assert!(
        said[0].starts_with(&format!("{n} relations left out: csv")),
        "{said:?}"
    );
}

/// doccano JSONL: a document with relations also carries `entities` (with ids) and
/// `relations` as doccano's relation projects export them; a doccano-style loader sees every
/// pair with its exact text, and the import gives them back.
#[test]
fn relations_go_to_doccano_jsonl_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let sessions: Vec<(String, Session)> = docs(true)
        .into_iter()
        .map(|(id, s)| (id, with_relations(s)))
        .collect();
    let out = dir.path().join("rel.jsonl");
    export(Format::Jsonl, &sessions, &out, ExportOptions::default());
    let got: serde_json::Value =
        serde_json::from_str(&run_py("check_doccano_relations.py", &[&out])).unwrap();
    for (id, s) in &sessions {
        let mut want: Vec<serde_json::Value> = relation_texts(s)
            .into_iter()
            .map(|(ft, fs, l, tt, ts)| serde_json::json!([ft, fs, l, tt, ts]))
            .collect();
        want.sort_by_key(|x| x.to_string());
        let mut have = got[id].as_array().unwrap().clone();
        have.sort_by_key(|x| x.to_string());
        assert_eq!(have, want, "{id}");
    }
    let back = reimport(Format::Jsonl, &out, Offsets::Chars);
    for (id, s) in &sessions {
        let b = &back.iter().find(|(i, _)| i == id).unwrap().1;
        assert_eq!(relation_texts(b), relation_texts(s), "{id}");
        assert_eq!(
            b.annotations().len(),
            s.annotations().len(),
            "{id}: spans once"
        );
    }
}

/// Relation-extraction JSONL: every span with its id and text, relations as `[from, to,
/// label]`; a Python training loader slices the same text and sees every pair, and the
/// import gives the spans and relations back.
#[test]
fn relations_go_to_relation_extraction_jsonl_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let sessions: Vec<(String, Session)> = docs(true)
        .into_iter()
        .map(|(id, s)| (id, with_relations(s)))
        .collect();
    let out = dir.path().join("relex.jsonl");
    let report = export(Format::Relations, &sessions, &out, ExportOptions::default());
    assert!(
        report.notes.iter().all(|n| !n.contains("left out")),
        "{:?}",
        report.notes
    );
    let got: serde_json::Value = serde_json::from_str(&run_py("check_relex.py", &[&out])).unwrap();
    for (id, s) in &sessions {
        assert!(!s.relations().is_empty(), "{id}");
        let mut want: Vec<serde_json::Value> = relation_texts(s)
            .into_iter()
            .map(|(ft, fs, l, tt, ts)| serde_json::json!([ft, fs, l, tt, ts]))
            .collect();
        want.sort_by_key(|x| x.to_string());
        let mut have = got[id].as_array().unwrap().clone();
        have.sort_by_key(|x| x.to_string());
        assert_eq!(have, want, "{id}");
    }
    let back = reimport(Format::Relations, &out, Offsets::Chars);
    for (id, s) in &sessions {
        let b = &back.iter().find(|(i, _)| i == id).unwrap().1;
        assert_eq!(relation_texts(b), relation_texts(s), "{id}");
        assert_eq!(spans_of(b), spans_of(s), "{id}");
    }
    // A relation naming a span the record lacks is an error naming the line.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\":\"x\",\"text\":\"EU en Japan\",\"spans\":[{\"id\":1,\"start\":0,\"end\":2,\"label\":\"actor\"}],\"relations\":[[1,7,\"met\"]]}\n",
    )
    .unwrap();
    let mut r = spanmark::io::formats::Report::default();
    let text = std::fs::read_to_string(&bad).unwrap();
    let docs = spanmark::io::formats::relex::read("bad.jsonl", &text, Offsets::Chars, &mut r);
    assert!(docs.is_empty() && r.failed);
    assert_eq!(
        r.notes,
        [
            "bad.jsonl:1: relation [1, 7, \"met\"] names a span id the record does not have; record skipped"
        ]
    );
}
