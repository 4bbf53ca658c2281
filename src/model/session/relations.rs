//! The session's relations: adding, removing and changing them, checked against the
//! annotations they join and the relation labels.

use super::Session;
use crate::model::annotation::{AnnotationId, Timestamp};
use crate::model::edit::{Edit, EditError};
use crate::model::relation::{Relation, RelationId, RelationLabel, relation_label_problems};

impl Session {
    /// Relations in id order.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.relation_index(id).ok().map(|i| &self.relations[i])
    }

    /// The relations of annotation `id` (either end), in id order: from the index, no scan.
    pub fn relations_of(&self, id: AnnotationId) -> impl Iterator<Item = &Relation> {
        let mut ids = self.relations_by_span.get(&id).cloned().unwrap_or_default();
        ids.sort_unstable();
        ids.into_iter().filter_map(|rid| self.relation(rid))
    }

    /// Whether annotation `id` has relations.
    pub fn has_relations(&self, id: AnnotationId) -> bool {
        self.relations_by_span.contains_key(&id)
    }

    fn index_add(&mut self, r: &Relation) {
        self.relation_keys.insert(Self::key(r), r.id);
        for end in [r.from, r.to] {
            self.relations_by_span.entry(end).or_default().push(r.id);
        }
    }

    fn index_remove(&mut self, r: &Relation) {
        self.relation_keys.remove(&Self::key(r));
        for end in [r.from, r.to] {
            if let Some(v) = self.relations_by_span.get_mut(&end) {
                v.retain(|&x| x != r.id);
                if v.is_empty() {
                    self.relations_by_span.remove(&end);
                }
            }
        }
    }

    pub fn relation_labels(&self) -> &[RelationLabel] {
        &self.relation_labels
    }

    pub fn relation_label(&self, name: &str) -> Option<&RelationLabel> {
        self.relation_labels.iter().find(|l| l.name == name)
    }

    /// A new relation with a fresh id, by this session's annotator, now. Not yet applied.
    pub fn new_relation(&mut self, from: AnnotationId, to: AnnotationId, label: &str) -> Relation {
        let id = RelationId(self.next_relation);
        self.next_relation += 1;
        let now = Timestamp::now();
        Relation {
            id,
            from,
            to,
            label: label.to_owned(),
            note: None,
            annotator: self.annotator.clone(),
            created: now,
            modified: now,
        }
    }

    fn relation_index(&self, id: RelationId) -> Result<usize, EditError> {
        self.relations
            .binary_search_by_key(&id, |r| r.id)
            .map_err(|_| EditError::NoSuchRelation(id))
    }

    /// Whether `r` may be added: both ends exist and differ, its label is known, and the same
    /// two spans are not already related so (either way round when direction does not
    /// matter).
    pub fn check_relation(&self, r: &Relation) -> Result<(), EditError> {
        if r.from == r.to {
            return Err(EditError::SelfRelation);
        }
        for end in [r.from, r.to] {
            // An orphan waiting for review keeps its relations too.
            if self.get(end).is_none() && !self.anchors.iter().any(|x| x.id == end) {
                return Err(EditError::NoSuchAnnotation(end));
            }
        }
        let Some(label) = self.relation_label(&r.label) else {
            return Err(EditError::UnknownRelationLabel(r.label.clone()));
        };
        let taken = |from, to| {
            self.relation_keys
                .get(&(from, to, r.label.clone()))
                .is_some_and(|&id| id != r.id)
        };
        if taken(r.from, r.to) || (!label.directed && taken(r.to, r.from)) {
            return Err(EditError::DuplicateRelation(r.label.clone()));
        }
        Ok(())
    }

    fn key(r: &Relation) -> (AnnotationId, AnnotationId, String) {
        (r.from, r.to, r.label.clone())
    }

    /// Rebuilds the indexes from the relations.
    fn rekey(&mut self) {
        self.relation_keys.clear();
        self.relations_by_span.clear();
        let all = std::mem::take(&mut self.relations);
        for r in &all {
            self.index_add(r);
        }
        self.relations = all;
    }

    pub(super) fn add_relation(&mut self, r: Relation) -> Result<Edit, EditError> {
        self.check_relation(&r)?;
        let at = match self.relations.binary_search_by_key(&r.id, |x| x.id) {
            Ok(_) => return Err(EditError::DuplicateRelationId(r.id)),
            Err(at) => at,
        };
        let id = r.id;
        self.next_relation = self.next_relation.max(id.0 + 1);
        self.index_add(&r);
        self.relations.insert(at, r);
        Ok(Edit::RemoveRelation(id))
    }

    pub(super) fn remove_relation(&mut self, id: RelationId) -> Result<Edit, EditError> {
        let i = self.relation_index(id)?;
        let r = self.relations.remove(i);
        self.index_remove(&r);
        Ok(Edit::AddRelation(r))
    }

    pub(super) fn relabel_relation(
        &mut self,
        id: RelationId,
        label: String,
        at: Timestamp,
    ) -> Result<Edit, EditError> {
        let i = self.relation_index(id)?;
        let mut changed = self.relations[i].clone();
        changed.label = label;
        self.check_relation(&changed)?;
        self.relation_keys.remove(&Self::key(&self.relations[i]));
        self.relation_keys.insert(Self::key(&changed), id);
        let r = &mut self.relations[i];
        Ok(Edit::RelabelRelation {
            id,
            label: std::mem::replace(&mut r.label, changed.label),
            at: std::mem::replace(&mut r.modified, at),
        })
    }

    pub(super) fn reverse_relation(
        &mut self,
        id: RelationId,
        at: Timestamp,
    ) -> Result<Edit, EditError> {
        let i = self.relation_index(id)?;
        let mut changed = self.relations[i].clone();
        std::mem::swap(&mut changed.from, &mut changed.to);
        self.check_relation(&changed)?;
        self.relation_keys.remove(&Self::key(&self.relations[i]));
        self.relation_keys.insert(Self::key(&changed), id);
        let r = &mut self.relations[i];
        std::mem::swap(&mut r.from, &mut r.to);
        Ok(Edit::ReverseRelation {
            id,
            at: std::mem::replace(&mut r.modified, at),
        })
    }

    pub(super) fn set_relation_note(
        &mut self,
        id: RelationId,
        note: Option<String>,
        at: Timestamp,
    ) -> Result<Edit, EditError> {
        let i = self.relation_index(id)?;
        let r = &mut self.relations[i];
        let note = note.filter(|n| !n.trim().is_empty());
        Ok(Edit::SetRelationNote {
            id,
            note: std::mem::replace(&mut r.note, note),
            at: std::mem::replace(&mut r.modified, at),
        })
    }

    pub(super) fn set_relation_labels(
        &mut self,
        labels: Vec<RelationLabel>,
    ) -> Result<Edit, EditError> {
        if let Some(p) = relation_label_problems(&labels).into_iter().next() {
            return Err(EditError::BadRelationLabels(p));
        }
        let mut used: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for r in &self.relations {
            *used.entry(r.label.as_str()).or_default() += 1;
        }
        let kept: std::collections::HashSet<&str> =
            labels.iter().map(|l| l.name.as_str()).collect();
        for l in &self.relation_labels {
            let count = used.get(l.name.as_str()).copied().unwrap_or(0);
            if count > 0 && !kept.contains(l.name.as_str()) {
                return Err(EditError::RelationLabelInUse {
                    label: l.name.clone(),
                    count,
                });
            }
        }
        // A label whose direction stops mattering may not hold the same pair both ways.
        for l in labels.iter().filter(|l| !l.directed) {
            if let Some(r) = self.relations.iter().find(|r| {
                r.label == l.name
                    && self
                        .relation_keys
                        .contains_key(&(r.to, r.from, l.name.clone()))
            }) {
                return Err(EditError::BadRelationLabels(format!(
                    "two {:?} relations join the same spans both ways ({} and its reverse): \
                     delete one before the direction stops mattering",
                    l.name, r.id
                )));
            }
        }
        Ok(Edit::SetRelationLabels(std::mem::replace(
            &mut self.relation_labels,
            labels,
        )))
    }

    /// Renames relation label `from` and every relation that carries it.
    pub(super) fn rename_relation_label(
        &mut self,
        from: String,
        to: String,
    ) -> Result<Edit, EditError> {
        let mut labels = self.relation_labels.clone();
        let Some(l) = labels.iter_mut().find(|l| l.name == from) else {
            return Err(EditError::UnknownRelationLabel(from));
        };
        l.name.clone_from(&to);
        if let Some(p) = relation_label_problems(&labels).into_iter().next() {
            return Err(EditError::BadRelationLabels(p));
        }
        self.relation_labels = labels;
        for r in self.relations.iter_mut().filter(|r| r.label == from) {
            r.label.clone_from(&to);
        }
        self.rekey();
        Ok(Edit::RenameRelationLabel { from: to, to: from })
    }

    /// Takes relation review item `i` off the list (decided).
    pub(super) fn settle_relation_review(&mut self, i: usize) -> Result<Edit, EditError> {
        if i >= self.relation_review.len() {
            return Err(EditError::NoSuchRelationReview(i));
        }
        let item = Box::new(self.relation_review.remove(i));
        Ok(Edit::UnsettleRelationReview(i, item))
    }

    pub(super) fn unsettle_relation_review(
        &mut self,
        i: usize,
        item: super::RelationReview,
    ) -> Result<Edit, EditError> {
        if i > self.relation_review.len() {
            return Err(EditError::NoSuchRelationReview(i));
        }
        self.relation_review.insert(i, item);
        Ok(Edit::SettleRelationReview(i))
    }

    /// What a relation may join: the annotations, and the orphans waiting for review.
    fn end_ids(&self) -> std::collections::HashSet<AnnotationId> {
        self.annotations
            .iter()
            .map(|a| a.id)
            .chain(self.anchors.iter().map(|r| r.id))
            .collect()
    }

    /// Takes `old`'s relations whose two ends are here (annotations, or orphans waiting for
    /// review), with the ids they had.
    pub fn carry_relations(&mut self, old: &Session) {
        let ids = self.end_ids();
        self.relations = old
            .relations
            .iter()
            .filter(|r| ids.contains(&r.from) && ids.contains(&r.to))
            .cloned()
            .collect();
        self.relation_labels = old.relation_labels.clone();
        self.next_relation = self.next_relation.max(old.next_relation);
        self.rekey();
        self.version = super::next_version();
    }

    /// Takes out annotation `id`'s relations (from the index), in id order.
    pub(super) fn take_relations_of(&mut self, id: AnnotationId) -> Vec<Relation> {
        let Some(mut ids) = self.relations_by_span.get(&id).cloned() else {
            return Vec::new();
        };
        ids.sort_unstable();
        ids.dedup();
        let mut gone = Vec::with_capacity(ids.len());
        for rid in ids {
            if let Ok(i) = self.relation_index(rid) {
                let r = self.relations.remove(i);
                self.index_remove(&r);
                gone.push(r);
            }
        }
        gone
    }

    /// Takes out the relations `which` picks (one pass), in id order.
    pub(super) fn take_relations(&mut self, which: impl Fn(&Relation) -> bool) -> Vec<Relation> {
        if self.relations.is_empty() {
            return Vec::new();
        }
        let gone: Vec<Relation> = self.relations.extract_if(.., |r| which(r)).collect();
        for r in &gone {
            self.index_remove(r);
        }
        gone
    }

    /// Builds the relations of a loaded session, checking each (its ends may also be
    /// orphaned annotations waiting for review): the problems, by relation id.
    pub fn with_relations(
        mut self,
        labels: Vec<RelationLabel>,
        mut relations: Vec<Relation>,
    ) -> Result<Self, Vec<(RelationId, String)>> {
        let mut problems: Vec<(RelationId, String)> = relation_label_problems(&labels)
            .into_iter()
            .map(|p| (RelationId(0), p))
            .collect();
        let ids = self.end_ids();
        let names: std::collections::HashSet<&str> =
            labels.iter().map(|l| l.name.as_str()).collect();
        let undirected: std::collections::HashSet<&str> = labels
            .iter()
            .filter(|l| !l.directed)
            .map(|l| l.name.as_str())
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut pairs = std::collections::HashSet::new();
        for r in &relations {
            let problem = if !seen.insert(r.id) {
                Some(format!("relation id {} is used twice", r.id.0))
            } else if r.from == r.to {
                Some(format!(
                    "relation {} joins annotation {} to itself",
                    r.id.0, r.from.0
                ))
            } else if let Some(end) = [r.from, r.to].into_iter().find(|e| !ids.contains(e)) {
                Some(format!(
                    "relation {} names annotation {}, which does not exist",
                    r.id.0, end.0
                ))
            } else if !names.contains(r.label.as_str()) {
                Some(format!(
                    "relation {}: relation label {:?} is not among the relation labels",
                    r.id.0, r.label
                ))
            } else if !pairs.insert((r.from, r.to, r.label.as_str()))
                || (undirected.contains(r.label.as_str())
                    && pairs.contains(&(r.to, r.from, r.label.as_str())))
            {
                Some(format!(
                    "relation {}: the same two spans are already related as {}",
                    r.id.0, r.label
                ))
            } else {
                None
            };
            problems.extend(problem.map(|p| (r.id, p)));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        relations.sort_by_key(|r| r.id);
        self.next_relation = relations
            .last()
            .map_or(self.next_relation, |r| self.next_relation.max(r.id.0 + 1));
        self.relations = relations;
        self.relation_labels = labels;
        self.rekey();
        self.version = super::next_version();
        Ok(self)
    }
}
