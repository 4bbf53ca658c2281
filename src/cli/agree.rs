//! `agree` and `merge`: comparing annotators and merging their sessions.

use super::transfer::Bars;
use crate::io::formats::Report;
use crate::io::{load_session, transfer};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn agree(inputs: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    let mut report = Report::default();
    let annotators = load_annotators(inputs, &mut report);
    let r = crate::agree::agree(&annotators);
    let mut out = std::io::stdout().lock();
    if json {
        // Rendered first, so that a closed pipe shows as an io error (quietly ignored).
        writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?;
    } else {
        print_agreement(&mut out, &r)?;
    }
    for n in &report.notes {
        eprintln!("{n}");
    }
    Ok(if report.failed || r.documents_compared == 0 {
        if r.documents_compared == 0 {
            eprintln!("spanmark: no document is shared by every annotator");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Each input (a folder or session files) as an annotator: its sessions by text.
fn load_annotators(inputs: &[PathBuf], report: &mut Report) -> Vec<crate::agree::Annotator> {
    let bars = Bars::default();
    let mut annotators = Vec::new();
    for input in inputs {
        let paths = transfer::gather_sessions(std::slice::from_ref(input), report);
        let mut docs = BTreeMap::new();
        for (id, s) in transfer::load_all(&paths, report, &bars.progress()) {
            let key = crate::io::article::sha256_hex(s.text().as_bytes());
            if docs.contains_key(&key) {
                report.notes.push(format!(
                    "{}: {id} has the same text as another session; only the first is used",
                    input.display()
                ));
                continue;
            }
            docs.insert(key, (id, s));
        }
        annotators.push(crate::agree::Annotator {
            name: input.display().to_string(),
            docs,
        });
    }
    annotators
}

/// A number to three places, or `-` where there is none.
fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.3}")
    } else {
        "-".to_owned()
    }
}

fn kappa(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |x| format!("{x:.3}"))
}

/// The agreement report as a table.
fn print_agreement(out: &mut dyn Write, r: &crate::agree::Report) -> std::io::Result<()> {
    use crate::agree::annotator_letter;
    for (i, a) in r.annotators.iter().enumerate() {
        writeln!(out, "{} = {a}", annotator_letter(i))?;
    }
    writeln!(
        out,
        "{} documents compared, {} tokens; {} not matched",
        r.documents_compared,
        r.tokens,
        r.unmatched.len()
    )?;
    for p in &r.pairs {
        print_pair(out, r, p)?;
    }
    if r.annotators.len() >= 3 {
        writeln!(out)?;
        writeln!(
            out,
            "Fleiss' kappa (all {}): {}",
            r.annotators.len(),
            kappa(r.fleiss_kappa)
        )?;
    }
    for (a, d) in &r.unmatched {
        writeln!(
            out,
            "not matched: {d} (only some annotators have it; from {a})"
        )?;
    }
    Ok(())
}

/// One pair of annotators: all spans, then each label.
fn print_pair(
    out: &mut dyn Write,
    r: &crate::agree::Report,
    p: &crate::agree::PairReport,
) -> std::io::Result<()> {
    use crate::agree::annotator_letter;
    let letter =
        |name: &String| annotator_letter(r.annotators.iter().position(|a| a == name).unwrap_or(0));
    writeln!(out)?;
    writeln!(
        out,
        "{} against {}        exact P / R / F1           overlap P / R / F1        kappa",
        letter(&p.candidate),
        letter(&p.reference)
    )?;
    let mut row =
        |name: &str, e: &crate::agree::Counts, o: &crate::agree::Counts, k: Option<f64>| {
            writeln!(
                out,
                "  {name:<14} {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6}",
                num(e.precision()),
                num(e.recall()),
                num(e.f1()),
                num(o.precision()),
                num(o.recall()),
                num(o.f1()),
                kappa(k)
            )
        };
    row("all", &p.exact, &p.overlap, p.cohen_kappa)?;
    for (l, (e, o)) in &p.labels {
        row(l, e, o, p.label_kappa.get(l).copied().flatten())?;
    }
    let r = &p.relations;
    if r.tp + r.fp + r.fn_ > 0 {
        writeln!(
            out,
            "  {:<14} {:>6} {:>6} {:>6}   (both spans exact, the label and the direction)",
            "relations",
            num(r.precision()),
            num(r.recall()),
            num(r.f1()),
        )?;
    }
    Ok(())
}

pub(super) fn merge(inputs: &[PathBuf], out: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut named = Vec::new();
    let mut bad = false;
    for p in inputs {
        match load_session(p) {
            Ok(s) => named.push((p.display().to_string(), s)),
            Err(e) => {
                bad = true;
                for l in e.lines() {
                    eprintln!("{l}");
                }
            }
        }
    }
    if bad {
        return Ok(ExitCode::FAILURE);
    }
    // Anything at that path, a dangling symlink included, stays as it is.
    if std::fs::symlink_metadata(out).is_ok() {
        anyhow::bail!("{}: already exists; not overwritten", out.display());
    }
    if let Some((first, s0)) = named.first()
        && let Some((other, _)) = named.iter().find(|(_, s)| s.text() != s0.text())
    {
        anyhow::bail!(
            "{other} is a session of another text than {first}; merge sessions of the same document"
        );
    }
    crate::agree::annotator_names(&mut named);
    let (mut merged, summary) = crate::agree::merge(&named, "merge")?;
    crate::io::save_session(out, &mut merged)?;
    let relations = if summary.relations_agreed + summary.relations_review > 0 {
        format!(
            "; {} relations agreed, {} for review",
            summary.relations_agreed, summary.relations_review
        )
    } else {
        String::new()
    };
    eprintln!(
        "merged {} sessions into {}: {} spans agreed, {} for review{relations}",
        named.len(),
        out.display(),
        summary.agreed,
        summary.review
    );
    Ok(ExitCode::SUCCESS)
}
