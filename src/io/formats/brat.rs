//! brat standoff: a folder with `DOC.txt` (the exact text) and `DOC.ann` per document, plus
//! `annotation.conf` and `visual.conf` built from the label set and its colours.
//!
//! `T1<TAB>actor 3 5<TAB>EU`: char offsets, end-exclusive. A span that crosses a newline is
//! written as fragments (`0 5;6 10`), as brat requires. Notes: `#1<TAB>AnnotatorNotes T1<TAB>…`.
//! brat type names cannot hold spaces: they become `_` (and are reported). Relations:
//! `R1<TAB>speaks_for Arg1:T1 Arg2:T2`, declared in `annotation.conf`'s `[relations]` (an
//! undirected one as `<REL-TYPE>:symmetric`).

use super::{ExportDoc, Imported, Report, check_offsets};
use crate::model::{LabelSet, RelationLabel};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

/// brat standoff in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "brat",
    help: "brat standoff: a folder of DOC.txt + DOC.ann, annotation.conf, visual.conf",
    extension: "",
    options: &[super::FormatOption::Force],
    writer: super::Writer::Folder(|dir, docs, labels, opts| {
        write_folder(dir, docs, labels, opts.force)
    }),
    parallel: false,
    companion: None,
    reader: Some(super::Reader::Folder(read_folder)),
    relations: true,
};

/// A brat type name for a label.
pub fn type_name(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The `.ann` text of one document.
pub fn ann(doc: &ExportDoc<'_>) -> String {
    let s = doc.session;
    let d = s.document();
    let mut out = String::new();
    let mut note_n = 0;
    let mut t_of = HashMap::new();
    for (i, a) in s.annotations().iter().enumerate() {
        let t = i + 1;
        t_of.insert(a.id, t);
        // Fragments between newlines, each trimmed of nothing: offsets stay exact.
        let mut frags = Vec::new();
        let mut start = a.start;
        for (off, c) in s.covered(a).chars().enumerate() {
            if c == '\n' {
                if a.start + off > start {
                    frags.push((start, a.start + off));
                }
                start = a.start + off + 1;
            }
        }
        if a.end > start {
            frags.push((start, a.end));
        }
        let offs: Vec<String> = frags.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let text: Vec<&str> = frags
            .iter()
            .map(|&(s, e)| d.slice(s..e).unwrap_or(""))
            .collect();
        let _ = writeln!(
            out,
            "T{t}\t{} {}\t{}",
            type_name(&a.label),
            offs.join(";"),
            text.join(" ")
        );
        if let Some(n) = &a.note {
            note_n += 1;
            let _ = writeln!(
                out,
                "#{note_n}\tAnnotatorNotes T{t}\t{}",
                n.replace(['\n', '\t'], " ")
            );
        }
    }
    for (k, r) in s.relations().iter().enumerate() {
        if let (Some(a), Some(b)) = (t_of.get(&r.from), t_of.get(&r.to)) {
            let _ = writeln!(
                out,
                "R{}\t{} Arg1:T{a} Arg2:T{b}",
                k + 1,
                type_name(&r.label)
            );
        }
    }
    out
}

pub fn annotation_conf(labels: &LabelSet, relations: &[RelationLabel]) -> String {
    let mut out = String::from("[entities]\n");
    for l in labels.iter() {
        out.push_str(&type_name(&l.name));
        out.push('\n');
    }
    out.push_str("\n[relations]\n");
    for r in relations {
        let symmetric = if r.directed {
            ""
        } else {
            ", <REL-TYPE>:symmetric"
        };
        let _ = writeln!(
            out,
            "{}\tArg1:<ENTITY>, Arg2:<ENTITY>{symmetric}",
            type_name(&r.name)
        );
    }
    out.push_str(
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n",
    );
    out
}

pub fn visual_conf(labels: &LabelSet) -> String {
    let mut out = String::from("[labels]\n");
    for l in labels.iter() {
        let _ = writeln!(out, "{} | {}", type_name(&l.name), l.name);
    }
    out.push_str("\n[drawing]\n");
    for l in labels.iter() {
        let _ = writeln!(out, "{}\tbgColor:{}", type_name(&l.name), l.color);
    }
    out
}

/// Writes the folder. File names come from document ids, made unique.
pub fn write_folder(
    dir: &Path,
    docs: &[ExportDoc<'_>],
    labels: &LabelSet,
    force: bool,
) -> std::io::Result<Report> {
    let mut report = Report::default();
    std::fs::create_dir_all(dir)?;
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for d in docs {
        let base = super::file_stem_for(&d.id);
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        let name = if *n == 1 { base } else { format!("{base}-{n}") };
        for a in d.session.annotations() {
            if type_name(&a.label) != a.label {
                report.notes.push(format!(
                    "document {}: label {:?} written as brat type {:?}",
                    d.id,
                    a.label,
                    type_name(&a.label)
                ));
            }
        }
        files.push((format!("{name}.txt"), d.session.text().as_bytes().to_vec()));
        files.push((format!("{name}.ann"), ann(d).into_bytes()));
        report.documents += 1;
        report.spans += d.session.annotations().len();
    }
    // The relation labels of every document, each once.
    let mut relation_labels: Vec<RelationLabel> = Vec::new();
    for d in docs {
        for l in d.session.relation_labels() {
            if !relation_labels.iter().any(|x| x.name == l.name) {
                relation_labels.push(l.clone());
            }
        }
    }
    files.push((
        "annotation.conf".into(),
        annotation_conf(labels, &relation_labels).into_bytes(),
    ));
    files.push(("visual.conf".into(), visual_conf(labels).into_bytes()));
    // Files of ours (as we last wrote them) may be replaced; anything else is someone's work.
    let manifest_path = dir.join(MANIFEST);
    let mut ours: BTreeMap<String, String> = std::fs::read_to_string(&manifest_path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(h, n)| (n.to_owned(), h.to_owned()))
        .collect();
    if !force {
        let foreign: Vec<String> = files
            .iter()
            .filter(|(name, _)| {
                std::fs::read(dir.join(name))
                    .is_ok_and(|b| ours.get(name) != Some(&crate::io::article::sha256_hex(&b)))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if !foreign.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} already has {} that Spanmark did not write (or that changed since); nothing was written. Export to another folder, or replace them (--force; in the Export dialog: “Replace .txt and .ann files…”)",
                    dir.display(),
                    foreign.join(", ")
                ),
            ));
        }
    }
    for (name, bytes) in &files {
        crate::io::atomic::write_atomic(&dir.join(name), |w| w.write_all(bytes))?;
        ours.insert(name.clone(), crate::io::article::sha256_hex(bytes));
    }
    let manifest: String = ours.iter().map(|(n, h)| format!("{h} {n}\n")).collect();
    crate::io::atomic::write_atomic(&manifest_path, |w| w.write_all(manifest.as_bytes()))?;
    Ok(report)
}

