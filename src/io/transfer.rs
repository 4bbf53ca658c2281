//! Batch export and import: gathers session files, runs a format's writer or reader, writes
//! the results (files atomically; never over an existing session), and reports what happened.

use super::atomic::{create_all_atomic, write_atomic};
use super::formats::{self, ExportDoc, ExportOptions, Format, Imported, Reader, Report, Writer};
pub use super::par::{par_map, par_map_on};
use super::session_file::{SESSION_SUFFIX, load_session, write_session};
use crate::model::{LabelSet, Session};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Session files named by the inputs: files as given, folders searched recursively.
pub fn gather_sessions(inputs: &[PathBuf], report: &mut Report) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            if found.is_empty() {
                report.notes.push(format!(
                    "{}: no {SESSION_SUFFIX} files in this folder",
                    p.display()
                ));
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.to_string_lossy().ends_with(SESSION_SUFFIX) {
            out.push(p);
        }
    }
}

/// The document id of a session file: its name without `.spanmark.ron`.
pub fn doc_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(SESSION_SUFFIX)
        .unwrap_or(&name)
        .to_owned()
}

/// Which part of a batch is under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading session files.
    Reading,
    /// Writing session files.
    Writing,
}

/// Told how far a batch is: (stage, done, total), from any thread, as items finish. The
/// library never prints; the command line draws a bar from this.
pub type Progress<'a> = &'a (dyn Fn(Stage, usize, usize) + Sync);

/// No one is watching.
pub const QUIET: Progress<'static> = &|_, _, _| {};

/// Loads sessions (in parallel), reporting (and skipping) the bad ones.
pub fn load_all(
    paths: &[PathBuf],
    report: &mut Report,
    progress: Progress<'_>,
) -> Vec<(String, Session)> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = paths.len();
    let loaded = par_map(paths, |p| {
        let r = load_session(p);
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(Stage::Reading, n, total);
        r
    });
    let mut out = Vec::with_capacity(paths.len());
    for (p, r) in paths.iter().zip(loaded) {
        match r {
            Ok(s) => out.push((doc_id(p), s)),
            Err(e) => {
                report.notes.extend(e.lines());
                report.failed = true;
            }
        }
    }
    out
}

/// The label set to describe an export with: every session's labels, first definition wins.
pub fn union_labels<'a>(sessions: impl IntoIterator<Item = &'a Session>) -> LabelSet {
    let mut set: Option<LabelSet> = None;
    for s in sessions {
        match &mut set {
            None => set = Some(s.labels().clone()),
            Some(all) => {
                for l in s.labels().iter() {
                    if !all.contains(&l.name) {
                        let mut l = l.clone();
                        if all.by_hotkey(l.hotkey.unwrap_or('\0')).is_some() {
                            l.hotkey = None;
                        }
                        let _ = all.push(l);
                    }
                }
            }
        }
    }
    set.unwrap_or_default()
}

