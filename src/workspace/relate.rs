//! Relations as the editor makes them: `r` on a selected span starts one, Tab / Shift+Tab
//! walk the other spans nearest first (a click picks one), a relation label's key makes it
//! (with one relation label, the pick itself does). A relation picked (from the side panel or
//! Alt+R) is deleted with Delete, reversed with Shift+R, relabelled with a relation key. The
//! rules about relations are the session's; this room keeps what is being made and picked.

use super::doc::Doc;
use super::editing::{Cursor, ellipsize};
use super::notice::Outcome;
use super::shared::Direction;
use crate::model::{AnnotationId, Edit, RelationId, Session, Timestamp};

/// What the person does with relations.
#[derive(Clone, Debug, PartialEq)]
pub enum RelateOp {
    /// r: start a relation from the selected span.
    Start,
    /// Tab / Shift+Tab while relating: the next or previous span, nearest first.
    Step(Direction),
    /// A click on a span while relating: the other end (made at once with one label).
    Pick(AnnotationId),
    /// A relation label's key: make the relation, or relabel the picked one.
    Label(String),
    /// Enter while relating: make it with the only (or first) relation label.
    Confirm,
    /// Escape: stop relating, or unpick the relation.
    Cancel,
    /// Pick a relation (None: none).
    Select(Option<RelationId>),
    /// Alt+R: pick the selected span's next relation.
    Cycle,
    /// Shift+R: the picked relation the other way round.
    Reverse,
    /// Delete the picked relation.
    Delete,
    SetNote(RelationId, Option<String>),
    /// View: draw every relation on screen, not only the selected span's.
    ToggleShowAll,
}

/// A relation being made: from this span, to the candidate (if one is picked yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub from: AnnotationId,
    pub to: Option<AnnotationId>,
}

/// How many spans each side of the first end Tab walks through.
const NEAREST: usize = 200;

#[derive(Default)]
pub struct Relate {
    pub pending: Option<Pending>,
    pub selected: Option<RelationId>,
    pub show_all: bool,
}

impl Relate {
    pub fn run(&mut self, op: RelateOp, doc: &mut Doc, cursor: &mut Cursor) -> Outcome {
        self.forget_gone(&doc.session);
        match op {
            RelateOp::Start => self.start(doc, cursor),
            RelateOp::Step(dir) => self.step(dir, doc, cursor),
            RelateOp::Pick(id) => self.pick(id, doc, cursor),
            RelateOp::Label(label) => self.label(&label, doc, cursor),
            RelateOp::Confirm => match doc.session.relation_labels().first() {
                Some(l) => {
                    let name = l.name.clone();
                    self.label(&name, doc, cursor)
                }
                None => Outcome::info("There are no relation labels yet (Edit → Labels…)."),
            },
            RelateOp::Cancel => {
                let was = self.pending.take().is_some() || self.selected.take().is_some();
                if was {
                    Outcome::info("Not relating.")
                } else {
                    Outcome::none()
                }
            }
            RelateOp::Select(id) => {
                self.selected = id.filter(|&id| doc.session.relation(id).is_some());
                self.pending = None;
                // The side panel shows a picked relation under one of its spans.
                if let Some(r) = self.selected.and_then(|id| doc.session.relation(id))
                    && !cursor.selected_span.is_some_and(|s| r.touches(s))
                {
                    cursor.selected_span = Some(r.from);
                }
                Outcome::none()
            }
            RelateOp::Cycle => self.cycle(doc, cursor),
            RelateOp::Reverse => self.edit_selected(doc, |id| Edit::ReverseRelation {
                id,
                at: Timestamp::now(),
            }),
            RelateOp::Delete => {
                let out = self.edit_selected(doc, Edit::RemoveRelation);
                self.selected = None;
                out
            }
            RelateOp::SetNote(id, note) => {
                let note = note.filter(|n| !n.trim().is_empty());
                if doc.session.relation(id).is_none_or(|r| r.note == note) {
                    return Outcome::none();
                }
                let edit = Edit::SetRelationNote {
                    id,
                    note,
                    at: Timestamp::now(),
                };
                done(doc.edit(edit), "Relation note saved.")
            }
            RelateOp::ToggleShowAll => {
                self.show_all = !self.show_all;
                Outcome::none()
            }
        }
    }

    /// Drops a pending end or picked relation that an undo or a delete took away.
    pub fn forget_gone(&mut self, s: &Session) {
        if self.selected.is_some_and(|id| s.relation(id).is_none()) {
            self.selected = None;
        }
        if let Some(p) = &mut self.pending {
            if s.get(p.from).is_none() {
                self.pending = None;
            } else if p.to.is_some_and(|to| s.get(to).is_none()) {
                p.to = None;
            }
        }
    }

    fn start(&mut self, doc: &Doc, cursor: &Cursor) -> Outcome {
        let Some(from) = cursor
            .selected_span
            .filter(|id| doc.session.get(*id).is_some())
        else {
            return Outcome::info("Select a span first (click it, or Ctrl+]), then press r.");
        };
        self.pending = Some(Pending { from, to: None });
        self.selected = None;
        let keys: Vec<String> = doc
            .session
            .relation_labels()
            .iter()
            .map(|l| match l.hotkey {
                Some(k) => format!("{k} {}", l.name),
                None => l.name.clone(),
            })
            .collect();
        Outcome::info(format!(
            "Relate “{}” to…: Tab (or click) to the other span, then {}. Escape stops.",
            ellipsize(covered(&doc.session, from), 24),
            keys.join(", ")
        ))
    }

