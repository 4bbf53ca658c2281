//! The workspace: everything the person works on and every rule about it, with no window.
//! The open document (load, save, journal and recovery, external change, time worked), the
//! cursor and the edits made at it, the project and its label history, find, suggestions,
//! curation, and export/import jobs. It never imports egui, eframe or rfd: the window draws
//! it and calls it; tests drive it as a plain value, with time passed in.
//!
//! Each part owns its state and rules and returns an [`Outcome`]: the cursor and its edits
//! (`editing`), `find`, `suggest`ions, `curation`, the re-anchoring `review`, the `project`
//! and its label history. `Workspace` keeps the open document, the parts and the routing
//! ([`Workspace::run`]); only [`Workspace::say`] writes the status line, the prompt and the
//! requests, so that each message is said once. Edits journal themselves (`Doc::edit`); a
//! frame is: handle input, then [`Workspace::tick`].

pub mod carry;
pub mod curation;
pub mod doc;
pub mod editing;
pub mod find;
pub mod gitview;
pub mod journal;
pub mod labels;
pub mod learned;
pub mod notice;
pub mod project;
pub mod relate;
pub mod review;
pub mod shared;
pub mod suggest;
pub mod transfer;

pub use curation::{Chip, ChipKind, Curation, MAX_VERSIONS};
pub use doc::{Doc, SAMPLE_NAME, SAMPLE_TEXT};
pub use editing::{CaretMove, Cursor, EditOp, Motion, Reveal, ellipsize};
pub use find::{Find, FindOp};
pub use labels::{LabelOp, RelationLabelOp};
pub use notice::{Answer, External, Next, Outcome, Prompt, Request, Status};
pub use project::{Project, ProjectOp};
pub use relate::{Relate, RelateOp};
use review::Arrived;
pub use review::Review;
pub use shared::{Direction, Tick};
pub use suggest::{Suggest, SuggestOp, SuggestionKey, Wake};

use crate::model::reanchor::Reanchored;
use std::path::{Path, PathBuf};

/// How many recent files are remembered.
const MAX_RECENT: usize = 10;
/// How often the session file is checked for changes by other programs (seconds).
const DISK_CHECK_EVERY: f64 = 1.0;
/// Input within this many seconds counts as working.
const ACTIVE_WINDOW: f64 = 60.0;

/// What the person asks of a part of the workspace; [`Workspace::run`] routes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Edit(EditOp),
    Find(FindOp),
    Suggest(SuggestOp),
    /// Alt+1, Alt+2…: the current difference as annotator `k` (0 = A) made it.
    TakeVersion(usize),
    /// Takes (true) or drops relation difference `i` of the merged session.
    DecideRelation(usize, bool),
    Project(ProjectOp),
    Relate(RelateOp),
}

impl From<RelateOp> for Op {
    fn from(o: RelateOp) -> Self {
        Op::Relate(o)
    }
}

impl From<EditOp> for Op {
    fn from(o: EditOp) -> Self {
        Op::Edit(o)
    }
}

impl From<FindOp> for Op {
    fn from(o: FindOp) -> Self {
        Op::Find(o)
    }
}

impl From<SuggestOp> for Op {
    fn from(o: SuggestOp) -> Self {
        Op::Suggest(o)
    }
}

impl From<ProjectOp> for Op {
    fn from(o: ProjectOp) -> Self {
        Op::Project(o)
    }
}

/// What the workspace tells the person and asks of the window, as [`Workspace::say`] left it.
#[derive(Default)]
pub struct Notices {
    pub status: Option<Status>,
    pub prompt: Option<Prompt>,
    requests: Vec<Request>,
}

/// The workspace's own clock: time worked and the check for changes on disk.
struct Clock {
    now: f64,
    last_disk_check: f64,
    last_input: f64,
}

