//! The one place actions are carried out: workspace calls for everything about documents,
//! and the few things only the window holds (zoom, theme, dialogs, open panels).

use super::SpanmarkApp;
use super::action::Action;
use super::action::PathSlot;
use super::command::Command;
use super::dialogs::{DialogRequest, Pending};
use super::panels::transfer::{self as transfer_ui, TransferDialog};
use super::view;
use crate::io::formats::Format;
use crate::workspace::transfer::{export_default, import_default};
use crate::workspace::{
    CaretMove, Direction, EditOp, FindOp, Motion, Next, Op, Outcome, ProjectOp, RelateOp, Request,
    SuggestOp,
};

impl SpanmarkApp {
    pub(super) fn apply(&mut self, action: Action, ctx: &egui::Context) {
        let ws = &mut self.ws;
        match action {
            Action::Command(c) => self.run_command(c),
            Action::Tag(label) => ws.run(EditOp::Tag(label)),
            Action::TagAll(label) => ws.run(EditOp::TagAll(label)),
            Action::OpenPath(p) => ws.guard(Next::Open(p)),
            Action::Compare(p) => ws.guard(Next::Compare(p)),
            Action::SaveTo(p) => ws.save_as(Some(p)),
            Action::Reveal(id) => ws.run(EditOp::Reveal(id)),
            Action::EditNote(id) => {
                ws.run(EditOp::Reveal(id));
                self.ui.side.focus_note = true;
            }
            Action::Relabel(id, label) => ws.run(EditOp::Relabel(id, label)),
            Action::Delete(id) => ws.run(EditOp::Delete(id)),
            Action::SetNote(id, note) => ws.run(EditOp::SetNote(id, note)),
            Action::Relate(op) => ws.run(op),
            Action::DecideRelation(i, take) => ws.run(Op::DecideRelation(i, take)),
            Action::SetMinScore(m) => {
                self.prefs.min_score = m;
                ws.run(SuggestOp::MinScore(m));
            }
            Action::SetTheme(t) => {
                self.prefs.theme = t;
                ctx.set_theme(t);
            }
            Action::Answer(a) => ws.answer(a),
            Action::External(a) => ws.resolve_external(a),
            Action::ClosePrompt => ws.close_prompt(),
            Action::Reanchor(yes) => ws.answer_article_changed(yes),
            Action::PickPath(slot) => self.pick_path(slot),
            Action::SetPath(slot, p) => {
                if let Some(t) = &mut self.ui.transfer {
                    t.set_path(slot, p);
                }
            }
            Action::RunTransfer => {
                if let Some(t) = &mut self.ui.transfer {
                    t.run(&self.ws.doc);
                }
            }
            Action::CloseTransfer => self.ui.transfer = None,
            Action::OpenDocument(i) => ws.run(ProjectOp::Open(i)),
            Action::Label(op) => ws.label_op(op, Command::reserved_by),
            Action::SetFind(query, opts) => ws.run(FindOp::Set(query, opts)),
            Action::FindNext => ws.run(FindOp::Step(Direction::Forward)),
            Action::FindPrevious => ws.run(FindOp::Step(Direction::Backward)),
            Action::TagAllMatches(label) => ws.run(FindOp::TagAll(label)),
            Action::CloseFind => ws.run(FindOp::Close),
            Action::AcceptAll(label) => ws.run(SuggestOp::AcceptAll(label)),
            Action::GoToSuggestion(key) => ws.run(SuggestOp::GoTo(key)),
        }
    }

