//! Relations between spans: a labelled link from one annotation to another ("Fleur Korte"
//! *speaks for* "the Commission"), and the relation labels a session offers.

use super::annotation::{AnnotationId, Timestamp};
use super::label::Color;
use serde::{Deserialize, Serialize};

/// A stable identifier; never reused within a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RelationId(pub u64);

impl std::fmt::Display for RelationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "R{}", self.0)
    }
}

/// A labelled link between two annotations, from `from` to `to` (the direction matters when
/// the label says so).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub id: RelationId,
    pub from: AnnotationId,
    pub to: AnnotationId,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub annotator: String,
    pub created: Timestamp,
    pub modified: Timestamp,
}

impl Relation {
    /// Whether it joins annotation `id` (at either end).
    pub fn touches(&self, id: AnnotationId) -> bool {
        self.from == id || self.to == id
    }

    /// The annotation at the other end from `id`.
    pub fn other(&self, id: AnnotationId) -> AnnotationId {
        if self.from == id { self.to } else { self.from }
    }
}

/// A relation the annotators of a merged session did not all make (or whose spans are still
/// to be decided): the curator takes it or drops it. Its ends are spans as (start, end,
/// label), since the annotators' ids mean nothing in the merged session.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationReview {
    pub from: (usize, usize, String),
    pub to: (usize, usize, String),
    pub label: String,
    /// Who made it.
    pub by: Vec<String>,
}

fn directed_default() -> bool {
    true
}

/// A relation label: its name, colour, key (pressed after `r` and a span), and whether the
/// direction matters ("speaks for" does, "met" does not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationLabel {
    pub name: String,
    pub color: Color,
    #[serde(default)]
    pub hotkey: Option<char>,
    #[serde(default = "directed_default")]
    pub directed: bool,
}

impl RelationLabel {
    pub fn new(name: &str, color: Color, hotkey: Option<char>, directed: bool) -> Self {
        Self {
            name: name.to_owned(),
            color,
            hotkey,
            directed,
        }
    }

    /// What a new session offers: one directed label, so that a relation takes two actions.
    pub fn defaults() -> Vec<RelationLabel> {
        vec![RelationLabel::new(
            "related",
            Color([0x99, 0x66, 0xcc]),
            Some('1'),
            true,
        )]
    }
}

/// The colour for the `n`-th relation label made without one: the palette without its
/// yellow, which an arc and its label on a light page would not show.
pub fn relation_color(n: usize) -> Color {
    use super::label::PALETTE;
    const ORDER: [usize; 6] = [4, 5, 3, 0, 1, 2];
    PALETTE[ORDER[n % ORDER.len()]]
}

/// What is wrong with a list of relation labels, if anything.
pub fn relation_label_problems(labels: &[RelationLabel]) -> Vec<String> {
    let mut names = std::collections::HashSet::new();
    let mut keys = std::collections::HashSet::new();
    let mut out = Vec::new();
    for l in labels {
        if l.name.trim().is_empty() {
            out.push("a relation label has an empty name".to_owned());
        }
        if !names.insert(l.name.as_str()) {
            out.push(format!("relation label {:?} is defined twice", l.name));
        }
        if let Some(k) = l.hotkey
            && !keys.insert(k)
        {
            out.push(format!("relation key {k:?} is used twice"));
        }
    }
    out
}
