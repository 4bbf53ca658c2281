//! `export` and `import`: training data out and other tools' data in, with progress bars
//! and the summary both print.

use crate::io::formats::{ExportOptions, Format, Offsets, Report};
use crate::io::transfer;
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn summary(verb: &str, report: &Report) -> ExitCode {
    for n in &report.notes {
        eprintln!("{n}");
    }
    eprintln!(
        "{verb} {} document{}, {} span{}{}",
        report.documents,
        if report.documents == 1 { "" } else { "s" },
        report.spans,
        if report.spans == 1 { "" } else { "s" },
        if report.notes.is_empty() {
            String::new()
        } else {
            format!(
                "; {} message{} above",
                report.notes.len(),
                if report.notes.len() == 1 { "" } else { "s" }
            )
        }
    );
    if report.failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What documents a split keeps together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitBy {
    /// The folder the article is in (a project's sub-folder)
    Folder,
}

/// `--split`'s parts and shares (one value, not a list of values, to clap).
#[derive(Clone, Debug, PartialEq)]
pub struct Parts(pub(super) Vec<(String, f64)>);

/// `--labels`' renames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renames(pub(super) Vec<(String, String)>);

pub(super) fn parse_split(s: &str) -> Result<Parts, String> {
    transfer::parse_split(s).map(Parts)
}

pub(super) fn parse_renames(s: &str) -> Result<Renames, String> {
    transfer::parse_renames(s).map(Renames)
}

pub(super) fn export(
    format: Format,
    out: &std::path::Path,
    inputs: &[PathBuf],
    opts: ExportOptions,
    plan: &transfer::Plan,
) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    let mut report = Report::default();
    let bars = Bars::default();
    let paths = transfer::gather_sessions(inputs, &mut report);
    let sessions = transfer::load_all(&paths, &mut report, &bars.progress());
    if sessions.is_empty() {
        // Nothing to write: an empty output would pass for an export of nothing.
        for n in &report.notes {
            eprintln!("{n}");
        }
        anyhow::bail!(
            "no session to export in {}; {} not written",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            out.display()
        );
    }
    let written = transfer::export_planned(format, &sessions, out, opts, plan)
        .with_context(|| format!("could not write {}", out.display()))?;
    let failed = report.failed;
    report.merge(written);
    report.failed |= failed;
    Ok(summary(&format!("exported as {format}:"), &report))
}

pub(super) fn import(
    format: Format,
    input: &std::path::Path,
    out: &std::path::Path,
    offsets: Offsets,
) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    anyhow::ensure!(format.can_import(), "{format} is an export-only format");
    let bars = Bars::default();
    if out.exists() && !out.is_dir() {
        anyhow::bail!(
            "--out {} is a file; give a folder for the sessions",
            out.display()
        );
    }
    let report = transfer::import(format, input, out, offsets, &bars.progress())
        .with_context(|| format!("could not import {}", input.display()))?;
    Ok(summary(&format!("imported from {format}:"), &report))
}

/// Progress bars on stderr for long batches (rate and time left), one per stage; hidden when
/// stderr is not a terminal, and for batches too short to need one.
#[derive(Default)]
pub(super) struct Bars {
    reading: std::sync::OnceLock<indicatif::ProgressBar>,
    writing: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl Bars {
    /// Batches shorter than this finish before a bar would help.
    const MIN: usize = 50;

    pub(super) fn progress(&self) -> impl Fn(transfer::Stage, usize, usize) + Sync + '_ {
        move |stage, done, total| {
            if total < Self::MIN {
                return;
            }
            let (slot, what) = match stage {
                transfer::Stage::Reading => (&self.reading, "reading"),
                transfer::Stage::Writing => (&self.writing, "writing"),
            };
            let bar = slot.get_or_init(|| {
                let bar = indicatif::ProgressBar::new(total as u64);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("#> "),
                );
                bar.set_message(what);
                bar
            });
            bar.set_position(done as u64);
            if done >= total {
                bar.finish();
            }
        }
    }
}
