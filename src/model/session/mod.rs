//! A session: one document, its label set, its annotations and where the text came from.
//! All changes to annotations go through [`Session::apply`], which validates an [`Edit`] and
//! returns its inverse.

use super::annotation::{AnchorReview, Annotation, AnnotationId, Rejected, Timestamp};
use super::document::Document;
use super::edit::{Edit, EditError};
use super::label::LabelSet;
use super::relation::{Relation, RelationLabel, RelationReview};
use std::collections::HashMap;

mod bulk;
mod ids;
mod relations;

use bulk::{Run, runs};
use ids::IdMap;

/// Where the document text came from, as recorded at import.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Source {
    /// The path as the user gave it (or a name such as `sample:…` for built-in text).
    pub path: String,
    /// Size of the original file in bytes.
    pub bytes: u64,
    /// SHA-256 of the original bytes, lowercase hex.
    pub sha256: String,
    /// The encoding the bytes were decoded from (`utf-8`, `utf-8-bom`, `utf-16le`, …).
    pub encoding: String,
    /// What was changed while decoding, e.g. `"3 CRLF line endings became LF"`.
    pub normalised: Vec<String>,
    /// What the file was: `text`, `html` or `docx` (the text of the last two is what a reader
    /// sees). Empty in sessions written before kinds were recorded: text.
    pub kind: String,
}

/// Who new annotations are by: `$SPANMARK_ANNOTATOR`, else the login name.
pub fn default_annotator() -> String {
    ["SPANMARK_ANNOTATOR", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "anonymous".to_owned())
}

#[derive(Clone, Debug)]
pub struct Session {
    document: Document,
    labels: LabelSet,
    /// Kept sorted by [`Annotation::sort_key`].
    annotations: Vec<Annotation>,
    /// Each annotation's bounds by id, to find it by binary search (no scan per edit).
    bounds: IdMap<(usize, usize)>,
    /// How many annotations carry each label, kept with every change (no count is a scan).
    per_label: HashMap<String, usize>,
    /// How many annotations have each length, kept with every change (the longest is what
    /// a view looks back by to find the spans reaching into what it shows).
    lengths: std::collections::BTreeMap<usize, usize>,
    /// Annotations visited by lookups and edits: the work done, which tests hold to a bound
    /// (see [`Session::work`]).
    work: Work,
    next_id: u64,
    pub source: Source,
    /// Who makes new annotations.
    pub annotator: String,
    pub created: Timestamp,
    /// When the session was last saved.
    pub modified: Timestamp,
    /// The editor has marked this document done.
    pub done: bool,
    /// Seconds of active work on this document, over all sittings.
    pub active_secs: u64,
    /// Spans waiting for a curator's decision (from `spanmark merge`): shown as suggestions,
    /// never exported until accepted.
    pub review: Vec<ReviewItem>,
    /// Whose sessions the review list compares, in order: annotator A, B, C…
    pub compared: Vec<String>,
    /// Suggestions the editor rejected in this document: never suggested again.
    pub rejected: Vec<Rejected>,
    /// Annotations re-anchoring could not carry over unchanged, waiting for the editor.
    pub anchors: Vec<AnchorReview>,
    /// Relations of a merged session waiting for the curator (not all annotators made them).
    pub relation_review: Vec<RelationReview>,
    /// Links between annotations, sorted by id.
    relations: Vec<Relation>,
    /// Each relation by (from, to, label): a duplicate is found without a scan.
    relation_keys: HashMap<(AnnotationId, AnnotationId, String), super::relation::RelationId>,
    /// Each annotation's relations (either end), by id: found without a scan.
    relations_by_span: HashMap<AnnotationId, Vec<super::relation::RelationId>>,
    relation_labels: Vec<RelationLabel>,
    next_relation: u64,
    /// Changes with every change to the annotations, labels or rejections, and is unique in
    /// the process: what derived state (counts, colours, matches, suggestions, differences)
    /// is keyed on. A clone shares it, because it holds the same.
    version: u64,
}

