//! The real binary: validate, stats, --help, --version.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::{session_of, spanmark, tag_all};
use spanmark::io::save_session;
use spanmark::model::History;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// A saved sample session with 2 actor spans ("Japan" is tagged everywhere) etc.
fn saved_sample(dir: &Path, name: &str) -> (PathBuf, usize) {
    let mut s = session_of(&crate::common::sample_path());
    let mut h = History::new_unsaved();
    let n = tag_all(&mut s, &mut h, "Japan", "actor") + tag_all(&mut s, &mut h, "2025", "date");
    let p = dir.join(name);
    save_session(&p, &mut s).unwrap();
    (p, n)
}

#[test]
fn validate_accepts_good_and_reports_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let (good, n) = saved_sample(dir.path(), "good.spanmark.ron");
    let o = spanmark(&["validate", good.to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        format!(
            "{}: ok ({n} annotations, 2280 characters)\n",
            good.display()
        )
    );

    let bad = dir.path().join("bad.spanmark.ron");
    let text = std::fs::read_to_string(&good).unwrap();
    std::fs::write(&bad, text.replacen("    version: 2,", "    version: 2", 1)).unwrap();
    let o = spanmark(&["validate", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[1].starts_with(&format!("{}:4:5: ", bad.display())),
        "{out}"
    );
    assert_eq!(lines[2], "1 of 2 files valid");

    let o = spanmark(&["validate", "missing.spanmark.ron"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("missing.spanmark.ron: cannot read the file: "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn stats_counts_documents_characters_and_labels() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = saved_sample(dir.path(), "a.spanmark.ron");
    let (b, _) = saved_sample(dir.path(), "b.spanmark.ron");
    let japans = std::fs::read_to_string(crate::common::sample_path())
        .unwrap()
        .matches("Japan")
        .count();
    let o = spanmark(&["stats", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        format!(
            "documents            2\ncharacters        4560\nspans             {:>4}\n  actor           {:>4}\n  date               2\n  topic              0\n",
            2 * (japans + 1),
            2 * japans
        )
    );
    let o = spanmark(&["stats", "--json", a.to_str().unwrap()]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["documents"], 1);
    assert_eq!(v["characters"], 2280);
    assert_eq!(v["labels"]["actor"], japans);
    assert_eq!(v["labels"]["date"], 1);
    assert_eq!(v["files"][0]["path"], a.to_str().unwrap());
    assert_eq!(v["files"][0]["spans"], japans + 1);
}

#[test]
fn stats_reports_bad_files_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = saved_sample(dir.path(), "a.spanmark.ron");
    let bad = dir.path().join("bad.spanmark.ron");
    std::fs::write(&bad, "nonsense").unwrap();
    let o = spanmark(&["stats", a.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("documents            1\n"));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.starts_with(&format!("{}:1:1: ", bad.display())),
        "{err}"
    );
}

#[test]
fn help_and_version() {
    let o = spanmark(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        format!("spanmark {}\n", env!("CARGO_PKG_VERSION"))
    );
    let o = spanmark(&["--help"]);
    assert!(o.status.success());
    let help = stdout(&o);
    for word in ["validate", "stats", "[PATH]", "Usage: spanmark"] {
        assert!(help.contains(word), "{help}");
    }
    let o = spanmark(&["stats"]);
    assert_eq!(o.status.code(), Some(2), "missing FILE is a usage error");
}

#[test]
fn export_to_stdout_and_import_back_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (a, n) = saved_sample(dir.path(), "news.spanmark.ron");
    let o = spanmark(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        "-",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["id"], "news");
    assert_eq!(v["label"].as_array().unwrap().len(), n);
    assert_eq!(
        String::from_utf8(o.stderr.clone()).unwrap(),
        format!("exported as jsonl: 1 document, {n} spans\n")
    );
    let file = dir.path().join("out.jsonl");
    std::fs::write(&file, stdout(&o)).unwrap();
    let into = dir.path().join("back");
    let o = spanmark(&[
        "import",
        "--format",
        "jsonl",
        file.to_str().unwrap(),
        "--out",
        into.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let back = spanmark::io::load_session(&into.join("news.spanmark.ron")).unwrap();
    let orig = spanmark::io::load_session(&a).unwrap();
    assert_eq!(back.text(), orig.text());
    let spans = |s: &spanmark::model::Session| -> Vec<(usize, usize, String)> {
        s.annotations()
            .iter()
            .map(|a| (a.start, a.end, a.label.clone()))
            .collect()
    };
    assert_eq!(spans(&back), spans(&orig));

    // Bad input: a non-zero exit, and the bad file named.
    std::fs::write(dir.path().join("bad.spanmark.ron"), "nonsense").unwrap();
    let o = spanmark(&[
        "export",
        "--format",
        "csv",
        "--out",
        "-",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("bad.spanmark.ron:1:1: "), "{err}");
    // The good sessions (the original and the imported copy) are still exported.
    assert!(
        err.ends_with(&format!(
            "exported as csv: 2 documents, {} spans; 1 message above\n",
            2 * n
        )),
        "{err}"
    );
}

#[test]
fn stats_of_a_project_folder_reports_progress_labels_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(crate::common::sample_path(), d.join("nieuws.txt")).unwrap();
    std::fs::write(d.join("kort.txt"), "De EU en Japan.\n").unwrap();
    std::fs::write(d.join("leeg.md"), "Nog niets.\n").unwrap();
    // nieuws: done, 1 hour 2 min 3 s of work; kort: in progress with one span; leeg: new.
    let (p, n) = saved_sample(d, "x.spanmark.ron");
    let mut s = spanmark::io::load_session(&p).unwrap();
    std::fs::remove_file(&p).unwrap();
    s.done = true;
    s.active_secs = 3723;
    save_session(&d.join("nieuws.spanmark.ron"), &mut s).unwrap();
    let mut k = session_of(&d.join("kort.txt"));
    let a = k.new_annotation(3, 5, "actor");
    k.apply(spanmark::model::Edit::Add(a)).unwrap();
    k.active_secs = 65;
    save_session(&d.join("kort.spanmark.ron"), &mut k).unwrap();

    let o = spanmark(&["stats", d.to_str().unwrap()]);
    assert!(o.status.success(), "{o:?}");
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "{}: 3 documents, 1 done, 1 in progress, 1 new; {} spans; 1:03:08 worked\n",
            d.display(),
            n + 1
        )),
        "{out}"
    );
    let row = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .to_owned()
    };
    let cols = |l: String| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        cols(row("kort.txt")),
        ["kort.txt", "in", "progress", "1", "0:01:05", "tester"]
    );
    assert_eq!(cols(row("leeg.md")), ["leeg.md", "new", "0", "-"]);
    assert_eq!(
        cols(row("nieuws.txt"))[1..4],
        ["done", &n.to_string(), "1:02:03"]
    );

    let o = spanmark(&["stats", "--json", d.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["done"], 1);
    assert_eq!(v[0]["active_seconds"], 3788);
    assert_eq!(v[0]["labels"]["actor"]["documents"], 2);
    assert_eq!(v[0]["files"][0]["name"], "kort.txt");
    assert_eq!(v[0]["files"][0]["status"], "in_progress");
}

/// `spanmark A --compare B` opens the compare view; without A it is refused up front, before
/// any window opens.
#[test]
fn compare_needs_a_session_to_compare_with() {
    let o = spanmark(&["--compare", "b.spanmark.ron"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("<PATH>"), "{err}");
    let help = stdout(&spanmark(&["--help"]));
    assert!(help.contains("--compare <SESSION>"), "{help}");
}

/// `export --out` never destroys a session, follows a symlink to its target (refusing a
/// dangling one), streams into a FIFO, refuses brat on stdout, and still replaces an earlier
/// export.
#[cfg(unix)]
#[test]
fn export_out_never_replaces_a_session_a_link_or_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let (news, _) = saved_sample(dir.path(), "news.spanmark.ron");
    let news_s = news.to_str().unwrap();
    let original = std::fs::read(&news).unwrap();

    // The input itself, and a session under another name.
    let o = spanmark(&["export", "--format", "csv", "--out", news_s, news_s]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("never replaces a session"));
    let renamed = dir.path().join("news-copy.csv");
    std::fs::copy(&news, &renamed).unwrap();
    let o = spanmark(&[
        "export",
        "--format",
        "csv",
        "--out",
        renamed.to_str().unwrap(),
        news_s,
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert_eq!(std::fs::read(&renamed).unwrap(), original);
    assert_eq!(
        std::fs::read(&news).unwrap(),
        original,
        "the session is untouched"
    );

    // An earlier export is replaced, as before.
    let csv = dir.path().join("news.csv");
    std::fs::write(&csv, "old export\n").unwrap();
    let o = spanmark(&[
        "export",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
        news_s,
    ]);
    assert!(o.status.success(), "{o:?}");
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .starts_with("document,")
    );

    // A symlink: the target is written, the link stays a link.
    let target = dir.path().join("target.jsonl");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = spanmark(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        link.to_str().unwrap(),
        news_s,
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a dangling link is refused: {o:?}"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    std::fs::write(&target, "").unwrap();
    let o = spanmark(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        link.to_str().unwrap(),
        news_s,
    ]);
    assert!(o.status.success(), "{o:?}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("\"label\"")
    );

    // A FIFO is streamed into and stays a FIFO.
    let fifo = dir.path().join("pipe.jsonl");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = spanmark(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        fifo.to_str().unwrap(),
        news_s,
    ]);
    assert!(o.status.success(), "{o:?}");
    assert!(reader.join().unwrap().contains("\"label\""));
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    // brat writes a folder: not to stdout.
    let o = spanmark(&["export", "--format", "brat", "--out", "-", news_s]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot go to stdout"));
    assert!(!Path::new("-").exists());
}

/// Spans with an empty label (JSONL `""` or `"   "`, a CoNLL `B-`) are reported and skipped:
/// every session import writes passes `validate`.
#[test]
fn import_skips_spans_with_empty_labels_and_writes_valid_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("in.jsonl");
    std::fs::write(
        &jsonl,
        r#"{"id": "a", "text": "De EU en Japan", "label": [[3, 5, ""], [9, 14, "   "], [9, 14, "actor"]]}
"#,
    )
    .unwrap();
    let conll = dir.path().join("in.conll");
    std::fs::write(
        &conll,
        "-DOCSTART- -X- O O\n\nDe _ _ O\nEU _ _ B-\nen _ _ O\n\n",
    )
    .unwrap();
    for (format, input, out) in [("jsonl", &jsonl, "j"), ("conll", &conll, "c")] {
        let out = dir.path().join(out);
        let o = spanmark(&[
            "import",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            input.to_str().unwrap(),
        ]);
        let said = String::from_utf8_lossy(&o.stderr).into_owned() + &stdout(&o);
        assert!(said.contains("empty"), "{format}: {said}");
        for f in std::fs::read_dir(&out).unwrap() {
            let f = f.unwrap().path();
            let v = spanmark(&["validate", f.to_str().unwrap()]);
            assert!(v.status.success(), "{format}: {}: {v:?}", f.display());
        }
    }
}

