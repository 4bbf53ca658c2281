//! The command line: argument parsing and the headless subcommands. The GUI is started from
//! here when no subcommand is given.

use crate::io::{LoadError, load_session};
use crate::model::Session;
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "spanmark",
    version,
    about = "Tag spans in articles and turn them into training data.",
    long_about = "Tag spans in articles and turn them into training data.\n\n\
        Without a subcommand, opens the annotation window on PATH (an article .txt/.md or a \
        .spanmark.ron session), or on the bundled sample article.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Article (.txt, .md) or session (.spanmark.ron) to open in the window.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check session files; print each problem as PATH:LINE:COL: message.
    ///
    /// Exits 0 only if every file is a valid session.
    Validate {
        /// Session files (.spanmark.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Count documents, characters and spans per label.
    Stats {
        /// Session files (.spanmark.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the command line; `gui` is called when no subcommand is given.
pub fn run(cli: Cli, gui: impl FnOnce(Option<PathBuf>) -> anyhow::Result<()>) -> ExitCode {
    let result = match cli.command {
        None => gui(cli.path).map(|()| ExitCode::SUCCESS),
        Some(Command::Validate { files }) => validate(&files),
        Some(Command::Stats { files, json }) => stats(&files, json),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("spanmark: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn validate(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut bad = 0;
    for f in files {
        match load_session(f) {
            Ok(s) => writeln!(
                out,
                "{}: ok ({} annotations, {} characters)",
                f.display(),
                s.annotations().len(),
                s.document().char_len()
            )?,
            Err(e) => {
                bad += 1;
                for line in e.lines() {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    if files.len() > 1 {
        writeln!(out, "{} of {} files valid", files.len() - bad, files.len())?;
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Counts for one document or a total.
#[derive(Debug, Default, serde::Serialize)]
pub struct Counts {
    pub documents: usize,
    pub characters: usize,
    pub spans: usize,
    /// Spans per label.
    pub labels: BTreeMap<String, usize>,
}

impl Counts {
    pub fn of(s: &Session) -> Self {
        let mut labels: BTreeMap<String, usize> =
            s.labels().iter().map(|l| (l.name.clone(), 0)).collect();
        for a in s.annotations() {
            *labels.entry(a.label.clone()).or_default() += 1;
        }
        Self {
            documents: 1,
            characters: s.document().char_len(),
            spans: s.annotations().len(),
            labels,
        }
    }

    fn add(&mut self, other: &Counts) {
        self.documents += other.documents;
        self.characters += other.characters;
        self.spans += other.spans;
        for (l, n) in &other.labels {
            *self.labels.entry(l.clone()).or_default() += n;
        }
    }
}

fn stats(files: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    let mut total = Counts::default();
    let mut per_file = Vec::new();
    let mut errors: Vec<LoadError> = Vec::new();
    for f in files {
        match load_session(f) {
            Ok(s) => {
                let c = Counts::of(&s);
                total.add(&c);
                per_file.push((f.display().to_string(), c));
            }
            Err(e) => errors.push(e),
        }
    }
    let mut out = std::io::stdout().lock();
    if json {
        #[derive(serde::Serialize)]
        struct FileCounts<'a> {
            path: &'a str,
            #[serde(flatten)]
            counts: &'a Counts,
        }
        #[derive(serde::Serialize)]
        struct Report<'a> {
            #[serde(flatten)]
            total: &'a Counts,
            files: Vec<FileCounts<'a>>,
            errors: Vec<String>,
        }
        let report = Report {
            total: &total,
            files: per_file
                .iter()
                .map(|(path, counts)| FileCounts { path, counts })
                .collect(),
            errors: errors.iter().flat_map(LoadError::lines).collect(),
        };
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let width = total
            .labels
            .keys()
            .map(|l| l.len() + 2)
            .max()
            .unwrap_or(0)
            .max(10);
        writeln!(out, "{:width$}  {:>10}", "documents", total.documents)?;
        writeln!(out, "{:width$}  {:>10}", "characters", total.characters)?;
        writeln!(out, "{:width$}  {:>10}", "spans", total.spans)?;
        for (label, n) in &total.labels {
            writeln!(out, "{:width$}  {n:>10}", format!("  {label}"))?;
        }
    }
    for e in &errors {
        for line in e.lines() {
            eprintln!("{line}");
        }
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
