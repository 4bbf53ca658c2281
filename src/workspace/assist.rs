//! Annotating faster: the find bar's matches and the suggestions (dates, the gazetteer,
//! review items), each keyed on the document's version, and walking them. The matching itself
//! is `model::search`.

use super::Workspace;
use super::editing::ellipsize;
use crate::model::search::{self, FindOptions, SuggestInput, Suggestion, SuggestionSource};
use std::ops::Range;

/// The find bar's query and what it matches.
#[derive(Default)]
pub struct Find {
    pub open: bool,
    pub query: String,
    pub opts: FindOptions,
    /// Why the query is not a valid regular expression.
    pub error: Option<String>,
    /// The matches (sorted) and the current one.
    pub matches: Vec<Range<usize>>,
    pub current: Option<usize>,
    /// The query, options and document version the matches were found for.
    key: Option<(String, FindOptions, u64)>,
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
    fn poll(&mut self) -> Option<Vec<Suggestion>> {
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
}

impl Workspace {
    /// Opens the find bar, starting from the selection's text as editors do.
    pub fn open_find(&mut self) {
        self.find.open = true;
        if let Some(r) = self.cursor.selection.clone()
            && let Some(t) = self.doc.session.document().slice(r)
            && !t.contains('\n')
        {
            self.find.query = t.to_owned();
        }
    }

    pub fn close_find(&mut self) {
        self.find.open = false;
        self.find.matches.clear();
        self.find.current = None;
        self.find.key = None;
    }

    /// Recomputes the find bar's matches when the query, options or document changed.
    pub fn refresh_find(&mut self) {
        if !self.find.open {
            return;
        }
        let key = (self.find.query.clone(), self.find.opts, self.doc.version());
        if self.find.key.as_ref() == Some(&key) {
            return;
        }
        match search::find_all(
            self.doc.session.document(),
            &self.find.query,
            self.find.opts,
        ) {
            Ok(m) => {
                self.find.error = None;
                // Keep the current match where it was, as far as possible.
                let from = self
                    .find
                    .current
                    .and_then(|i| self.find.matches.get(i))
                    .map(|r| r.start);
                self.find.current = from
                    .filter(|_| !m.is_empty())
                    .map(|f| m.iter().position(|r| r.start >= f).unwrap_or(0));
                self.find.matches = m;
            }
            Err(e) => {
                self.find.error = Some(e);
                self.find.matches.clear();
                self.find.current = None;
            }
        }
        self.find.key = Some(key);
    }

    /// Enter / Shift+Enter in the find bar: the next or previous match, selected.
    pub fn find_step(&mut self, forward: bool) {
        self.refresh_find();
        let n = self.find.matches.len();
        if n == 0 {
            return;
        }
        let i = match self.find.current {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None => 0,
        };
        self.find.current = Some(i);
        let Some(r) = self.find.matches.get(i).cloned() else {
            return;
        };
        self.cursor.selection = Some(r.clone());
        self.cursor.caret = Some(r.end);
        self.cursor.selected_span = None;
        self.cursor.reveal(r.start, None);
    }

    /// Tags every find match.
    pub fn tag_all_matches(&mut self, label: &str) {
        let ranges = self.find.matches.clone();
        let n = self.add_spans(&ranges, label);
        self.info(format!(
            "Tagged {n} of {} matches as {label} (one undo step).",
            ranges.len()
        ));
    }

    pub fn toggle_suggestions(&mut self) {
        self.suggest.show = !self.suggest.show;
    }

    /// Recomputes suggestions when the document changed (or a suggestion was rejected);
    /// returns when to be asked again.
    pub(super) fn refresh_suggestions(&mut self, now: f64) -> Wake {
        let key = self.doc.version();
        if !self.suggest.show {
            self.suggest.list.clear();
            self.suggest.max_len = 0;
            self.suggest.current = None;
            self.suggest.key = None;
            return Wake::default();
        }
        if self.suggest.key == Some(key) {
            return Wake::default();
        }
        // A long document waits until editing pauses, so that tagging never pays for it.
        if self.doc.session.document().char_len() > SYNC_SUGGEST_CHARS {
            match self.suggest.waiting {
                Some((k, since)) if k == key && now - since >= SUGGEST_PAUSE => {}
                Some((k, since)) if k == key => {
                    return Wake::default().min(SUGGEST_PAUSE - (now - since));
                }
                _ => {
                    self.suggest.waiting = Some((key, now));
                    return Wake::default().min(SUGGEST_PAUSE + 0.05);
                }
            }
        }
        self.suggest.waiting = None;
        self.suggest.key = Some(key);
        let project_terms = match &mut self.project {
            Some(p) => p.terms_except(self.doc.session_path.as_deref()),
            None => Vec::new(),
        };
        let s = &self.doc.session;
        let input = SuggestInput {
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
        };
        if let Some(list) = self.suggest.request(input) {
            self.install_suggestions(list);
        }
        Wake::default()
    }

