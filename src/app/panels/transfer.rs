//! File → Export… and File → Import…: the same exporters and importers as the command line,
//! with their options, and the same summary shown when done.

use crate::app::action::{Action, PathSlot};
use crate::app::theme;
use crate::io::formats::tokens::Tokenizer;
use crate::io::formats::{ExportOptions, Format, FormatOption, Offsets, Overlaps, Report, Scheme};
use crate::io::transfer::{Plan, parse_renames, parse_split};
use crate::workspace::Doc;
use crate::workspace::transfer::{ExportJob, ImportJob, format::retarget};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq)]
pub struct ExportDialog {
    pub format: Format,
    pub opts: ExportOptions,
    /// Export every session in the document's folder instead of this document.
    pub whole_folder: bool,
    pub out: String,
    /// As on the command line: `actor=PER,topic=TOPIC`, `date`, `train=0.8,dev=0.2`, a seed.
    pub rename: String,
    pub drop: String,
    pub split: String,
    pub seed: String,
    /// Documents of one folder stay in one part.
    pub split_by_folder: bool,
    pub result: Option<Report>,
}

impl ExportDialog {
    /// The label mapping and split the fields ask for, or what is wrong with them.
    fn plan(&self) -> Result<Plan, String> {
        let seed = match self.seed.trim() {
            "" => 0,
            s => s
                .parse()
                .map_err(|_| format!("Seed: {s:?} is not a whole number"))?,
        };
        Ok(Plan {
            rename: parse_renames(&self.rename).map_err(|e| format!("Rename labels: {e}"))?,
            drop: self
                .drop
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect(),
            split: match self.split.trim() {
                "" => Vec::new(),
                s => parse_split(s).map_err(|e| format!("Split: {e}"))?,
            },
            seed,
            split_by_folder: self.split_by_folder,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportDialog {
    pub format: Format,
    pub offsets: Offsets,
    pub input: String,
    pub out: String,
    pub result: Option<Report>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TransferDialog {
    Export(ExportDialog),
    Import(ImportDialog),
}

fn format_picker(ui: &mut Ui, format: &mut Format, import: bool) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Format:");
        for f in Format::ALL
            .into_iter()
            .filter(|f| !import || f.can_import())
        {
            ui.selectable_value(format, f, f.to_string());
        }
    });
}

impl TransferDialog {
    /// File → Export…, writing to `out` by default.
    pub fn export(out: PathBuf) -> Self {
        Self::Export(ExportDialog {
            format: Format::Jsonl,
            opts: ExportOptions::default(),
            whole_folder: false,
            out: out.display().to_string(),
            rename: String::new(),
            drop: String::new(),
            split: String::new(),
            seed: String::new(),
            split_by_folder: false,
            result: None,
        })
    }

    /// File → Import…, writing sessions into `out` by default.
    pub fn import(out: PathBuf) -> Self {
        Self::Import(ImportDialog {
            format: Format::Jsonl,
            offsets: Offsets::default(),
            input: String::new(),
            out: out.display().to_string(),
            result: None,
        })
    }

    pub fn format(&self) -> Format {
        match self {
            Self::Export(d) => d.format,
            Self::Import(d) => d.format,
        }
    }

    /// A path picked in a file dialog.
    pub fn set_path(&mut self, slot: PathSlot, p: PathBuf) {
        let p = p.display().to_string();
        match (self, slot) {
            (Self::Export(d), PathSlot::ExportOut) => d.out = p,
            (Self::Import(d), PathSlot::ImportIn) => d.input = p,
            (Self::Import(d), PathSlot::ImportOut) => d.out = p,
            _ => {}
        }
    }

    /// Runs the export or import; the summary is shown in the dialog.
    pub fn run(&mut self, doc: &Doc) {
        match self {
            Self::Export(d) => {
                d.result = Some(match d.plan() {
                    Ok(plan) => ExportJob {
                        format: d.format,
                        opts: d.opts.clone(),
                        whole_folder: d.whole_folder,
                        out: PathBuf::from(d.out.trim()),
                        plan,
                    }
                    .run(doc),
                    Err(e) => Report {
                        notes: vec![e],
                        failed: true,
                        ..Default::default()
                    },
                });
            }
            Self::Import(d) => {
                let job = ImportJob {
                    format: d.format,
                    offsets: d.offsets,
                    input: PathBuf::from(d.input.trim()),
                    out: PathBuf::from(d.out.trim()),
                };
                d.result = Some(job.run());
            }
        }
    }
}

/// A path's file name, for a save dialog's suggestion.
pub fn file_name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn summary_ui(ui: &mut Ui, verb: &str, r: &Report) {
    ui.separator();
    let head = format!("{verb} {} documents, {} spans.", r.documents, r.spans);
    if r.failed {
        ui.label(RichText::new(head).color(theme::ERROR));
    } else {
        ui.strong(head);
    }
    if !r.notes.is_empty() {
        egui::ScrollArea::vertical()
            .max_height(160.0)
            .show(ui, |ui| {
                for n in &r.notes {
                    ui.label(RichText::new(n).small());
                }
            });
    }
}

/// Draws the open transfer dialog; returns actions for the app.
pub fn ui(ctx: &egui::Context, dialog: &mut TransferDialog, has_folder: bool) -> Vec<Action> {
    let mut out = Vec::new();
    let title = match dialog {
        TransferDialog::Export(_) => "Export",
        TransferDialog::Import(_) => "Import",
    };
    let modal = egui::Modal::new(egui::Id::unique("transfer")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(title);
        match dialog {
            TransferDialog::Export(d) => export_ui(ui, d, has_folder, &mut out),
            TransferDialog::Import(d) => import_ui(ui, d, &mut out),
        }
        ui.add_space(8.0);
        // Enter runs it unless a field or button has the keyboard (Escape closes).
        let enter =
            ui.input(|i| i.key_pressed(egui::Key::Enter)) && ui.memory(|m| m.focused().is_none());
        ui.horizontal(|ui| {
            let run = ui
                .button(RichText::new(title).strong())
                .on_hover_text("Enter");
            if run.clicked() || enter {
                out.push(Action::RunTransfer);
            }
            if ui.button("Close").clicked() {
                out.push(Action::CloseTransfer);
            }
        });
    });
    if modal.should_close() {
        out.push(Action::CloseTransfer);
    }
    out
}

/// "Folder:" for a format that writes a folder, else "File:".
fn path_label(format: Format) -> &'static str {
    if format.spec().writes_folder() {
        "Folder:"
    } else {
        "File:"
    }
}