/// Writes one format to any writer; formats with one record per document are rendered on
/// every core and written in order.
pub fn write_format_par(
    w: &mut dyn Write,
    format: Format,
    docs: &[ExportDoc<'_>],
    opts: &ExportOptions,
) -> std::io::Result<Report> {
    let spec = format.spec();
    let Writer::Stream(write) = spec.writer else {
        return write_format(w, format, docs, opts);
    };
    // One label list for every chunk.
    let labels = union_labels(docs.iter().map(|d| d.session));
    if !spec.parallel || docs.len() < 64 {
        return write(w, docs, opts, &labels);
    }
    let chunks: Vec<&[ExportDoc<'_>]> = docs.chunks(256).collect();
    let rendered = par_map(&chunks, |c| {
        let mut buf = Vec::with_capacity(c.len() * 8192);
        write(&mut buf, c, opts, &labels).map(|r| (buf, r))
    });
    let mut report = Report::default();
    for r in rendered {
        let (buf, r) = r?;
        w.write_all(&buf)?;
        report.merge(r);
    }
    Ok(report)
}

/// Writes one format to any writer (not one that writes a folder).
pub fn write_format(
    w: &mut dyn Write,
    format: Format,
    docs: &[ExportDoc<'_>],
    opts: &ExportOptions,
) -> std::io::Result<Report> {
    match format.spec().writer {
        Writer::Stream(write) => {
            let labels = union_labels(docs.iter().map(|d| d.session));
            write(w, docs, opts, &labels)
        }
        Writer::Folder(_) => Err(std::io::Error::other(format!(
            "{format} writes a folder, not a stream"
        ))),
    }
}

/// Where Label Studio's labelling config goes: beside the output, named after it.
pub fn companion_path(out: &Path) -> PathBuf {
    companion(out, "label_config.xml")
}

/// A file beside the output, named after it: `data.jsonl` → `data.SUFFIX`.
pub fn companion(out: &Path, suffix: &str) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!("{stem}.{suffix}"))
}

/// Exports sessions to `out` (`-` is stdout; a folder for brat).
pub fn export(
    format: Format,
    sessions: &[(String, Session)],
    out: &Path,
    opts: ExportOptions,
) -> std::io::Result<Report> {
    let mut report = export_spans(format, sessions, out, opts)?;
    let relations: usize = sessions.iter().map(|(_, s)| s.relations().len()).sum();
    if relations > 0 && !format.spec().relations {
        report.notes.push(format!(
            "{relations} relations left out: {} has no relations (brat, labelstudio and jsonl carry them)",
            format.spec().name
        ));
    }
    Ok(report)
}

/// [`export`] without the note on relations.
fn export_spans(
    format: Format,
    sessions: &[(String, Session)],
    out: &Path,
    opts: ExportOptions,
) -> std::io::Result<Report> {
    let docs: Vec<ExportDoc<'_>> = sessions
        .iter()
        .map(|(id, s)| ExportDoc {
            id: id.clone(),
            session: s,
        })
        .collect();
    let labels = union_labels(sessions.iter().map(|(_, s)| s));
    let out = &match output_target(format, out)? {
        Target::Stdout => PathBuf::from("-"),
        Target::Stream(p) => {
            // A FIFO or a device: stream into it; there is nothing to replace atomically.
            let mut f = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(&p)?);
            let report = write_format_par(&mut f, format, &docs, &opts)?;
            f.flush()?;
            return Ok(report);
        }
        Target::File(p) => p,
    };
    let spec = format.spec();
    if let Writer::Folder(write_folder) = spec.writer {
        return write_folder(out, &docs, &labels, &opts);
    }
    let mut report = Report::default();
    if out.as_os_str() == "-" {
        let stdout = std::io::stdout();
        let mut lock = std::io::BufWriter::new(stdout.lock());
        report = write_format_par(&mut lock, format, &docs, &opts)?;
        lock.flush()?;
        if let Some(c) = &spec.companion {
            report
                .notes
                .push(format!("{} not written: the output is stdout", c.what));
        }
        return Ok(report);
    }
    // The companion first: a failing export must not leave one of its files behind alone
    // (it is made in memory first, so that nothing is written if it cannot be made).
    let beside = match &spec.companion {
        Some(c) => Some((c, (c.bytes)(&labels, &opts)?)),
        None => None,
    };
    write_atomic(out, |w| {
        report = write_format_par(w, format, &docs, &opts)?;
        Ok(())
    })?;
    if let Some((c, _)) = beside.as_ref().filter(|_| report.failed) {
        // A refused document: the export is not one to train on; nothing beside it says so.
        report
            .notes
            .push(format!("{} not written: the export failed", c.what));
        return Ok(report);
    }
    if let Some((c, bytes)) = beside {
        let path = companion(out, c.suffix);
        write_atomic(&path, |w| w.write_all(&bytes))?;
        report
            .notes
            .push(format!("{} written to {}", c.what, path.display()));
    }
    Ok(report)
}

/// Where an export goes, once checked.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Stdout,
    /// A FIFO or device: written into, never replaced.
    Stream(PathBuf),
    /// A regular file (or folder, for brat) to create or replace atomically: a symlink's
    /// target, never the link.
    File(PathBuf),
}

