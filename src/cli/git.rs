//! `spanmark git …`: a team's sessions in a git repository. `setup` tells git to merge
//! session files with Spanmark and to diff them as one line per annotation; `merge-driver`
//! is what git runs for a merge (`%O %A %B %P`); `textconv` is the diff conversion.

use crate::io::{load_session, save_session};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum GitCommand {
    /// In a git work tree: write .gitattributes and .gitignore entries, and set this clone's
    /// git config for the merge driver and the diff conversion. Safe to run again; run it in
    /// every clone (git does not share config).
    Setup,
    /// The three-way merge git runs: ANCESTOR OURS THEIRS [PATH]; writes the merge to OURS.
    /// Exits 1 when annotations conflict (the file is still a valid session, the conflicts
    /// wait in its review list).
    MergeDriver {
        ancestor: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
        /// The file's path in the repository (for messages).
        path: Option<String>,
    },
    /// One line per annotation in text order, for `git diff` and `git log -p`.
    Textconv { file: PathBuf },
}

pub fn run(cmd: GitCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        GitCommand::Setup => setup(),
        GitCommand::MergeDriver {
            ancestor,
            ours,
            theirs,
            path,
        } => merge_driver(&ancestor, &ours, &theirs, path.as_deref()),
        GitCommand::Textconv { file } => textconv(&file),
    }
}

const ATTRIBUTES: [&str; 2] = [
    "*.spanmark.ron merge=spanmark diff=spanmark",
    "spanmark.project.ron merge=spanmark-project",
];
const IGNORE: [&str; 3] = [
    "*.spanmark.ron.journal",
    "*.spanmark.ron.journal.*.orphaned",
    ".spanmark-*.tmp",
];

/// Adds the lines `want` lacks to the file at `path` (created if missing); says which.
fn add_lines(path: &Path, want: &[&str]) -> anyhow::Result<Vec<String>> {
    let now = std::fs::read_to_string(path).unwrap_or_default();
    let have: std::collections::HashSet<&str> = now.lines().map(str::trim).collect();
    let missing: Vec<String> = want
        .iter()
        .filter(|l| !have.contains(*l))
        .map(|l| (*l).to_owned())
        .collect();
    if !missing.is_empty() {
        let mut text = now.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for l in &missing {
            text.push_str(l);
            text.push('\n');
        }
        crate::io::atomic::write_atomic(path, |w| w.write_all(text.as_bytes()))?;
    }
    Ok(missing)
}

fn git(args: &[&str]) -> anyhow::Result<String> {
    let out = std::process::Command::new("git")
        .args(args)
        .output()
        .map_err(|e| anyhow::anyhow!("could not run git: {e}"))?;
    if !out.status.success() {
        anyhow::bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// How git should call us: `spanmark` if that is on PATH and is this program, else this
/// program's path.
fn program() -> String {
    let me = std::env::current_exe().ok();
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("spanmark"))
            .find(|c| c.is_file())
    });
    match (&me, on_path) {
        (Some(me), Some(p)) if std::fs::canonicalize(&p).ok() == std::fs::canonicalize(me).ok() => {
            "spanmark".to_owned()
        }
        (Some(me), _) => format!("'{}'", me.display().to_string().replace('\'', "'\\''")),
        (None, _) => "spanmark".to_owned(),
    }
}