/// An import of more documents than the process may open files keeps a bounded number open:
/// under `ulimit -n 64`, 500 documents are all written, and the summary counts what is on
/// disk.
#[cfg(unix)]
#[test]
fn import_of_many_documents_works_under_a_low_open_file_limit() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("many.jsonl");
    let records: String = (0..500)
        .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"De EU en Japan {i}\", \"label\": [[3, 5, \"actor\"]]}}\n"))
        .collect();
    std::fs::write(&jsonl, records).unwrap();
    let out = dir.path().join("out");
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -n 64 && exec '{}' import --format jsonl --out '{}' '{}'",
            env!("CARGO_BIN_EXE_spanmark"),
            out.display(),
            jsonl.display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 500);
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("500 documents"), "{said}");
}

/// A FIFO named like a session (alone, or in a folder given to a command) is refused at once,
/// never read (reading it would wait forever).
#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_session_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.spanmark.ron");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spanmark"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed().as_secs() > 20 {
                child.kill().unwrap();
                panic!("{args:?} hangs on a FIFO");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        child.wait_with_output().unwrap()
    };
    let f = fifo.to_str().unwrap();
    let o = run(&["validate", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("not a regular file"),
        "{o:?}"
    );
    let o = run(&["stats", dir.path().to_str().unwrap()]);
    assert_ne!(o.status.code(), None);
    let out = dir.path().join("out.jsonl");
    let o = run(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
}

#[test]
fn export_of_nothing_writes_nothing_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = dir.path().join("out.jsonl");
    let o = spanmark(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
        empty.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no session to export"),
        "{o:?}"
    );
    assert!(!out.exists());
}

