//! The editor's cursor (selection, caret, selected span) and the edits made at it: tag,
//! relabel, tag every occurrence, walk the annotations, move the caret. The cursor owns these
//! rules: [`Cursor::run`] takes the open document and returns what to tell the person.

use super::doc::Doc;
use super::notice::{Outcome, Request};
use super::shared::Direction;
use crate::model::{AnnotationId, Document, Edit, EditError, Session, search, words};
use std::ops::Range;

/// What the person does at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub enum EditOp {
    /// A label's key: tag the selection, or relabel the selected span.
    Tag(String),
    /// Shift + a label's key: the selection and every other whole-word occurrence of it.
    TagAll(String),
    Relabel(AnnotationId, String),
    Delete(AnnotationId),
    /// Delete the selected span, if there is one.
    DeleteSelected,
    SetNote(AnnotationId, Option<String>),
    /// Pick a span, scroll to it and flash it.
    Reveal(AnnotationId),
    /// Ctrl+] / Ctrl+[: the next or previous annotation after the caret.
    Step(Direction),
    /// Move the caret (see [`CaretMove`]).
    Move(CaretMove),
    /// Ctrl+C: the selection or selected span to the clipboard.
    Copy,
}

/// A caret motion, with what only the view knows of the lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaretMove {
    pub motion: Motion,
    /// Shift: the selection's free end moves.
    pub extend: bool,
    /// Where Up or Down lands by the view's line geometry, if it knows.
    pub vertical: Option<usize>,
    /// Where a caret with no place yet starts (the first visible char).
    pub from: usize,
}

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

impl Cursor {
    /// Does `op` on `doc` at this cursor; says what happened.
    pub fn run(&mut self, op: EditOp, doc: &mut Doc) -> Outcome {
        let outcome = match op {
            EditOp::Tag(label) => self.tag(doc, &label),
            EditOp::TagAll(label) => self.tag_all(doc, &label),
            EditOp::Relabel(id, label) => relabel(doc, id, &label),
            EditOp::Delete(id) => delete(doc, id),
            EditOp::DeleteSelected => match self.selected_span {
                Some(id) => delete(doc, id),
                None => Outcome::none(),
            },
            EditOp::SetNote(id, note) => set_note(doc, id, note),
            EditOp::Reveal(id) => {
                self.reveal_span(&doc.session, id);
                Outcome::none()
            }
            EditOp::Step(dir) => self.step_annotation(&doc.session, dir),
            EditOp::Move(m) => {
                self.move_by(doc.session.document(), m);
                Outcome::none()
            }
            EditOp::Copy => match self.selected_text(&doc.session) {
                Some(t) => Outcome::info("Copied.").with(Request::Copy(t)),
                None => Outcome::none(),
            },
        };
        self.keep_valid(&doc.session);
        outcome
    }

    /// The selection without the spaces and line breaks at its ends (a span never starts or
    /// ends in whitespace: spaCy refuses such entities); as it is if it is only whitespace.
    fn selection_trimmed(&self, doc: &Document) -> Option<Range<usize>> {
        let range = self.selection.clone()?;
        let text = doc.slice(range.clone())?;
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
        if lead + trail >= range.len() {
            return Some(range);
        }
        Some(range.start + lead..range.end - trail)
    }

    /// A label's key: tag the selection, or relabel the selected span.
    fn tag(&mut self, doc: &mut Doc, label: &str) -> Outcome {
        if let Some(range) = self.selection_trimmed(doc.session.document()) {
            let a = doc.session.new_annotation(range.start, range.end, label);
            let text = ellipsize(doc.session.document().slice(range).unwrap_or(""), 60);
            match doc.edit(Edit::Add(a)) {
                Ok(()) => {
                    self.deselect();
                    // The list stays where it is: the eyes are on the text, and a list that
                    // jumps to every new span lays out a screen of rows per tag. Going to a
                    // span (Ctrl+], Alt+Down, a click in the list) still shows it there.
                    Outcome::info(format!("Tagged “{text}” as {label}."))
                }
                Err(e) => Outcome::refused(e),
            }
        } else if let Some(id) = self.selected_span {
            relabel(doc, id, label)
        } else {
            Outcome::error(format!(
                "Select some text first, then press {label}'s key or click it."
            ))
        }
    }

    /// Shift + a label's key: the selection (or selected span's text) and every other
    /// whole-word occurrence of it.
    fn tag_all(&mut self, doc: &mut Doc, label: &str) -> Outcome {
        let s = &doc.session;
        let range = self.selection_trimmed(s.document()).or_else(|| {
            self.selected_span
                .and_then(|id| s.get(id))
                .map(|a| a.range())
        });
        let Some(range) = range else {
            return Outcome::error(
                "Select some text first; Shift + a label's key tags it everywhere.",
            );
        };
        let text = s.document().slice(range.clone()).unwrap_or("").to_owned();
        let mut ranges = vec![range];
        ranges.extend(search::occurrences(s.document(), &text));
        let n = match add_spans(doc, &ranges, label) {
            Ok(n) => n,
            Err(e) => return Outcome::refused(e),
        };
        self.clear_selection();
        Outcome::info(format!(
            "Tagged {n} occurrence{} of “{}” as {label}{}.",
            if n == 1 { "" } else { "s" },
            ellipsize(&text, 40),
            if n > 0 { " (one undo step)" } else { "" }
        ))
    }