/// The steps of a binary search over `n` items.
fn log2(n: usize) -> usize {
    (usize::BITS - n.leading_zeros()) as usize
}

/// A count of annotations visited (relaxed atomic: shared sessions stay `Sync`).
#[derive(Debug, Default)]
struct Work(std::sync::atomic::AtomicU64);

impl Work {
    fn add(&self, n: usize) {
        self.0
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Clone for Work {
    fn clone(&self) -> Self {
        Self(std::sync::atomic::AtomicU64::new(
            self.0.load(std::sync::atomic::Ordering::Relaxed),
        ))
    }
}

/// A fresh session version: greater than every one handed out before, in any session.
fn next_version() -> u64 {
    static VERSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    VERSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Where a review item sits, for keeping the list in reading order: a changed annotation at
/// its place, an orphan at its old one.
fn anchor_start(r: &AnchorReview, s: &Session) -> usize {
    match &r.orphan {
        Some(a) => a.start,
        None => s.bounds.get(&r.id).map_or(usize::MAX, |b| b.0),
    }
}

/// An inverse that also brings back the relations an edit took (after what it restores).
fn with_relations_back(inverse: Edit, gone: Vec<Relation>) -> Edit {
    if gone.is_empty() {
        return inverse;
    }
    let mut all = vec![inverse];
    all.extend(gone.into_iter().map(Edit::AddRelation));
    Edit::Batch(all)
}

/// A span some annotators made and others did not.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReviewItem {
    pub start: usize,
    pub end: usize,
    pub label: String,
    /// Who made it.
    pub by: Vec<String>,
}

/// Sessions are equal when their content is; the id counter is not content.
impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        self.document == other.document
            && self.labels == other.labels
            && self.annotations == other.annotations
            && self.source == other.source
            && self.annotator == other.annotator
            && self.created == other.created
            && self.modified == other.modified
            && self.done == other.done
            && self.active_secs == other.active_secs
            && self.review == other.review
            && self.relation_review == other.relation_review
            && self.compared == other.compared
            && self.rejected == other.rejected
            && self.anchors == other.anchors
            && self.relations == other.relations
            && self.relation_labels == other.relation_labels
    }
}

impl Session {
    pub fn new(document: Document, labels: LabelSet, source: Source, annotator: String) -> Self {
        let now = Timestamp::now();
        Self {
            document,
            labels,
            annotations: Vec::new(),
            bounds: IdMap::default(),
            per_label: HashMap::new(),
            lengths: Default::default(),
            work: Work::default(),
            next_id: 1,
            source,
            annotator,
            created: now,
            modified: now,
            done: false,
            active_secs: 0,
            review: Vec::new(),
            compared: Vec::new(),
            rejected: Vec::new(),
            anchors: Vec::new(),
            relation_review: Vec::new(),
            relations: Vec::new(),
            relation_keys: HashMap::new(),
            relations_by_span: HashMap::new(),
            relation_labels: RelationLabel::defaults(),
            next_relation: 1,
            version: next_version(),
        }
    }

    /// The same session on another text, with no annotations, review items, rejections or
    /// re-anchoring list yet: labels, people, times and the id counter are kept (ids are never
    /// reused, orphaned ones included).
    pub fn with_text(&self, document: Document, source: Source) -> Session {
        Session {
            document,
            labels: self.labels.clone(),
            annotations: Vec::new(),
            bounds: IdMap::default(),
            per_label: HashMap::new(),
            lengths: Default::default(),
            work: Work::default(),
            next_id: self.next_id,
            source,
            annotator: self.annotator.clone(),
            created: self.created,
            modified: self.modified,
            done: self.done,
            active_secs: self.active_secs,
            review: Vec::new(),
            compared: self.compared.clone(),
            rejected: Vec::new(),
            anchors: Vec::new(),
            relation_review: Vec::new(),
            relations: Vec::new(),
            relation_keys: HashMap::new(),
            relations_by_span: HashMap::new(),
            relation_labels: self.relation_labels.clone(),
            next_relation: self.next_relation,
            version: next_version(),
        }
    }