/// New sessions and exports get the user's umask (0644 under 022), not a private 0600.
#[cfg(unix)]
#[test]
fn new_files_get_the_users_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (news, _) = saved_sample(dir.path(), "news.spanmark.ron");
    let jsonl = dir.path().join("news.jsonl");
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "umask 022 && '{exe}' export --format jsonl --out '{out}' '{news}' && '{exe}' import --format jsonl --out '{imp}' '{out}'",
            exe = env!("CARGO_BIN_EXE_spanmark"),
            out = jsonl.display(),
            news = news.display(),
            imp = dir.path().join("imported").display(),
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&jsonl), 0o644);
    let imported = std::fs::read_dir(dir.path().join("imported"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(mode(&imported), 0o644);
}

/// A JSONL file with a byte-order mark keeps its first record; ids that are no file name
/// ("", ".", "..", ".hidden") become visible files; a CoNLL tag like `X-actor` is not a span.
#[test]
fn import_keeps_the_first_record_after_a_bom_and_names_files_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("bom.jsonl");
    let mut body = String::from("\u{feff}");
    for id in ["first", "", ".", "..", ".hidden"] {
        body.push_str(&format!(
            "{{\"id\": \"{id}\", \"text\": \"De EU {id}x\", \"label\": [[3, 5, \"actor\"]]}}\n"
        ));
    }
    std::fs::write(&jsonl, body).unwrap();
    let out = dir.path().join("out");
    let o = spanmark(&[
        "import",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
        jsonl.to_str().unwrap(),
    ]);
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains(&"first.spanmark.ron".to_owned()),
        "{names:?} {o:?}"
    );
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "no hidden files: {names:?}"
    );

    let conll = dir.path().join("x.conll");
    std::fs::write(&conll, "-DOCSTART- -X- O O\n\nDe _ _ O\nEU _ _ X-actor\n\n").unwrap();
    let out = dir.path().join("c");
    let o = spanmark(&[
        "import",
        "--format",
        "conll",
        "--out",
        out.to_str().unwrap(),
        conll.to_str().unwrap(),
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("\"X-actor\""),
        "{o:?}"
    );
    let f = std::fs::read_dir(&out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(
        spanmark::io::load_session(&f)
            .unwrap()
            .annotations()
            .is_empty()
    );
}

/// brat export never replaces a `.txt`/`.ann` it did not write (unless --force), writes each
/// file atomically, and replaces its own earlier export.
#[test]
fn brat_export_keeps_hand_written_files_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (news, _) = saved_sample(dir.path(), "news.spanmark.ron");
    let folder = dir.path().join("brat");
    let export = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "--format",
            "brat",
            "--out",
            folder.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        args.push(news.to_str().unwrap());
        spanmark(&args)
    };
    // Ours: written, then replaced by a second export.
    assert!(export(&[]).status.success());
    assert!(
        export(&[]).status.success(),
        "an earlier export of ours is replaced"
    );
    // Someone edits the .ann by hand: the next export stops and changes nothing.
    let ann = folder.join("news.ann");
    std::fs::write(&ann, "T1\tactor 0 2\tDe\n").unwrap();
    let o = export(&[]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("news.ann"),
        "{o:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&ann).unwrap(),
        "T1\tactor 0 2\tDe\n"
    );
    // --force replaces it.
    assert!(export(&["--force"]).status.success());
    assert_ne!(
        std::fs::read_to_string(&ann).unwrap(),
        "T1\tactor 0 2\tDe\n"
    );
}

