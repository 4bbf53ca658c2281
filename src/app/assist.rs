//! Annotating faster: the find bar (Ctrl+F) and the suggestions' state. The matching itself
//! is in `model::search`.

use super::Action;
use crate::model::LabelSet;
use crate::model::search::{FindOptions, SuggestInput, Suggestion, suggestions};

/// The find bar.
#[derive(Default)]
pub struct FindBar {
    pub open: bool,
    pub query: String,
    pub opts: FindOptions,
    /// Why the query is not a valid regular expression.
    pub error: Option<String>,
    /// Focus the query field on the next frame.
    pub focus: bool,
    /// The query and options the matches were computed for, and the document revision.
    pub computed: Option<(String, FindOptions, u64)>,
}

/// Computes suggestions for large documents on a thread of its own, latest request first.
pub struct SuggestWorker {
    tx: std::sync::mpsc::Sender<(u64, SuggestInput)>,
    rx: std::sync::mpsc::Receiver<(u64, Vec<Suggestion>)>,
}

impl SuggestWorker {
    fn new() -> Self {
        let (tx, jobs) = std::sync::mpsc::channel::<(u64, SuggestInput)>();
        let (done, rx) = std::sync::mpsc::channel();
        let _ = std::thread::Builder::new()
            .name("suggestions".into())
            .spawn(move || {
                while let Ok(mut job) = jobs.recv() {
                    // Only the newest request matters.
                    while let Ok(newer) = jobs.try_recv() {
                        job = newer;
                    }
                    let list = suggestions(&job.1);
                    if done.send((job.0, list)).is_err() {
                        break;
                    }
                }
            });
        Self { tx, rx }
    }
}

/// Suggestions for the open document.
pub struct Suggest {
    /// View → Show suggestions.
    pub show: bool,
    /// The revision and rejection count the view's suggestions were computed for.
    pub computed: Option<(u64, usize)>,
    /// Requests sent to the worker, numbered; results for older ones are dropped.
    pub generation: u64,
    /// A request is with the worker and its answer not yet in.
    pub pending: bool,
    /// A long document changed (to this key) at this time; it is sent once editing pauses.
    pub waiting: Option<((u64, usize), f64)>,
    worker: Option<SuggestWorker>,
}

/// Documents up to this many chars get their suggestions at once; longer ones in the
/// background, so that tagging never waits for them.
pub const SYNC_SUGGEST_CHARS: usize = 200_000;

impl Suggest {
    /// Computes now (small documents) or asks the worker; returns a fresh list if there is one.
    pub fn request(&mut self, input: SuggestInput) -> Option<Vec<Suggestion>> {
        if input.doc.char_len() <= SYNC_SUGGEST_CHARS {
            return Some(suggestions(&input));
        }
        self.generation += 1;
        let worker = self.worker.get_or_insert_with(SuggestWorker::new);
        self.pending = worker.tx.send((self.generation, input)).is_ok();
        None
    }

    /// Another document: forget its rejections and anything still being computed.
    pub fn reset(&mut self) {
        self.computed = None;
        self.generation += 1;
        self.pending = false;
    }

    /// The worker's newest result, if it is for the newest request.
    pub fn poll(&mut self) -> Option<Vec<Suggestion>> {
        let worker = self.worker.as_ref()?;
        let mut latest = None;
        while let Ok((generation, list)) = worker.rx.try_recv() {
            if generation == self.generation {
                latest = Some(list);
                self.pending = false;
            }
        }
        latest
    }
}

impl Default for Suggest {
    fn default() -> Self {
        Self {
            show: true,
            computed: None,
            generation: 0,
            pending: false,
            waiting: None,
            worker: None,
        }
    }
}

/// The find bar, above the article. Returns what the user asked for.
pub fn find_bar_ui(
    ui: &mut egui::Ui,
    bar: &mut FindBar,
    count: usize,
    current: Option<usize>,
    labels: &LabelSet,
) -> Vec<Action> {
    let mut out = Vec::new();
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(&mut bar.query)
                .hint_text("Find (Enter: next, Shift+Enter: previous, Esc: close)")
                .desired_width(300.0),
        );
        if std::mem::take(&mut bar.focus) {
            r.request_focus();
        }
        // Enter in a single-line field ends editing; keep typing there after moving.
        let (enter, shift, esc) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                i.modifiers.shift,
                i.key_pressed(egui::Key::Escape),
            )
        });
        if r.lost_focus() && enter {
            out.push(Action::FindStep(!shift));
            bar.focus = true;
        }
        if (r.has_focus() || r.lost_focus()) && esc {
            out.push(Action::CloseFind);
        }
        ui.toggle_value(&mut bar.opts.case_sensitive, "Aa")
            .on_hover_text("Match case");
        ui.toggle_value(&mut bar.opts.whole_word, "Word")
            .on_hover_text("Whole words only");
        ui.toggle_value(&mut bar.opts.regex, ".*")
            .on_hover_text("Regular expression");
        if let Some(e) = &bar.error {
            ui.colored_label(super::theme::ERROR, "bad regular expression")
                .on_hover_text(e);
        } else if bar.query.is_empty() {
            ui.weak("type to find");
        } else {
            match current {
                Some(i) => ui.label(format!("{} of {count}", i + 1)),
                None => ui.label(format!("{count} matches")),
            };
        }
        if ui
            .button("<")
            .on_hover_text("Previous (Shift+Enter)")
            .clicked()
        {
            out.push(Action::FindStep(false));
        }
        if ui.button(">").on_hover_text("Next (Enter)").clicked() {
            out.push(Action::FindStep(true));
        }
        ui.separator();
        ui.add_enabled(count > 0, egui::Label::new(format!("Tag all {count} as")));
        for l in labels.iter() {
            if ui
                .add_enabled(count > 0, egui::Button::new(&l.name))
                .on_hover_text(format!("Tag every match as {} (one undo step)", l.name))
                .clicked()
            {
                out.push(Action::TagAllMatches(l.name.clone()));
            }
        }
        if ui.button("Close").clicked() {
            out.push(Action::CloseFind);
        }
    });
    out
}
