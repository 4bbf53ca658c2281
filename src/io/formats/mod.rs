//! Training-data formats: pure writers over `io::Write` and readers over `&str`.
//!
//! Offsets are Unicode code points (chars), end-exclusive, into the exact text each record
//! carries, unless a format says otherwise (doccano JSONL with `--offsets utf16`).

pub mod brat;
pub mod conll;
pub mod csv_out;
pub mod docbin;
pub mod hf;
pub mod jsonl;
pub mod labelstudio;
pub mod overlaps;
pub mod relex;
pub mod spacy;
pub mod tokens;

use crate::io::article::sha256_hex;
use crate::model::{Annotation, Document, LabelSet, Session, Source, Timestamp};
use std::fmt;

/// A training-data format. Adding one is a module with its `SPEC` and a line here and in
/// [`Format::spec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Spacy,
    Conll,
    Brat,
    Labelstudio,
    Csv,
    Docbin,
    Hf,
    Relations,
}

/// What Spanmark knows about a format, stated once, in the format's own module (`SPEC`):
/// the CLI, the window's dialogs and the batch layer (`io::transfer`) all read it from here,
/// and none of them names a format.
#[derive(Clone, Copy, Debug)]
pub struct FormatSpec {
    /// The name on the command line and in the window.
    pub name: &'static str,
    /// One line for `--help`.
    pub help: &'static str,
    /// The usual file extension of an export (empty for a folder).
    pub extension: &'static str,
    /// The export options it takes.
    pub options: &'static [FormatOption],
    /// How it writes.
    pub writer: Writer,
    /// One record per document: a long export is rendered in chunks on every core.
    pub parallel: bool,
    /// A file written beside a file export.
    pub companion: Option<Companion>,
    /// How it is read back into sessions, if it can be.
    pub reader: Option<Reader>,
    /// It carries relations between spans (the others say how many they left out).
    pub relations: bool,
}

/// Writes documents as one stream, given every document's labels (a format that lists its
/// tags needs them all, even when it is written in parts).
pub type WriteFn = fn(
    &mut dyn std::io::Write,
    &[ExportDoc<'_>],
    &ExportOptions,
    &LabelSet,
) -> std::io::Result<Report>;

/// How a format writes.
#[derive(Clone, Copy, Debug)]
pub enum Writer {
    /// One file (or stdout, or a pipe).
    Stream(WriteFn),
    /// A folder of files, one or more per document.
    Folder(
        fn(
            &std::path::Path,
            &[ExportDoc<'_>],
            &LabelSet,
            &ExportOptions,
        ) -> std::io::Result<Report>,
    ),
}

/// Reads a folder: its documents, and the labels it declares if it does.
pub type ReadFolderFn =
    fn(&std::path::Path, &mut Report) -> std::io::Result<(Vec<Imported>, Option<LabelSet>)>;

/// How a format is read.
#[derive(Clone, Copy, Debug)]
pub enum Reader {
    /// From one file's text (its name for messages, offsets as asked).
    Text(fn(&str, &str, Offsets, &mut Report) -> Vec<Imported>),
    /// From a folder; the labels it declares, if it does.
    Folder(ReadFolderFn),
}

/// A file written beside an export, named after it: `data.jsonl` → `data.SUFFIX`.
#[derive(Clone, Copy, Debug)]
pub struct Companion {
    pub suffix: &'static str,
    /// What it holds, for the report ("the labelling config").
    pub what: &'static str,
    /// Its bytes, from every document's labels.
    pub bytes: fn(&LabelSet, &ExportOptions) -> std::io::Result<Vec<u8>>,
}

impl FormatSpec {
    /// Exports to a folder (one file per document) rather than one file or stdout.
    pub fn writes_folder(&self) -> bool {
        matches!(self.writer, Writer::Folder(_))
    }

    /// Can be read back (imported) into sessions.
    pub fn can_import(&self) -> bool {
        self.reader.is_some()
    }
}

/// An export option a format takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatOption {
    /// Code points or UTF-16 offsets.
    Offsets,
    /// IOB2 or BIOES tags.
    Scheme,
    /// What to do with overlapping spans.
    Overlaps,
    /// Write spans as model predictions rather than annotations.
    Predictions,
    /// Unicode or whitespace tokens.
    Tokenizer,
    /// The key of the span group every span goes into.
    SpanKey,
    /// Replace files in the folder that Spanmark did not write.
    Force,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Jsonl,
        Format::Spacy,
        Format::Conll,
        Format::Docbin,
        Format::Hf,
        Format::Brat,
        Format::Labelstudio,
        Format::Csv,
        Format::Relations,
    ];

    /// The table: each format's module describes it wholly.
    pub const fn spec(self) -> &'static FormatSpec {
        match self {
            Format::Jsonl => &jsonl::SPEC,
            Format::Spacy => &spacy::SPEC,
            Format::Conll => &conll::SPEC,
            Format::Docbin => &docbin::SPEC,
            Format::Hf => &hf::SPEC,
            Format::Brat => &brat::SPEC,
            Format::Labelstudio => &labelstudio::SPEC,
            Format::Csv => &csv_out::SPEC,
            Format::Relations => &relex::SPEC,
        }
    }

    pub fn can_import(self) -> bool {
        self.spec().can_import()
    }

    /// The usual file extension of an export (empty for a format that writes a folder).
    pub fn extension(self) -> &'static str {
        self.spec().extension
    }

    /// The format named `name` on the command line.
    pub fn named(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.spec().name == name)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spec().name)
    }
}