    /// Takes a background result, if one came.
    pub(super) fn poll_suggestions(&mut self) -> Wake {
        if let Some(list) = self.suggest.poll() {
            self.install_suggestions(list);
        }
        if self.suggest.pending {
            Wake::default().min(0.1)
        } else {
            Wake::default()
        }
    }

    fn install_suggestions(&mut self, mut list: Vec<Suggestion>) {
        // While differences wait for the curator, Tab goes through them alone.
        self.refresh_differences();
        if !self.curation.differences().is_empty() {
            list.retain(|g| g.source == SuggestionSource::Review);
        }
        let from = self.suggest.current().map(|g| g.start);
        self.suggest.current = from.and_then(|f| list.iter().position(|g| g.start >= f));
        self.suggest.max_len = list.iter().map(|g| g.end - g.start).max().unwrap_or(0);
        self.suggest.list = list;
    }

    /// Tab / Shift+Tab: the next or previous suggestion after the caret.
    pub fn step_suggestion(&mut self, forward: bool) {
        // Spans re-anchoring could not carry unchanged come first.
        if !self.doc.session.anchors.is_empty() {
            self.step_review(forward);
            return;
        }
        let list = &self.suggest.list;
        if list.is_empty() {
            self.info("No suggestions here.");
            return;
        }
        let n = list.len();
        let i = match self.suggest.current {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None => {
                let caret = self.cursor.caret.unwrap_or(0);
                if forward {
                    list.iter().position(|g| g.start >= caret).unwrap_or(0)
                } else {
                    list.iter().rposition(|g| g.start < caret).unwrap_or(n - 1)
                }
            }
        };
        self.select_suggestion(i);
    }

    /// Makes the suggestion (start, end, label) the current one, if it is shown.
    pub fn go_to_suggestion(&mut self, start: usize, end: usize, label: &str) {
        if let Some(i) = self
            .suggest
            .list
            .iter()
            .position(|g| g.start == start && g.end == end && g.label == label)
        {
            self.select_suggestion(i);
        } else {
            self.info("That one is hidden: turn on View > Show suggestions.");
        }
    }

    /// Makes suggestion `i` the current one, shows it and says what it is.
    pub(super) fn select_suggestion(&mut self, i: usize) {
        let n = self.suggest.list.len();
        let Some(g) = self.suggest.list.get(i).cloned() else {
            return;
        };
        self.suggest.current = Some(i);
        self.cursor.caret = Some(g.start);
        self.cursor.reveal_if_hidden(g.start);
        let msg = match (g.source == SuggestionSource::Review)
            .then(|| self.describe_difference(&g, true))
            .flatten()
        {
            Some(msg) => msg,
            None => {
                let text = ellipsize(
                    self.doc.session.document().slice(g.range()).unwrap_or(""),
                    40,
                );
                format!(
                    "Suggestion {} of {n}: “{text}” as {} (Enter accepts, x rejects).",
                    i + 1,
                    g.label
                )
            }
        };
        self.info(msg);
    }

    /// Enter: the current suggestion becomes an annotation.
    pub fn accept_suggestion(&mut self) {
        if self.current_review().is_some() {
            self.keep_review();
            return;
        }
        let Some(g) = self.suggest.current().cloned() else {
            return;
        };
        let a = self.doc.session.new_annotation(g.start, g.end, &g.label);
        if self.edit(crate::model::Edit::Add(a)) {
            self.info(format!("Accepted as {}.", g.label));
            self.cursor.caret = Some(g.start);
            // Tab goes on from here (an overlapping alternative included).
            self.suggest.current = None;
        }
    }

    /// x: the current suggestion is never suggested again in this document.
    pub fn reject_suggestion(&mut self) {
        if self.current_review().is_some() {
            self.drop_review();
            return;
        }
        let Some(g) = self.suggest.current().cloned() else {
            return;
        };
        if self.edit(crate::model::Edit::Reject(crate::model::Rejected {
            start: g.start,
            end: g.end,
            label: g.label.clone(),
        })) {
            self.cursor.caret = Some(g.start);
            self.suggest.current = None;
            self.info(
                "Rejected; it will not be suggested again in this document (Ctrl+Z brings it back).",
            );
        }
    }

    /// Accepts every suggestion of `label`, in one undo step.
    pub fn accept_all(&mut self, label: &str) {
        let ranges: Vec<_> = self
            .suggest
            .list
            .iter()
            .filter(|s| s.label == label)
            .map(Suggestion::range)
            .collect();
        let n = self.add_spans(&ranges, label);
        self.info(format!(
            "Accepted {n} suggestions as {label} (one undo step)."
        ));
    }
}