/// Checks an export's `--out`: never a session file (an input or any other), never a
/// symlink's link (its target is written, and a dangling link is refused), a FIFO or device
/// streamed into, brat never to stdout.
fn output_target(format: Format, out: &Path) -> std::io::Result<Target> {
    let refuse = |why: String| Err(std::io::Error::other(why));
    let folder = format.spec().writes_folder();
    if out.as_os_str() == "-" {
        if folder {
            return refuse(format!(
                "{format} writes a folder of files; it cannot go to stdout: give a folder with --out"
            ));
        }
        return Ok(Target::Stdout);
    }
    let meta = std::fs::symlink_metadata(out);
    let real = match &meta {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(out) {
            Ok(t) => t,
            Err(_) => {
                return refuse(format!(
                    "{} is a symlink to nothing; not replaced (give the file itself)",
                    out.display()
                ));
            }
        },
        _ => out.to_owned(),
    };
    if crate::io::session_file::is_session_path(&real) {
        return refuse(format!(
            "{} is a session file name; an export never replaces a session (choose another --out)",
            real.display()
        ));
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_file() => {
            // An earlier export is replaced; a session under another name is not.
            let head = std::fs::read(&real)
                .map(|b| b.iter().take(4096).copied().collect::<Vec<u8>>())
                .unwrap_or_default();
            if String::from_utf8_lossy(&head).contains("format: \"spanmark-session\"") {
                return refuse(format!(
                    "{} is a Spanmark session; an export never replaces a session",
                    real.display()
                ));
            }
            Ok(Target::File(real))
        }
        Ok(m) if m.is_dir() => {
            if folder {
                Ok(Target::File(real))
            } else {
                refuse(format!(
                    "{} is a folder; give a file name with --out",
                    real.display()
                ))
            }
        }
        Ok(_) if folder => refuse(format!("{} is not a folder", real.display())),
        Ok(_) => Ok(Target::Stream(real)),
        Err(_) => Ok(Target::File(real)),
    }
}

/// Reads a file (or, for brat, a folder) of another tool's data.
pub fn read_foreign(
    format: Format,
    input: &Path,
    offsets: formats::Offsets,
    report: &mut Report,
) -> std::io::Result<(Vec<Imported>, Option<LabelSet>)> {
    let read = match format.spec().reader {
        Some(Reader::Folder(read)) => return read(input, report),
        Some(Reader::Text(read)) => read,
        None => {
            return Err(std::io::Error::other(format!(
                "{format} cannot be imported"
            )));
        }
    };
    let text = String::from_utf8(crate::io::atomic::read_regular(
        input,
        crate::io::limits::MAX_IMPORT_BYTES,
        "files to import",
    )?)
    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    // A byte-order mark (Windows editors write one) is not part of the first record.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let docs = read(&input.display().to_string(), text, offsets, report);
    Ok((docs, None))
}

/// Imports another tool's data into one session per document in `out_dir`.
pub fn import(
    format: Format,
    input: &Path,
    out_dir: &Path,
    offsets: formats::Offsets,
    progress: Progress<'_>,
) -> std::io::Result<Report> {
    let mut report = Report::default();
    let (docs, labels) = read_foreign(format, input, offsets, &mut report)?;
    std::fs::create_dir_all(out_dir)?;
    let stale = crate::io::atomic::remove_stale_temps(out_dir);
    if !stale.is_empty() {
        report.notes.push(format!(
            "{}: removed {} temp file(s) a stopped run had left",
            out_dir.display(),
            stale.len()
        ));
    }
    let origin = input.display().to_string();
    let sessions = formats::to_sessions(docs, &origin, labels.as_ref(), &mut report);
    // Unique file names first, then write in parallel (each save is atomic and fsynced).
    let mut used = std::collections::HashSet::new();
    let mut jobs = Vec::with_capacity(sessions.len());
    for (id, s) in sessions {
        let base = formats::file_stem_for(&id);
        let mut name = base.clone();
        let mut n = 1;
        while !used.insert(name.clone()) {
            n += 1;
            name = format!("{base}-{n}");
        }
        let path = out_dir.join(format!("{name}{SESSION_SUFFIX}"));
        if path.exists() {
            report.notes.push(format!(
                "{}: already exists; not overwritten",
                path.display()
            ));
            report.failed = true;
            report.documents = report.documents.saturating_sub(1);
            report.spans = report.spans.saturating_sub(s.annotations().len());
            continue;
        }
        jobs.push((path, s));
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = jobs.len();
    // All written, flushed to disk together, then renamed into place: each file as durable
    // as a single atomic save, without one disk flush per file.
    let results = create_all_atomic(
        &jobs,
        8,
        |s, w| write_session(w, s),
        || {
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(Stage::Writing, n, total);
        },
    );
    for (r, (path, s)) in results.into_iter().zip(&jobs) {
        if let Err(e) = r {
            // Not written: the summary counts only what is on disk.
            report.notes.push(format!("{}: {e}", path.display()));
            report.failed = true;
            report.documents = report.documents.saturating_sub(1);
            report.spans = report.spans.saturating_sub(s.annotations().len());
        }
    }
    Ok(report)
}

/// What happens to documents on their way out, beyond the format: labels renamed or left
/// out, and a split into parts (train, dev, test…) written to one output each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// `actor=PER`: label `actor` is written as `PER`.
    pub rename: Vec<(String, String)>,
    /// Labels whose spans are left out.
    pub drop: Vec<String>,
    /// Parts and their shares of the documents, in order (`train=0.8,dev=0.1,test=0.1`).
    pub split: Vec<(String, f64)>,
    /// The shuffle's seed: the same seed gives the same split.
    pub seed: u64,
    /// Documents from one folder stay in one part.
    pub split_by_folder: bool,
}