    /// This state's version (see the field): equal versions mean equal annotations, labels and
    /// rejections.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Builds a session from stored parts, checking every annotation against the same rules
    /// as [`Session::apply`]; collects every problem. Linear-logarithmic, for large files.
    pub fn from_parts(
        mut base: Session,
        mut annotations: Vec<Annotation>,
    ) -> Result<Self, Vec<(AnnotationId, EditError)>> {
        let mut problems = Vec::new();
        let mut ids = std::collections::HashSet::with_capacity(annotations.len());
        annotations.retain(|a| {
            if !ids.insert(a.id) {
                problems.push((a.id, EditError::DuplicateId(a.id)));
                return false;
            }
            match base.check_bounds_and_label(a.start, a.end, &a.label) {
                Ok(()) => true,
                Err(e) => {
                    problems.push((a.id, e));
                    false
                }
            }
        });
        annotations.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        for pair in annotations.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.start == b.start && a.end == b.end && a.label == b.label {
                problems.push((
                    b.id,
                    EditError::Duplicate {
                        label: b.label.clone(),
                        text: base.document.slice(b.range()).unwrap_or("").to_owned(),
                        existing: a.id,
                    },
                ));
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|(id, _)| *id);
            return Err(problems);
        }
        // Orphaned annotations keep their ids too: never handed out again.
        base.next_id = annotations
            .iter()
            .map(|a| a.id)
            .chain(base.anchors.iter().map(|r| r.id))
            .map(|id| id.0 + 1)
            .fold(base.next_id, u64::max);
        base.bounds = annotations
            .iter()
            .map(|a| (a.id, (a.start, a.end)))
            .collect();
        base.per_label = HashMap::new();
        base.lengths = Default::default();
        for a in &annotations {
            base.counted(&a.label, 1);
            base.measured(a.len(), 1);
        }
        base.annotations = annotations;
        base.version = next_version();
        Ok(base)
    }

    pub fn document(&self) -> &Document {
        &self.document
    }

    pub fn text(&self) -> &str {
        self.document.text()
    }

    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }

    /// Annotations in document order (start, then outer before inner).
    pub fn annotations(&self) -> &[Annotation] {
        &self.annotations
    }

    pub fn get(&self, id: AnnotationId) -> Option<&Annotation> {
        self.position(id).map(|i| &self.annotations[i])
    }

    /// Where annotation `id` is in [`Session::annotations`], in O(log n).
    pub fn position_of(&self, id: AnnotationId) -> Option<usize> {
        self.position(id)
    }

    /// Where annotation `id` is in the list: its bounds from the index, then a binary search
    /// to those bounds (a few annotations share them at most).
    fn position(&self, id: AnnotationId) -> Option<usize> {
        let &(start, end) = self.bounds.get(&id)?;
        let from = self.annotations.partition_point(|a| {
            (a.start, std::cmp::Reverse(a.end)) < (start, std::cmp::Reverse(end))
        });
        let found = self.annotations[from..]
            .iter()
            .take_while(|a| a.start == start && a.end == end)
            .position(|a| a.id == id);
        self.work
            .add(log2(self.annotations.len()) + found.map_or(0, |k| k + 1));
        found.map(|k| from + k)
    }

    /// Annotations visited since the session was made (by lookups, checks, binary searches
    /// and bulk passes): what tests hold to O(log n) per edit and O(n log n) per batch,
    /// counting work instead of timing it. (Not counted: the memmove of the list's tail when
    /// one annotation is inserted or removed.)
    pub fn work(&self) -> u64 {
        self.work.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The text an annotation covers.
    pub fn covered(&self, a: &Annotation) -> &str {
        self.document.slice(a.range()).unwrap_or("")
    }

    /// Annotations covering char `pos`, outermost first.
    pub fn at(&self, pos: usize) -> impl Iterator<Item = &Annotation> {
        let upto = self.annotations.partition_point(|a| a.start <= pos);
        self.annotations[..upto].iter().filter(move |a| a.end > pos)
    }

    /// Replaces the label set without an edit: for reconciling a session with its project's
    /// labels when it is opened. Labels its annotations use are kept.
    pub fn adopt_labels(&mut self, project: &LabelSet) {
        let mut merged = project.clone();
        for l in self.labels.iter() {
            if !merged.contains(&l.name) && self.count(&l.name) > 0 {
                merged.add_met(&l.name, Some(l.color));
            }
        }
        if merged != self.labels {
            self.labels = merged;
            self.version = next_version();
        }
    }

    /// Takes a project's relation labels, keeping any of its own its relations still use.
    pub fn adopt_relation_labels(&mut self, project: &[RelationLabel]) {
        let mut merged = project.to_vec();
        for l in &self.relation_labels {
            if !merged.iter().any(|m| m.name == l.name)
                && self.relations.iter().any(|r| r.label == l.name)
            {
                let mut l = l.clone();
                if merged
                    .iter()
                    .any(|m| m.hotkey.is_some() && m.hotkey == l.hotkey)
                {
                    l.hotkey = None;
                }
                merged.push(l);
            }
        }
        if merged != self.relation_labels {
            self.relation_labels = merged;
            self.version = next_version();
        }
    }

    /// Number of annotations with this label.
    pub fn count(&self, label: &str) -> usize {
        self.per_label.get(label).copied().unwrap_or(0)
    }

    /// Adds `delta` per annotation to the counts of their labels, one count update per run of
    /// one label (a batch is mostly one label: no lookup per annotation).
    fn count_runs<'a>(&mut self, anns: impl Iterator<Item = &'a Annotation>, delta: isize) {
        let mut run: Option<(&str, isize)> = None;
        let mut runs = Vec::new();
        for a in anns {
            self.measured(a.len(), delta);
            match &mut run {
                Some((label, n)) if *label == a.label => *n += delta,
                _ => runs.extend(run.replace((a.label.as_str(), delta))),
            }
        }
        runs.extend(run);
        for (label, n) in runs {
            self.counted(label, n);
        }
    }

    /// Adds `delta` to the count of annotations `len` chars long.
    fn measured(&mut self, len: usize, delta: isize) {
        let n = self.lengths.entry(len).or_default();
        *n = n.saturating_add_signed(delta);
        if *n == 0 {
            self.lengths.remove(&len);
        }
    }

    /// The longest annotation's length in chars (0 with none).
    pub fn max_len(&self) -> usize {
        self.lengths.last_key_value().map_or(0, |(len, _)| *len)
    }

    /// Adds `delta` to the count of `label` (a label's entry goes when it reaches 0).
    fn counted(&mut self, label: &str, delta: isize) {
        if let Some(n) = self.per_label.get_mut(label) {
            *n = n.saturating_add_signed(delta);
            if *n == 0 {
                self.per_label.remove(label);
            }
        } else if delta > 0 {
            self.per_label
                .insert(label.to_owned(), delta.unsigned_abs());
        }
    }

    /// A new annotation with a fresh id, by this session's annotator, now. Not yet applied.
    pub fn new_annotation(&mut self, start: usize, end: usize, label: &str) -> Annotation {
        let id = AnnotationId(self.next_id);
        self.next_id += 1;
        let now = Timestamp::now();
        Annotation {
            id,
            start,
            end,
            label: label.to_owned(),
            note: None,
            annotator: self.annotator.clone(),
            created: now,
            modified: now,
        }
    }

    /// Checks that `label` may cover `start..end`; `ignore` is an annotation being changed.
    pub fn check_span(
        &self,
        start: usize,
        end: usize,
        label: &str,
        ignore: Option<AnnotationId>,
    ) -> Result<(), EditError> {
        self.check_bounds_and_label(start, end, label)?;
        // The list is sorted by (start, end descending, label, id): the same span with the
        // same label is found by one binary search, however many labels the span has.
        let key = (start, std::cmp::Reverse(end), label);
        let from = self
            .annotations
            .partition_point(|a| (a.start, std::cmp::Reverse(a.end), a.label.as_str()) < key);
        let same = self.annotations[from..]
            .iter()
            .take_while(|a| a.start == start && a.end == end && a.label == label);
        self.work.add(log2(self.annotations.len()));
        if let Some(dup) = same
            .inspect(|_| self.work.add(1))
            .find(|a| Some(a.id) != ignore)
        {
            return Err(EditError::Duplicate {
                label: label.to_owned(),
                text: self.document.slice(start..end).unwrap_or("").to_owned(),
                existing: dup.id,
            });
        }
        Ok(())
    }

    /// For each span (start, end, label), the annotation that already has it, if any: one
    /// walk of the annotations beside the spans in document order, not a search per span
    /// (for tag all, accept all and bulk adds).
    pub fn already_tagged(&self, spans: &[(usize, usize, &str)]) -> Vec<Option<AnnotationId>> {
        let key = |s: usize, e: usize| (s, std::cmp::Reverse(e));
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| key(spans[i].0, spans[i].1));
        let anns = &self.annotations;
        let mut out = vec![None; spans.len()];
        let mut j = 0;
        for i in order {
            let (s, e, label) = spans[i];
            while j < anns.len() && key(anns[j].start, anns[j].end) < key(s, e) {
                j += 1;
            }
            out[i] = anns[j..]
                .iter()
                .take_while(|a| a.start == s && a.end == e)
                .find(|a| a.label == label)
                .map(|a| a.id);
        }
        self.work.add(anns.len() + spans.len());
        out
    }

    /// Which of `ranges` could be tagged `label` now (in bounds, not whitespace only, not
    /// tagged so already), in one walk: [`Session::check_span`] for many spans at once.
    pub fn addable(&self, ranges: &[std::ops::Range<usize>], label: &str) -> Vec<bool> {
        let spans: Vec<(usize, usize, &str)> =
            ranges.iter().map(|r| (r.start, r.end, label)).collect();
        self.already_tagged(&spans)
            .into_iter()
            .zip(ranges)
            .map(|(dup, r)| {
                dup.is_none() && self.check_bounds_and_label(r.start, r.end, label).is_ok()
            })
            .collect()
    }

    /// The rules that do not depend on other annotations.
    fn check_bounds_and_label(
        &self,
        start: usize,
        end: usize,
        label: &str,
    ) -> Result<(), EditError> {
        let len = self.document.char_len();
        if start >= end {
            return Err(EditError::Empty { start, end });
        }
        let Some(covered) = self.document.slice(start..end) else {
            return Err(EditError::OutOfBounds { start, end, len });
        };
        if covered.chars().all(char::is_whitespace) {
            return Err(EditError::WhitespaceOnly { start, end });
        }
        if !self.labels.contains(label) {
            return Err(EditError::UnknownLabel(label.to_owned()));
        }
        Ok(())
    }

    fn index_of(&self, id: AnnotationId) -> Result<usize, EditError> {
        self.position(id).ok_or(EditError::NoSuchAnnotation(id))
    }

    fn insert_sorted(&mut self, a: Annotation) {
        let at = self
            .annotations
            .partition_point(|b| b.sort_key() < a.sort_key());
        self.work.add(log2(self.annotations.len()));
        self.bounds.insert(a.id, (a.start, a.end));
        self.counted(&a.label, 1);
        self.measured(a.len(), 1);
        // A long list grows by an eighth, not double: one tag in a 50,000-span document
        // would otherwise hold twice the list (11 MB) for one more annotation.
        let n = self.annotations.len();
        if n == self.annotations.capacity() && n >= 4096 {
            self.annotations.reserve_exact(n / 8);
        }
        self.annotations.insert(at, a);
    }

    fn remove_at(&mut self, i: usize) -> Annotation {
        let a = self.annotations.remove(i);
        self.bounds.remove(&a.id);
        self.counted(&a.label, -1);
        self.measured(a.len(), -1);
        a
    }

    /// Applies an edit and returns its inverse; on error nothing has changed.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let inverse = self.apply_unversioned(edit)?;
        self.version = next_version();
        Ok(inverse)
    }

    fn apply_unversioned(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let inverse = match edit {
            Edit::Add(a) => {
                self.check_span(a.start, a.end, &a.label, None)?;
                if self.get(a.id).is_some() {
                    return Err(EditError::DuplicateId(a.id));
                }
                let id = a.id;
                self.next_id = self.next_id.max(id.0 + 1);
                self.insert_sorted(a);
                Edit::Remove(id)
            }
            Edit::Remove(id) => self.remove(id)?,
            Edit::Relabel { id, label, at } => {
                let i = self.index_of(id)?;
                let a = &self.annotations[i];
                self.check_span(a.start, a.end, &label, Some(id))?;
                let mut a = self.remove_at(i);
                let inverse = Edit::Relabel {
                    id,
                    label: std::mem::replace(&mut a.label, label),
                    at: std::mem::replace(&mut a.modified, at),
                };
                self.insert_sorted(a);
                inverse
            }
            Edit::SetBounds { id, start, end, at } => {
                let i = self.index_of(id)?;
                self.check_span(start, end, &self.annotations[i].label, Some(id))?;
                let mut a = self.remove_at(i);
                let inverse = Edit::SetBounds {
                    id,
                    start: std::mem::replace(&mut a.start, start),
                    end: std::mem::replace(&mut a.end, end),
                    at: std::mem::replace(&mut a.modified, at),
                };
                self.insert_sorted(a);
                inverse
            }
            Edit::SetNote { id, note, at } => {
                let i = self.index_of(id)?;
                let a = &mut self.annotations[i];
                let note = note.filter(|n| !n.trim().is_empty());
                Edit::SetNote {
                    id,
                    note: std::mem::replace(&mut a.note, note),
                    at: std::mem::replace(&mut a.modified, at),
                }
            }
            Edit::SetLabels(labels) => self.set_labels(labels)?,
            Edit::RenameLabel { from, to } => self.rename_label(from, to)?,
            Edit::Reject(r) => {
                if self.rejected.contains(&r) {
                    Edit::Batch(Vec::new())
                } else {
                    self.rejected.push(r.clone());
                    Edit::Unreject(r)
                }
            }
            Edit::Unreject(r) => match self.rejected.iter().position(|x| *x == r) {
                Some(i) => Edit::Reject(self.rejected.remove(i)),
                None => Edit::Batch(Vec::new()),
            },
            Edit::Settle(id) => self.settle(id)?,
            Edit::Unsettle(r) => {
                if self.anchors.iter().any(|x| x.id == r.id) {
                    return Err(EditError::DuplicateId(r.id));
                }
                let id = r.id;
                self.next_id = self.next_id.max(id.0 + 1);
                let at = self
                    .anchors
                    .partition_point(|x| anchor_start(x, self) <= anchor_start(&r, self));
                self.anchors.insert(at, *r);
                Edit::Settle(id)
            }
            Edit::AddRelation(r) => self.add_relation(r)?,
            Edit::RemoveRelation(id) => self.remove_relation(id)?,
            Edit::RelabelRelation { id, label, at } => self.relabel_relation(id, label, at)?,
            Edit::ReverseRelation { id, at } => self.reverse_relation(id, at)?,
            Edit::SetRelationNote { id, note, at } => self.set_relation_note(id, note, at)?,
            Edit::SetRelationLabels(labels) => self.set_relation_labels(labels)?,
            Edit::RenameRelationLabel { from, to } => self.rename_relation_label(from, to)?,
            Edit::SettleRelationReview(i) => self.settle_relation_review(i)?,
            Edit::UnsettleRelationReview(i, item) => self.unsettle_relation_review(i, *item)?,
            Edit::Batch(edits) => self.apply_batch(edits)?,
        };
        Ok(inverse)
    }

    /// Removes an annotation; its relations go with it, and come back with it.
    fn remove(&mut self, id: AnnotationId) -> Result<Edit, EditError> {
        let i = self.index_of(id)?;
        let a = self.remove_at(i);
        Ok(with_relations_back(
            Edit::Add(a),
            self.take_relations_of(id),
        ))
    }

    /// Takes an annotation off the re-anchoring review list; an orphan let go (not placed as
    /// an annotation) takes its relations.
    fn settle(&mut self, id: AnnotationId) -> Result<Edit, EditError> {
        let Some(i) = self.anchors.iter().position(|r| r.id == id) else {
            return Err(EditError::NotInReview(id));
        };
        let back = Edit::Unsettle(Box::new(self.anchors.remove(i)));
        let gone = if self.bounds.contains_key(&id) {
            Vec::new()
        } else {
            self.take_relations_of(id)
        };
        Ok(with_relations_back(back, gone))
    }

    /// Replaces the label set, unless a label in use would go.
    fn set_labels(&mut self, labels: LabelSet) -> Result<Edit, EditError> {
        if let Some(p) = labels.problems().into_iter().next() {
            return Err(EditError::BadLabels(p));
        }
        // The first label in use that the new set lacks, in the current set's order.
        if let Some(l) = self
            .labels
            .iter()
            .map(|l| l.name.as_str())
            .find(|l| self.count(l) > 0 && !labels.contains(l))
        {
            return Err(EditError::LabelInUse {
                label: l.to_owned(),
                count: self.count(l),
            });
        }
        Ok(Edit::SetLabels(std::mem::replace(&mut self.labels, labels)))
    }

    /// Renames a label and every annotation of it.
    fn rename_label(&mut self, from: String, to: String) -> Result<Edit, EditError> {
        let renamed = self
            .labels
            .renamed(&from, &to)
            .map_err(EditError::BadLabels)?;
        self.labels = renamed;
        for a in &mut self.annotations {
            if a.label == from {
                a.label.clone_from(&to);
            }
        }
        if let Some(n) = self.per_label.remove(&from) {
            *self.per_label.entry(to.clone()).or_default() += n;
        }
        self.work.add(self.annotations.len());
        self.annotations
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(Edit::RenameLabel { from: to, to: from })
    }

    /// Applies the edits of a batch in order (long runs of adds or removes in bulk); on an
    /// error what the batch did is rolled back.
    fn apply_batch(&mut self, edits: Vec<Edit>) -> Result<Edit, EditError> {
        let mut inverses: Vec<Edit> = Vec::new();
        let cut = runs(&edits);
        let single = cut.len() == 1;
        let mut rest = edits.into_iter();
        for run in cut {
            // A long run of adds or of removes goes in bulk; anything else one by one.
            let result = match run {
                Run::Adds(n) => self.add_all(
                    rest.by_ref()
                        .take(n)
                        .filter_map(|e| match e {
                            Edit::Add(a) => Some(a),
                            _ => None,
                        })
                        .collect(),
                ),
                Run::Removes(n) => self.remove_all(
                    rest.by_ref()
                        .take(n)
                        .filter_map(|e| match e {
                            Edit::Remove(id) => Some(id),
                            _ => None,
                        })
                        .collect(),
                ),
                Run::One => match rest.next() {
                    Some(e) => self.apply(e).map(|inv| vec![inv]),
                    None => Ok(Vec::new()),
                },
            };
            match result {
                // The first run's inverses are taken as they are (no copy).
                Ok(invs) if inverses.is_empty() => inverses = invs,
                Ok(invs) => inverses.extend(invs),
                Err(err) => {
                    // Roll back what this batch already did.
                    for inv in inverses.into_iter().rev() {
                        // An inverse of an applied edit always applies.
                        let _ = self.apply(inv);
                    }
                    return Err(err);
                }
            }
        }
        // Undone in reverse order; a single run's inverses are one bulk step whose
        // order does not matter (adds or removes of distinct annotations).
        if !single {
            inverses.reverse();
        }
        Ok(Edit::Batch(inverses))
    }
}
