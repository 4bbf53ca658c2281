//! Long runs of adds or removes in a batch (import, tag all, accept all, merge, undo of any
//! of them): checked together and applied in one pass instead of a shift of the list per edit.

use super::Session;
use super::ids::{IdBuild, IdSet};
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::edit::{Edit, EditError};

/// Batches with more than this many adds (or removes) in a row take the bulk path: validate
/// all, then one sort (or one pass) instead of a shift of the list per edit.
pub(super) const BULK: usize = 16;

/// How a batch is cut: long runs of adds or of removes go in bulk, the rest one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Run {
    Adds(usize),
    Removes(usize),
    One,
}

pub(super) fn runs(edits: &[Edit]) -> Vec<Run> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < edits.len() {
        let same = |f: fn(&Edit) -> bool| edits[i..].iter().take_while(|e| f(e)).count();
        let adds = same(|e| matches!(e, Edit::Add(_)));
        let removes = same(|e| matches!(e, Edit::Remove(_)));
        let (run, n) = if adds > BULK {
            (Run::Adds(adds), adds)
        } else if removes > BULK {
            (Run::Removes(removes), removes)
        } else {
            (Run::One, 1)
        };
        out.push(run);
        i += n;
    }
    out
}

impl Session {
    /// Adds many annotations at once: each checked as a single add would be (against the
    /// session and the others in the run), then one merge into the list. On the first that
    /// fails nothing changes. Returns the inverses (removes, in any order).
    pub(super) fn add_all(&mut self, mut adds: Vec<Annotation>) -> Result<Vec<Edit>, EditError> {
        // In document order (a tag-all already is: no work), the same span and label twice
        // in the batch sit side by side.
        adds.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let keys: Vec<(usize, usize, &str)> = adds
            .iter()
            .map(|a| (a.start, a.end, a.label.as_str()))
            .collect();
        let tagged = self.already_tagged(&keys);
        // Fresh ids (from `new_annotation`) rise and are at or above `next_id`: no lookup.
        let fresh = adds
            .iter()
            .try_fold(self.next_id, |low, a| (a.id.0 >= low).then_some(a.id.0 + 1))
            .is_some();
        let mut ids = IdSet::default();
        for (i, (a, dup)) in adds.iter().zip(tagged).enumerate() {
            self.check_bounds_and_label(a.start, a.end, &a.label)?;
            let twin = i
                .checked_sub(1)
                .map(|p| &adds[p])
                .filter(|b| (b.start, b.end, &b.label) == (a.start, a.end, &a.label));
            if let Some(existing) = dup.or_else(|| twin.map(|b| b.id)) {
                return Err(EditError::Duplicate {
                    label: a.label.clone(),
                    text: self.document.slice(a.range()).unwrap_or("").to_owned(),
                    existing,
                });
            }
            if !fresh && (self.bounds.contains_key(&a.id) || !ids.insert(a.id)) {
                return Err(EditError::DuplicateId(a.id));
            }
        }
        drop(keys);
        let inverses = adds.iter().map(|a| Edit::Remove(a.id)).collect();
        self.bounds.reserve(adds.len());
        for a in &adds {
            self.next_id = self.next_id.max(a.id.0 + 1);
            self.bounds.insert(a.id, (a.start, a.end));
        }
        self.count_runs(adds.iter(), 1);
        self.work.add(self.annotations.len() + adds.len());
        self.merge_in(adds);
        Ok(inverses)
    }

    /// Merges `adds` (sorted) into the sorted list in place, from the back: each annotation
    /// after the first insertion point moves once, with no scratch copy of the list (a sort of
    /// the appended list would allocate half of it).
    fn merge_in(&mut self, mut adds: Vec<Annotation>) {
        let mut old = self.annotations.len();
        self.annotations
            .resize_with(old + adds.len(), Annotation::placeholder);
        for to in (0..self.annotations.len()).rev() {
            let Some(new) = adds.last() else {
                break; // what is left of the old list is already in place
            };
            let take_old = old > 0 && self.annotations[old - 1].sort_key() > new.sort_key();
            if take_old {
                self.annotations.swap(to, old - 1);
                old -= 1;
            } else if let Some(new) = adds.pop() {
                self.annotations[to] = new;
            }
        }
    }

    /// Removes many annotations in one pass. Fails (changing nothing) on the first id that
    /// is not there, or is named twice, as removing them one by one would.
    pub(super) fn remove_all(&mut self, ids: Vec<AnnotationId>) -> Result<Vec<Edit>, EditError> {
        let mut gone = IdSet::with_capacity_and_hasher(ids.len(), IdBuild::default());
        if let Some(&twice) = ids.iter().find(|&&id| !gone.insert(id)) {
            return Err(EditError::NoSuchAnnotation(twice));
        }
        // Few: each id leaves the index as it is checked. Many: one pass over the index
        // afterwards, in memory order (a lookup per id would be a cache miss per id).
        let few = ids.len() * 8 < self.annotations.len();
        if few {
            let mut taken = Vec::with_capacity(ids.len());
            for &id in &ids {
                match self.bounds.remove(&id) {
                    Some(bounds) => taken.push((id, bounds)),
                    None => {
                        self.bounds.extend(taken);
                        return Err(EditError::NoSuchAnnotation(id));
                    }
                }
            }
        }
        self.work.add(self.annotations.len());
        // One pass, in place; the order of what stays is kept. The inverses (adds) come in
        // document order: adds in any order make the same session.
        let mut inverses = Vec::with_capacity(ids.len());
        inverses.extend(
            self.annotations
                .extract_if(.., |a| gone.contains(&a.id))
                .map(Edit::Add),
        );
        if !few {
            if inverses.len() < ids.len() {
                // Some id is not there: put back what was taken, name the first missing one.
                let missing = ids.iter().find(|id| !self.bounds.contains_key(id)).copied();
                self.annotations
                    .extend(inverses.into_iter().filter_map(|e| match e {
                        Edit::Add(a) => Some(a),
                        _ => None,
                    }));
                self.annotations
                    .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
                return Err(EditError::NoSuchAnnotation(missing.unwrap_or(ids[0])));
            }
            self.bounds.retain(|id, _| !gone.contains(id));
        }
        self.count_runs(
            inverses.iter().filter_map(|e| match e {
                Edit::Add(a) => Some(a),
                _ => None,
            }),
            -1,
        );
        // Their relations go with them (one pass), and come back after them, in one step.
        let related = self.take_relations(|r| gone.contains(&r.from) || gone.contains(&r.to));
        if !related.is_empty() {
            inverses.extend(related.into_iter().map(Edit::AddRelation));
            return Ok(vec![Edit::Batch(inverses)]);
        }
        Ok(inverses)
    }
}