/// `train=0.8,dev=0.1,test=0.1` as parts and shares (which must be positive and add up to 1).
pub fn parse_split(spec: &str) -> Result<Vec<(String, f64)>, String> {
    let mut parts = Vec::new();
    for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (name, share) = item
            .split_once('=')
            .ok_or_else(|| format!("{item:?}: write each part as NAME=SHARE, e.g. train=0.8"))?;
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "{name:?}: a part's name is letters, digits, - and _ (it goes into file names)"
            ));
        }
        let share: f64 = share
            .trim()
            .parse()
            .map_err(|_| format!("{item:?}: {share:?} is not a number"))?;
        if !(share > 0.0 && share <= 1.0) {
            return Err(format!("{item:?}: a share is more than 0 and at most 1"));
        }
        if parts.iter().any(|(n, _)| n == name) {
            return Err(format!("part {name:?} is named twice"));
        }
        parts.push((name.to_owned(), share));
    }
    let total: f64 = parts.iter().map(|(_, s)| s).sum();
    if parts.len() < 2 {
        return Err("a split needs at least two parts, e.g. train=0.8,dev=0.2".into());
    }
    if (total - 1.0).abs() > 1e-6 {
        return Err(format!("the shares add up to {total}, not 1"));
    }
    Ok(parts)
}

/// `actor=PER,topic=TOPIC` as (from, to) pairs.
pub fn parse_renames(spec: &str) -> Result<Vec<(String, String)>, String> {
    let renames: Vec<(String, String)> = spec
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(|item| {
            let (from, to) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?}: write each as LABEL=NEW_NAME"))?;
            let (from, to) = (from.trim(), to.trim());
            if from.is_empty() || to.is_empty() {
                return Err(format!("{item:?}: a label name is empty"));
            }
            Ok((from.to_owned(), to.to_owned()))
        })
        .collect::<Result<_, String>>()?;
    let mut seen = std::collections::HashMap::new();
    for (from, to) in &renames {
        if let Some(first) = seen.insert(from.as_str(), to.as_str()) {
            return Err(format!(
                "label {from:?} is renamed twice ({from}={first} and {from}={to}): give each label one new name"
            ));
        }
    }
    Ok(renames)
}

