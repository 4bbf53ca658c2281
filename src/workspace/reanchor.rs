//! An article corrected after tagging: asking whether to re-anchor when it is opened, the
//! re-anchoring as one undoable step, and the review of what it could not carry unchanged
//! (Tab walks them, Enter keeps a changed span where it is or places an orphan on the
//! selection, x drops one).

use super::Workspace;
use super::notice::Prompt;
use crate::io::Article;
use crate::model::reanchor::{Reanchored, reanchor};
use crate::model::{AnchorKind, AnchorReview, AnnotationId, Edit};

/// Re-anchoring worked out on opening, and where the review stands.
#[derive(Default)]
pub struct Reanchoring {
    /// Waiting for the person's answer to [`Prompt::ArticleChanged`].
    pending: Option<Box<Reanchored>>,
    /// The review item Tab stands on.
    pub current: Option<AnnotationId>,
}

impl Workspace {
    /// The opened article is not the text its session holds: work out the re-anchoring and
    /// ask.
    pub(super) fn article_changed(&mut self, article: Article) {
        let r = reanchor(&self.doc.session, article.text, article.source);
        let annotations = self.doc.session.annotations().len()
            + self
                .doc
                .session
                .anchors
                .iter()
                .filter(|a| a.orphan.is_some())
                .count();
        self.prompt = Some(Prompt::ArticleChanged {
            inserted: r.inserted,
            deleted: r.deleted,
            annotations,
        });
        self.reanchoring.pending = Some(Box::new(r));
    }

    /// The answer to [`Prompt::ArticleChanged`]: re-anchor, or keep the saved text open.
    pub fn answer_article_changed(&mut self, reanchor: bool) {
        if matches!(self.prompt, Some(Prompt::ArticleChanged { .. })) {
            self.prompt = None;
        }
        let Some(r) = self.reanchoring.pending.take() else {
            return;
        };
        if !reanchor {
            self.recover_journal();
            if self.prompt.is_none() {
                self.info(
                    "This is the text saved in the session; the article on disk differs (open it again to re-anchor).",
                );
            }
            return;
        }
        let waiting = r.session.anchors.len();
        let lost = if r.lost_hints > 0 {
            format!(
                " {} review items or rejected suggestions had no place and were left out.",
                r.lost_hints
            )
        } else {
            String::new()
        };
        let summary = r.summary();
        self.doc.adopt_reanchored(r.session);
        self.clear_text_state();
        // A run that crashed after re-anchoring left a journal for this text: replayed here.
        self.recover_journal();
        let next = if waiting > 0 {
            format!(" Tab walks the {waiting} to review;")
        } else {
            String::new()
        };
        self.info(format!(
            "Re-anchored onto the corrected article: {summary}.{next} Ctrl+Z goes back to the saved text.{lost}"
        ));
    }

    /// The open text was replaced (undoing or redoing a re-anchoring): nothing points into
    /// the old, and the journal starts over for this text.
    pub(super) fn after_text_change(&mut self) {
        self.clear_text_state();
        self.doc.start_journal(self.data_dir.as_deref());
    }

    fn clear_text_state(&mut self) {
        self.cursor = super::Cursor::default();
        self.suggest.current = None;
        self.find.current = None;
        self.reanchoring.current = None;
    }

    /// The review item Tab stands on.
    pub fn current_review(&self) -> Option<&AnchorReview> {
        let id = self.reanchoring.current?;
        self.doc.session.anchors.iter().find(|r| r.id == id)
    }

    /// Tab / Shift+Tab while re-anchored spans wait: the next or previous one.
    pub fn step_review(&mut self, forward: bool) {
        let list = &self.doc.session.anchors;
        let n = list.len();
        if n == 0 {
            return;
        }
        let at = self
            .reanchoring
            .current
            .and_then(|id| list.iter().position(|r| r.id == id));
        let i = match at {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None if forward => 0,
            None => n - 1,
        };
        self.select_review(i);
    }