fn export_ui(ui: &mut Ui, d: &mut ExportDialog, has_folder: bool, out: &mut Vec<Action>) {
    let before = d.format;
    format_picker(ui, &mut d.format, false);
    if d.format != before {
        d.out = retarget(&d.out, before, d.format);
    }
    for option in d.format.spec().options {
        option_ui(ui, *option, &mut d.opts);
    }
    ui.horizontal(|ui| {
        ui.label("Documents:");
        ui.selectable_value(&mut d.whole_folder, false, "this document");
        ui.add_enabled_ui(has_folder, |ui| {
            ui.selectable_value(&mut d.whole_folder, true, "every session in its folder")
                .on_disabled_hover_text("Save the session first");
        });
    });
    let field = |ui: &mut Ui, label: &str, text: &mut String, hint: &str| {
        ui.horizontal(|ui| labelled_field(ui, label, text, hint, 260.0));
    };
    field(ui, "Rename labels:", &mut d.rename, "actor=PER,topic=TOPIC");
    field(ui, "Leave out labels:", &mut d.drop, "date");
    field(ui, "Split:", &mut d.split, "train=0.8,dev=0.1,test=0.1");
    field(ui, "Split seed:", &mut d.seed, "0");
    ui.checkbox(
        &mut d.split_by_folder,
        "Keep the documents of one folder in one part",
    );
    let what = path_label(d.format);
    path_row(
        ui,
        what,
        &mut d.out,
        "where to write",
        PathSlot::ExportOut,
        out,
    );
    if let Some(r) = &d.result {
        summary_ui(ui, "Exported", r);
    }
}

