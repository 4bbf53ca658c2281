//! Exports that train without a script: spaCy DocBin read by spaCy itself and trained on
//! (ner and spancat), Hugging Face token classification read by `datasets` and decoded by
//! seqeval, reproducible splits and label mapping, through the command line.

use crate::common::python::{python, run_py};
use crate::common::spanmark_ok as spanmark;
use crate::formats::{docs, expected};
use spanmark::io::formats::{ExportOptions, Format, Overlaps, Scheme};
use spanmark::io::{save_session, transfer};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixture sessions (Dutch, Japanese, emoji, combining accents, Arabic…) saved in a
/// folder, half of them in a sub-folder.
fn saved(dir: &Path, nested: bool) -> Vec<PathBuf> {
    let sub = dir.join("deel2");
    std::fs::create_dir_all(&sub).unwrap();
    docs(nested)
        .into_iter()
        .enumerate()
        .map(|(i, (id, mut s))| {
            let folder = if i % 2 == 0 { dir } else { &sub };
            s.source.path = folder.join(format!("{id}.txt")).display().to_string();
            let p = folder.join(format!("{id}.spanmark.ron"));
            save_session(&p, &mut s).unwrap();
            p
        })
        .collect()
}

fn sorted(v: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut v = v.as_array().cloned().unwrap_or_default();
    v.sort_by_key(|x| x.to_string());
    v
}

#[test]
fn spacy_reads_every_span_of_the_docbin_with_its_exact_characters() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(true);
    let out = dir.path().join("all.spacy");
    let opts = ExportOptions {
        overlaps: Overlaps::Outermost,
        span_key: "spans".into(),
        ..Default::default()
    };
    let r = transfer::export(Format::Docbin, &sessions, &out, opts).unwrap();
    assert!(!r.failed, "{:?}", r.notes);
    let got: serde_json::Value =
        serde_json::from_str(&run_py("check_docbin.py", &[&out, Path::new("spans")])).unwrap();
    let want = expected(&sessions);
    let got = got.as_array().unwrap();
    assert_eq!(got.len(), sessions.len());
    for ((id, s), (g, w)) in sessions
        .iter()
        .zip(got.iter().zip(want.as_array().unwrap()))
    {
        assert_eq!(
            g["text"].as_str(),
            Some(s.text()),
            "{id}: words and spaces rebuild the text"
        );
        // Every span, overlapping ones included, in doc.spans.
        assert_eq!(sorted(&g["spans"]), sorted(w), "{id}");
        // doc.ents: the outermost of overlapping ones, each with its exact text.
        let ents = g["ents"].as_array().unwrap();
        assert!(!ents.is_empty(), "{id}");
        for e in ents {
            assert!(w.as_array().unwrap().contains(e), "{id}: {e}");
        }
    }
}

/// Overlapping spans are what span categorisation is for: a DocBin keeps every span in
/// doc.spans whatever `--overlaps` says, which chooses doc.ents only (left empty, and said,
/// where the spans overlap and no choice was given). An empty span key is refused and
/// writes nothing.
#[test]
fn a_docbin_keeps_overlapping_spans_and_overlaps_chooses_only_its_entities() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = docs(true);
    let out = dir.path().join("all.spacy");
    let r = transfer::export(Format::Docbin, &sessions, &out, ExportOptions::default()).unwrap();
    assert!(!r.failed, "{:?}", r.notes);
    assert_eq!(r.documents, sessions.len());
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("doc.ents are left empty")),
        "{:?}",
        r.notes
    );
    let got: serde_json::Value =
        serde_json::from_str(&run_py("check_docbin.py", &[&out, Path::new("sc")])).unwrap();
    let want = expected(&sessions);
    for (g, w) in got.as_array().unwrap().iter().zip(want.as_array().unwrap()) {
        assert_eq!(sorted(&g["spans"]), sorted(w));
    }
    let empty_key = dir.path().join("nokey.spacy");
    let opts = ExportOptions {
        span_key: " ".into(),
        ..Default::default()
    };
    let err = transfer::export(Format::Docbin, &sessions, &empty_key, opts).unwrap_err();
    assert!(err.to_string().contains("span key is empty"), "{err}");
    assert!(!empty_key.exists());
}

/// A label renamed twice is named as such; an hf export that refused a document writes no
/// label names beside it.
#[test]
fn label_mapping_twice_and_a_failing_hf_export_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("sessions");
    std::fs::create_dir(&folder).unwrap();
    for (id, s) in docs(true) {
        let mut s = s;
        save_session(&folder.join(format!("{id}.spanmark.ron")), &mut s).unwrap();
    }
    let out = crate::common::spanmark(&[
        "export",
        "--format",
        "jsonl",
        "--labels",
        "actor=PER,actor=ORG",
        "--out",
        dir.path().join("x.jsonl").to_str().unwrap(),
        folder.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("\"actor\" is renamed twice"), "{err}");
    let hf = dir.path().join("x.hf.jsonl");
    let out = crate::common::spanmark(&[
        "export",
        "--format",
        "hf",
        "--out",
        hf.to_str().unwrap(),
        folder.to_str().unwrap(),
    ]);
    assert!(
        !out.status.success(),
        "overlapping spans refuse an hf document"
    );
    assert!(!dir.path().join("x.hf.labels.json").exists());
    assert!(String::from_utf8_lossy(&out.stderr).contains("label names not written"));
}

