//! Suggestions for the open document (dates, the gazetteer, review items), keyed on the
//! document's version: small documents at once, long ones on a worker thread once editing
//! pauses; walking, accepting and rejecting them. The matching itself is `model::search`.

use super::curation::Curation;
use super::doc::Doc;
use super::editing::{Cursor, add_spans, ellipsize};
use super::notice::Outcome;
use super::shared::Direction;
use crate::model::learn::Model;
pub use crate::model::search::SuggestionKey;
use crate::model::search::{self, SuggestInput, Suggestion, SuggestionSource};
use crate::model::{Edit, Rejected, Session};

/// What the person does with the suggestions.
#[derive(Clone, Debug, PartialEq)]
pub enum SuggestOp {
    /// Tab / Shift+Tab: the next or previous one after the caret.
    Step(Direction),
    /// Enter: the current one becomes an annotation.
    Accept,
    /// x: the current one is never suggested again in this document.
    Reject,
    /// Every suggestion of this label, in one undo step.
    AcceptAll(String),
    /// Every suggestion shown, in one undo step (pre-annotate).
    AcceptShown,
    /// Make this one the current one and show it.
    GoTo(SuggestionKey),
    /// View > Show suggestions.
    Toggle,
    /// View: learned suggestions below this confidence are hidden.
    MinScore(f32),
}

/// Computes suggestions for large documents on a thread of its own, latest request first.
struct SuggestWorker {
    tx: std::sync::mpsc::Sender<(u64, SuggestInput)>,
    rx: std::sync::mpsc::Receiver<(u64, Vec<Suggestion>)>,
}