/// A small, fixed pseudo-random sequence (SplitMix64): the split depends on the seed only.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Renames and drops labels on a copy of the session, as `plan` says.
fn relabel(id: &str, s: &Session, plan: &Plan) -> Result<Session, String> {
    use crate::model::Edit;
    let mut s = s.clone();
    let gone: Vec<Edit> = s
        .annotations()
        .iter()
        .filter(|a| plan.drop.contains(&a.label))
        .map(|a| Edit::Remove(a.id))
        .collect();
    let mut edits = vec![Edit::Batch(gone)];
    let kept: Vec<_> = s
        .labels()
        .iter()
        .filter(|l| !plan.drop.contains(&l.name))
        .cloned()
        .collect();
    let kept = crate::model::LabelSet::new(kept).map_err(|e| format!("document {id}: {e}"))?;
    edits.push(Edit::SetLabels(kept));
    for (from, to) in &plan.rename {
        if s.labels().contains(from) && !plan.drop.contains(from) {
            edits.push(Edit::RenameLabel {
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
    for e in edits {
        s.apply(e)
            .map_err(|e| format!("document {id}: cannot map the labels: {e}"))?;
    }
    Ok(s)
}

/// Exports as `plan` says: labels mapped, then one output per part (`data.train.spacy`,
/// `data.dev.spacy`…; a sub-folder per part for brat). The report says how many documents
/// and spans went to each part.
pub fn export_planned(
    format: Format,
    sessions: &[(String, Session)],
    out: &Path,
    opts: ExportOptions,
    plan: &Plan,
) -> std::io::Result<Report> {
    let mut report = Report::default();
    let mapped: Vec<(String, Session)>;
    let sessions = if plan.rename.is_empty() && plan.drop.is_empty() {
        sessions
    } else {
        let known: std::collections::BTreeSet<&str> = sessions
            .iter()
            .flat_map(|(_, s)| s.labels().iter().map(|l| l.name.as_str()))
            .collect();
        for name in plan
            .rename
            .iter()
            .map(|(f, _)| f)
            .chain(&plan.drop)
            .filter(|n| !known.contains(n.as_str()))
        {
            report.notes.push(format!(
                "no document has the label {name:?}; nothing to map"
            ));
        }
        let mut v = Vec::with_capacity(sessions.len());
        for (id, s) in sessions {
            v.push((
                id.clone(),
                relabel(id, s, plan).map_err(std::io::Error::other)?,
            ));
        }
        mapped = v;
        &mapped
    };
    if plan.split.is_empty() {
        report.merge(export(format, sessions, out, opts)?);
        return Ok(report);
    }
    if out.as_os_str() == "-" {
        return Err(std::io::Error::other(
            "a split writes one file per part; give --out a file name, not -",
        ));
    }
    for (name, part) in split_parts(sessions, plan) {
        let path = part_path(out, &name, format.spec().writes_folder());
        let r = export(format, &part, &path, opts.clone())?;
        report.notes.push(format!(
            "{name}: {} documents, {} spans in {}",
            r.documents,
            r.spans,
            path.display()
        ));
        report.merge(r);
    }
    Ok(report)
}

/// `data.spacy` → `data.train.spacy`; a folder `out` → `out/train`.
pub fn part_path(out: &Path, part: &str, folder: bool) -> PathBuf {
    if folder {
        return out.join(part);
    }
    match (out.file_stem(), out.extension()) {
        (Some(stem), Some(ext)) => out.with_file_name(format!(
            "{}.{part}.{}",
            stem.to_string_lossy(),
            ext.to_string_lossy()
        )),
        _ => {
            let mut s = out.as_os_str().to_owned();
            s.push(format!(".{part}"));
            PathBuf::from(s)
        }
    }
}

/// The documents of each part: shuffled by the seed (from id order, so the input order does
/// not matter), whole groups at a time when split by folder, cut by the shares.
fn split_parts(
    sessions: &[(String, Session)],
    plan: &Plan,
) -> Vec<(String, Vec<(String, Session)>)> {
    // Groups of documents that go together, in a fixed order before the shuffle.
    let mut groups: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (i, (id, s)) in sessions.iter().enumerate() {
        let key = if plan.split_by_folder {
            Path::new(&s.source.path)
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            format!("{id}\u{0}{i:012}")
        };
        groups.entry(key).or_default().push(i);
    }
    let mut order: Vec<Vec<usize>> = groups.into_values().collect();
    for g in &mut order {
        g.sort_by(|&a, &b| sessions[a].0.cmp(&sessions[b].0).then(a.cmp(&b)));
    }
    let mut rng = SplitMix(plan.seed);
    for i in (1..order.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let n = sessions.len() as f64;
    let mut parts: Vec<(String, Vec<(String, Session)>)> = plan
        .split
        .iter()
        .map(|(p, _)| (p.clone(), Vec::new()))
        .collect();
    // Each group goes to the part furthest below its share (the first of equals).
    let mut wanted: Vec<f64> = plan.split.iter().map(|(_, share)| share * n).collect();
    for g in order {
        let mut part = 0;
        for (k, w) in wanted.iter().enumerate() {
            if *w > wanted[part] {
                part = k;
            }
        }
        wanted[part] -= g.len() as f64;
        for i in g {
            parts[part].1.push(sessions[i].clone());
        }
    }
    parts
}