    fn run_command(&mut self, c: Command) {
        let ws = &mut self.ws;
        match c {
            Command::Open => ws.guard(Next::OpenDialog),
            Command::OpenFolder => {
                self.ask_from_here(|folder| DialogRequest::Folder { folder }, Pending::Open)
            }
            Command::Compare => {
                self.ask_from_here(|folder| DialogRequest::Session { folder }, Pending::Compare)
            }
            Command::Save => {
                ws.save();
            }
            Command::SaveAs => ws.ask_where_to_save(),
            Command::Export => {
                self.ui.transfer = Some(TransferDialog::export(export_default(
                    &ws.doc,
                    Format::Jsonl,
                )));
            }
            Command::Import => {
                self.ui.transfer = Some(TransferDialog::import(import_default(&ws.doc)));
            }
            Command::Quit => ws.guard(Next::Quit),
            Command::Undo => ws.undo(),
            Command::Redo => ws.redo(),
            Command::Copy => ws.run(EditOp::Copy),
            Command::DeleteSpan if ws.relate.selected.is_some() => ws.run(RelateOp::Delete),
            Command::DeleteSpan => ws.run(EditOp::DeleteSelected),
            Command::Deselect if ws.relate.pending.is_some() || ws.relate.selected.is_some() => {
                ws.run(RelateOp::Cancel)
            }
            Command::Deselect => {
                ws.cursor.deselect();
                self.ui.show_help = false;
            }
            Command::Relate => ws.run(RelateOp::Start),
            Command::ReverseRelation => ws.run(RelateOp::Reverse),
            Command::NextRelation => ws.run(RelateOp::Cycle),
            Command::ToggleRelations => ws.run(RelateOp::ToggleShowAll),
            Command::NextDoc => ws.run(ProjectOp::Step(Direction::Forward)),
            Command::PrevDoc => ws.run(ProjectOp::Step(Direction::Backward)),
            Command::DoneNext => ws.run(ProjectOp::DoneNext),
            Command::Labels => self.ui.labels_ed.toggle(),
            Command::Guidelines => {
                if ws.project.is_some() {
                    self.ui.show_guidelines = !self.ui.show_guidelines;
                } else {
                    ws.say(Outcome::info(
                        "Guidelines belong to a project: open a folder first.",
                    ));
                }
            }
            Command::Find => {
                ws.run(FindOp::Open);
                self.ui.find_focus = true;
            }
            // While relating, Tab walks the spans and Enter makes the relation.
            Command::NextSuggestion if ws.relate.pending.is_some() => {
                ws.run(RelateOp::Step(Direction::Forward))
            }
            Command::PrevSuggestion if ws.relate.pending.is_some() => {
                ws.run(RelateOp::Step(Direction::Backward))
            }
            Command::AcceptSuggestion if ws.relate.pending.is_some() => ws.run(RelateOp::Confirm),
            Command::NextSuggestion => ws.run(SuggestOp::Step(Direction::Forward)),
            Command::PrevSuggestion => ws.run(SuggestOp::Step(Direction::Backward)),
            Command::AcceptSuggestion => ws.run(SuggestOp::Accept),
            Command::PreAnnotate => ws.run(SuggestOp::AcceptShown),
            Command::RejectSuggestion => ws.run(SuggestOp::Reject),
            Command::ToggleSuggestions => ws.run(SuggestOp::Toggle),
            Command::TakeVersion(k) => ws.run(Op::TakeVersion(usize::from(k))),
            Command::NextAnnotation => ws.run(EditOp::Step(Direction::Forward)),
            Command::PrevAnnotation => ws.run(EditOp::Step(Direction::Backward)),
            Command::EditNote => {
                if ws.cursor.selected_span.is_some() || ws.relate.selected.is_some() {
                    self.ui.side.focus_note = true;
                } else {
                    ws.say(Outcome::info(
                        "Select a span first (click it, or Ctrl+] to go to the next).",
                    ));
                }
            }
            Command::Move(m, extend) => self.move_caret(m, extend),
            Command::ZoomIn => self.zoom(self.prefs.font_size + 2.0),
            Command::ZoomOut => self.zoom(self.prefs.font_size - 2.0),
            Command::ZoomReset => self.zoom(view::BASE_FONT_SIZE),
            Command::ToggleSnap => {
                self.prefs.snap = !self.prefs.snap;
                self.view.snap = self.prefs.snap;
            }
            Command::PageUp => self.view.page(-1.0),
            Command::PageDown => self.view.page(1.0),
            Command::Top => self.view.scroll_to_top(),
            Command::Bottom => self.view.scroll_to_bottom(),
            Command::Help => self.ui.show_help = !self.ui.show_help,
        }
    }

    /// Moves the caret. Up and Down follow the lines as laid out, which only the view knows.
    /// From where the workspace moves: the caret, else the selection's end (a word just
    /// found), else the top of the screen.
    fn move_caret(&mut self, m: Motion, extend: bool) {
        let ws = &mut self.ws;
        let caret = ws
            .cursor
            .position()
            .unwrap_or_else(|| self.view.first_visible_char());
        let vertical = match m {
            Motion::Up => self.view.caret_vertical(caret, -1.0),
            Motion::Down => self.view.caret_vertical(caret, 1.0),
            _ => None,
        };
        ws.run(EditOp::Move(CaretMove {
            motion: m,
            extend,
            vertical,
            from: self.view.first_visible_char(),
        }));
    }

    fn zoom(&mut self, size: f32) {
        self.prefs.font_size = size.clamp(10.0, 40.0);
        self.view.font_size = self.prefs.font_size;
        self.ws.say(Outcome::info(format!(
            "Text size {:.0} pt.",
            self.prefs.font_size
        )));
    }

    /// A file dialog for the export or import dialog's paths.
    fn pick_path(&mut self, slot: PathSlot) {
        let folder_format = self
            .ui
            .transfer
            .as_ref()
            .is_some_and(|t| t.format().spec().writes_folder());
        let request = match slot {
            PathSlot::ExportOut if folder_format => DialogRequest::Folder {
                folder: self.ws.doc.folder(),
            },
            PathSlot::ExportOut => DialogRequest::Save {
                file_name: self
                    .ui
                    .transfer
                    .as_ref()
                    .map(|t| transfer_ui::file_name_of(&export_default(&self.ws.doc, t.format())))
                    .unwrap_or_default(),
                folder: self.ws.doc.folder(),
            },
            PathSlot::ImportIn if folder_format => DialogRequest::Folder {
                folder: self.ws.doc.folder(),
            },
            PathSlot::ImportIn => DialogRequest::Import {
                folder: self.ws.doc.folder(),
            },
            PathSlot::ImportOut => DialogRequest::Folder {
                folder: self.ws.doc.folder(),
            },
        };
        self.dialogs.ask(request, Pending::Path(slot));
    }

    /// Asks for a file dialog that starts in the open document's folder.
    fn ask_from_here(
        &mut self,
        request: fn(Option<std::path::PathBuf>) -> DialogRequest,
        pending: Pending,
    ) {
        let folder = self.ws.doc.folder();
        self.dialogs.ask(request(folder), pending);
    }

    /// Carries out what the workspace asked of the window.
    pub(super) fn handle_requests(&mut self, ctx: &egui::Context) {
        for r in self.ws.take_requests() {
            match r {
                Request::PickOpen => {
                    self.ask_from_here(|folder| DialogRequest::Open { folder }, Pending::Open);
                }
                Request::PickSave { file_name, folder } => self
                    .dialogs
                    .ask(DialogRequest::Save { file_name, folder }, Pending::Save),
                Request::Copy(text) => ctx.copy_text(text),
                Request::Close => {
                    self.allow_close = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Request::ShowInList(id) => self.ui.side.scroll_to = Some(id),
                Request::FocusNote => self.ui.side.focus_note = true,
            }
        }
    }
}