    /// The other spans, nearest to `from` first (by distance in the text).
    fn nearest(s: &Session, from: AnnotationId) -> Vec<AnnotationId> {
        let Some(i) = s.position_of(from) else {
            return Vec::new();
        };
        let anns = s.annotations();
        let at = anns[i].start;
        let lo = i.saturating_sub(NEAREST);
        let hi = (i + NEAREST + 1).min(anns.len());
        let mut near: Vec<(usize, usize)> = (lo..hi)
            .filter(|&k| k != i)
            .map(|k| (anns[k].start.abs_diff(at), k))
            .collect();
        near.sort_unstable();
        near.into_iter().map(|(_, k)| anns[k].id).collect()
    }

    fn step(&mut self, dir: Direction, doc: &Doc, cursor: &mut Cursor) -> Outcome {
        let Some(p) = &mut self.pending else {
            return Outcome::none();
        };
        let near = Self::nearest(&doc.session, p.from);
        if near.is_empty() {
            return Outcome::info("There is no other span to relate to.");
        }
        let now = p.to.and_then(|to| near.iter().position(|&x| x == to));
        let next = match (now, dir) {
            (None, Direction::Forward) => 0,
            (None, Direction::Backward) => near.len() - 1,
            (Some(k), Direction::Forward) => (k + 1) % near.len(),
            (Some(k), Direction::Backward) => (k + near.len() - 1) % near.len(),
        };
        p.to = Some(near[next]);
        show(doc, cursor, near[next]);
        Outcome::none()
    }

    fn pick(&mut self, id: AnnotationId, doc: &mut Doc, cursor: &mut Cursor) -> Outcome {
        let Some(p) = &mut self.pending else {
            return Outcome::none();
        };
        if id == p.from {
            return Outcome::info("Pick the other span of the relation.");
        }
        p.to = Some(id);
        match doc.session.relation_labels() {
            [only] => {
                let name = only.name.clone();
                self.label(&name, doc, cursor)
            }
            _ => Outcome::none(),
        }
    }

    /// A relation label's key: makes the pending relation, or relabels the picked one.
    fn label(&mut self, label: &str, doc: &mut Doc, cursor: &mut Cursor) -> Outcome {
        if let Some(p) = self.pending.clone() {
            let Some(to) = p.to else {
                return Outcome::info("First pick the other span: Tab, or click it.");
            };
            let r = doc.session.new_relation(p.from, to, label);
            let id = r.id;
            let said = format!(
                "Related “{}” {label} “{}” (Shift+R reverses, Ctrl+Z undoes).",
                ellipsize(covered(&doc.session, p.from), 30),
                ellipsize(covered(&doc.session, to), 30)
            );
            let out = done(doc.edit(Edit::AddRelation(r)), &said);
            if doc.session.relation(id).is_some() {
                self.pending = None;
                self.selected = Some(id);
                cursor.selected_span = Some(p.from);
            }
            return out;
        }
        let Some(id) = self.selected else {
            return Outcome::none();
        };
        if doc.session.relation(id).is_none_or(|r| r.label == label) {
            return Outcome::none();
        }
        let edit = Edit::RelabelRelation {
            id,
            label: label.to_owned(),
            at: Timestamp::now(),
        };
        done(
            doc.edit(edit),
            &format!("Relabelled the relation as {label}."),
        )
    }

    /// Picks the selected span's next relation (in id order, round).
    fn cycle(&mut self, doc: &Doc, cursor: &Cursor) -> Outcome {
        let Some(span) = cursor.selected_span else {
            return Outcome::info("Select a span first: Alt+R picks its relations in turn.");
        };
        let ids: Vec<RelationId> = doc.session.relations_of(span).map(|r| r.id).collect();
        if ids.is_empty() {
            return Outcome::info("This span has no relations yet (r makes one).");
        }
        let next = self
            .selected
            .and_then(|s| ids.iter().position(|&x| x == s))
            .map_or(0, |k| (k + 1) % ids.len());
        self.selected = Some(ids[next]);
        self.pending = None;
        Outcome::none()
    }

    fn edit_selected(&mut self, doc: &mut Doc, edit: impl Fn(RelationId) -> Edit) -> Outcome {
        let Some(id) = self.selected else {
            return Outcome::info("Pick a relation first (Alt+R, or in the side panel).");
        };
        let e = edit(id);
        let said = match &e {
            Edit::RemoveRelation(_) => "Deleted the relation (Ctrl+Z brings it back).",
            _ => "Reversed the relation.",
        };
        done(doc.edit(e), said)
    }
}

fn covered(s: &Session, id: AnnotationId) -> &str {
    s.get(id).map_or("", |a| s.covered(a))
}

/// Scrolls to span `id` if it is not in view (and flashes it).
fn show(doc: &Doc, cursor: &mut Cursor, id: AnnotationId) {
    if let Some(a) = doc.session.get(id) {
        cursor.reveal = Some(super::editing::Reveal {
            pos: a.start,
            flash: Some(id),
            only_if_hidden: true,
        });
    }
}

fn done(r: Result<(), crate::model::EditError>, said: &str) -> Outcome {
    match r {
        Ok(()) => Outcome::info(said.to_owned()),
        Err(e) => Outcome::refused(e),
    }
}