fn import_ui(ui: &mut Ui, d: &mut ImportDialog, out: &mut Vec<Action>) {
    format_picker(ui, &mut d.format, true);
    if d.format.spec().options.contains(&FormatOption::Offsets) {
        offsets_ui(ui, &mut d.offsets);
    }
    let what = path_label(d.format);
    path_row(
        ui,
        what,
        &mut d.input,
        "what to import",
        PathSlot::ImportIn,
        out,
    );
    path_row(
        ui,
        "Sessions into:",
        &mut d.out,
        "a folder",
        PathSlot::ImportOut,
        out,
    );
    if let Some(r) = &d.result {
        summary_ui(ui, "Imported", r);
    }
}

/// A text field named by the label before it (for screen readers and tests).
fn labelled_field(ui: &mut Ui, label: &str, text: &mut String, hint: &str, width: f32) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(width),
    )
    .labelled_by(l.id);
}

/// A labelled path field with a "Choose…" button that asks for a file dialog for `slot`.
fn path_row(
    ui: &mut Ui,
    label: &str,
    path: &mut String,
    hint: &str,
    slot: PathSlot,
    out: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        labelled_field(ui, label, path, hint, 300.0);
        if ui.button("Choose…").clicked() {
            out.push(Action::PickPath(slot));
        }
    });
}

fn offsets_ui(ui: &mut Ui, offsets: &mut Offsets) {
    ui.horizontal(|ui| {
        ui.label("Offsets:");
        ui.selectable_value(offsets, Offsets::Chars, "code points");
        ui.selectable_value(offsets, Offsets::Utf16, "UTF-16 (doccano)");
    });
}

/// One export option's widgets.
fn option_ui(ui: &mut Ui, option: FormatOption, opts: &mut ExportOptions) {
    match option {
        FormatOption::Offsets => offsets_ui(ui, &mut opts.offsets),
        FormatOption::Scheme => {
            ui.horizontal(|ui| {
                ui.label("Tags:");
                ui.selectable_value(&mut opts.scheme, Scheme::Iob2, "IOB2");
                ui.selectable_value(&mut opts.scheme, Scheme::Bioes, "BIOES");
            });
        }
        FormatOption::Overlaps => {
            ui.horizontal(|ui| {
                ui.label("Overlapping spans:");
                ui.selectable_value(&mut opts.overlaps, Overlaps::Error, "refuse");
                ui.selectable_value(&mut opts.overlaps, Overlaps::Outermost, "keep outermost");
                ui.selectable_value(&mut opts.overlaps, Overlaps::Longest, "keep longest");
            });
        }
        FormatOption::Predictions => {
            ui.checkbox(&mut opts.as_predictions, "Write as predictions");
        }
        FormatOption::Tokenizer => {
            ui.horizontal(|ui| {
                ui.label("Tokens:");
                ui.selectable_value(&mut opts.tokenizer, Tokenizer::Unicode, "Unicode words");
                ui.selectable_value(&mut opts.tokenizer, Tokenizer::Whitespace, "whitespace");
            });
        }
        FormatOption::Force => {
            ui.checkbox(
                &mut opts.force,
                "Replace .txt and .ann files in the folder that Spanmark did not write",
            )
            .on_hover_text(
                "Without this, an export into a folder with hand-made brat files stops before writing anything.",
            );
        }
        FormatOption::SpanKey => {
            ui.horizontal(|ui| {
                labelled_field(ui, "Span group key:", &mut opts.span_key, "sc", 80.0);
            });
        }
    }
}
