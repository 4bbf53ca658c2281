//! Carrying a change of a project's labels (span labels and relation labels) to one of its
//! sessions: what the change removes goes into a stash, so that undoing it brings it back.

use crate::io::project::{DocEntry, ProjectFile};
use crate::model::{Annotation, Edit, Relation, Session};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a label change removed from a session, by (session path, label, whether it is a
/// relation label): the annotations of a span label (with the relations that went with
/// them), or the relations of a relation label.
pub type Stash = HashMap<(PathBuf, String, bool), Stashed>;

#[derive(Clone, Debug, Default)]
pub struct Stashed {
    pub annotations: Vec<Annotation>,
    pub relations: Vec<Relation>,
}

impl Stashed {
    /// The edits that put it back: the annotations, then the relations whose two ends are
    /// there (in `s` or among the annotations coming back) and that are not related so
    /// already; one whose id was given to a relation made since gets a fresh id.
    fn restore(self, s: &Session) -> Vec<Edit> {
        let back: std::collections::HashSet<_> = self.annotations.iter().map(|a| a.id).collect();
        let here = |id| back.contains(&id) || s.get(id).is_some();
        let related = |r: &Relation| {
            let either_way = s.relation_label(&r.label).is_some_and(|l| !l.directed);
            s.relations_of(r.from).any(|x| {
                x.label == r.label
                    && ((x.from, x.to) == (r.from, r.to)
                        || either_way && (x.from, x.to) == (r.to, r.from))
            })
        };
        let mut next = s.relations().iter().map(|r| r.id.0 + 1).max().unwrap_or(1);
        next = next.max(self.relations.iter().map(|r| r.id.0 + 1).max().unwrap_or(1));
        let mut edits: Vec<Edit> = self.annotations.into_iter().map(Edit::Add).collect();
        for mut r in self.relations {
            if !here(r.from) || !here(r.to) || related(&r) {
                continue;
            }
            if s.relation(r.id).is_some() {
                r.id = crate::model::RelationId(next);
                next += 1;
            }
            edits.push(Edit::AddRelation(r));
        }
        edits
    }
}

/// The edit that carries a change of the project's labels (from `prev`) to session `s` at
/// `path`. Labels the change removes take their annotations (or relations) with them into
/// `stash`; labels it brings back get theirs back. `None` when the session is not affected.
pub fn label_edit_for(
    s: &Session,
    edit: &Edit,
    prev: &ProjectFile,
    path: &Path,
    stash: &mut Stash,
) -> Option<Edit> {
    match edit {
        Edit::Batch(edits) => {
            // Each part sees the state the parts before it leave.
            let mut s = s.clone();
            let mut out = Vec::new();
            for e in edits {
                if let Some(part) = label_edit_for(&s, e, prev, path, stash) {
                    s.apply(part.clone()).ok()?;
                    out.push(part);
                }
            }
            (!out.is_empty()).then_some(Edit::Batch(out))
        }
        Edit::RenameLabel { from, .. } => s.labels().contains(from).then(|| edit.clone()),
        Edit::RenameRelationLabel { from, .. } => {
            s.relation_label(from).is_some().then(|| edit.clone())
        }
        Edit::SetLabels(new) => span_labels(s, new, prev, path, stash),
        Edit::SetRelationLabels(new) => relation_labels(s, new, prev, path, stash),
        _ => None,
    }
}

fn span_labels(
    s: &Session,
    new: &crate::model::LabelSet,
    prev: &ProjectFile,
    path: &Path,
    stash: &mut Stash,
) -> Option<Edit> {
    let old = s.labels();
    let mut target = new.clone();
    let mut edits = Vec::new();
    for l in old.iter() {
        // A label of this session alone (not the project's) is not the project's to remove.
        if !prev.labels.contains(&l.name) {
            if !target.contains(&l.name) {
                target.add_met(&l.name, Some(l.color));
            }
            continue;
        }
        if !new.contains(&l.name) {
            let gone: Vec<Annotation> = s
                .annotations()
                .iter()
                .filter(|a| a.label == l.name)
                .cloned()
                .collect();
            let ids: std::collections::HashSet<_> = gone.iter().map(|a| a.id).collect();
            let relations: Vec<Relation> = s
                .relations()
                .iter()
                .filter(|r| ids.contains(&r.from) || ids.contains(&r.to))
                .cloned()
                .collect();
            edits.extend(gone.iter().map(|a| Edit::Remove(a.id)));
            if !gone.is_empty() {
                let key = (path.to_owned(), l.name.clone(), false);
                stash.insert(
                    key,
                    Stashed {
                        annotations: gone,
                        relations,
                    },
                );
            }
        }
    }
    let unchanged = *old == target;
    edits.push(Edit::SetLabels(target));
    for l in new.iter() {
        if !old.contains(&l.name)
            && let Some(back) = stash.remove(&(path.to_owned(), l.name.clone(), false))
        {
            edits.extend(back.restore(s));
        }
    }
    (!unchanged || edits.len() > 1).then_some(Edit::Batch(edits))
}

fn relation_labels(
    s: &Session,
    new: &[crate::model::RelationLabel],
    prev: &ProjectFile,
    path: &Path,
    stash: &mut Stash,
) -> Option<Edit> {
    let old = s.relation_labels();
    let mut target = new.to_vec();
    let mut edits = Vec::new();
    let has =
        |list: &[crate::model::RelationLabel], name: &str| list.iter().any(|l| l.name == name);
    for l in old {
        if !has(&prev.relation_labels, &l.name) {
            if !has(&target, &l.name) {
                let mut l = l.clone();
                if target
                    .iter()
                    .any(|t| t.hotkey.is_some() && t.hotkey == l.hotkey)
                {
                    l.hotkey = None;
                }
                target.push(l);
            }
            continue;
        }
        if !has(new, &l.name) {
            let gone: Vec<Relation> = s
                .relations()
                .iter()
                .filter(|r| r.label == l.name)
                .cloned()
                .collect();
            edits.extend(gone.iter().map(|r| Edit::RemoveRelation(r.id)));
            if !gone.is_empty() {
                let key = (path.to_owned(), l.name.clone(), true);
                stash.insert(
                    key,
                    Stashed {
                        annotations: Vec::new(),
                        relations: gone,
                    },
                );
            }
        }
    }
    let unchanged = old == target.as_slice();
    edits.push(Edit::SetRelationLabels(target));
    for l in new {
        if !has(old, &l.name)
            && let Some(back) = stash.remove(&(path.to_owned(), l.name.clone(), true))
        {
            edits.extend(back.restore(s));
        }
    }
    (!unchanged || edits.len() > 1).then_some(Edit::Batch(edits))
}

/// Carries a label change of the project to the session of `d` on disk.
pub(super) fn carry_to(
    d: &mut DocEntry,
    edit: &Edit,
    prev: &ProjectFile,
    stash: &mut Stash,
) -> Result<(), String> {
    let mut s = crate::io::load_session(&d.session).map_err(|e| e.lines().join("; "))?;
    let Some(e) = label_edit_for(&s, edit, prev, &d.session, stash) else {
        return Ok(());
    };
    s.apply(e)
        .map_err(|e| format!("{}: {e}", d.session.display()))?;
    crate::io::save_session(&d.session, &mut s).map_err(|e| e.to_string())?;
    d.update_from(&s);
    Ok(())
}