    fn select_review(&mut self, i: usize) {
        let n = self.doc.session.anchors.len();
        let Some(r) = self.doc.session.anchors.get(i).cloned() else {
            self.reanchoring.current = None;
            return;
        };
        self.reanchoring.current = Some(r.id);
        self.suggest.current = None;
        let quote = super::ellipsize(&r.quote, 40);
        match r.kind {
            AnchorKind::Changed => {
                let Some(a) = self.doc.session.get(r.id).cloned() else {
                    return;
                };
                let now = super::ellipsize(self.doc.session.covered(&a), 40);
                self.cursor.deselect();
                self.cursor.selected_span = Some(a.id);
                self.cursor.caret = Some(a.start);
                self.cursor.reveal(a.start, Some(a.id));
                self.info(format!(
                    "To review {} of {n}: “{now}” ({}) was “{quote}” before the article changed. Enter keeps it here, x deletes it.",
                    i + 1,
                    a.label
                ));
            }
            AnchorKind::Orphaned => {
                let label = r.orphan.as_ref().map_or("", |a| a.label.as_str());
                self.cursor.selected_span = None;
                self.info(format!(
                    "To review {} of {n}: “{quote}” ({label}) has no place in the new text. Select where it belongs and press Enter, or x to drop it.",
                    i + 1
                ));
            }
        }
    }

    /// Enter on a review item: a changed span stays where it is; an orphan goes on the
    /// selection.
    pub fn keep_review(&mut self) {
        let Some(r) = self.current_review().cloned() else {
            return;
        };
        let quote = super::ellipsize(&r.quote, 40);
        let (edit, what) = match (&r.kind, &r.orphan) {
            (AnchorKind::Changed, _) => {
                let now = self.doc.session.get(r.id).map_or(String::new(), |a| {
                    super::ellipsize(self.doc.session.covered(a), 40)
                });
                (Edit::Settle(r.id), format!("keep “{now}” (was “{quote}”)"))
            }
            (AnchorKind::Orphaned, Some(a)) => {
                let Some(sel) = self.cursor.selection.clone() else {
                    self.info(format!(
                        "Select the text “{}” belongs on first, then press Enter.",
                        super::ellipsize(&r.quote, 40)
                    ));
                    return;
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
        if self.edit_as(edit, what) {
            let placed = r.kind == AnchorKind::Orphaned;
            self.after_review(if placed {
                "Placed (Ctrl+Z undoes)."
            } else {
                "Kept where it is."
            });
        }
    }

    /// x on a review item: the span is deleted (a changed one) or let go (an orphan).
    pub fn drop_review(&mut self) {
        let Some(r) = self.current_review().cloned() else {
            return;
        };
        let edit = match r.kind {
            AnchorKind::Changed => Edit::Batch(vec![Edit::Settle(r.id), Edit::Remove(r.id)]),
            AnchorKind::Orphaned => Edit::Settle(r.id),
        };
        let what = format!("drop “{}”", super::ellipsize(&r.quote, 40));
        if self.edit_as(edit, what) {
            self.cursor.deselect();
            self.after_review("Dropped (Ctrl+Z brings it back).");
        }
    }

    /// Goes on to the next review item, if any, after a decision.
    fn after_review(&mut self, said: &str) {
        let left = self.doc.session.anchors.len();
        self.reanchoring.current = None;
        if left == 0 {
            self.info(format!("{said} Nothing left to review."));
        } else {
            let at = self.cursor.caret.unwrap_or(0);
            let i = self
                .doc
                .session
                .anchors
                .iter()
                .position(|r| self.doc.session.get(r.id).is_none_or(|a| a.start >= at))
                .unwrap_or(0);
            self.select_review(i);
            if let Some(s) = &mut self.status {
                s.text = format!("{said} {}", s.text);
            }
        }
    }
}
