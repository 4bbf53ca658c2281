//! Exports 10,000 news-size sessions (about 5 KB and 40 spans each) as jsonl and conll and
//! imports the jsonl back, through the same code the CLI uses, printing `name: value unit`.
//!
//!     cargo bench --bench export
//!
//! Export figures include finding and reading the 10,000 session files; the import figure
//! includes parsing the JSONL and writing 10,000 session files.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop on a broken set-up

use spanmark::io::formats::{ExportOptions, Format, Offsets, Report};
use spanmark::io::{save_session, transfer};

use std::time::Instant;

const DOCS: usize = 10_000;

mod common;
use common::{article, session_of};

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let sessions_dir = dir.path().join("sessions");
    std::fs::create_dir_all(&sessions_dir).unwrap();
    for i in 0..DOCS {
        let mut s = session_of(&article(i), false);
        save_session(
            &sessions_dir.join(format!("news-{i:05}.spanmark.ron")),
            &mut s,
        )
        .unwrap();
    }
    eprintln!("generated {DOCS} sessions");
    if std::env::var("PROFILE_CONLL").is_ok() {
        profile_conll();
        profile_conll_write();
    }

    let run_export = |format: Format, out: &std::path::Path| {
        let start = Instant::now();
        let mut report = Report::default();
        let paths = transfer::gather_sessions(std::slice::from_ref(&sessions_dir), &mut report);
        let sessions = transfer::load_all(&paths, &mut report, transfer::QUIET);
        let r = transfer::export(format, &sessions, out, ExportOptions::default()).unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert!(!r.failed && r.documents == DOCS, "{:?}", r.notes);
        eprintln!("({format}: {} documents, {} spans)", r.documents, r.spans);
        secs
    };
    {
        let start = Instant::now();
        let mut report = Report::default();
        let paths = transfer::gather_sessions(std::slice::from_ref(&sessions_dir), &mut report);
        let sessions = transfer::load_all(&paths, &mut report, transfer::QUIET);
        eprintln!(
            "(reading {} sessions alone: {:.2} s)",
            sessions.len(),
            start.elapsed().as_secs_f64()
        );
    }
    let jsonl = dir.path().join("all.jsonl");
    println!("export_jsonl_s: {:.2} s", run_export(Format::Jsonl, &jsonl));
    let conll = dir.path().join("all.conll");
    println!("export_conll_s: {:.2} s", run_export(Format::Conll, &conll));

    {
        let start = Instant::now();
        let mut report = Report::default();
        let (docs, labels) =
            transfer::read_foreign(Format::Jsonl, &jsonl, Offsets::Chars, &mut report).unwrap();
        let sessions =
            spanmark::io::formats::to_sessions(docs, "bench", labels.as_ref(), &mut report);
        eprintln!(
            "(parsing the JSONL into {} sessions alone: {:.2} s)",
            sessions.len(),
            start.elapsed().as_secs_f64()
        );
    }
    let start = Instant::now();
    let r = transfer::import(
        Format::Jsonl,
        &jsonl,
        &dir.path().join("imported"),
        Offsets::Chars,
        transfer::QUIET,
    )
    .unwrap();
    let secs = start.elapsed().as_secs_f64();
    assert!(!r.failed && r.documents == DOCS, "{:?}", r.notes);
    println!("import_jsonl_s: {secs:.2} s");
}

#[allow(dead_code)]
fn profile_conll() {
    use spanmark::io::formats::tokens::{sentences, tokenize};
    let s = session_of(&article(1), false);
    let t = Instant::now();
    for _ in 0..200 {
        std::hint::black_box(tokenize(&s));
    }
    eprintln!(
        "tokenize: {:.3} ms/doc",
        t.elapsed().as_secs_f64() * 1e3 / 200.0
    );
    let toks = tokenize(&s);
    let t = Instant::now();
    for _ in 0..200 {
        std::hint::black_box(sentences(&s, &toks));
    }
    eprintln!(
        "sentences: {:.3} ms/doc",
        t.elapsed().as_secs_f64() * 1e3 / 200.0
    );
}

#[allow(dead_code)]
fn profile_conll_write() {
    use spanmark::io::formats::{ExportDoc, conll};
    let s = session_of(&article(1), false);
    let docs = [ExportDoc {
        id: "x".into(),
        session: &s,
    }];
    let t = Instant::now();
    for _ in 0..200 {
        let mut buf = Vec::new();
        conll::write(&mut buf, &docs, Default::default(), Default::default()).unwrap();
        std::hint::black_box(buf);
    }
    eprintln!(
        "conll write: {:.3} ms/doc",
        t.elapsed().as_secs_f64() * 1e3 / 200.0
    );
}
