//! The editor's cursor (selection, caret, selected span) and the edits made at it: tag,
//! relabel, tag every occurrence, walk the annotations, move the caret.

use super::Workspace;
use crate::model::{AnnotationId, Document, Edit, Session, search, words};
use std::ops::Range;

/// Where the person is in the text. Offsets are chars; the selection is end-exclusive and
/// never empty. A selection and a selected span are never both set by the workspace's own
/// moves (a drag clears the span; picking a span clears the selection).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cursor {
    pub selection: Option<Range<usize>>,
    /// Where the selection started, for Shift+click and Shift+caret keys.
    pub anchor: Option<usize>,
    /// The picked annotation, outlined.
    pub selected_span: Option<AnnotationId>,
    /// The keyboard caret (a char boundary).
    pub caret: Option<usize>,
    /// A place the view should scroll to, taken by the view when it draws.
    pub reveal: Option<Reveal>,
}

/// Scroll to char `pos` (and flash the span `flash`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub pos: usize,
    pub flash: Option<AnnotationId>,
    /// Only if `pos` is not visible already.
    pub only_if_hidden: bool,
}

/// Where the caret goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Motion {
    Left,
    Right,
    Up,
    Down,
    WordLeft,
    WordRight,
    LineStart,
    LineEnd,
}

impl Cursor {
    pub fn clear_selection(&mut self) {
        self.selection = None;
        self.anchor = None;
    }

    /// Nothing selected, no span picked.
    pub fn deselect(&mut self) {
        self.clear_selection();
        self.selected_span = None;
    }

    pub fn reveal(&mut self, pos: usize, flash: Option<AnnotationId>) {
        self.reveal = Some(Reveal {
            pos,
            flash,
            only_if_hidden: false,
        });
    }

    pub fn reveal_if_hidden(&mut self, pos: usize) {
        self.reveal = Some(Reveal {
            pos,
            flash: None,
            only_if_hidden: true,
        });
    }

    /// Sets the selection from a raw char range, snapped to whole words unless `exact`.
    pub fn select(&mut self, doc: &Document, raw: Range<usize>, exact: bool) {
        let range = if exact { raw } else { words::snap(doc, raw) };
        self.selection = (!range.is_empty()).then_some(range);
    }

    /// Puts the caret at `caret`; with `extend`, the selection runs from the anchor (set on
    /// the first extension) to it.
    /// Where the keyboard works from: the caret, else the end of the selection (a word just
    /// found or dragged over).
    pub fn position(&self) -> Option<usize> {
        self.caret
            .or_else(|| self.selection.as_ref().map(|s| s.end))
    }

    pub fn move_caret(&mut self, caret: usize, extend: bool) {
        if extend {
            let from = match &self.selection {
                Some(s) if self.caret == Some(s.start) => s.end,
                Some(s) => s.start,
                None => self.caret.unwrap_or(caret),
            };
            let anchor = *self.anchor.get_or_insert(from);
            self.selection = (anchor != caret).then(|| anchor.min(caret)..anchor.max(caret));
        } else {
            self.clear_selection();
        }
        self.selected_span = None;
        self.caret = Some(caret);
        self.reveal_if_hidden(caret);
    }

    /// Forgets a selected span that no longer exists.
    pub fn keep_valid(&mut self, session: &Session) {
        if let Some(id) = self.selected_span
            && session.get(id).is_none()
        {
            self.selected_span = None;
        }
        let len = session.document().char_len();
        if self.selection.as_ref().is_some_and(|r| r.end > len) {
            self.clear_selection();
        }
        if self.caret.is_some_and(|c| c > len) {
            self.caret = Some(len);
        }
    }
}