    /// Picks a span, scrolls to it and flashes it.
    pub fn reveal_span(&mut self, s: &Session, id: AnnotationId) {
        if let Some(a) = s.get(id) {
            let start = a.start;
            self.clear_selection();
            self.selected_span = Some(id);
            self.reveal(start, Some(id));
        }
    }

    /// Ctrl+] / Ctrl+[: select the next or previous annotation after the caret.
    fn step_annotation(&mut self, s: &Session, dir: Direction) -> Outcome {
        let anns = s.annotations();
        if anns.is_empty() {
            return Outcome::info("No annotations yet.");
        }
        let current = self.selected_span.and_then(|id| s.position_of(id));
        let caret = self.position().unwrap_or(0);
        let n = anns.len();
        let i = match current {
            Some(i) => dir.step(i, n),
            None => dir.first_from(anns.iter().map(|a| a.start), caret, n),
        };
        let Some(a) = anns.get(i) else {
            return Outcome::none();
        };
        self.clear_selection();
        self.selected_span = Some(a.id);
        self.caret = Some(a.start);
        self.reveal = Some(Reveal {
            pos: a.start,
            flash: Some(a.id),
            only_if_hidden: true,
        });
        Outcome::info(format!(
            "{} of {n}: “{}” {}.",
            i + 1,
            ellipsize(s.covered(a), 40),
            a.label
        ))
        .with(Request::ShowInList(a.id))
    }

    /// Moves the caret (and, with `extend`, the selection's free end).
    fn move_by(&mut self, doc: &Document, m: CaretMove) {
        let len = doc.char_len();
        let caret = self.position().unwrap_or(m.from);
        // Without Shift, Left/Right on a selection go to its start/end first.
        if !m.extend
            && let Some(sel) = self.selection.clone()
            && matches!(m.motion, Motion::Left | Motion::Right)
        {
            let to = if m.motion == Motion::Left {
                sel.start
            } else {
                sel.end
            };
            self.move_caret(to, false);
            return;
        }
        let to = match m.motion {
            Motion::Left => caret.saturating_sub(1),
            Motion::Right => (caret + 1).min(len),
            Motion::WordLeft => words::word_left(doc, caret),
            Motion::WordRight => words::word_right(doc, caret),
            Motion::LineStart => words::line_start(doc, caret),
            Motion::LineEnd => words::line_end(doc, caret),
            Motion::Up => m
                .vertical
                .unwrap_or_else(|| words::line_start(doc, caret).saturating_sub(1)),
            Motion::Down => m
                .vertical
                .unwrap_or_else(|| (words::line_end(doc, caret) + 1).min(len)),
        };
        self.move_caret(to, m.extend);
    }

    /// The selected text, or the selected span's.
    pub fn selected_text(&self, s: &Session) -> Option<String> {
        if let Some(r) = self.selection.clone() {
            s.document().slice(r).map(str::to_owned)
        } else {
            self.selected_span
                .and_then(|id| s.get(id))
                .map(|a| s.covered(a).to_owned())
        }
    }
}

fn relabel(doc: &mut Doc, id: AnnotationId, label: &str) -> Outcome {
    if doc.session.get(id).is_none_or(|a| a.label == label) {
        return Outcome::none();
    }
    match doc.edit(Edit::relabel(id, label)) {
        Ok(()) => Outcome::info(format!("Relabelled as {label}.")),
        Err(e) => Outcome::refused(e),
    }
}

fn delete(doc: &mut Doc, id: AnnotationId) -> Outcome {
    match doc.edit(Edit::Remove(id)) {
        Ok(()) => Outcome::info("Deleted the span (Ctrl+Z brings it back)."),
        Err(e) => Outcome::refused(e),
    }
}

fn set_note(doc: &mut Doc, id: AnnotationId, note: Option<String>) -> Outcome {
    let current = doc.session.get(id).and_then(|a| a.note.clone());
    let note = note.filter(|n| !n.trim().is_empty());
    if current == note {
        return Outcome::none();
    }
    match doc.edit(Edit::set_note(id, note)) {
        Ok(()) => Outcome::info("Note saved in the session."),
        Err(e) => Outcome::refused(e),
    }
}

/// Tags each range with `label` in one undoable step, skipping any that are already tagged
/// so (or cannot be); returns how many were added.
pub fn add_spans(doc: &mut Doc, ranges: &[Range<usize>], label: &str) -> Result<usize, EditError> {
    let mut edits = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let addable = doc.session.addable(ranges, label);
    for (r, ok) in ranges.iter().zip(addable) {
        if !ok || !seen.insert(r.clone()) {
            continue;
        }
        let a = doc.session.new_annotation(r.start, r.end, label);
        edits.push(Edit::Add(a));
    }
    let n = edits.len();
    if n > 0 {
        doc.edit(Edit::Batch(edits))?;
    }
    Ok(n)
}