impl SuggestWorker {
    fn new() -> std::io::Result<Self> {
        let (tx, jobs) = std::sync::mpsc::channel::<(u64, SuggestInput)>();
        let (done, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("suggestions".into())
            .spawn(move || {
                crate::io::par::background_priority();
                while let Ok(mut job) = jobs.recv() {
                    // Only the newest request matters.
                    while let Ok(newer) = jobs.try_recv() {
                        job = newer;
                    }
                    let list = search::suggestions(&job.1);
                    if done.send((job.0, list)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Self { tx, rx })
    }
}

/// Documents up to this many chars get their suggestions at once; longer ones in the
/// background, so that tagging never waits for them.
pub const SYNC_SUGGEST_CHARS: usize = 200_000;
/// A long document's suggestions wait until editing has paused this long (seconds).
const SUGGEST_PAUSE: f64 = 0.3;

/// Suggestions for the open document.
pub struct Suggest {
    /// View → Show suggestions.
    pub show: bool,
    /// The suggestions shown (sorted by start) and the current one.
    pub list: Vec<Suggestion>,
    pub current: Option<usize>,
    /// The longest suggestion's length (to find those that start before a visible part).
    max_len: usize,
    /// The document version the list was computed for.
    key: Option<u64>,
    /// Requests sent to the worker, numbered; results for older ones are dropped.
    generation: u64,
    /// A request is with the worker and its answer not yet in.
    pub pending: bool,
    /// A long document changed (to this version) at this time; it is sent once editing
    /// pauses.
    waiting: Option<(u64, f64)>,
    worker: Option<SuggestWorker>,
    /// The model learned from the project's tags, if one is trained; its suggestions below
    /// `min_score` are hidden (View menu).
    model: Option<std::sync::Arc<Model>>,
    pub min_score: f32,
}

impl Default for Suggest {
    fn default() -> Self {
        Self {
            show: true,
            list: Vec::new(),
            current: None,
            max_len: 0,
            key: None,
            generation: 0,
            pending: false,
            waiting: None,
            worker: None,
            model: None,
            min_score: super::learned::DEFAULT_MIN_SCORE,
        }
    }
}

impl Suggest {
    /// Computes now (small documents) or asks the worker; returns a fresh list if there is one.
    fn request(&mut self, input: SuggestInput) -> Option<Vec<Suggestion>> {
        if input.doc.char_len() <= SYNC_SUGGEST_CHARS {
            return Some(search::suggestions(&input));
        }
        self.generation += 1;
        if self.worker.is_none() {
            match SuggestWorker::new() {
                Ok(w) => self.worker = Some(w),
                // No thread to spare: compute here rather than never.
                Err(_) => return Some(search::suggestions(&input)),
            }
        }
        self.pending = self
            .worker
            .as_ref()
            .is_some_and(|w| w.tx.send((self.generation, input)).is_ok());
        None
    }

    /// The worker's newest result, if it is for the newest request.
    fn poll_worker(&mut self) -> Option<Vec<Suggestion>> {
        let worker = self.worker.as_ref()?;
        let mut latest = None;
        while let Ok((generation, list)) = worker.rx.try_recv() {
            if generation == self.generation {
                latest = Some(list);
                self.pending = false;
            }
        }
        latest
    }

    /// The longest suggestion's length.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// The current suggestion.
    pub fn current(&self) -> Option<&Suggestion> {
        self.current.and_then(|i| self.list.get(i))
    }
}

/// When the workspace wants to be asked again (a background result or a pause to wait out).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Wake(pub Option<f64>);

impl Wake {
    /// The sooner of two.
    pub fn min(self, secs: f64) -> Self {
        Self(Some(self.0.map_or(secs, |s| s.min(secs))))
    }

    /// The sooner of two wakes (either may be none).
    pub fn sooner(self, other: Wake) -> Self {
        match other.0 {
            Some(secs) => self.min(secs),
            None => self,
        }
    }
}

impl Suggest {
    /// Does `op`; says what happened.
    pub fn run(
        &mut self,
        op: SuggestOp,
        doc: &mut Doc,
        cursor: &mut Cursor,
        curation: &Curation,
    ) -> Outcome {
        match op {
            SuggestOp::Step(dir) => self.step(doc, cursor, dir, curation),
            SuggestOp::Accept => self.accept(doc, cursor),
            SuggestOp::Reject => self.reject(doc, cursor),
            SuggestOp::AcceptAll(label) => self.accept_all(doc, &label),
            SuggestOp::AcceptShown => self.accept_shown(doc),
            SuggestOp::GoTo(key) => self.go_to(&key, doc, cursor, curation),
            SuggestOp::Toggle => {
                self.show = !self.show;
                Outcome::none()
            }
            SuggestOp::MinScore(m) => {
                let m = m.clamp(0.0, 1.0);
                if m != self.min_score {
                    self.min_score = m;
                    self.key = None;
                }
                Outcome::none()
            }
        }
    }

    /// Recomputes suggestions when the document changed (or a suggestion was rejected);
    /// returns when to be asked again. `terms` gives the project's gazetteer when needed.
    pub fn refresh(
        &mut self,
        doc: &Doc,
        terms: impl FnOnce() -> Vec<(String, String)>,
        now: f64,
        curation: &Curation,
    ) -> Wake {
        let key = doc.version();
        if !self.show {
            self.list.clear();
            self.max_len = 0;
            self.current = None;
            self.key = None;
            return Wake::default();
        }
        if self.key == Some(key) {
            return Wake::default();
        }
        // A long document waits until editing pauses, so that tagging never pays for it.
        if doc.session.document().char_len() > SYNC_SUGGEST_CHARS {
            match self.waiting {
                Some((k, since)) if k == key && now - since >= SUGGEST_PAUSE => {}
                Some((k, since)) if k == key => {
                    return Wake::default().min(SUGGEST_PAUSE - (now - since));
                }
                _ => {
                    self.waiting = Some((key, now));
                    return Wake::default().min(SUGGEST_PAUSE + 0.05);
                }
            }
        }
        self.waiting = None;
        self.key = Some(key);
        let input = input_of(&doc.session, terms(), self.model.clone(), self.min_score);
        if let Some(list) = self.request(input) {
            self.install(list, curation);
        }
        Wake::default()
    }

    /// Takes a background result, if one came.
    pub fn poll(&mut self, curation: &Curation) -> Wake {
        if let Some(list) = self.poll_worker() {
            self.install(list, curation);
        }
        if self.pending {
            Wake::default().min(0.1)
        } else {
            Wake::default()
        }
    }

    fn install(&mut self, mut list: Vec<Suggestion>, curation: &Curation) {
        // While differences wait for the curator, Tab goes through them alone.
        if !curation.differences().is_empty() {
            list.retain(|g| g.source == SuggestionSource::Review);
        }
        let from = self.current().map(|g| g.start);
        self.current = from.and_then(|f| list.iter().position(|g| g.start >= f));
        self.max_len = list.iter().map(|g| g.end - g.start).max().unwrap_or(0);
        self.list = list;
    }

    /// Tab / Shift+Tab: the next or previous suggestion after the caret.
    fn step(
        &mut self,
        doc: &Doc,
        cursor: &mut Cursor,
        dir: Direction,
        curation: &Curation,
    ) -> Outcome {
        let n = self.list.len();
        if n == 0 {
            return Outcome::info("No suggestions here.");
        }
        let i = match self.current {
            Some(i) => dir.step(i, n),
            None => dir.first_from(
                self.list.iter().map(|g| g.start),
                cursor.caret.unwrap_or(0),
                n,
            ),
        };
        self.select(i, doc, cursor, curation)
    }

    /// Makes this suggestion the current one, if it is shown.
    fn go_to(
        &mut self,
        key: &SuggestionKey,
        doc: &Doc,
        cursor: &mut Cursor,
        curation: &Curation,
    ) -> Outcome {
        match self.list.iter().position(|g| key.is(g)) {
            Some(i) => self.select(i, doc, cursor, curation),
            None => Outcome::info("That one is hidden: turn on View > Show suggestions."),
        }
    }

    /// Makes suggestion `i` the current one, shows it and says what it is.
    pub fn select(
        &mut self,
        i: usize,
        doc: &Doc,
        cursor: &mut Cursor,
        curation: &Curation,
    ) -> Outcome {
        let n = self.list.len();
        let Some(g) = self.list.get(i).cloned() else {
            return Outcome::none();
        };
        self.current = Some(i);
        cursor.caret = Some(g.start);
        cursor.reveal_if_hidden(g.start);
        let s = &doc.session;
        let difference = (g.source == SuggestionSource::Review)
            .then(|| curation.describe(s, &g, true))
            .flatten();
        Outcome::info(difference.unwrap_or_else(|| {
            let text = ellipsize(s.document().slice(g.range()).unwrap_or(""), 40);
            format!(
                "Suggestion {} of {n}: “{text}” as {} (Enter accepts, x rejects).",
                i + 1,
                g.label
            )
        }))
    }

    /// Enter: the current suggestion becomes an annotation.
    fn accept(&mut self, doc: &mut Doc, cursor: &mut Cursor) -> Outcome {
        let Some(g) = self.current().cloned() else {
            return Outcome::none();
        };
        let a = doc.session.new_annotation(g.start, g.end, &g.label);
        match doc.edit(Edit::Add(a)) {
            Ok(()) => {
                cursor.caret = Some(g.start);
                // Tab goes on from here (an overlapping alternative included).
                self.current = None;
                Outcome::info(format!("Accepted as {}.", g.label))
            }
            Err(e) => Outcome::refused(e),
        }
    }

    /// x: the current suggestion is never suggested again in this document.
    fn reject(&mut self, doc: &mut Doc, cursor: &mut Cursor) -> Outcome {
        let Some(g) = self.current().cloned() else {
            return Outcome::none();
        };
        let r = Rejected {
            start: g.start,
            end: g.end,
            label: g.label.clone(),
        };
        match doc.edit(Edit::Reject(r)) {
            Ok(()) => {
                cursor.caret = Some(g.start);
                self.current = None;
                Outcome::info(
                    "Rejected; it will not be suggested again in this document (Ctrl+Z brings it back).",
                )
            }
            Err(e) => Outcome::refused(e),
        }
    }

    /// Accepts every suggestion of `label`, in one undo step.
    fn accept_all(&self, doc: &mut Doc, label: &str) -> Outcome {
        let ranges: Vec<_> = self
            .list
            .iter()
            .filter(|s| s.label == label)
            .map(Suggestion::range)
            .collect();
        match add_spans(doc, &ranges, label) {
            Ok(n) => Outcome::info(format!(
                "Accepted {n} suggestions as {label} (one undo step)."
            )),
            Err(e) => Outcome::refused(e),
        }
    }

    /// A newly trained model: the list is worked out again with it.
    pub fn set_model(&mut self, model: std::sync::Arc<Model>) {
        self.model = Some(model);
        self.key = None;
    }

    /// Whether a learned model makes suggestions.
    pub fn has_model(&self) -> bool {
        self.model.as_ref().is_some_and(|m| !m.is_empty())
    }

    /// Ctrl+Shift+Enter: every suggestion shown becomes an annotation, in one undo step, so
    /// the editor corrects the document instead of tagging it.
    fn accept_shown(&mut self, doc: &mut Doc) -> Outcome {
        let mut edits = Vec::new();
        for g in &self.list {
            let ok = doc.session.addable(&[g.range()], &g.label);
            if ok.first().copied().unwrap_or(false) {
                let a = doc.session.new_annotation(g.start, g.end, &g.label);
                edits.push(Edit::Add(a));
            }
        }
        if edits.is_empty() {
            return Outcome::info("No suggestions to accept.");
        }
        let n = edits.len();
        match doc.edit_as(Edit::Batch(edits), format!("accept {n} suggestions")) {
            Ok(()) => {
                self.current = None;
                Outcome::info(format!(
                    "Accepted {n} suggestions; Ctrl+Z takes them all back."
                ))
            }
            Err(e) => Outcome::refused(e),
        }
    }

    /// The text changed under the list: none is current.
    pub fn forget_current(&mut self) {
        self.current = None;
    }

    /// The index of the shown suggestion `key`, if it is shown.
    pub fn position(&self, key: &SuggestionKey) -> Option<usize> {
        self.list.iter().position(|g| key.is(g))
    }
}

/// What the suggesters need of a session, owned (it may go to the worker thread).
fn input_of(
    s: &Session,
    project_terms: Vec<(String, String)>,
    learned: Option<std::sync::Arc<Model>>,
    min_score: f32,
) -> SuggestInput {
    SuggestInput {
        doc: s.document().clone(),
        annotations: s
            .annotations()
            .iter()
            .map(|a| (a.start, a.end, a.label.clone()))
            .collect(),
        project_terms: std::sync::Arc::new(project_terms),
        labels: s.labels().iter().map(|l| l.name.clone()).collect(),
        date_label: s.labels().get("date").map(|l| l.name.clone()),
        rejected: s
            .rejected
            .iter()
            .map(|r| (r.start, r.end, r.label.clone()))
            .collect(),
        review: s
            .review
            .iter()
            .map(|r| (r.start, r.end, r.label.clone()))
            .collect(),
        learned,
        min_score,
    }
}