/// How offsets are counted in JSONL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Offsets {
    /// Unicode code points (Python `str` indices)
    #[default]
    Chars,
    /// UTF-16 code units (JavaScript; doccano's default)
    Utf16,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheme {
    #[default]
    Iob2,
    Bioes,
}

/// What CoNLL export does with overlapping spans, which it cannot represent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Overlaps {
    /// Refuse the document and say which spans overlap
    #[default]
    Error,
    /// Keep the outermost spans (widest first), drop those inside or overlapping them
    Outermost,
    /// Keep the longest spans, drop the rest
    Longest,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    pub offsets: Offsets,
    pub scheme: Scheme,
    pub overlaps: Overlaps,
    pub as_predictions: bool,
    /// brat: replace `.txt`/`.ann` files in the folder that Spanmark did not write (or that
    /// were changed since it wrote them).
    pub force: bool,
    /// docbin, hf: how text is cut into tokens.
    pub tokenizer: tokens::Tokenizer,
    /// docbin: the `doc.spans` key every span goes into.
    pub span_key: String,
}

/// spaCy's span categorizer reads `doc.spans["sc"]` unless configured otherwise.
pub const DEFAULT_SPAN_KEY: &str = "sc";

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            offsets: Offsets::default(),
            scheme: Scheme::default(),
            overlaps: Overlaps::default(),
            as_predictions: false,
            force: false,
            tokenizer: tokens::Tokenizer::default(),
            span_key: DEFAULT_SPAN_KEY.to_owned(),
        }
    }
}

/// One document to export: an id (used as file name or record id) and its session.
pub struct ExportDoc<'a> {
    pub id: String,
    pub session: &'a Session,
}

/// What an export or import did, for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub documents: usize,
    pub spans: usize,
    /// Problems that skipped or changed something, each naming where (document, record, span).
    pub notes: Vec<String>,
    /// True when something was refused (bad input): the exit code is then non-zero.
    pub failed: bool,
}

impl Report {
    pub fn merge(&mut self, other: Report) {
        self.documents += other.documents;
        self.spans += other.spans;
        self.notes.extend(other.notes);
        self.failed |= other.failed;
    }
}

/// A record longer than [`limits::MAX_IMPORT_LINE_BYTES`] is refused before it is parsed.
/// Reads a JSONL file a record per line with `parse` (given the line and its number); a bad
/// line is reported (`NAME:LINE: problem; record skipped`) and skipped.
pub(crate) fn read_lines(
    name: &str,
    input: &str,
    report: &mut Report,
    parse: impl Fn(&str, usize) -> Result<Imported, String>,
) -> Vec<Imported> {
    let mut out = Vec::new();
    for (i, line) in input.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse(line, i + 1) {
            Ok(d) => out.push(d),
            Err(e) => {
                report
                    .notes
                    .push(format!("{name}:{}: {e}; record skipped", i + 1));
                report.failed = true;
            }
        }
    }
    out
}

pub(crate) fn check_record_size(line: &str) -> Result<(), String> {
    use crate::io::limits::{MAX_IMPORT_LINE_BYTES, size};
    if line.len() > MAX_IMPORT_LINE_BYTES {
        return Err(format!(
            "the record is {}; Spanmark reads records up to {}",
            size(line.len() as u64),
            size(MAX_IMPORT_LINE_BYTES as u64)
        ));
    }
    Ok(())
}

/// One imported document: an id, its text and its spans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub id: String,
    pub text: String,
    /// (start, end, label, note) in chars.
    pub spans: Vec<(usize, usize, String, Option<String>)>,
    /// Relations between spans: (index in `spans` of from, of to, label).
    pub relations: Vec<(usize, usize, String)>,
}