pub struct Workspace {
    pub doc: Doc,
    /// The cursor, and the edits made at it.
    pub cursor: Cursor,
    pub project: Option<Project>,
    pub find: Find,
    pub suggest: Suggest,
    pub curation: Curation,
    pub review: Review,
    /// The relation being made, and the one picked.
    pub relate: Relate,
    /// Trains the learned suggestions' model in the background.
    pub trainer: learned::Trainer,
    pub notices: Notices,
    /// Articles, sessions and folders opened, newest first.
    pub recent: Vec<PathBuf>,
    /// Who makes new annotations.
    annotator: String,
    /// A folder of our own for journals whose document folder cannot be written.
    data_dir: Option<PathBuf>,
    /// What to do after a save that the unsaved-changes prompt started.
    after_save: Option<Next>,
    clock: Clock,
}

impl Workspace {
    /// A workspace on the bundled sample article. `data_dir` holds journals that cannot go
    /// beside their document (and the sample's); `recent` is what was opened before.
    pub fn new(data_dir: Option<PathBuf>, recent: Vec<PathBuf>) -> Self {
        let annotator = crate::model::default_annotator();
        Self {
            doc: Doc::sample(annotator.clone()),
            cursor: Cursor::default(),
            project: None,
            find: Find::default(),
            suggest: Suggest::default(),
            curation: Curation::default(),
            review: Review::default(),
            relate: Relate::default(),
            trainer: learned::Trainer::default(),
            notices: Notices::default(),
            recent,
            annotator,
            data_dir,
            after_save: None,
            clock: Clock {
                now: 0.0,
                last_disk_check: f64::NEG_INFINITY,
                last_input: f64::NEG_INFINITY,
            },
        }
    }

    /// Opens `path`, or starts on the sample (recovering its journal).
    pub fn start(&mut self, path: Option<&Path>) {
        match path {
            Some(p) => self.open(p),
            None => {
                let found = self.doc.recover_and_start_journal(self.data_dir.as_deref());
                self.say(journal::report(found));
                if self.notices.prompt.is_none() {
                    self.say(Outcome::info("Sample article: select text and press 1 (actor), 2 (topic) or 3 (date). F1 lists every shortcut."));
                }
            }
        }
    }

    /// The one place the status line, the prompt and the requests are written.
    pub fn say(&mut self, o: Outcome) {
        if o.status.is_some() {
            self.notices.status = o.status;
        }
        if o.prompt.is_some() {
            self.notices.prompt = o.prompt;
        }
        self.notices.requests.extend(o.requests);
    }

    /// Closes the prompt (an informational one, or one the window answered itself).
    pub fn close_prompt(&mut self) {
        self.notices.prompt = None;
    }