/// Label Studio import says what it does not read: a second annotation of a task, a label that
/// is not a string, an `annotations` that is not a list.
#[test]
fn label_studio_import_never_drops_spans_silently() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ls.json");
    std::fs::write(
        &input,
        r#"[
  {"id": 1, "data": {"text": "De EU en Japan"}, "annotations": [
     {"result": [{"type": "labels", "value": {"start": 3, "end": 5, "labels": ["actor", 7]}}]},
     {"result": [{"type": "labels", "value": {"start": 9, "end": 14, "labels": ["actor"]}}]}]},
  {"id": 2, "data": {"text": "Tokyo"}, "annotations": {"result": []}}
]"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = spanmark(&[
        "import",
        "--format",
        "labelstudio",
        "--out",
        out.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        said.contains("task 1: 2 annotations; only the first is read"),
        "{said}"
    );
    assert!(said.contains("label 7 is not a string"), "{said}");
    assert!(
        said.contains("task 2: \"annotations\" is not a list"),
        "{said}"
    );
}

/// Temp files a killed import left are removed by the next import into that folder (and
/// said); one of a live process stays. `--out` naming a file is named as such.
#[cfg(target_os = "linux")]
#[test]
fn a_stopped_runs_temp_files_are_cleaned_up_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("in.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\": \"a\", \"text\": \"De EU\", \"label\": [[3, 5, \"actor\"]]}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let stale = out.join(".spanmark-4194303-x1y2z3.tmp");
    let live = out.join(format!(".spanmark-{}-a1b2c3.tmp", std::process::id()));
    std::fs::write(&stale, "half a session").unwrap();
    std::fs::write(&live, "being written").unwrap();
    let o = spanmark(&[
        "import",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
        jsonl.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    assert!(!stale.exists());
    assert!(live.exists(), "a live process's temp file is not touched");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("removed 1 temp file"),
        "{o:?}"
    );

    let o = spanmark(&[
        "import",
        "--format",
        "jsonl",
        "--out",
        jsonl.to_str().unwrap(),
        jsonl.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--out"),
        "{o:?}"
    );
}

/// merge never replaces what is at `--out` (a dangling symlink included) and names the files
/// when texts differ.
#[cfg(unix)]
#[test]
fn merge_out_keeps_a_dangling_link_and_names_files_of_other_texts() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = saved_sample(dir.path(), "a.spanmark.ron");
    let (b, _) = saved_sample(dir.path(), "b.spanmark.ron");
    let link = dir.path().join("m.spanmark.ron");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
    let o = spanmark(&[
        "merge",
        "--out",
        link.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let other = spanmark::io::load_session(&b).unwrap();
    let mut s2 = spanmark::model::Session::new(
        spanmark::model::Document::new("Een andere tekst."),
        other.labels().clone(),
        Default::default(),
        "x".into(),
    );
    let c = dir.path().join("c.spanmark.ron");
    save_session(&c, &mut s2).unwrap();
    let out = dir.path().join("out.spanmark.ron");
    let o = spanmark(&[
        "merge",
        "--out",
        out.to_str().unwrap(),
        a.to_str().unwrap(),
        c.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("c.spanmark.ron is a session of another text than"),
        "{said}"
    );
}

/// An import never writes what the loader will not read back: labels beyond the limit (with
/// the defaults counted) are refused whole; just under it, the session imports and validates.
#[test]
fn an_import_keeps_to_the_label_limit_the_loader_keeps() {
    use spanmark::io::limits::MAX_LABELS;
    let dir = tempfile::tempdir().unwrap();
    let record = |labels: usize| {
        let spans: Vec<String> = (0..labels).map(|i| format!("[0, 5, \"l{i}\"]")).collect();
        format!(
            "{{\"id\": \"d\", \"text\": \"Japan en de EU.\", \"label\": [{}]}}\n",
            spans.join(",")
        )
    };
    let over = dir.path().join("over.jsonl");
    std::fs::write(&over, record(MAX_LABELS - 1)).unwrap();
    let out_over = dir.path().join("over");
    let o = spanmark(&[
        "import",
        "--format",
        "jsonl",
        "--out",
        out_over.to_str().unwrap(),
        over.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("labels with the defaults") && err.contains("nothing imported"),
        "{err}"
    );
    assert!(!out_over.join("d.spanmark.ron").exists());

    let under = dir.path().join("under.jsonl");
    std::fs::write(&under, record(MAX_LABELS - 3)).unwrap();
    let out_under = dir.path().join("under");
    let o = spanmark(&[
        "import",
        "--format",
        "jsonl",
        "--out",
        out_under.to_str().unwrap(),
        under.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let session = out_under.join("d.spanmark.ron");
    let v = spanmark(&["validate", session.to_str().unwrap()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}