/// Turns imported documents into sessions sharing one label set: the defaults, plus any
/// other label met, with the next free palette colour and hotkey. Spans that break the
/// session rules (empty, whitespace-only, duplicates) are reported and skipped.
pub fn to_sessions(
    docs: Vec<Imported>,
    origin: &str,
    known: Option<&LabelSet>,
    report: &mut Report,
) -> Vec<(String, Session)> {
    let Some(docs) = within_limits(docs, origin, known, report) else {
        return Vec::new();
    };
    let mut labels = known.cloned().unwrap_or_default();
    for d in &docs {
        // A label with no name is no label: its spans are reported below, not made.
        for (_, _, l, _) in d.spans.iter().filter(|(_, _, l, _)| !l.trim().is_empty()) {
            labels.add_met(l, None);
        }
    }
    let now = Timestamp::now();
    let annotator = crate::model::default_annotator();
    // Each document on its own, on every core; what was skipped is reported in input order.
    let built = crate::io::par::par_map(&docs, |d| {
        let source = Source {
            path: format!("{origin}#{}", d.id),
            bytes: d.text.len() as u64,
            sha256: sha256_hex(d.text.as_bytes()),
            encoding: "utf-8".into(),
            normalised: Vec::new(),
            kind: "text".into(),
        };
        let mut s = Session::new(
            Document::new(d.text.clone()),
            labels.clone(),
            source,
            annotator.clone(),
        );
        s.created = now;
        s.modified = now;
        let (spans, notes) = add_imported(&mut s, d, origin);
        (d.id.clone(), s, spans, notes)
    });
    built
        .into_iter()
        .map(|(id, s, spans, notes)| {
            report.spans += spans;
            report.notes.extend(notes);
            report.documents += 1;
            (id, s)
        })
        .collect()
}

/// The documents within Spanmark's limits (spans per document; labels in all), the others
/// reported; `None` when the labels are too many to import anything.
fn within_limits(
    mut docs: Vec<Imported>,
    origin: &str,
    known: Option<&LabelSet>,
    report: &mut Report,
) -> Option<Vec<Imported>> {
    use crate::io::limits::{MAX_LABELS, MAX_SPANS_PER_DOCUMENT};
    docs.retain(|d| {
        let relation_labels: std::collections::HashSet<&str> =
            d.relations.iter().map(|r| r.2.as_str()).collect();
        let (what, n, max) = if d.spans.len() > MAX_SPANS_PER_DOCUMENT {
            ("spans", d.spans.len(), MAX_SPANS_PER_DOCUMENT)
        } else if d.relations.len() > MAX_SPANS_PER_DOCUMENT {
            ("relations", d.relations.len(), MAX_SPANS_PER_DOCUMENT)
        } else if relation_labels.len() > MAX_LABELS {
            ("relation labels", relation_labels.len(), MAX_LABELS)
        } else {
            return true;
        };
        // What the session loader would refuse is not written.
        report.notes.push(format!(
            "{origin}: document {} has {n} {what}; Spanmark takes up to {max} per document; skipped",
            d.id
        ));
        report.failed = true;
        false
    });
    // The label set the sessions will have: the labels met and the known (or default) ones,
    // held to the limit the loader holds it to, so that an import never writes a session
    // that `validate` refuses.
    let base = known.cloned().unwrap_or_default();
    let mut distinct: std::collections::HashSet<&str> = docs
        .iter()
        .flat_map(|d| d.spans.iter().map(|(_, _, l, _)| l.as_str()))
        .filter(|l| !l.trim().is_empty())
        .collect();
    distinct.extend(base.iter().map(|l| l.name.as_str()));
    if distinct.len() > MAX_LABELS {
        report.notes.push(format!(
            "{origin}: {} labels with the defaults; Spanmark takes up to {MAX_LABELS}; nothing imported",
            distinct.len()
        ));
        report.failed = true;
        return None;
    }
    drop(distinct);
    Some(docs)
}