    /// What the window must do for the workspace, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.notices.requests)
    }

    /// Does what the person asked of a part, and says what happened.
    pub fn run(&mut self, op: impl Into<Op>) {
        let outcome = match op.into() {
            Op::Edit(e) => self.cursor.run(e, &mut self.doc),
            Op::Find(f) => self.find.run(f, &mut self.doc, &mut self.cursor),
            Op::Suggest(s) => self.suggestion(s),
            Op::TakeVersion(k) => self.take_version(k),
            Op::DecideRelation(i, take) => curation::decide_relation(i, take, &mut self.doc),
            Op::Project(p) => self.project_op(p),
            Op::Relate(r) => self.relate.run(r, &mut self.doc, &mut self.cursor),
        };
        self.say(outcome);
        self.carry_effects();
    }

    /// Suggestions, with what goes before them: spans re-anchoring could not carry unchanged
    /// are walked and decided first.
    fn suggestion(&mut self, op: SuggestOp) -> Outcome {
        let (doc, cursor, curation) = (&mut self.doc, &mut self.cursor, &self.curation);
        let reviewing = self.review.current(doc).is_some();
        match op {
            SuggestOp::Step(dir) if !doc.session.anchors.is_empty() => {
                self.suggest.forget_current();
                self.review.step(doc, cursor, dir)
            }
            SuggestOp::Accept if reviewing => self.review.keep(doc, cursor),
            SuggestOp::Reject if reviewing => self.review.drop(doc, cursor),
            op => self.suggest.run(op, doc, cursor, curation),
        }
    }

    /// Alt+1, Alt+2…: the current difference as annotator `k` made it; then on to the next
    /// difference, as Tab would.
    fn take_version(&mut self, k: usize) -> Outcome {
        self.curation.refresh(&self.doc);
        let s = &self.doc.session;
        let at = self
            .curation
            .current(s, self.suggest.current(), self.cursor.caret);
        let (took, end) = match self.curation.take_version(k, at, &mut self.doc) {
            Ok(t) => t,
            Err(said) => return said,
        };
        self.suggest.forget_current();
        self.cursor.caret = Some(end);
        self.refresh_derived();
        let next = self.curation.next_from(&self.doc.session, end);
        let Some(i) = next.and_then(|key| self.suggest.position(&key)) else {
            return took;
        };
        let (doc, cursor, curation) = (&self.doc, &mut self.cursor, &self.curation);
        let _ = self.suggest.select(i, doc, cursor, curation);
        // The keys were said before; what is next is what matters.
        let then = self
            .suggest
            .current()
            .and_then(|g| curation.describe(&doc.session, g, false));
        match (took.status, then) {
            (Some(t), Some(then)) => Outcome::info(format!("{} Next: {then}", t.text)),
            (t, _) => Outcome {
                status: t,
                ..Outcome::none()
            },
        }
    }

    /// Carries what edits did beyond the open document: a new edit ends the project's label
    /// redo; label changes go to the project's other documents.
    fn carry_effects(&mut self) {
        let fx = self.doc.take_effects();
        let Some(p) = &mut self.project else {
            return;
        };
        if fx.fresh {
            p.label_redo.clear();
        }
        let mut failed = Outcome::none();
        for e in fx.labels {
            let prev = p.file.clone();
            failed = failed.then(p.spread_labels(&e, &prev, &self.doc));
        }
        self.say(failed);
    }

    /// Opens a project folder, an article or a session; on failure says why and keeps the
    /// current document.
    pub fn open(&mut self, path: &Path) {
        if path.is_dir() {
            self.open_folder(path);
            return;
        }
        // An article or session outside the open project closes the project.
        if let Some(p) = &self.project
            && !path.starts_with(&p.folder)
        {
            self.project = None;
        }
        let loaded = match doc::load_doc(path, self.annotator.clone()) {
            Ok(l) => l,
            Err(e) => return self.say(Outcome::fail(e.to_string())),
        };
        match loaded.changed_article {
            // Which text its journal belongs to waits for the answer: a run that crashed
            // after re-anchoring left one for the new text.
            Some(article) => {
                self.set_doc(loaded.doc);
                let asked = self.review.ask(&self.doc, article);
                self.say(asked);
            }
            None => {
                self.set_doc(loaded.doc);
                self.recover_journal();
            }
        }
        remember(&mut self.recent, path);
        if let Some(p) = &mut self.project {
            p.locate(path, self.doc.session_path.as_deref());
        }
        if !matches!(self.notices.prompt, Some(Prompt::Info(_))) {
            self.say(if loaded.warning {
                Outcome::error(loaded.message)
            } else {
                Outcome::info(loaded.message)
            });
        }
    }

    /// Saves what is worth saving before another document replaces this one; in a project
    /// that never asks. Returns false if the document must stay (its save failed).
    pub fn leave_current(&mut self) -> bool {
        self.doc.count_active_time();
        if self.in_project() && self.doc.worth_saving() {
            return self.save();
        }
        true
    }

    /// An open project, and a document of it that has a file.
    fn in_project(&self) -> bool {
        self.project.is_some() && self.doc.session_path.is_some()
    }

    /// Makes `doc` the open document (its journal stops; the writer flushes on drop), without
    /// its journal yet: [`Workspace::recover_journal`] replays what it left and journals on.
    fn set_doc(&mut self, doc: Doc) {
        self.doc = doc;
        self.forget_places();
        if let Some(p) = &self.project {
            p.adopt_into(&mut self.doc);
        }
    }

    /// The text was replaced: nothing points into the old one.
    fn forget_places(&mut self) {
        self.cursor = Cursor::default();
        self.relate = Relate::default();
        self.suggest.forget_current();
        self.find.forget_current();
        self.review.current = None;
    }

    /// Replays what a journal a crashed run left holds for this document (and this text of
    /// it), then journals from here; says what was found.
    fn recover_journal(&mut self) {
        let found = self.doc.recover_and_start_journal(self.data_dir.as_deref());
        let recovered = found
            .iter()
            .any(|f| matches!(f, journal::Found::Replayed { .. }));
        if recovered
            && let Some(p) = &mut self.project
            && let Some(path) = &self.doc.session_path
        {
            // The list shows what the document holds now, recovered edits included.
            p.update_entry(path, &self.doc.session);
        }
        self.say(journal::report(found));
    }

    /// Saves to the session path; returns false if it could not (or must ask where first).
    pub fn save(&mut self) -> bool {
        let Some(path) = self.doc.session_path.clone() else {
            self.ask_where_to_save();
            return false;
        };
        self.save_to(&path)
    }

    /// Save As: asks where.
    pub fn ask_where_to_save(&mut self) {
        let r = Request::PickSave {
            file_name: self.doc.suggested_file_name(),
            folder: self.doc.folder(),
        };
        self.say(Outcome::request(r));
    }

    /// Saves to `path`; says what happened.
    pub fn save_to(&mut self, path: &Path) -> bool {
        let saved = self.doc.save_and_journal(path, self.data_dir.as_deref());
        if saved.is_ok() {
            if let Some(p) = &mut self.project {
                p.update_entry(path, &self.doc.session);
            }
            remember(&mut self.recent, path);
        }
        let ok = saved.is_ok();
        self.say(doc::save_outcome(saved, path, &self.doc));
        ok
    }

    /// The save dialog's answer: save at the path picked, then do what was waiting for the
    /// save; cancelled (`None`), what waited for it is dropped.
    pub fn save_as(&mut self, picked: Option<PathBuf>) {
        let Some(path) = picked else {
            self.after_save = None;
            return;
        };
        let path = doc::with_session_suffix(path);
        if self.save_to(&path)
            && let Some(next) = self.after_save.take()
        {
            self.continue_with(next);
        }
    }

    /// The answer to "changed on disk": reload theirs, or keep ours (saving writes ours).
    pub fn resolve_external(&mut self, answer: External) {
        self.notices.prompt = None;
        let Some(path) = self.doc.session_path.clone() else {
            return;
        };
        let said = match answer {
            External::ReloadTheirs => match Doc::reload(&path, self.doc.name.clone()) {
                Ok(new) => {
                    self.doc = new;
                    self.cursor = Cursor::default();
                    self.relate = Relate::default();
                    // The old journal was for the old file.
                    self.doc.start_journal(self.data_dir.as_deref());
                    Outcome::info(format!("Reloaded {} from disk.", path.display()))
                }
                Err(e) => Outcome::fail(format!("Could not reload; your version is kept.\n\n{e}")),
            },
            External::KeepMine => {
                self.doc.keep_mine();
                Outcome::info("Kept your version; saving will replace the one on disk.")
            }
        };
        self.say(said);
    }

    /// Does `next` now, or asks first when there are unsaved changes.
    pub fn guard(&mut self, next: Next) {
        if self.in_project() {
            // In a project, leaving a document saves it.
            if self.leave_current() {
                self.continue_with(next);
            }
        } else if self.doc.dirty() {
            self.say(Outcome::ask(Prompt::Unsaved(next)));
        } else {
            self.continue_with(next);
        }
    }

    fn continue_with(&mut self, next: Next) {
        match next {
            Next::Quit => self.say(Outcome::request(Request::Close)),
            Next::Open(p) => self.open(&p),
            Next::Compare(p) => self.compare_with(&p),
            Next::OpenDialog => self.say(Outcome::request(Request::PickOpen)),
        }
    }

    /// The answer to the unsaved-changes prompt.
    pub fn answer(&mut self, answer: Answer) {
        let Some(Prompt::Unsaved(next)) = self.notices.prompt.take() else {
            return;
        };
        match answer {
            Answer::Cancel => {}
            Answer::Discard => self.continue_with(next),
            Answer::Save => {
                if self.doc.session_path.is_none() {
                    self.after_save = Some(next);
                    self.ask_where_to_save();
                } else if self.save() {
                    self.continue_with(next);
                }
            }
        }
    }

    /// The window is asked to close: true if it may. In a project closing saves, as
    /// switching does; elsewhere unsaved changes are asked about first.
    pub fn close_requested(&mut self) -> bool {
        if self.in_project() {
            self.leave_current()
        } else if self.doc.dirty() {
            self.say(Outcome::ask(Prompt::Unsaved(Next::Quit)));
            false
        } else {
            true
        }
    }

    /// Compares the open session with the session at `path` (see [`curation::compare`]).
    pub fn compare_with(&mut self, path: &Path) {
        let (curated, compared) = match curation::compare(&self.doc, path, &self.annotator) {
            Ok(c) => c,
            Err(e) => return self.say(Outcome::fail(e)),
        };
        // A comparison stands on its own, outside any project.
        self.project = None;
        self.set_doc(curated);
        self.recover_journal();
        self.curation.refresh(&self.doc);
        self.say(compared.said(self.curation.differences().len()));
    }

    /// The answer to [`Prompt::ArticleChanged`]: re-anchor, or keep the saved text open.
    pub fn answer_article_changed(&mut self, reanchor: bool) {
        if matches!(self.notices.prompt, Some(Prompt::ArticleChanged { .. })) {
            self.notices.prompt = None;
        }
        let ready = self.review.answer(reanchor);
        if reanchor && self.review.working() {
            // Carried out when it arrives (`tick`); until then the question says so.
            self.say(Outcome::ask(Review::waiting_prompt(&self.doc)));
            return;
        }
        let Some(r) = ready else {
            if !reanchor {
                self.recover_journal();
            }
            return;
        };
        if !reanchor {
            self.recover_journal();
            if self.notices.prompt.is_none() {
                self.say(Outcome::info(
                    "This is the text saved in the session; the article on disk differs (open it again to re-anchor).",
                ));
            }
            return;
        }
        self.adopt_reanchored(r);
    }

    /// The re-anchored session replaces the saved one (one undoable step).
    fn adopt_reanchored(&mut self, r: Box<Reanchored>) {
        let said = doc::reanchored_outcome(&r);
        self.doc.adopt_reanchored(r.session);
        self.forget_places();
        // A run that crashed after re-anchoring left a journal for this text: replayed here.
        self.recover_journal();
        self.say(said);
    }

    /// Learned suggestions: once tagging pauses, the model is trained again (in the
    /// background) from the project's sessions and the open document; a finished one
    /// replaces the last.
    fn learn(&mut self, now: f64) -> Wake {
        if let Some(model) = self.trainer.poll() {
            self.suggest.set_model(model);
        }
        // Looked at only when due: listing the project's sessions is not a per-frame cost.
        if self.suggest.show
            && now - self.clock.last_input >= learned::TRAIN_PAUSE
            && self.trainer.due(&self.doc.session)
        {
            let own = self.doc.session_path.clone();
            let others = self.project.as_ref().map_or_else(Vec::new, |p| {
                p.docs
                    .iter()
                    .filter(|d| Some(&d.session) != own.as_ref() && d.session.exists())
                    .map(|d| d.session.clone())
                    .collect()
            });
            self.trainer
                .start_if_due(&self.doc.session, others, self.suggest.min_score);
        }
        if self.trainer.running() {
            Wake::default().min(0.1)
        } else {
            Wake::default().min(learned::TRAIN_PAUSE)
        }
    }

    /// A long document's re-anchoring that arrived: carried out if chosen, else the question
    /// now says what changed. Until it arrives, the window is asked again soon.
    fn poll_reanchoring(&mut self) -> Wake {
        let Some(arrived) = self.review.poll(&self.doc) else {
            return Wake(self.review.working().then_some(0.05));
        };
        if matches!(self.notices.prompt, Some(Prompt::ArticleChanged { .. })) {
            self.notices.prompt = None;
        }
        match arrived {
            Arrived::Adopt(r) => self.adopt_reanchored(r),
            Arrived::Ask(p) => self.say(Outcome::ask(p)),
            Arrived::Failed => {
                self.recover_journal();
                self.say(Outcome::fail(
                    "Re-anchoring stopped with an error; the saved text stays open.",
                ));
            }
        }
        Wake::default()
    }

    /// The clock moves (time worked, changes on disk), edits carry, and derived state catches
    /// up with the document. Call once a frame, after its input; returns when to be asked
    /// again without input.
    pub fn tick(&mut self, t: Tick) -> Wake {
        let c = &mut self.clock;
        c.now = t.now;
        if t.input {
            c.last_input = t.now;
        }
        if t.now - c.last_input < ACTIVE_WINDOW && t.focused {
            self.doc.add_active_time(t.dt);
        }
        if t.now - c.last_disk_check >= DISK_CHECK_EVERY && self.notices.prompt.is_none() {
            c.last_disk_check = t.now;
            if self.doc.check_disk() {
                self.say(Outcome::ask(Prompt::ExternalChange));
            }
        }
        self.carry_effects();
        let reanchoring = self.poll_reanchoring();
        let learning = self.learn(t.now);
        let git = match &mut self.project {
            Some(p) => p.git.poll(&p.folder),
            None => Wake(None),
        };
        let wake = self
            .refresh_derived()
            .sooner(reanchoring)
            .sooner(learning)
            .sooner(git);
        let trouble = self.doc.check_journal(self.data_dir.as_deref());
        self.say(journal::trouble_outcome(trouble));
        wake
    }

    /// Find matches, differences and suggestions for the document as it is now.
    fn refresh_derived(&mut self) -> Wake {
        self.find.refresh(&self.doc);
        self.curation.refresh(&self.doc);
        let (project, path) = (&mut self.project, self.doc.session_path.as_deref());
        let terms = || {
            project
                .as_mut()
                .map(|p| p.terms_except(path))
                .unwrap_or_default()
        };
        let wake = self
            .suggest
            .refresh(&self.doc, terms, self.clock.now, &self.curation);
        wake.sooner(self.suggest.poll(&self.curation))
    }
}

