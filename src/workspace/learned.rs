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
                rejected: &s.rejected,
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

/// How good learned suggestions are on documents the model did not learn from: exact bounds
/// and label, at the threshold shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quality {
    /// Learned suggestions made, and how many of them the editor tagged so.
    pub suggested: usize,
    pub right: usize,
    /// The editor's spans (of the labels learned), and how many were suggested.
    pub tagged: usize,
    pub found: usize,
    /// The documents it was measured on.
    pub docs: usize,
}

impl Quality {
    pub fn precision(&self) -> f64 {
        self.right as f64 / self.suggested.max(1) as f64
    }

    pub fn recall(&self) -> f64 {
        self.found as f64 / self.tagged.max(1) as f64
    }

    /// "learned suggestions: 84 % right, find 61 % of what you tag".
    pub fn summary(&self) -> String {
        format!(
            "learned suggestions: {:.0} % right, find {:.0} % of what you tag",
            self.precision() * 100.0,
            self.recall() * 100.0
        )
    }

    /// Adds what `model` suggests in `s` at `min_score` against what the editor tagged.
    fn measure(&mut self, model: &Model, terms: &[(String, String)], s: &Session, min: f32) {
        let learned: std::collections::HashSet<&str> =
            model.trained_on.iter().map(|(l, _)| l.as_str()).collect();
        let gold: std::collections::HashSet<(usize, usize, &str)> = s
            .annotations()
            .iter()
            .filter(|a| learned.contains(a.label.as_str()))
            .map(|a| (a.start, a.end, a.label.as_str()))
            .collect();
        let shown: Vec<_> = model
            .predict(s.document().text(), terms)
            .into_iter()
            .filter(|p| p.score >= min)
            .collect();
        let right = shown
            .iter()
            .filter(|p| gold.contains(&(p.start, p.end, p.label.as_str())))
            .count();
        self.suggested += shown.len();
        self.right += right;
        self.tagged += gold.len();
        self.found += right;
        self.docs += 1;
    }
}

/// Quality is measured once this many documents are done: the latest of them (a quarter, at
/// most `HELD_OUT_MAX`) are held out of a first training and the model is measured on them.
pub const QUALITY_MIN_DONE: usize = 3;
const HELD_OUT_MAX: usize = 5;

/// Trains on `sessions` (oldest first) and, once enough of them are done, measures a model
/// trained without the latest done ones on them (at `min_score`).
pub fn train_and_measure(sessions: &[Session], min_score: f32) -> (Learned, Option<Quality>) {
    let done: Vec<usize> = (0..sessions.len()).filter(|&i| sessions[i].done).collect();
    let quality = (done.len() >= QUALITY_MIN_DONE).then(|| -> Option<Quality> {
        let held = (done.len() / 4).clamp(1, HELD_OUT_MAX);
        let held_out = &done[done.len() - held..];
        let rest: Vec<Session> = (0..sessions.len())
            .filter(|i| !held_out.contains(i))
            .map(|i| sessions[i].clone())
            .collect();
        let first = Learned::from_sessions(&rest, false);
        if first.model.is_empty() {
            return None;
        }
        let mut q = Quality::default();
        for &i in held_out {
            q.measure(&first.model, &first.terms, &sessions[i], min_score);
        }
        Some(q)
    });
    (Learned::from_sessions(sessions, false), quality.flatten())
}

/// A finished training: the model, and its quality once enough documents are done.
pub struct Trained {
    pub model: Arc<Model>,
    pub quality: Option<Quality>,
}

/// Trains the model for the window on a thread of its own: from the project's other sessions
/// (read from disk there) and the open document, after a pause in tagging, never in a frame.
#[derive(Default)]
pub struct Trainer {
    /// The open document's version the last training started from.
    trained: Option<u64>,
    running: Option<std::sync::mpsc::Receiver<Trained>>,
    /// The latest training's quality, shown in the side panel.
    pub quality: Option<Quality>,
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

    /// Starts training if it is due. `others` are the project's other session files; the
    /// latest done ones (by the time they were written) measure the model's quality.
    pub fn start_if_due(&mut self, open: &Session, others: Vec<std::path::PathBuf>, min: f32) {
        if !self.due(open) {
            return;
        }
        self.trained = Some(open.version());
        let open = open.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("learning".into())
            .spawn(move || {
                crate::io::par::background_priority();
                let mut dated: Vec<(std::time::SystemTime, Session)> = others
                    .iter()
                    .filter_map(|p| {
                        let when = std::fs::metadata(p).and_then(|m| m.modified()).ok()?;
                        Some((when, crate::io::load_session(p).ok()?))
                    })
                    .collect();
                dated.sort_by_key(|(when, _)| *when);
                let mut sessions: Vec<Session> = dated.into_iter().map(|(_, s)| s).collect();
                sessions.push(open);
                let (learned, quality) = train_and_measure(&sessions, min);
                let _ = tx.send(Trained {
                    model: learned.model,
                    quality,
                });
            });
        if spawned.is_ok() {
            self.running = Some(rx);
        }
    }

    /// A model that finished training since the last call (its quality is kept).
    pub fn poll(&mut self) -> Option<Arc<Model>> {
        let rx = self.running.as_ref()?;
        match rx.try_recv() {
            Ok(t) => {
                self.running = None;
                if t.quality.is_some() {
                    self.quality = t.quality;
                }
                Some(t.model)
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.running = None;
                None
            }
        }
    }
}