/// Adds an imported document's spans to its session; returns how many went in and what was
/// skipped, in the order the spans came.
fn add_imported(s: &mut Session, d: &Imported, origin: &str) -> (usize, Vec<String>) {
    let (mut spans, mut notes) = (0, Vec::new());
    // Ids in input order; added in document order, so that each goes at the end of the
    // sorted list (adding a million spans in input order shifted the list each time).
    let mut adds: Vec<(usize, Annotation)> = Vec::with_capacity(d.spans.len());
    for (k, (start, end, label, note)) in d.spans.iter().enumerate() {
        if label.trim().is_empty() {
            notes.push((
                k,
                format!(
                    "{origin}: document {}: span {start}..{end} skipped: its label is empty",
                    d.id
                ),
            ));
            continue;
        }
        let mut a: Annotation = s.new_annotation(*start, *end, label);
        a.note.clone_from(note);
        adds.push((k, a));
    }
    adds.sort_by(|(_, a), (_, b)| a.sort_key().cmp(&b.sort_key()));
    let mut ids = std::collections::HashMap::new();
    for (k, a) in adds {
        let (start, end, label, id) = (a.start, a.end, a.label.clone(), a.id);
        match s.apply(crate::model::Edit::Add(a)) {
            Ok(_) => {
                spans += 1;
                ids.insert(k, id);
            }
            Err(e) => notes.push((
                k,
                format!(
                    "{origin}: document {}: span {start}..{end} {label} skipped: {e}",
                    d.id
                ),
            )),
        }
    }
    notes.sort_by_key(|(k, _)| *k);
    let mut notes: Vec<String> = notes.into_iter().map(|(_, n)| n).collect();
    add_relations(s, d, &ids, origin, &mut notes);
    (spans, notes)
}

/// Adds an imported document's relations between the spans that went in (`ids`: span index
/// to annotation); a relation label met for the first time is added, directed, with the
/// first free digit as its key.
fn add_relations(
    s: &mut Session,
    d: &Imported,
    ids: &std::collections::HashMap<usize, crate::model::AnnotationId>,
    origin: &str,
    notes: &mut Vec<String>,
) {
    use crate::model::{Edit, RelationLabel};
    if d.relations.is_empty() {
        return;
    }
    let mut labels: Vec<RelationLabel> = s.relation_labels().to_vec();
    let mut edits = Vec::new();
    for (from, to, label) in &d.relations {
        let (Some(&a), Some(&b)) = (ids.get(from), ids.get(to)) else {
            notes.push(format!(
                "{origin}: document {}: relation {label} skipped: one of its spans was not imported",
                d.id
            ));
            continue;
        };
        if !labels.iter().any(|l| l.name == *label) {
            let color = crate::model::relation_color(labels.len());
            // The first free digit, so that the new label is at hand while relating.
            let key = ('1'..='9').find(|&k| !labels.iter().any(|l| l.hotkey == Some(k)));
            labels.push(RelationLabel::new(label, color, key, true));
        }
        edits.push(s.new_relation(a, b, label));
    }
    if labels != s.relation_labels()
        && let Err(e) = s.apply(Edit::SetRelationLabels(labels))
    {
        notes.push(format!("{origin}: document {}: relation labels: {e}", d.id));
        return;
    }
    for r in edits {
        let what = format!("{} {:?}", r.label, (r.from, r.to));
        if let Err(e) = s.apply(Edit::AddRelation(r)) {
            notes.push(format!(
                "{origin}: document {}: relation {what} skipped: {e}",
                d.id
            ));
        }
    }
}

/// A document id as a file name: path separators and control characters become `_`.
pub fn file_stem_for(id: &str) -> String {
    // Nothing, ".", ".." or a leading dot would be no name, a folder or a hidden file.
    let id = match id.trim() {
        "" => "_",
        "." | ".." => "_",
        _ => id,
    };
    let id = id
        .strip_prefix('.')
        .map_or_else(|| id.to_owned(), |rest| format!("_{rest}"));
    id.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Char offset → UTF-16 offset table for a text (only built when needed).
pub struct Utf16Map {
    /// `units[i]` = UTF-16 units before char i; one extra entry for the end.
    units: Vec<usize>,
}

impl Utf16Map {
    pub fn new(text: &str) -> Self {
        let mut units = Vec::with_capacity(text.len() + 1);
        let mut u = 0;
        for c in text.chars() {
            units.push(u);
            u += c.len_utf16();
        }
        units.push(u);
        Self { units }
    }

    pub fn to_utf16(&self, chars: usize) -> Option<usize> {
        self.units.get(chars).copied()
    }

    pub fn to_chars(&self, utf16: usize) -> Option<usize> {
        self.units.binary_search(&utf16).ok()
    }
}

/// Checks imported offsets against the text; `None` with a reason if they do not fit.
pub fn check_offsets(text_chars: usize, start: usize, end: usize) -> Result<(), String> {
    if start >= end {
        Err(format!("span {start}..{end} is empty or reversed"))
    } else if end > text_chars {
        Err(format!(
            "span {start}..{end} lies beyond the end of the text ({text_chars} characters)"
        ))
    } else {
        Ok(())
    }
}