/// The project: moving through its documents, and label changes that concern every one of
/// them, undone from the project's label history interleaved with the document's.
impl Workspace {
    /// Moves through the project's documents.
    fn project_op(&mut self, op: ProjectOp) -> Outcome {
        let Some(p) = &self.project else {
            return Outcome::info(match op {
                ProjectOp::DoneNext => {
                    "Open a folder (File > Open Folder…) to work through documents."
                }
                _ => "Open a folder (File > Open Folder…) to move between documents.",
            });
        };
        let next = match op {
            ProjectOp::Open(i) => Some(i),
            ProjectOp::Step(dir) => p.neighbour(dir),
            ProjectOp::DoneNext => {
                self.doc.session.done = true;
                let next = p.next_not_done();
                if next.is_none() && self.save() {
                    return Outcome::info("Marked done. Every document of the project is done.");
                }
                next
            }
        };
        if let Some(i) = next {
            self.open_doc(i);
        }
        Outcome::none()
    }

    /// What Undo (backward) or Redo (forward) would do, for the menu.
    pub fn undo_what(&self, dir: Direction) -> Option<String> {
        if let Some(step) = self
            .project
            .as_ref()
            .and_then(|p| p.next_label_step(dir, &self.doc))
        {
            return Some(step.what.clone());
        }
        let redo = dir == Direction::Forward;
        if self.doc.crosses_reanchoring(redo) {
            return Some("re-anchor onto the corrected article".into());
        }
        let h = &self.doc.history;
        if redo { h.redo_what() } else { h.undo_what() }.map(str::to_owned)
    }