/// The list of files a brat export wrote, with their SHA-256, so that a later export replaces
/// only those (and only if nobody changed them).
pub const MANIFEST: &str = ".spanmark-export";

/// Reads one `.ann` against its text. Discontinuous fragments separated only by whitespace
/// become one span; others are reported and skipped.
pub fn read_ann(name: &str, id: &str, text: &str, ann: &str, report: &mut Report) -> Imported {
    let n_chars = text.chars().count();
    let mut spans: BTreeMap<String, (usize, usize, String)> = BTreeMap::new();
    let mut notes: HashMap<String, String> = HashMap::new();
    // (line, label, Arg1's T, Arg2's T)
    let mut rels: Vec<(usize, String, String, String)> = Vec::new();
    let doc = crate::model::Document::new(text);
    for (i, line) in ann.lines().enumerate() {
        let mut bad = |why: String| {
            report
                .notes
                .push(format!("{name}:{}: {why}; line skipped", i + 1));
            report.failed = true;
        };
        let fields: Vec<&str> = line.splitn(3, '\t').collect();
        match fields.first().and_then(|f| f.chars().next()) {
            Some('T') => {
                let Some(mid) = fields.get(1) else {
                    bad("a T line needs TYPE START END".into());
                    continue;
                };
                let Some((label, offs)) = mid.split_once(' ') else {
                    bad("a T line needs TYPE START END".into());
                    continue;
                };
                let frags: Option<Vec<(usize, usize)>> = offs
                    .split(';')
                    .map(|f| {
                        let (s, e) = f.trim().split_once(' ')?;
                        Some((s.parse().ok()?, e.parse().ok()?))
                    })
                    .collect();
                let Some(frags) = frags.filter(|f| !f.is_empty()) else {
                    bad(format!("offsets {offs:?} are not START END[;START END…]"));
                    continue;
                };
                let (s, e) = (frags[0].0, frags[frags.len() - 1].1);
                if let Err(why) = check_offsets(n_chars, s, e) {
                    bad(why);
                    continue;
                }
                let gaps_are_space = frags.windows(2).all(|w| {
                    w[0].1 <= w[1].0
                        && doc
                            .slice(w[0].1..w[1].0)
                            .is_some_and(|g| g.chars().all(char::is_whitespace))
                });
                if !gaps_are_space {
                    bad(format!("discontinuous span {offs} cannot be represented"));
                    continue;
                }
                if spans.contains_key(fields[0]) {
                    bad(format!(
                        "{} is defined twice (the first definition is kept)",
                        fields[0]
                    ));
                    continue;
                }
                spans.insert(fields[0].to_owned(), (s, e, label.to_owned()));
            }
            Some('#') => {
                let target = fields
                    .get(1)
                    .and_then(|m| m.strip_prefix("AnnotatorNotes "));
                if let (Some(t), Some(note)) = (target, fields.get(2)) {
                    notes.insert(t.trim().to_owned(), (*note).to_owned());
                }
            }
            Some('R') => match fields.get(1).map(|m| relation_args(m)) {
                Some(Some((label, a, b))) => rels.push((i + 1, label, a, b)),
                _ => bad("an R line needs TYPE Arg1:T… Arg2:T…".into()),
            },
            // Events, attributes, normalisations: not part of Spanmark's model.
            Some('E' | 'A' | 'M' | 'N' | '*') => {
                report.notes.push(format!(
                    "{name}:{}: {} annotation ignored (Spanmark keeps entity spans)",
                    i + 1,
                    &fields[0]
                ));
            }
            _ if line.trim().is_empty() => {}
            _ => bad(format!(
                "unknown line {:?}",
                line.chars().take(40).collect::<String>()
            )),
        }
    }
    assemble(name, id, text, spans, &notes, rels, report)
}

