//! The session file: RON, human-readable, in a stable order that diffs well in git.
//!
//! Top-level fields come one per line; each label and each annotation is one line, in
//! document order, so adding a span shows in a diff as one added line; the article text comes
//! last, unescaped, so its paragraphs read as they are. See README.md for an example.
//!
//! Loading checks everything and never writes. Every problem names the file and, where it
//! can, the line and column.

use crate::io::atomic::write_atomic;
use crate::model::{
    Annotation, AnnotationId, Document, EditError, LabelSet, Session, Source, Timestamp,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The `format` field every session file carries.
pub const FORMAT: &str = "spanmark-session";
/// The session format version this build writes. Older versions are migrated on load.
pub const VERSION: u32 = 2;
/// The suffix of session files.
pub const SESSION_SUFFIX: &str = ".spanmark.ron";

pub fn tool_version() -> String {
    format!("spanmark {}", env!("CARGO_PKG_VERSION"))
}

pub fn is_session_path(path: &Path) -> bool {
    path.to_string_lossy().ends_with(SESSION_SUFFIX)
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRecord {
    path: String,
    bytes: u64,
    sha256: String,
    encoding: String,
    #[serde(default)]
    normalised: Vec<String>,
    /// `text`, `html` or `docx` (absent: text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    kind: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnotationRecord {
    id: u64,
    start: usize,
    end: usize,
    label: String,
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    annotator: String,
    created: Timestamp,
    modified: Timestamp,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionRecord {
    format: String,
    version: u32,
    tool: String,
    created: Timestamp,
    modified: Timestamp,
    annotator: String,
    source: SourceRecord,
    labels: LabelSet,
    annotations: Vec<AnnotationRecord>,
    /// Marked done by the editor (absent: not done).
    #[serde(default)]
    done: bool,
    /// Seconds of active work (absent: none recorded).
    #[serde(default)]
    active_seconds: u64,
    /// Spans waiting for a curator (absent: none).
    #[serde(default)]
    review: Vec<crate::model::ReviewItem>,
    /// Whose sessions the review list compares, in order (absent: none).
    #[serde(default)]
    compared: Vec<String>,
    /// Suggestions rejected in this document (absent: none).
    #[serde(default)]
    rejected: Vec<crate::model::Rejected>,
    /// Annotations re-anchoring left for the editor to review (absent: none).
    #[serde(default)]
    anchors: Vec<crate::model::AnchorReview>,
    /// Relation labels (absent, as in version 1: the default ones).
    #[serde(default = "crate::model::RelationLabel::defaults")]
    relation_labels: Vec<crate::model::RelationLabel>,
    /// Relations between annotations (absent, as in version 1: none).
    #[serde(default)]
    relations: Vec<crate::model::Relation>,
    /// Relations waiting for a curator (absent: none).
    #[serde(default)]
    relation_review: Vec<crate::model::RelationReview>,
    text: String,
}

/// Only what is needed to decide how to read the rest.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    format: String,
    #[serde(default)]
    version: u32,
}

/// One thing wrong with a file. `line` and `column` are 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Problem {
    fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    fn general(message: impl Into<String>) -> Self {
        Self {
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// Why a session file could not be loaded: every problem found, with the file's path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub path: PathBuf,
    pub problems: Vec<Problem>,
}

impl LoadError {
    /// One problem with no line or column (the message should not repeat the path).
    pub fn general(path: &Path, message: impl Into<String>) -> Self {
        Self::one(path, Problem::general(message))
    }

    fn one(path: &Path, p: Problem) -> Self {
        Self {
            path: path.to_owned(),
            problems: vec![p],
        }
    }

    /// Each problem as `PATH:LINE:COL: message` or `PATH: message`.
    pub fn lines(&self) -> Vec<String> {
        let path = self.path.display();
        self.problems
            .iter()
            .map(|p| match (p.line, p.column) {
                (Some(l), Some(c)) => format!("{path}:{l}:{c}: {}", p.message),
                (Some(l), None) => format!("{path}:{l}: {}", p.message),
                _ => format!("{path}: {}", p.message),
            })
            .collect()
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// Reads and checks a session file.
pub fn load_session(path: &Path) -> Result<Session, LoadError> {
    let bytes = crate::io::atomic::read_regular(
        path,
        crate::io::limits::MAX_SESSION_BYTES,
        "session files",
    )
    .map_err(|e| LoadError::one(path, Problem::general(format!("cannot read the file: {e}"))))?;
    parse_session(path, &bytes)
}

/// Parses and checks session bytes; `path` is used in messages only.
pub fn parse_session(path: &Path, bytes: &[u8]) -> Result<Session, LoadError> {
    parse_session_with(path, bytes, Some(PARALLEL_FROM))
}

/// [`parse_session`], with annotation lines parsed in parallel from `parallel_from` of them
/// (`None`: always the one-pass parse). For the differential fuzz target and tests: both
/// must give the same session, or the same problems, on every input.
#[doc(hidden)]
pub fn parse_session_with(
    path: &Path,
    bytes: &[u8],
    parallel_from: Option<usize>,
) -> Result<Session, LoadError> {
    let src = std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(
            &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
            e.valid_up_to(),
        );
        LoadError::one(
            path,
            Problem::at(
                line,
                col,
                "not a Spanmark session: the file is not UTF-8 text",
            ),
        )
    })?;
    // A byte-order mark (some Windows editors add one) is not part of the session.
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if src.trim().is_empty() {
        return Err(LoadError::one(path, Problem::general("the file is empty")));
    }
    // The common case first: a current file, read in one pass (a long one in parallel).
    if let Some(record) = parallel_from.and_then(|n| parse_in_parallel(src, n))
        && record.format == FORMAT
        && record.version == VERSION
    {
        return from_record(path, src, record);
    }
    let strict = match ron::from_str::<SessionRecord>(src) {
        Ok(record) if record.format == FORMAT && record.version == VERSION => {
            return from_record(path, src, record);
        }
        other => other,
    };
    // Otherwise find out what the file is before reporting its syntax.
    let header: Header = ron::from_str(src).map_err(|e| syntax_error(path, &e))?;
    if header.format != FORMAT {
        return Err(LoadError::one(
            path,
            Problem::general(format!(
                "not a Spanmark session: expected `format: \"{FORMAT}\"` at the top"
            )),
        ));
    }
    let version = header.version;
    if version > VERSION {
        return Err(LoadError::one(
            path,
            Problem::general(format!(
                "written by a newer Spanmark (session format version {version}; {} reads up to version {VERSION}); update Spanmark to open it",
                tool_version()
            )),
        ));
    }
    if version < 1 {
        return Err(LoadError::one(
            path,
            Problem::general(format!("unknown session format version {version}")),
        ));
    }
    // Migrations from older versions go here, each turning version N into N + 1.
    let record = strict.map_err(|e| syntax_error(path, &e))?;
    from_record(path, src, record)
}

fn syntax_error(path: &Path, e: &ron::error::SpannedError) -> LoadError {
    LoadError::one(
        path,
        Problem::at(
            e.span.start.line,
            e.span.start.col,
            match &e.code {
                // ron's advice names its own options: say what is wrong with the file.
                ron::error::Error::ExceededRecursionLimit => {
                    "nested too deeply (more than 128 levels): not a Spanmark session".to_owned()
                }
                code => code.to_string(),
            }
            .replace("in `SessionRecord`", "in the session")
            .replace("for struct `Header`", "at the top of a Spanmark session")
            .replace("in `AnnotationRecord`", "in an annotation")
            .replace("in `SourceRecord`", "in `source`")
            .replace("in `Relation`", "in a relation")
            .replace("in `RelationLabel`", "in a relation label")
            .replace("in `Label`", "in a label"),
        ),
    )
}

/// 1-based line and column (in chars) of a byte offset.
fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let before = src.get(..byte).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// Where annotation `id` is written in the file, for messages.
fn annotation_position(src: &str, id: u64) -> Option<(usize, usize)> {
    let section = src.find("annotations:")?;
    let needle = format!("(id: {id},");
    let at = src.get(section..)?.find(&needle)? + section;
    Some(line_col(src, at))
}

/// Where each relation is written in the file (by id), for messages: one pass over the
/// relations section, however many relations have problems.
fn relation_positions(src: &str) -> std::collections::HashMap<u64, (usize, usize)> {
    let mut out = std::collections::HashMap::new();
    let Some(section) = src.find("\n    relations: [") else {
        return out;
    };
    let first = src[..section].matches('\n').count() + 3;
    for (line, l) in (first..).zip(src[section + 1..].lines().skip(1)) {
        if let Some(col) = l.find("(id: ")
            && let Some(id) = l[col + 5..]
                .split(',')
                .next()
                .and_then(|n| n.trim().parse().ok())
        {
            out.entry(id)
                .or_insert((line, l[..col].chars().count() + 1));
        }
        if l.trim_start().starts_with(']') {
            break;
        }
    }
    out
}

/// From how many annotations a file's annotation lines are parsed in parallel.
const PARALLEL_FROM: usize = 4096;

/// A file as this build writes it, with many annotations: each annotation line parsed on its
/// own, on every core, and the rest in one pass. `None` when the file is short or is not laid
/// out exactly so (hand-edited, CRLF, a comment, a bad line): the one-pass parse then reads it
/// and reports any problem with its line and column. Both give the same session.
fn parse_in_parallel(src: &str, parallel_from: usize) -> Option<SessionRecord> {
    const OPEN: &str = "\n    annotations: [\n";
    const CLOSE: &str = "\n    ],\n";
    let open_at = src.find(OPEN)?;
    // Only if that is the field itself, not text inside a string or comment before it (a
    // hand-written description may hold lines that look like annotations).
    if !ends_outside_literals(&src[..open_at]) {
        return None;
    }
    let body_start = open_at + OPEN.len();
    // Annotation lines are indented further and strings in them escape newlines, so the first
    // CLOSE after OPEN ends the list.
    let body_len = src[body_start..].find(CLOSE)?;
    let body = &src[body_start..body_start + body_len];
    let lines: Vec<&str> = body.split('\n').collect();
    if lines.len() < parallel_from {
        return None;
    }
    let parsed: Option<Vec<AnnotationRecord>> = crate::io::par::par_map(&lines, |l| {
        let record = l.trim().strip_suffix(',')?;
        ron::from_str::<AnnotationRecord>(record).ok()
    })
    .into_iter()
    .collect();
    let parsed = parsed?;
    // The rest, with an empty list where the annotations were.
    let rest = [&src[..body_start], &src[body_start + body_len + 1..]].concat();
    let mut record: SessionRecord = ron::from_str(&rest).ok()?;
    if !record.annotations.is_empty() {
        return None;
    }
    record.annotations = parsed;
    Some(record)
}

fn from_record(path: &Path, src: &str, r: SessionRecord) -> Result<Session, LoadError> {
    check_sizes(path, &r)?;
    let mut problems: Vec<Problem> = r
        .labels
        .problems()
        .into_iter()
        .map(|m| Problem::general(format!("labels: {m}")))
        .collect();
    let document = Document::new(r.text);
    let annotations = annotations_of(src, &document, r.annotations, &mut problems);
    let source = Source {
        path: r.source.path,
        bytes: r.source.bytes,
        sha256: r.source.sha256,
        encoding: r.source.encoding,
        normalised: r.source.normalised,
        kind: r.source.kind,
    };
    let mut base = Session::new(document, r.labels, source, r.annotator);
    base.created = r.created;
    base.modified = r.modified;
    base.done = r.done;
    base.active_secs = r.active_seconds;
    base.rejected = r.rejected;
    base.compared = r.compared;
    add_review(&mut base, r.review, &mut problems);
    let relation_review =
        relation_review(base.document().char_len(), r.relation_review, &mut problems);
    let ids: HashSet<u64> = annotations.iter().map(|a| a.id.0).collect();
    add_anchors(&mut base, r.anchors, &ids, &mut problems);
    let result = Session::from_parts(base, annotations);
    if let Err(errors) = &result {
        problems.extend(errors.iter().map(|(id, e)| rule_problem(src, *id, e)));
    }
    let result = result.ok().and_then(|s| {
        s.with_relations(r.relation_labels, r.relations)
            .map_err(|errors| {
                let at = relation_positions(src);
                problems.extend(errors.into_iter().map(|(id, m)| match at.get(&id.0) {
                    Some(&(l, c)) => Problem::at(l, c, m),
                    None => Problem::general(m),
                }));
            })
            .ok()
    });
    match result {
        Some(mut session) if problems.is_empty() => {
            session.relation_review = relation_review;
            Ok(session)
        }
        _ => Err(LoadError {
            path: path.to_owned(),
            problems,
        }),
    }
}

/// More annotations or labels than Spanmark takes is refused before anything is built.
fn check_sizes(path: &Path, r: &SessionRecord) -> Result<(), LoadError> {
    use crate::io::limits::{MAX_LABELS, MAX_SPANS_PER_DOCUMENT};
    if r.annotations.len() > MAX_SPANS_PER_DOCUMENT {
        return Err(LoadError::general(
            path,
            format!(
                "{} annotations; Spanmark takes up to {MAX_SPANS_PER_DOCUMENT} per document",
                r.annotations.len()
            ),
        ));
    }
    if r.relations.len() > MAX_SPANS_PER_DOCUMENT {
        return Err(LoadError::general(
            path,
            format!(
                "{} relations; Spanmark takes up to {MAX_SPANS_PER_DOCUMENT} per document",
                r.relations.len()
            ),
        ));
    }
    if r.labels.len() > MAX_LABELS || r.relation_labels.len() > MAX_LABELS {
        return Err(LoadError::general(
            path,
            format!(
                "{} labels; Spanmark takes up to {MAX_LABELS}",
                r.labels.len()
            ),
        ));
    }
    Ok(())
}

/// The annotation records that fit the text (an id used once, offsets inside it, the text
/// the file says); the others become problems at their line and column.
fn annotations_of(
    src: &str,
    document: &Document,
    records: Vec<AnnotationRecord>,
    problems: &mut Vec<Problem>,
) -> Vec<Annotation> {
    let mut seen = HashSet::new();
    let mut annotations = Vec::with_capacity(records.len());
    for a in records {
        let locate = |message: String| match annotation_position(src, a.id) {
            Some((l, c)) => Problem::at(l, c, message),
            None => Problem::general(message),
        };
        if !seen.insert(a.id) {
            problems.push(locate(format!("annotation id {} is used twice", a.id)));
            continue;
        }
        let problem = match document.slice(a.start..a.end) {
            None if a.start <= a.end => Some(format!(
                "annotation {}: offsets {}..{} lie beyond the end of the text ({} characters)",
                a.id,
                a.start,
                a.end,
                document.char_len()
            )),
            Some(covered) if covered != a.text => Some(format!(
                "annotation {}: the text at {}..{} is {:?}, but the file says {:?}",
                a.id, a.start, a.end, covered, a.text
            )),
            _ => None,
        };
        if let Some(p) = problem {
            problems.push(locate(p));
            continue;
        }
        annotations.push(Annotation {
            id: AnnotationId(a.id),
            start: a.start,
            end: a.end,
            label: a.label,
            note: a.note,
            annotator: a.annotator,
            created: a.created,
            modified: a.modified,
        });
    }
    annotations
}

/// The review items inside the text and of a known label; the others are problems.
fn add_review(
    base: &mut Session,
    items: Vec<crate::model::ReviewItem>,
    problems: &mut Vec<Problem>,
) {
    let len = base.document().char_len();
    for item in items {
        if item.start >= item.end || item.end > len {
            problems.push(Problem::general(format!(
                "review: {}..{} {} lies outside the text ({len} characters)",
                item.start, item.end, item.label,
            )));
        } else if !base.labels().contains(&item.label) {
            problems.push(Problem::general(format!(
                "review: label {:?} is not in the label set",
                item.label
            )));
        } else {
            base.review.push(item);
        }
    }
}

/// The relations to decide whose two spans lie inside the text; the others are problems.
fn relation_review(
    len: usize,
    items: Vec<crate::model::RelationReview>,
    problems: &mut Vec<Problem>,
) -> Vec<crate::model::RelationReview> {
    let inside = |e: &(usize, usize, String)| e.0 < e.1 && e.1 <= len;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if inside(&item.from) && inside(&item.to) {
            out.push(item);
        } else {
            problems.push(Problem::general(format!(
                "relation_review: {} between {}..{} and {}..{} lies outside the text ({len} characters)",
                item.label, item.from.0, item.from.1, item.to.0, item.to.1
            )));
        }
    }
    out
}

/// The re-anchoring review records that agree with the annotations (`ids`); the others are
/// problems.
fn add_anchors(
    base: &mut Session,
    records: Vec<crate::model::AnchorReview>,
    ids: &HashSet<u64>,
    problems: &mut Vec<Problem>,
) {
    use crate::model::AnchorKind;
    let mut waiting = HashSet::new();
    for r in records {
        let id = r.id;
        let problem = if !waiting.insert(id) {
            Some(format!("anchors: annotation {} is listed twice", id.0))
        } else {
            match (r.kind, &r.orphan) {
                (AnchorKind::Changed, _) if !ids.contains(&id.0) => Some(format!(
                    "anchors: changed annotation {} is not among the annotations",
                    id.0
                )),
                (AnchorKind::Orphaned, None) => Some(format!(
                    "anchors: orphaned annotation {} has no `orphan` record",
                    id.0
                )),
                (AnchorKind::Orphaned, Some(a)) if a.id != id || ids.contains(&id.0) => {
                    Some(format!(
                        "anchors: orphaned annotation {} has the id of another annotation",
                        id.0
                    ))
                }
                _ => None,
            }
        };
        match problem {
            Some(p) => problems.push(Problem::general(p)),
            None => base.anchors.push(r),
        }
    }
}

/// A session rule an annotation breaks, at its line and column.
fn rule_problem(src: &str, id: AnnotationId, e: &EditError) -> Problem {
    let message = match e {
        EditError::UnknownLabel(l) => {
            format!("annotation {}: label {l:?} is not in the label set", id.0)
        }
        other => format!("annotation {}: {other}", id.0),
    };
    match annotation_position(src, id.0) {
        Some((l, c)) => Problem::at(l, c, message),
        None => Problem::general(message),
    }
}

fn ron_line<T: Serialize>(value: &T) -> std::io::Result<String> {
    let cfg = ron::ser::PrettyConfig::new()
        .compact_structs(true)
        .compact_arrays(true);
    ron::ser::to_string_pretty(value, cfg).map_err(std::io::Error::other)
}

/// Writes a session in the session file format.
/// Whether RON source `src` ends outside every string, char literal and comment.
fn ends_outside_literals(src: &str) -> bool {
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                // A string: backslash escapes the next byte.
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i >= b.len() {
                    return false;
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#')) => {
                // A raw string: r#…"…"#… with as many hashes.
                let mut j = i + 1;
                while b.get(j) == Some(&b'#') {
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let hashes = j - i - 1;
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                match src[j + 1..].find(std::str::from_utf8(&close).unwrap_or("\"")) {
                    Some(k) => i = j + 1 + k + close.len() - 1,
                    None => return false,
                }
            }
            b'\'' => {
                // A char literal (or a lifetime-like quote RON does not have: treated the same).
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i >= b.len() {
                    return false;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => match src[i..].find('\n') {
                Some(k) => i += k,
                None => return false,
            },
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest.
                let mut depth = 1;
                i += 2;
                while depth > 0 {
                    match (b.get(i), b.get(i + 1)) {
                        (Some(b'/'), Some(b'*')) => {
                            depth += 1;
                            i += 2;
                        }
                        (Some(b'*'), Some(b'/')) => {
                            depth -= 1;
                            i += 2;
                        }
                        (Some(_), _) => i += 1,
                        (None, _) => return false,
                    }
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

pub fn write_session(w: &mut dyn Write, s: &Session) -> std::io::Result<()> {
    let source = SourceRecord {
        path: s.source.path.clone(),
        bytes: s.source.bytes,
        sha256: s.source.sha256.clone(),
        encoding: s.source.encoding.clone(),
        normalised: s.source.normalised.clone(),
        kind: s.source.kind.clone(),
    };
    writeln!(w, "(")?;
    writeln!(w, "    format: {},", ron_line(&FORMAT)?)?;
    writeln!(w, "    version: {VERSION},")?;
    writeln!(w, "    tool: {},", ron_line(&tool_version())?)?;
    writeln!(w, "    created: {},", ron_line(&s.created)?)?;
    writeln!(w, "    modified: {},", ron_line(&s.modified)?)?;
    writeln!(w, "    annotator: {},", ron_line(&s.annotator)?)?;
    writeln!(w, "    source: {},", ron_line(&source)?)?;
    writeln!(w, "    labels: [")?;
    for l in s.labels().iter() {
        writeln!(w, "        {},", ron_line(l)?)?;
    }
    writeln!(w, "    ],")?;
    writeln!(w, "    annotations: [")?;
    for a in s.annotations() {
        let rec = AnnotationRecord {
            id: a.id.0,
            start: a.start,
            end: a.end,
            label: a.label.clone(),
            text: s.covered(a).to_owned(),
            note: a.note.clone(),
            annotator: a.annotator.clone(),
            created: a.created,
            modified: a.modified,
        };
        writeln!(w, "        {},", ron_line(&rec)?)?;
    }
    writeln!(w, "    ],")?;
    if s.done {
        writeln!(w, "    done: true,")?;
    }
    if s.active_secs > 0 {
        writeln!(w, "    active_seconds: {},", s.active_secs)?;
    }
    if !s.rejected.is_empty() {
        writeln!(w, "    rejected: [")?;
        for item in &s.rejected {
            writeln!(w, "        {},", ron_line(item)?)?;
        }
        writeln!(w, "    ],")?;
    }
    if !s.compared.is_empty() {
        writeln!(w, "    compared: {},", ron_line(&s.compared)?)?;
    }
    if !s.review.is_empty() {
        writeln!(w, "    review: [")?;
        for item in &s.review {
            writeln!(w, "        {},", ron_line(item)?)?;
        }
        writeln!(w, "    ],")?;
    }
    if !s.anchors.is_empty() {
        writeln!(w, "    anchors: [")?;
        for item in &s.anchors {
            writeln!(w, "        {},", ron_line(item)?)?;
        }
        writeln!(w, "    ],")?;
    }
    if s.relation_labels() != crate::model::RelationLabel::defaults() {
        writeln!(w, "    relation_labels: [")?;
        for l in s.relation_labels() {
            writeln!(w, "        {},", ron_line(l)?)?;
        }
        writeln!(w, "    ],")?;
    }
    if !s.relations().is_empty() {
        writeln!(w, "    relations: [")?;
        for r in s.relations() {
            writeln!(w, "        {},", ron_line(r)?)?;
        }
        writeln!(w, "    ],")?;
    }
    if !s.relation_review.is_empty() {
        writeln!(w, "    relation_review: [")?;
        for r in &s.relation_review {
            writeln!(w, "        {},", ron_line(r)?)?;
        }
        writeln!(w, "    ],")?;
    }
    let text = ron::ser::to_string_pretty(
        &s.text(),
        ron::ser::PrettyConfig::new().escape_strings(false),
    )
    .map_err(std::io::Error::other)?;
    writeln!(w, "    text: {text},")?;
    writeln!(w, ")")?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: could not save: {source}")]
pub struct SaveError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Saves atomically, stamping the session's modified time. Returns the SHA-256 of the bytes
/// written, which is how the app later recognises the file as its own.
pub fn save_session(path: &Path, s: &mut Session) -> Result<String, SaveError> {
    let previous = std::mem::replace(&mut s.modified, Timestamp::now());
    let mut bytes = Vec::with_capacity(s.text().len() * 2 + 4096);
    let written =
        write_session(&mut bytes, s).and_then(|()| write_atomic(path, |w| w.write_all(&bytes)));
    // Read back what landed: a save that cannot be read again is not a save.
    let written = written.and_then(|()| {
        let back = std::fs::read(path).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("it was written but cannot be read back: {e}"),
            )
        })?;
        if back != bytes {
            return Err(std::io::Error::other(
                "it was written but reads back different (another program, or a failing disk?)",
            ));
        }
        Ok(())
    });
    match written {
        Ok(()) => Ok(crate::io::article::sha256_hex(&bytes)),
        Err(source) => {
            s.modified = previous;
            Err(SaveError {
                path: path.to_owned(),
                source,
            })
        }
    }
}
