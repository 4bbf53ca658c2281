//! Annotations: labelled char ranges with a stable id, and the times they were made.

use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A stable identifier; never reused within a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(pub u64);

impl std::fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A point in time with one-second resolution, written as RFC 3339 UTC (`2026-11-26T21:04:02Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    pub fn now() -> Self {
        Self(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        )
    }

    pub fn parse(s: &str) -> Option<Self> {
        let t = humantime::parse_rfc3339(s).ok()?;
        Some(Self(t.duration_since(UNIX_EPOCH).ok()?.as_secs()))
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = UNIX_EPOCH + Duration::from_secs(self.0);
        write!(f, "{}", humantime::format_rfc3339_seconds(t))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "time {s:?} is not RFC 3339 UTC like \"2026-11-26T21:04:02Z\""
            ))
        })
    }
}

/// A labelled span of the document: chars `start..end` (end-exclusive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub note: Option<String>,
    pub annotator: String,
    pub created: Timestamp,
    pub modified: Timestamp,
}

impl Annotation {
    /// An empty stand-in (no allocation) for a slot about to be overwritten.
    pub(crate) fn placeholder() -> Self {
        Self {
            id: AnnotationId(0),
            start: 0,
            end: 0,
            label: String::new(),
            note: None,
            annotator: String::new(),
            created: Timestamp(0),
            modified: Timestamp(0),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The order annotations are kept and listed in: by start, longer (outer) first.
    pub fn sort_key(&self) -> (usize, std::cmp::Reverse<usize>, &str, AnnotationId) {
        (
            self.start,
            std::cmp::Reverse(self.end),
            self.label.as_str(),
            self.id,
        )
    }
}

/// How an annotation came through re-anchoring onto a corrected article, when not unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnchorKind {
    /// Its text was edited: placed on the best match, to be confirmed.
    Changed,
    /// No confident place in the new text: kept aside until placed or dropped.
    Orphaned,
}

/// An annotation waiting for the editor after re-anchoring: a changed one (in the list at
/// its proposed place) or an orphaned one (kept here, with its old offsets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorReview {
    pub id: AnnotationId,
    pub kind: AnchorKind,
    /// The span's text in the old article.
    pub quote: String,
    /// Up to [`crate::model::reanchor::CONTEXT`] chars before and after it in the old article.
    pub prefix: String,
    pub suffix: String,
    /// Orphaned: the annotation as it was (its offsets are into the old text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orphan: Option<Annotation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_as_rfc3339() {
        let t = Timestamp(1_795_726_800);
        assert_eq!(t.to_string(), "2026-11-26T21:00:00Z");
        assert_eq!(Timestamp::parse("2026-11-26T21:00:00Z"), Some(t));
        assert_eq!(Timestamp::parse("yesterday"), None);
    }
}

/// A rejected suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Rejected {
    pub start: usize,
    pub end: usize,
    pub label: String,
}
