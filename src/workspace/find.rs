//! The find bar: its query and options, the matches (keyed on the query, options and the
//! document's version), stepping through them and tagging them all. The matching itself is
//! `model::search`.

use super::doc::Doc;
use super::editing::{Cursor, add_spans};
use super::notice::Outcome;
use super::shared::Direction;
use crate::model::search::{self, FindOptions};
use std::ops::Range;

/// What the person does in the find bar.
#[derive(Clone, Debug, PartialEq)]
pub enum FindOp {
    /// Ctrl+F: open it, starting from the selection's text as editors do.
    Open,
    Close,
    /// The query or its options changed.
    Set(String, FindOptions),
    /// Enter / Shift+Enter: the next or previous match, selected.
    Step(Direction),
    /// Tag every match with this label.
    TagAll(String),
}

/// The find bar's query and what it matches.
#[derive(Default)]
pub struct Find {
    pub open: bool,
    pub query: String,
    pub opts: FindOptions,
    /// Why the query is not a valid regular expression.
    pub error: Option<String>,
    /// The matches (sorted) and the current one.
    pub matches: Vec<Range<usize>>,
    pub current: Option<usize>,
    /// The query, options and document version the matches were found for.
    key: Option<(String, FindOptions, u64)>,
}

impl Find {
    /// Does `op`; says what happened.
    pub fn run(&mut self, op: FindOp, doc: &mut Doc, cursor: &mut Cursor) -> Outcome {
        match op {
            FindOp::Open => {
                self.open = true;
                if let Some(r) = cursor.selection.clone()
                    && let Some(t) = doc.session.document().slice(r)
                    && !t.contains('\n')
                {
                    self.query = t.to_owned();
                }
            }
            FindOp::Close => {
                self.open = false;
                self.matches.clear();
                self.current = None;
                self.key = None;
            }
            FindOp::Set(query, opts) => {
                self.query = query;
                self.opts = opts;
            }
            FindOp::Step(dir) => self.step(doc, cursor, dir),
            FindOp::TagAll(label) => return self.tag_all(doc, &label),
        }
        Outcome::none()
    }

    /// Recomputes the matches when the query, options or document changed.
    pub fn refresh(&mut self, doc: &Doc) {
        if !self.open {
            return;
        }
        let key = (self.query.clone(), self.opts, doc.version());
        if self.key.as_ref() == Some(&key) {
            return;
        }
        match search::find_all(doc.session.document(), &self.query, self.opts) {
            Ok(m) => {
                self.error = None;
                // Keep the current match where it was, as far as possible.
                let from = self
                    .current
                    .and_then(|i| self.matches.get(i))
                    .map(|r| r.start);
                self.current = from
                    .filter(|_| !m.is_empty())
                    .map(|f| m.iter().position(|r| r.start >= f).unwrap_or(0));
                self.matches = m;
            }
            Err(e) => {
                self.error = Some(e);
                self.matches.clear();
                self.current = None;
            }
        }
        self.key = Some(key);
    }

    fn step(&mut self, doc: &Doc, cursor: &mut Cursor, dir: Direction) {
        self.refresh(doc);
        let n = self.matches.len();
        if n == 0 {
            return;
        }
        let i = match self.current {
            Some(i) => dir.step(i, n),
            None => 0,
        };
        self.current = Some(i);
        let Some(r) = self.matches.get(i).cloned() else {
            return;
        };
        cursor.selection = Some(r.clone());
        cursor.caret = Some(r.end);
        cursor.selected_span = None;
        cursor.reveal(r.start, None);
    }

    fn tag_all(&mut self, doc: &mut Doc, label: &str) -> Outcome {
        self.refresh(doc);
        let ranges = self.matches.clone();
        match add_spans(doc, &ranges, label) {
            Ok(n) => Outcome::info(format!(
                "Tagged {n} of {} matches as {label} (one undo step).",
                ranges.len()
            )),
            Err(e) => Outcome::refused(e),
        }
    }

    /// The text changed under the matches: none is current.
    pub fn forget_current(&mut self) {
        self.current = None;
    }
}
