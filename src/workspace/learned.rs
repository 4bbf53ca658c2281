//! Learned suggestions put together with the gazetteer and dates: what to propose in a
//! document, from a model trained on tagged sessions (`model::learn`). The command line's
//! `suggest` uses it; each proposal says where it came from and how sure it is.

use crate::model::learn::{Example, Model};
use crate::model::search::{self, SuggestInput, SuggestionSource};
use crate::model::{Document, Session};
use std::sync::Arc;

/// A model is trained once the tagged sessions hold this many spans.
pub const MIN_SPANS: usize = 25;

/// Learned suggestions below this confidence are not shown unless asked for.
pub const DEFAULT_MIN_SCORE: f32 = 0.5;

/// One proposed span: where, which label, how sure (1 for the gazetteer and dates), and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub score: f32,
    pub source: &'static str,
}

/// What was learned from tagged sessions: the model, the tagged (text, label) terms, and the
/// labels that had spans.
pub struct Learned {
    pub model: Arc<Model>,
    pub terms: Vec<(String, String)>,
    pub labels: Vec<String>,
}

impl Learned {
    /// Trains on `sessions`: a done one (or gold data) teaches that its untagged text is not
    /// a name; one not done teaches only from the sentences it tagged.
    pub fn from_sessions(sessions: &[Session], all_done: bool) -> Self {
        let mut labels: Vec<String> = Vec::new();
        let mut terms = std::collections::BTreeSet::new();
        for s in sessions {
            for a in s.annotations() {
                if !labels.contains(&a.label) {
                    labels.push(a.label.clone());
                }
                terms.insert((s.covered(a).to_owned(), a.label.clone()));
            }
        }
        let terms: Vec<(String, String)> = terms.into_iter().collect();
        let examples: Vec<Example<'_>> = sessions
            .iter()
            .map(|s| Example {
                doc: s.document(),
                annotations: s.annotations(),
                done: all_done || s.done,
            })
            .collect();
        let spans: usize = sessions.iter().map(|s| s.annotations().len()).sum();
        // Too few examples teach guesses, not names: stay silent until there are enough.
        let model = if spans >= MIN_SPANS {
            Model::train(&examples, &labels, &terms)
        } else {
            Model::default()
        };
        Self {
            model: Arc::new(model),
            terms,
            labels,
        }
    }

    /// What to propose in `doc`: learned spans at or above `min_score`, and what the
    /// gazetteer and the date finder give, one per span and label (sorted by start).
    pub fn propose(&self, doc: &Document, min_score: f32) -> Vec<Proposal> {
        let input = SuggestInput {
            doc: doc.clone(),
            annotations: Vec::new(),
            project_terms: std::sync::Arc::new(self.terms.clone()),
            labels: self.labels.clone(),
            date_label: self.labels.iter().find(|l| *l == "date").cloned(),
            rejected: Default::default(),
            review: Vec::new(),
            learned: Some(self.model.clone()),
            min_score,
        };
        search::suggestions(&input)
            .into_iter()
            .map(|g| Proposal {
                start: g.start,
                end: g.end,
                score: g.source.score(),
                source: match g.source {
                    SuggestionSource::Learned(_) => "learned",
                    SuggestionSource::Date => "date",
                    _ => "gazetteer",
                },
                label: g.label,
            })
            .collect()
    }
}

/// Trains the model for the window on a thread of its own: from the project's other sessions
/// (read from disk there) and the open document, after a pause in tagging, never in a frame.
#[derive(Default)]
pub struct Trainer {
    /// The open document's version the last training started from.
    trained: Option<u64>,
    running: Option<std::sync::mpsc::Receiver<Arc<Model>>>,
}

/// Training starts once tagging has paused this long (seconds).
pub const TRAIN_PAUSE: f64 = 1.0;

impl Trainer {
    /// Whether a model is being trained.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// Whether the open document changed since the last training and nothing runs.
    pub fn due(&self, open: &Session) -> bool {
        self.running.is_none() && self.trained != Some(open.version())
    }

    /// Starts training if it is due. `others` are the project's other session files.
    pub fn start_if_due(&mut self, open: &Session, others: Vec<std::path::PathBuf>) {
        if !self.due(open) {
            return;
        }
        self.trained = Some(open.version());
        let open = open.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("learning".into())
            .spawn(move || {
                let mut sessions: Vec<Session> = others
                    .iter()
                    .filter_map(|p| crate::io::load_session(p).ok())
                    .collect();
                sessions.push(open);
                let _ = tx.send(Learned::from_sessions(&sessions, false).model);
            });
        if spawned.is_ok() {
            self.running = Some(rx);
        }
    }

    /// A model that finished training since the last call.
    pub fn poll(&mut self) -> Option<Arc<Model>> {
        let rx = self.running.as_ref()?;
        match rx.try_recv() {
            Ok(m) => {
                self.running = None;
                Some(m)
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.running = None;
                None
            }
        }
    }
}