    /// Undo: the last step, whichever history holds it.
    pub fn undo(&mut self) {
        self.travel(Direction::Backward);
    }

    /// Redo: the last undone step, whichever history holds it.
    pub fn redo(&mut self) {
        self.travel(Direction::Forward);
    }

    fn travel(&mut self, dir: Direction) {
        let redo = dir == Direction::Forward;
        let label_step = self
            .project
            .as_ref()
            .is_some_and(|p| p.labels_step_next(dir, &self.doc));
        if !label_step && self.doc.crosses_reanchoring(redo) {
            self.doc.cross_reanchoring();
            self.forget_places();
            self.doc.start_journal(self.data_dir.as_deref());
            return self.say(Outcome::info(if redo {
                "Redid: re-anchor onto the corrected article."
            } else {
                "Undid: re-anchor. This is the text saved in the session; Ctrl+Y re-anchors again."
            }));
        }
        let done = if label_step {
            self.travel_labels(dir)
        } else if redo {
            self.doc.redo()
        } else {
            self.doc.undo()
        };
        self.cursor.keep_valid(&self.doc.session);
        self.carry_effects();
        self.say(Outcome::info(match done {
            Some(what) => format!("{}: {what}.", if redo { "Redid" } else { "Undid" }),
            None if redo => "Nothing to redo.".to_owned(),
            None => "Nothing to undo.".to_owned(),
        }));
    }