#[test]
fn spacy_trains_ner_and_spancat_on_a_split_docbin() {
    let dir = tempfile::tempdir().unwrap();
    saved(dir.path(), true);
    let out = dir.path().join("corpus.spacy");
    let o = spanmark(&[
        "export",
        "--format",
        "docbin",
        "--overlaps",
        "outermost",
        "--split",
        "train=0.7,dev=0.3",
        "--seed",
        "7",
        "--out",
        out.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let summary = String::from_utf8_lossy(&o.stderr);
    assert!(summary.contains("train: 8 documents"), "{summary}");
    assert!(summary.contains("dev: 3 documents"), "{summary}");
    let (train, dev) = (
        dir.path().join("corpus.train.spacy"),
        dir.path().join("corpus.dev.spacy"),
    );
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    for component in ["ner", "spancat"] {
        let r = Command::new(python())
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/train_spacy.py"))
            .args([component, "xx"])
            .args([&train, &dev, &work])
            .output()
            .unwrap();
        assert!(
            r.status.success() && String::from_utf8_lossy(&r.stdout).contains("trained"),
            "{component}: {}\n{}",
            String::from_utf8_lossy(&r.stdout),
            String::from_utf8_lossy(&r.stderr)
        );
    }
}

#[test]
fn datasets_loads_the_hf_export_and_seqeval_decodes_the_same_spans() {
    for scheme in [Scheme::Iob2, Scheme::Bioes] {
        let dir = tempfile::tempdir().unwrap();
        let sessions = docs(false);
        let out = dir.path().join("ner.jsonl");
        let opts = ExportOptions {
            scheme,
            ..Default::default()
        };
        let r = transfer::export(Format::Hf, &sessions, &out, opts).unwrap();
        assert!(!r.failed, "{:?}", r.notes);
        let names = dir.path().join("ner.labels.json");
        let scheme_name = if scheme == Scheme::Iob2 {
            "iob2"
        } else {
            "bioes"
        };
        let got: serde_json::Value = serde_json::from_str(&run_py(
            "check_hf.py",
            &[&out, &names, Path::new(scheme_name)],
        ))
        .unwrap();
        for ((id, s), g) in sessions.iter().zip(got.as_array().unwrap()) {
            let want: Vec<serde_json::Value> = s
                .annotations()
                .iter()
                .map(|a| {
                    let squeezed: String = s.covered(a).split_whitespace().collect();
                    serde_json::json!([a.label, squeezed])
                })
                .collect();
            assert_eq!(g.as_array().unwrap(), &want, "{id} ({scheme_name})");
        }
    }
}

#[test]
fn a_split_with_one_seed_is_byte_identical_and_keeps_folders_together() {
    let dir = tempfile::tempdir().unwrap();
    saved(dir.path(), false);
    let run = |seed: &str, out: &Path, extra: &[&str]| {
        let mut args = vec![
            "export",
            "--format",
            "jsonl",
            "--split",
            "train=0.6,dev=0.2,test=0.2",
            "--seed",
            seed,
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        args.push(dir.path().to_str().unwrap());
        String::from_utf8_lossy(&spanmark(&args).stderr).into_owned()
    };
    let parts = |out: &Path| -> Vec<Vec<u8>> {
        ["train", "dev", "test"]
            .iter()
            .map(|p| std::fs::read(transfer::part_path(out, p, false)).unwrap())
            .collect()
    };
    let ids = |bytes: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(bytes)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .collect()
    };
    let (a, b, c) = (
        dir.path().join("a/data.jsonl"),
        dir.path().join("b/data.jsonl"),
        dir.path().join("c/data.jsonl"),
    );
    for p in [&a, &b, &c] {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    }
    let said = run("42", &a, &[]);
    run("42", &b, &[]);
    run("43", &c, &[]);
    assert_eq!(parts(&a), parts(&b), "same seed, same bytes");
    assert!(said.contains("train: 7 documents"), "{said}");
    assert!(
        said.contains("dev: 2 documents") && said.contains("test: 2 documents"),
        "{said}"
    );
    // Every document in exactly one part.
    let mut all: Vec<String> = parts(&a).iter().flat_map(|p| ids(p)).collect();
    all.sort();
    let n = all.len();
    all.dedup();
    assert_eq!((n, all.len()), (11, 11));
    assert_ne!(parts(&a), parts(&c), "another seed, another split");

    // By folder: the six documents of the top folder and the five of deel2 never mix.
    let d = dir.path().join("d/data.jsonl");
    std::fs::create_dir_all(d.parent().unwrap()).unwrap();
    let said = run("1", &d, &["--split-by", "folder"]);
    let in_sub: Vec<String> = std::fs::read_dir(dir.path().join("deel2"))
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            format!("{:?}", name.trim_end_matches(".spanmark.ron"))
        })
        .collect();
    for p in parts(&d) {
        let ids = ids(&p);
        let sub = ids.iter().filter(|i| in_sub.contains(i)).count();
        assert!(sub == 0 || sub == ids.len(), "{said}: {ids:?}");
    }
}

#[test]
fn labels_are_renamed_and_dropped_on_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    saved(dir.path(), false);
    let out = dir.path().join("mapped.jsonl");
    spanmark(&[
        "export",
        "--format",
        "jsonl",
        "--labels",
        "actor=PER,topic=TOPIC",
        "--drop",
        "date",
        "--out",
        out.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut labels = std::collections::BTreeSet::new();
    for l in text.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        for s in v["label"].as_array().unwrap() {
            labels.insert(s[2].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(
        labels.into_iter().collect::<Vec<_>>(),
        ["PER", "TOPIC"],
        "actor and topic renamed, date left out"
    );
    // The sessions themselves are untouched.
    let s = spanmark::io::load_session(
        &dir.path()
            .join("eu-japan-digitaal-partnerschap.nl.spanmark.ron"),
    )
    .unwrap();
    assert!(s.labels().contains("actor") && s.labels().contains("date"));
}
