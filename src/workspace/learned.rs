//! Learned suggestions put together with the gazetteer and dates: what to propose in a
//! document, from a model trained on tagged sessions (`model::learn`). The command line's
//! `suggest` uses it; each proposal says where it came from and how sure it is.

use crate::model::learn::{Example, Model};
use crate::model::search::{self, SuggestInput, SuggestionSource};
use crate::model::{Document, Session};

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
    pub model: Model,
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
        Self {
            model: Model::train(&examples, &labels, &terms),
            terms,
            labels,
        }
    }

    /// What to propose in `doc`: learned spans at or above `min_score`, and what the
    /// gazetteer and the date finder give, one per span and label (sorted by start).
    pub fn propose(&self, doc: &Document, min_score: f32) -> Vec<Proposal> {
        let mut out: Vec<Proposal> = self
            .model
            .predict(doc.text(), &self.terms)
            .into_iter()
            .filter(|l| l.score >= min_score)
            .map(|l| Proposal {
                start: l.start,
                end: l.end,
                label: l.label,
                score: l.score,
                source: "learned",
            })
            .collect();
        let input = SuggestInput {
            doc: doc.clone(),
            annotations: Vec::new(),
            project_terms: std::sync::Arc::new(self.terms.clone()),
            labels: self.labels.clone(),
            date_label: self.labels.iter().find(|l| *l == "date").cloned(),
            rejected: Default::default(),
            review: Vec::new(),
        };
        for g in search::suggestions(&input) {
            let source = match g.source {
                SuggestionSource::Date => "date",
                _ => "gazetteer",
            };
            out.push(Proposal {
                start: g.start,
                end: g.end,
                label: g.label,
                score: 1.0,
                source,
            });
        }
        // The surest of each span and label.
        out.sort_by(|a, b| {
            (a.start, a.end, &a.label)
                .cmp(&(b.start, b.end, &b.label))
                .then(b.score.total_cmp(&a.score))
        });
        out.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.label == b.label);
        out
    }
}