    /// Undoes (or redoes) the project's last label step; says what it was if it was done.
    fn travel_labels(&mut self, dir: Direction) -> Option<String> {
        let s = self.project.as_mut()?.take_step(dir)?;
        let change = if dir == Direction::Forward {
            &s.forward
        } else {
            &s.backward
        };
        let ok = self.apply_project_labels(change);
        let what = s.what.clone();
        if let Some(p) = &mut self.project {
            p.put_step(s, dir, ok);
        }
        ok.then_some(what)
    }

    /// Opens a folder of articles as a project.
    fn open_folder(&mut self, folder: &Path) {
        let opened = crate::io::project::scan(folder).and_then(|docs| {
            let (file, said) = crate::io::project::open_or_create(folder, &self.annotator, &docs)?;
            Ok((file, said, docs))
        });
        let (file, said, docs) = match opened {
            Ok(o) => o,
            Err(e) => {
                return self.say(Outcome::fail(format!("Could not open the project.\n\n{e}")));
            }
        };
        if let Some(e) = said {
            self.say(Outcome::error(e));
        }
        if !self.leave_current() {
            return;
        }
        let p = Project::new(folder.to_owned(), file, docs);
        let first = p.first_to_open();
        self.project = Some(p);
        remember(&mut self.recent, folder);
        match first {
            Some(i) => self.open_doc(i),
            None => self.say(Outcome::info(format!(
                "{} has no .txt or .md articles yet.",
                folder.display()
            ))),
        }
    }

    /// Opens the project's document `i`, saving the current one first.
    fn open_doc(&mut self, i: usize) {
        let Some(entry) = self.project.as_ref().and_then(|p| p.docs.get(i)).cloned() else {
            return;
        };
        if !self.leave_current() {
            return;
        }
        self.open(&entry.article);
        let total = self.project.as_ref().map_or(0, |p| p.docs.len());
        let prompt = &self.notices.prompt;
        if !matches!(prompt, None | Some(Prompt::Info(_))) {
            return;
        }
        let informed = prompt.is_some();
        if let Some(p) = &mut self.project {
            p.current = Some(i);
            if !informed {
                self.say(Outcome::info(format!(
                    "{} ({} of {total}): {}.",
                    entry.name,
                    i + 1,
                    entry.status.name()
                )));
            }
        }
    }
}

/// Puts `path` first in the list of recent files.
fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    recent.retain(|p| p != &path);
    recent.insert(0, path);
    recent.truncate(MAX_RECENT);
}
