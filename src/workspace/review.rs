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

/// Documents up to this many chars are re-anchored at once; longer ones on a thread of their
/// own while the question waits (re-anchoring 5 MB takes up to two seconds).
pub const SYNC_REANCHOR_CHARS: usize = 200_000;

/// Re-anchoring worked out on opening, and where the review stands.
#[derive(Default)]
pub struct Review {
    /// Waiting for the person's answer to [`Prompt::ArticleChanged`].
    pending: Option<Box<Reanchored>>,
    /// A long document's re-anchoring, still being worked out.
    working: Option<Working>,
    /// The review item Tab stands on.
    pub current: Option<AnnotationId>,
}

/// A re-anchoring on its thread, and whether the person already said to re-anchor.
struct Working {
    rx: std::sync::mpsc::Receiver<Reanchored>,
    chosen: bool,
}

/// What a finished background re-anchoring means now.
pub enum Arrived {
    /// The person already said to re-anchor: carry it out.
    Adopt(Box<Reanchored>),
    /// The question still waits: it can now say what changed.
    Ask(Prompt),
    /// The worker stopped without an answer: the saved text stays.
    Failed,
}

impl Review {
    /// The opened article is not the text its session holds: works out the re-anchoring (a
    /// long document's in the background) and asks.
    pub fn ask(&mut self, doc: &Doc, article: Article) -> Outcome {
        let s = &doc.session;
        self.pending = None;
        self.working = None;
        if s.document().char_len().max(article.text.len()) <= SYNC_REANCHOR_CHARS {
            let r = reanchor(s, article.text, article.source);
            let prompt = question(doc, Some((r.inserted, r.deleted)), false);
            self.pending = Some(Box::new(r));
            return Outcome::ask(prompt);
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let session = s.clone();
        let spawned = std::thread::Builder::new()
            .name("re-anchoring".into())
            .spawn(move || {
                let _ = tx.send(reanchor(&session, article.text, article.source));
            });
        match spawned {
            Ok(_) => {
                self.working = Some(Working { rx, chosen: false });
                Outcome::ask(question(doc, None, false))
            }
            Err(e) => Outcome::fail(format!("Could not start re-anchoring: {e}")),
        }
    }

    /// The answer to the question: the re-anchoring to carry out, if it is ready. Re-anchor
    /// before a long one is ready: it is carried out when it arrives (`poll`). Keep the saved
    /// text: whatever was worked out is dropped.
    pub fn answer(&mut self, reanchor: bool) -> Option<Box<Reanchored>> {
        if !reanchor {
            self.working = None;
            self.pending = None;
            return None;
        }
        if let Some(w) = &mut self.working {
            w.chosen = true;
        }
        self.pending.take()
    }

    /// Whether a re-anchoring is still being worked out.
    pub fn working(&self) -> bool {
        self.working.is_some()
    }

    /// A background re-anchoring that finished since the last call.
    pub fn poll(&mut self, doc: &Doc) -> Option<Arrived> {
        let w = self.working.as_ref()?;
        let r = match w.rx.try_recv() {
            Ok(r) => Box::new(r),
            Err(std::sync::mpsc::TryRecvError::Empty) => return None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.working = None;
                return Some(Arrived::Failed);
            }
        };
        let chosen = w.chosen;
        self.working = None;
        if chosen {
            return Some(Arrived::Adopt(r));
        }
        let prompt = question(doc, Some((r.inserted, r.deleted)), false);
        self.pending = Some(r);
        Some(Arrived::Ask(prompt))
    }

    /// The question while the person waits for a re-anchoring they chose.
    pub fn waiting_prompt(doc: &Doc) -> Prompt {
        question(doc, None, true)
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

/// [`Prompt::ArticleChanged`] for `doc`: what changed, once known; whether the person already
/// chose to re-anchor and waits for it.
fn question(doc: &Doc, changed: Option<(usize, usize)>, waiting: bool) -> Prompt {
    let s = &doc.session;
    let orphans = s.anchors.iter().filter(|a| a.orphan.is_some()).count();
    Prompt::ArticleChanged {
        changed,
        annotations: s.annotations().len() + orphans,
        waiting,
    }
}