fn setup() -> anyhow::Result<ExitCode> {
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"]).map_err(|e| {
        anyhow::anyhow!("not in a git work tree ({e}); run `git init` or clone first")
    })?);
    let attrs = add_lines(&top.join(".gitattributes"), &ATTRIBUTES)?;
    let ignore = add_lines(&top.join(".gitignore"), &IGNORE)?;
    let me = program();
    let config = [
        (
            "merge.spanmark.name",
            "Spanmark sessions, annotation by annotation".to_owned(),
        ),
        (
            "merge.spanmark.driver",
            format!("{me} git merge-driver %O %A %B %P"),
        ),
        (
            "merge.spanmark-project.name",
            "Spanmark project file".to_owned(),
        ),
        (
            "merge.spanmark-project.driver",
            format!("{me} git merge-driver %O %A %B %P"),
        ),
        ("diff.spanmark.textconv", format!("{me} git textconv")),
    ];
    for (k, v) in &config {
        git(&["config", "--local", k, v])?;
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}: set up for Spanmark sessions", top.display())?;
    for (what, added) in [(".gitattributes", attrs), (".gitignore", ignore)] {
        if added.is_empty() {
            writeln!(out, "  {what}: already there")?;
        } else {
            writeln!(out, "  {what}: added {}", added.join(", "))?;
        }
    }
    writeln!(
        out,
        "  git config (this clone only): merge driver and diff conversion: {me}\n\
         Commit .gitattributes and .gitignore; every clone runs `spanmark git setup` once\n\
         (git never shares config)."
    )?;
    Ok(ExitCode::SUCCESS)
}

fn merge_driver(
    ancestor: &Path,
    ours: &Path,
    theirs: &Path,
    path: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let name = path.unwrap_or("session");
    if name.ends_with(crate::io::project::PROJECT_FILE) {
        return merge_project(ancestor, ours, theirs, name);
    }
    let load = |p: &Path| load_session(p).map_err(|e| anyhow::anyhow!("{name}: {e}"));
    let (a, b) = (load(ours)?, load(theirs)?);
    // No ancestor (added on both sides): an empty one of the same text.
    let base = load_session(ancestor)
        .unwrap_or_else(|_| a.with_text(a.document().clone(), a.source.clone()));
    let names = (a.annotator.clone(), b.annotator.clone());
    let names = if names.0 == names.1 {
        ("ours".to_owned(), "theirs".to_owned())
    } else {
        names
    };
    match crate::merge3::merge(&base, &a, &b, (&names.0, &names.1)) {
        Ok((mut merged, outcome)) => {
            save_session(ours, &mut merged)?;
            if outcome.reanchored {
                eprintln!(
                    "{name}: one side re-anchored the session onto a corrected article; the other side's changes were carried onto it{}",
                    match merged.anchors.len() {
                        0 => String::new(),
                        n => format!(" ({n} span(s) wait for review when you open it)"),
                    }
                );
            }
            if outcome.conflicts > 0 {
                eprintln!(
                    "{name}: {} annotation(s) changed differently on both sides; open the file in Spanmark: they wait as differences to decide (Tab, Alt+1 / Alt+2), then save and `git add` it",
                    outcome.conflicts
                );
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{name}: {e}; the file keeps our version");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The project file: three-way by label name (see `merge3::merge_project`), written
/// atomically over ours. An unreadable side keeps ours and says so.
fn merge_project(
    ancestor: &Path,
    ours: &Path,
    theirs: &Path,
    name: &str,
) -> anyhow::Result<ExitCode> {
    let read = |p: &Path| -> anyhow::Result<crate::io::project::ProjectFile> {
        let text = std::fs::read_to_string(p)?;
        ron::from_str(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))
    };
    let (a, b) = (read(ours)?, read(theirs)?);
    // No ancestor (added on both sides, or unreadable): the two are united.
    let base = read(ancestor).ok();
    let merged = crate::merge3::merge_project(base.as_ref(), &a, &b);
    crate::io::project::write_project_file_to(ours, &merged)?;
    Ok(ExitCode::SUCCESS)
}

/// `actor  1021..1026  "Japan"  note: …`, one line per annotation in text order, then the
/// relations.
fn textconv(file: &Path) -> anyhow::Result<ExitCode> {
    let s = load_session(file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut out = std::io::stdout().lock();
    for l in crate::merge3::diff_lines(&s) {
        writeln!(out, "{l}")?;
    }
    Ok(ExitCode::SUCCESS)
}