/// `s` cut to at most `max` chars, with an ellipsis when cut.
pub fn ellipsize(s: &str, max: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

impl Workspace {
    /// Applies an edit through the open document's history; says why when it is refused.
    pub fn edit(&mut self, edit: Edit) -> bool {
        let what = edit.describe();
        self.edit_as(edit, what)
    }

    /// As [`Workspace::edit`], with the words Undo and Redo say for it.
    pub fn edit_as(&mut self, edit: Edit, what: String) -> bool {
        match self.doc.edit_as(edit, what) {
            Ok(()) => {
                self.cursor.keep_valid(&self.doc.session);
                if let Some(p) = &mut self.project {
                    p.label_redo.clear();
                }
                true
            }
            Err(e) => {
                self.error(format!("Not done: {e}."));
                false
            }
        }
    }

    /// The selection without the spaces and line breaks at its ends (a span never starts or
    /// ends in whitespace: spaCy refuses such entities); as it is if it is only whitespace.
    fn selection_trimmed(&self) -> Option<Range<usize>> {
        let range = self.cursor.selection.clone()?;
        let text = self.doc.session.document().slice(range.clone())?;
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
        if lead + trail >= range.len() {
            return Some(range);
        }
        Some(range.start + lead..range.end - trail)
    }

    /// A label's key: tag the selection, or relabel the selected span.
    pub fn tag(&mut self, label: &str) {
        if let Some(range) = self.selection_trimmed() {
            let a = self
                .doc
                .session
                .new_annotation(range.start, range.end, label);
            let text = ellipsize(self.doc.session.document().slice(range).unwrap_or(""), 60);
            let id = a.id;
            if self.edit(Edit::Add(a)) {
                self.cursor.deselect();
                self.request(super::Request::ShowInList(id));
                self.info(format!("Tagged “{text}” as {label}."));
            }
        } else if let Some(id) = self.cursor.selected_span {
            self.relabel(id, label);
        } else {
            self.error(format!(
                "Select some text first, then press {label}'s key or click it."
            ));
        }
    }

    pub fn relabel(&mut self, id: AnnotationId, label: &str) {
        if self.doc.session.get(id).is_some_and(|a| a.label != label)
            && self.edit(Edit::relabel(id, label))
        {
            self.info(format!("Relabelled as {label}."));
        }
    }

    pub fn delete(&mut self, id: AnnotationId) {
        if self.edit(Edit::Remove(id)) {
            self.info("Deleted the span (Ctrl+Z brings it back).");
        }
    }

    pub fn set_note(&mut self, id: AnnotationId, note: Option<String>) {
        let current = self.doc.session.get(id).and_then(|a| a.note.clone());
        let note = note.filter(|n| !n.trim().is_empty());
        if current != note && self.edit(Edit::set_note(id, note)) {
            self.info("Note saved in the session.");
        }
    }

    /// Picks a span, scrolls to it and flashes it.
    pub fn reveal_span(&mut self, id: AnnotationId) {
        if let Some(a) = self.doc.session.get(id) {
            let start = a.start;
            self.cursor.clear_selection();
            self.cursor.selected_span = Some(id);
            self.cursor.reveal(start, Some(id));
        }
    }

    /// Tags each range with `label` in one undoable step, skipping any that are already
    /// tagged so (or cannot be); returns how many were added.
    pub fn add_spans(&mut self, ranges: &[Range<usize>], label: &str) -> usize {
        let mut edits = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let addable = self.doc.session.addable(ranges, label);
        for (r, ok) in ranges.iter().zip(addable) {
            if !ok || !seen.insert(r.clone()) {
                continue;
            }
            let a = self.doc.session.new_annotation(r.start, r.end, label);
            edits.push(Edit::Add(a));
        }
        let n = edits.len();
        if n > 0 && !self.edit(Edit::Batch(edits)) {
            return 0;
        }
        n
    }

    /// Shift + a label's key: the selection (or selected span's text) and every other
    /// whole-word occurrence of it.
    pub fn tag_all(&mut self, label: &str) {
        let range = self.selection_trimmed().or_else(|| {
            self.cursor
                .selected_span
                .and_then(|id| self.doc.session.get(id))
                .map(|a| a.range())
        });
        let Some(range) = range else {
            self.error("Select some text first; Shift + a label's key tags it everywhere.");
            return;
        };
        let text = self
            .doc
            .session
            .document()
            .slice(range.clone())
            .unwrap_or("")
            .to_owned();
        let mut ranges = vec![range];
        ranges.extend(search::occurrences(self.doc.session.document(), &text));
        let n = self.add_spans(&ranges, label);
        self.cursor.clear_selection();
        self.info(format!(
            "Tagged {n} occurrence{} of “{}” as {label}{}.",
            if n == 1 { "" } else { "s" },
            ellipsize(&text, 40),
            if n > 0 { " (one undo step)" } else { "" }
        ));
    }

    /// Ctrl+] / Ctrl+[: select the next or previous annotation after the caret.
    pub fn step_annotation(&mut self, forward: bool) {
        let anns = self.doc.session.annotations();
        if anns.is_empty() {
            self.info("No annotations yet.");
            return;
        }
        let current = self
            .cursor
            .selected_span
            .and_then(|id| self.doc.session.position_of(id));
        let caret = self.cursor.position().unwrap_or(0);
        let n = anns.len();
        let i = match current {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None if forward => anns.iter().position(|a| a.start >= caret).unwrap_or(0),
            None => anns.iter().rposition(|a| a.start < caret).unwrap_or(n - 1),
        };
        let Some(a) = anns.get(i).cloned() else {
            return;
        };
        self.cursor.clear_selection();
        self.cursor.selected_span = Some(a.id);
        self.cursor.caret = Some(a.start);
        self.cursor.reveal = Some(Reveal {
            pos: a.start,
            flash: Some(a.id),
            only_if_hidden: true,
        });
        self.request(super::Request::ShowInList(a.id));
        self.info(format!(
            "{} of {n}: “{}” {}.",
            i + 1,
            ellipsize(self.doc.session.covered(&a), 40),
            a.label
        ));
    }

    /// Moves the caret (and, with `extend`, the selection's free end). `vertical` is where
    /// Up or Down lands by the view's line geometry, if it knows; `from` is where a caret
    /// with no place yet starts (the first visible char).
    pub fn move_caret(&mut self, m: Motion, extend: bool, vertical: Option<usize>, from: usize) {
        let doc = self.doc.session.document();
        let len = doc.char_len();
        let caret = self.cursor.position().unwrap_or(from);
        // Without Shift, Left/Right on a selection go to its start/end first.
        if !extend
            && let Some(sel) = self.cursor.selection.clone()
            && matches!(m, Motion::Left | Motion::Right)
        {
            let to = if m == Motion::Left {
                sel.start
            } else {
                sel.end
            };
            self.cursor.move_caret(to, false);
            return;
        }
        let to = match m {
            Motion::Left => caret.saturating_sub(1),
            Motion::Right => (caret + 1).min(len),
            Motion::WordLeft => words::word_left(doc, caret),
            Motion::WordRight => words::word_right(doc, caret),
            Motion::LineStart => words::line_start(doc, caret),
            Motion::LineEnd => words::line_end(doc, caret),
            Motion::Up => {
                vertical.unwrap_or_else(|| words::line_start(doc, caret).saturating_sub(1))
            }
            Motion::Down => vertical.unwrap_or_else(|| (words::line_end(doc, caret) + 1).min(len)),
        };
        self.cursor.move_caret(to, extend);
    }

    /// The selected text, or the selected span's.
    pub fn selected_text(&self) -> Option<String> {
        let s = &self.doc.session;
        if let Some(r) = self.cursor.selection.clone() {
            s.document().slice(r).map(str::to_owned)
        } else {
            self.cursor
                .selected_span
                .and_then(|id| s.get(id))
                .map(|a| s.covered(a).to_owned())
        }
    }

    /// Ctrl+C: the selection or selected span to the clipboard.
    pub fn copy(&mut self) {
        if let Some(t) = self.selected_text() {
            self.request(super::Request::Copy(t));
            self.info("Copied.");
        }
    }
}
