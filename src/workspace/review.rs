//! An article corrected after tagging: the re-anchoring worked out when it is opened (waiting
//! for the person's answer), and the review of what it could not carry unchanged (Tab walks
//! them, Enter keeps a changed span where it is or places an orphan on the selection, x drops
//! one).

use super::doc::Doc;
use super::editing::{Cursor, ellipsize};
use super::notice::{Outcome, Prompt};
use super::shared::Direction;
use crate::io::Article;
use crate::model::reanchor::{Reanchored, reanchor};
use crate::model::{AnchorKind, AnchorReview, AnnotationId, Edit};

/// Re-anchoring worked out on opening, and where the review stands.
#[derive(Default)]
pub struct Review {
    /// Waiting for the person's answer to [`Prompt::ArticleChanged`].
    pending: Option<Box<Reanchored>>,
    /// The review item Tab stands on.
    pub current: Option<AnnotationId>,
}

impl Review {
    /// The opened article is not the text its session holds: works out the re-anchoring and
    /// asks.
    pub fn ask(&mut self, doc: &Doc, article: Article) -> Outcome {
        let s = &doc.session;
        let r = reanchor(s, article.text, article.source);
        let orphans = s.anchors.iter().filter(|a| a.orphan.is_some()).count();
        let prompt = Prompt::ArticleChanged {
            inserted: r.inserted,
            deleted: r.deleted,
            annotations: s.annotations().len() + orphans,
        };
        self.pending = Some(Box::new(r));
        Outcome::ask(prompt)
    }

    /// The re-anchoring waiting for an answer, taken.
    pub fn take_pending(&mut self) -> Option<Box<Reanchored>> {
        self.pending.take()
    }

    /// The review item Tab stands on.
    pub fn current<'a>(&self, doc: &'a Doc) -> Option<&'a AnchorReview> {
        let id = self.current?;
        doc.session.anchors.iter().find(|r| r.id == id)
    }

    /// Tab / Shift+Tab while re-anchored spans wait: the next or previous one.
    pub fn step(&mut self, doc: &Doc, cursor: &mut Cursor, dir: Direction) -> Outcome {
        let list = &doc.session.anchors;
        let n = list.len();
        if n == 0 {
            return Outcome::none();
        }
        let at = self
            .current
            .and_then(|id| list.iter().position(|r| r.id == id));
        let i = match (at, dir) {
            (Some(i), _) => dir.step(i, n),
            (None, Direction::Forward) => 0,
            (None, Direction::Backward) => n - 1,
        };
        self.select(i, doc, cursor)
    }

    fn select(&mut self, i: usize, doc: &Doc, cursor: &mut Cursor) -> Outcome {
        let s = &doc.session;
        let n = s.anchors.len();
        let Some(r) = s.anchors.get(i) else {
            self.current = None;
            return Outcome::none();
        };
        self.current = Some(r.id);
        let quote = ellipsize(&r.quote, 40);
        match r.kind {
            AnchorKind::Changed => {
                let Some(a) = s.get(r.id) else {
                    return Outcome::none();
                };
                let now = ellipsize(s.covered(a), 40);
                cursor.deselect();
                cursor.selected_span = Some(a.id);
                cursor.caret = Some(a.start);
                cursor.reveal(a.start, Some(a.id));
                Outcome::info(format!(
                    "To review {} of {n}: “{now}” ({}) was “{quote}” before the article changed. Enter keeps it here, x deletes it.",
                    i + 1,
                    a.label
                ))
            }
            AnchorKind::Orphaned => {
                let label = r.orphan.as_ref().map_or("", |a| a.label.as_str());
                cursor.selected_span = None;
                Outcome::info(format!(
                    "To review {} of {n}: “{quote}” ({label}) has no place in the new text. Select where it belongs and press Enter, or x to drop it.",
                    i + 1
                ))
            }
        }
    }

    /// Enter on a review item: a changed span stays where it is; an orphan goes on the
    /// selection.
    pub fn keep(&mut self, doc: &mut Doc, cursor: &mut Cursor) -> Outcome {
        let Some(r) = self.current(doc).cloned() else {
            return Outcome::none();
        };
        let quote = ellipsize(&r.quote, 40);
        let (edit, what) = match (&r.kind, &r.orphan) {
            (AnchorKind::Changed, _) => {
                let s = &doc.session;
                let now = s
                    .get(r.id)
                    .map_or(String::new(), |a| ellipsize(s.covered(a), 40));
                (Edit::Settle(r.id), format!("keep “{now}” (was “{quote}”)"))
            }
            (AnchorKind::Orphaned, Some(a)) => {
                let Some(sel) = cursor.selection.clone() else {
                    return Outcome::info(format!(
                        "Select the text “{quote}” belongs on first, then press Enter."
                    ));
                };
                let mut placed = a.clone();
                (placed.start, placed.end) = (sel.start, sel.end);
                placed.modified = crate::model::Timestamp::now();
                (
                    Edit::Batch(vec![Edit::Add(placed), Edit::Settle(r.id)]),
                    format!("place “{quote}”"),
                )
            }
            (AnchorKind::Orphaned, None) => (Edit::Settle(r.id), format!("drop “{quote}”")),
        };
        if let Err(e) = doc.edit_as(edit, what) {
            return Outcome::refused(e);
        }
        let said = if r.kind == AnchorKind::Orphaned {
            "Placed (Ctrl+Z undoes)."
        } else {
            "Kept where it is."
        };
        self.after(said, doc, cursor)
    }

    /// x on a review item: the span is deleted (a changed one) or let go (an orphan).
    pub fn drop(&mut self, doc: &mut Doc, cursor: &mut Cursor) -> Outcome {
        let Some(r) = self.current(doc).cloned() else {
            return Outcome::none();
        };
        let edit = match r.kind {
            AnchorKind::Changed => Edit::Batch(vec![Edit::Settle(r.id), Edit::Remove(r.id)]),
            AnchorKind::Orphaned => Edit::Settle(r.id),
        };
        let what = format!("drop “{}”", ellipsize(&r.quote, 40));
        if let Err(e) = doc.edit_as(edit, what) {
            return Outcome::refused(e);
        }
        cursor.deselect();
        self.after("Dropped (Ctrl+Z brings it back).", doc, cursor)
    }

    /// Goes on to the next review item, if any, after a decision.
    fn after(&mut self, said: &str, doc: &Doc, cursor: &mut Cursor) -> Outcome {
        self.current = None;
        let s = &doc.session;
        if s.anchors.is_empty() {
            return Outcome::info(format!("{said} Nothing left to review."));
        }
        let at = cursor.caret.unwrap_or(0);
        let i = s
            .anchors
            .iter()
            .position(|r| s.get(r.id).is_none_or(|a| a.start >= at))
            .unwrap_or(0);
        self.select(i, doc, cursor).after(said)
    }
}