/// The spans in document order with their notes, and the relations between them by index.
fn assemble(
    name: &str,
    id: &str,
    text: &str,
    spans: BTreeMap<String, (usize, usize, String)>,
    notes: &HashMap<String, String>,
    rels: Vec<(usize, String, String, String)>,
    report: &mut Report,
) -> Imported {
    let mut named: Vec<_> = spans
        .into_iter()
        .map(|(t, (s, e, l))| (t.clone(), (s, e, l, notes.get(&t).cloned())))
        .collect();
    named.sort_by_key(|(_, a)| (a.0, std::cmp::Reverse(a.1)));
    let index: HashMap<&str, usize> = named
        .iter()
        .enumerate()
        .map(|(k, (t, _))| (t.as_str(), k))
        .collect();
    let mut relations = Vec::new();
    for (line, label, a, b) in rels {
        match (index.get(a.as_str()), index.get(b.as_str())) {
            (Some(&x), Some(&y)) => relations.push((x, y, label)),
            _ => {
                report.notes.push(format!(
                    "{name}:{line}: relation {label} names {a} or {b}, which is not a span; line skipped"
                ));
                report.failed = true;
            }
        }
    }
    Imported {
        id: id.to_owned(),
        text: text.to_owned(),
        spans: named.into_iter().map(|(_, a)| a).collect(),
        relations,
    }
}

/// `speaks_for Arg1:T1 Arg2:T2` as (label, T1, T2).
fn relation_args(mid: &str) -> Option<(String, String, String)> {
    let mut parts = mid.split_whitespace();
    let label = parts.next()?.to_owned();
    let a = parts.next()?.strip_prefix("Arg1:")?.to_owned();
    let b = parts.next()?.strip_prefix("Arg2:")?.to_owned();
    Some((label, a, b))
}

/// Label colours from a `visual.conf`, if present.
pub fn read_visual_conf(conf: &str) -> HashMap<String, crate::model::Color> {
    let mut out = HashMap::new();
    let mut in_drawing = false;
    for line in conf.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_drawing = line == "[drawing]";
            continue;
        }
        if !in_drawing {
            continue;
        }
        if let Some((ty, attrs)) = line.split_once('\t') {
            for a in attrs.split(',') {
                if let Some(c) = a
                    .trim()
                    .strip_prefix("bgColor:")
                    .and_then(crate::model::Color::parse)
                {
                    out.insert(ty.trim().to_owned(), c);
                }
            }
        }
    }
    out
}

/// Reads a folder of `.ann` files with their `.txt` beside them, and the colours of
/// `visual.conf`.
pub fn read_folder(
    dir: &Path,
    report: &mut Report,
) -> std::io::Result<(Vec<Imported>, Option<LabelSet>)> {
    let mut anns: Vec<std::path::PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .collect();
    anns.sort();
    let mut docs = Vec::new();
    for ann in anns {
        let txt = ann.with_extension("txt");
        let id = ann
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let read = |p: &Path| {
            crate::io::atomic::read_regular(
                p,
                crate::io::limits::MAX_IMPORT_BYTES,
                "files to import",
            )
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        };
        let (Some(text), Some(a)) = (read(&txt), read(&ann)) else {
            report.notes.push(format!(
                "{}: no readable {} beside it; skipped",
                ann.display(),
                txt.display()
            ));
            report.failed = true;
            continue;
        };
        docs.push(read_ann(&ann.display().to_string(), &id, &text, &a, report));
    }
    // Colours from visual.conf, for the labels met.
    let colours = std::fs::read_to_string(dir.join("visual.conf"))
        .map(|c| read_visual_conf(&c))
        .unwrap_or_default();
    let mut labels = LabelSet::default();
    for d in &docs {
        for (_, _, l, _) in d.spans.iter().filter(|(_, _, l, _)| !l.trim().is_empty()) {
            labels.add_met(l, colours.get(l).copied());
        }
    }
    Ok((docs, Some(labels)))
}
