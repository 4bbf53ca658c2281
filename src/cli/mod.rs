//! The command line: argument parsing and dispatch; each group of subcommands lives in its
//! own module (`stats`, `agree`, `articles`, `transfer`, `desktop`). The GUI is started from
//! here when no subcommand is given.

mod agree;
mod articles;
mod desktop;
mod git;
mod stats;
mod suggest;
mod transfer;

pub use stats::Counts;
pub use transfer::{Parts, Renames, SplitBy};

use crate::io::formats::{ExportOptions, Format, Offsets, Overlaps, Scheme};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use transfer::{parse_renames, parse_split};

#[derive(Debug, Parser)]
#[command(
    name = "spanmark",
    version,
    about = "Tag spans in articles and turn them into training data.",
    long_about = "Tag spans in articles and turn them into training data.\n\n\
        Without a subcommand, opens the annotation window on PATH (an article .txt/.md/.html/.docx or a \
        .spanmark.ron session), or on the bundled sample article.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Article (.txt, .md, .html, .docx) or session (.spanmark.ron) to open in the window.
    pub path: Option<PathBuf>,
    /// Compare PATH with this other session of the same text, and curate the differences.
    #[arg(long, value_name = "SESSION", requires = "path")]
    pub compare: Option<PathBuf>,
    /// Add Spanmark to the desktop's menu (this binary, its icon, and opening .spanmark.ron
    /// files) under $XDG_DATA_HOME, or ~/.local/share.
    #[arg(long, conflicts_with_all = ["path", "compare"])]
    pub install_desktop: bool,
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
        /// Session files (.spanmark.ron), or project folders (progress per document and per
        /// label, and time per document).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Export sessions as training data (jsonl, spacy, conll, docbin, hf, brat, labelstudio,
    /// csv).
    Export {
        #[arg(long, short, value_enum)]
        format: Format,
        /// Output file (`-` for stdout); a folder for brat.
        #[arg(long, short)]
        out: PathBuf,
        /// Offsets in JSONL: chars (code points) or utf16 (doccano's default).
        #[arg(long, value_enum, default_value_t)]
        offsets: Offsets,
        /// CoNLL tagging scheme.
        #[arg(long, value_enum, default_value_t)]
        scheme: Scheme,
        /// CoNLL cannot hold overlapping spans: refuse, or keep the outermost or longest.
        #[arg(long, value_enum, default_value_t)]
        overlaps: Overlaps,
        /// Label Studio: write results as predictions instead of annotations.
        #[arg(long)]
        as_predictions: bool,
        /// brat: replace .txt/.ann files in the folder that Spanmark did not write.
        #[arg(long)]
        force: bool,
        /// docbin, hf: Unicode words, or runs of non-whitespace (both split at span edges).
        #[arg(long, value_enum, default_value_t)]
        tokenizer: crate::io::formats::tokens::Tokenizer,
        /// docbin: the doc.spans key every span goes into (spaCy's spancat reads "sc").
        #[arg(long, default_value = crate::io::formats::DEFAULT_SPAN_KEY)]
        span_key: String,
        /// Split documents into parts, one output each: train=0.8,dev=0.1,test=0.1
        /// (data.spacy becomes data.train.spacy, data.dev.spacy, …).
        #[arg(long, value_parser = parse_split)]
        split: Option<Parts>,
        /// The split's seed: the same seed and documents give the same parts.
        #[arg(long, default_value_t = 0, requires = "split")]
        seed: u64,
        /// Keep documents of one folder in one part.
        #[arg(long, value_enum, requires = "split")]
        split_by: Option<SplitBy>,
        /// Rename labels on the way out: actor=PER,topic=TOPIC.
        #[arg(long, value_parser = parse_renames)]
        labels: Option<Renames>,
        /// Leave these labels' spans out (comma-separated or repeated).
        #[arg(long, value_delimiter = ',')]
        drop: Vec<String>,
        /// Session files, or folders searched recursively for *.spanmark.ron.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Agreement between annotators: span precision/recall/F1 (exact and overlap) of each
    /// against the first, token-level Cohen's kappa per pair, Fleiss' kappa for 3 or more.
    ///
    /// Each argument is one annotator: a session file or a folder of sessions. Documents are
    /// matched by the SHA-256 of their text.
    Agree {
        /// Two or more annotators (session files or folders).
        #[arg(required = true, num_args = 2..)]
        annotators: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Merge annotators' sessions of one document: spans all agree on (a majority, with 3 or
    /// more) become annotations; the others wait in the session's review list for a curator,
    /// who sees them as suggestions in the window (Tab, Enter accepts, x rejects).
    Merge {
        /// Two or more session files of the same text.
        #[arg(required = true, num_args = 2..)]
        sessions: Vec<PathBuf>,
        /// The merged session to write (never over an existing file).
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Carry a session's annotations onto a corrected article (the same article, edited):
    /// one line per changed or orphaned annotation, then `exact N, changed N, orphaned N`.
    ///
    /// Exits 0 when nothing is orphaned, 1 otherwise. Changed and orphaned annotations wait in
    /// the new session's review list (Tab in the window walks them).
    Reanchor {
        /// The session of the article as it was.
        session: PathBuf,
        /// The article as it is now (.txt, .md, .html, .docx).
        article: PathBuf,
        /// The new session to write (never over an existing file).
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Propose spans in new documents from what was tagged: a model learned from --from
    /// (offline, in seconds), the tagged terms themselves, and dates.
    Suggest {
        /// Tagged data to learn from (repeatable): session files, folders of sessions, or a
        /// doccano JSONL of tagged documents.
        #[arg(long = "from", required = true)]
        from: Vec<PathBuf>,
        /// Documents to suggest in: articles (.txt, .md, .html, .docx), sessions, or a
        /// doccano JSONL (each line's id is kept, its spans ignored).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print one JSON line per document (the default): {"id", "text", "suggestions":
        /// [[start, end, label, score, source], …]}, offsets in code points.
        #[arg(long, conflicts_with = "out")]
        jsonl: bool,
        /// Write one pre-annotated session per document into this folder instead (never
        /// over an existing file).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Leave out learned suggestions less sure than this (0..1).
        #[arg(long, default_value_t = crate::workspace::learned::DEFAULT_MIN_SCORE)]
        min_score: f32,
    },
    /// Sessions in git: merge by themselves, diff as one line per annotation.
    #[command(subcommand)]
    Git(git::GitCommand),
    /// Print an article's text exactly as the window shows it (and as offsets count it).
    Text {
        /// An article (.txt, .md, .html, .docx) or a session.
        file: PathBuf,
    },
    /// Import another tool's data as one session per document.
    Import {
        #[arg(long, short, value_enum)]
        format: Format,
        /// A JSONL/JSON/CoNLL file, or a brat folder.
        input: PathBuf,
        /// Folder to write the sessions into (existing sessions are never overwritten).
        #[arg(long, short)]
        out: PathBuf,
        /// Offsets in JSONL: chars (code points) or utf16 (doccano's default).
        #[arg(long, value_enum, default_value_t)]
        offsets: Offsets,
    },
}

/// Runs the command line; `gui` is called when no subcommand is given.
pub fn run(
    cli: Cli,
    gui: impl FnOnce(Option<PathBuf>, Option<PathBuf>) -> anyhow::Result<()>,
) -> ExitCode {
    let result = match cli.command {
        None if cli.install_desktop => desktop::install_desktop(),
        None => gui(cli.path, cli.compare).map(|()| ExitCode::SUCCESS),
        Some(Command::Validate { files }) => stats::validate(&files),
        Some(Command::Stats { files, json }) => stats::stats(&files, json),
        Some(Command::Export {
            format,
            out,
            offsets,
            scheme,
            overlaps,
            as_predictions,
            force,
            tokenizer,
            span_key,
            split,
            seed,
            split_by,
            labels,
            drop,
            inputs,
        }) => transfer::export(
            format,
            &out,
            &inputs,
            ExportOptions {
                offsets,
                scheme,
                overlaps,
                as_predictions,
                force,
                tokenizer,
                span_key,
            },
            &crate::io::transfer::Plan {
                rename: labels.map(|r| r.0).unwrap_or_default(),
                drop,
                split: split.map(|p| p.0).unwrap_or_default(),
                seed,
                split_by_folder: split_by.is_some(),
            },
        ),
        Some(Command::Import {
            format,
            input,
            out,
            offsets,
        }) => transfer::import(format, &input, &out, offsets),
        Some(Command::Agree { annotators, json }) => agree::agree(&annotators, json),
        Some(Command::Merge { sessions, out }) => agree::merge(&sessions, &out),
        Some(Command::Reanchor {
            session,
            article,
            out,
        }) => articles::reanchor(&session, &article, &out),
        Some(Command::Text { file }) => articles::text(&file),
        Some(Command::Suggest {
            from,
            files,
            jsonl: _,
            out,
            min_score,
        }) => suggest::suggest(&from, &files, out.as_deref(), min_score),
        Some(Command::Git(cmd)) => git::run(cmd),
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

/// `--format`: the names and help lines of the format table.
impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let spec = self.spec();
        Some(clap::builder::PossibleValue::new(spec.name).help(spec.help))
    }
}

/// clap's `ValueEnum` for an option enum of `io`: its command-line names and help lines, in
/// the order `--help` lists them.
macro_rules! value_enum {
    ($t:ty { $($v:ident => $name:literal, $help:literal;)* }) => {
        impl clap::ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                &[$(<$t>::$v),*]
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(match self {
                    $(<$t>::$v => clap::builder::PossibleValue::new($name).help($help),)*
                })
            }
        }
    };
}

value_enum!(Offsets {
    Chars => "chars", "Unicode code points (Python `str` indices)";
    Utf16 => "utf16", "UTF-16 code units (JavaScript; doccano's default)";
});

value_enum!(Scheme {
    Iob2 => "iob2", "B- and I- tags (IOB2)";
    Bioes => "bioes", "S-, B-, I- and E- tags (BIOES)";
});

value_enum!(Overlaps {
    Error => "error", "Refuse the document and say which spans overlap";
    Outermost => "outermost", "Keep the outermost spans (widest first), drop those inside or overlapping them";
    Longest => "longest", "Keep the longest spans, drop the rest";
});

value_enum!(crate::io::formats::tokens::Tokenizer {
    Unicode => "unicode", "Unicode words (UAX #29): punctuation apart from words";
    Whitespace => "whitespace", "Runs of non-whitespace, as `str.split()` gives";
});
