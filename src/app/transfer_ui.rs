//! File → Export… and File → Import…: the same exporters and importers as the command line,
//! with their options, and the same summary shown when done.

use super::Action;
use crate::io::formats::{ExportOptions, Format, Offsets, Overlaps, Report, Scheme};
use egui::{RichText, Ui};

/// Which path a file dialog is picking for the transfer dialogs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathSlot {
    ExportOut,
    ImportIn,
    ImportOut,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExportDialog {
    pub format: Format,
    pub opts: ExportOptions,
    /// Export every session in the document's folder instead of this document.
    pub whole_folder: bool,
    pub out: String,
    pub result: Option<Report>,
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

/// The default output name for another format: `news.jsonl` → `news.conll`, `news-brat`.
pub fn retarget(out: &str, from: Format, to: Format) -> String {
    let suffix = |f: Format| match f {
        Format::Brat => "-brat".to_owned(),
        f => format!(".{}", f.extension()),
    };
    match out.strip_suffix(&suffix(from)) {
        Some(stem) if !out.is_empty() => format!("{stem}{}", suffix(to)),
        _ => out.to_owned(),
    }
}

fn summary_ui(ui: &mut Ui, verb: &str, r: &Report) {
    ui.separator();
    let head = format!("{verb} {} documents, {} spans.", r.documents, r.spans);
    if r.failed {
        ui.label(RichText::new(head).color(super::theme::ERROR));
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
            TransferDialog::Export(d) => {
                let before = d.format;
                format_picker(ui, &mut d.format, false);
                if d.format != before {
                    d.out = retarget(&d.out, before, d.format);
                }
                match d.format {
                    Format::Jsonl => {
                        ui.horizontal(|ui| {
                            ui.label("Offsets:");
                            ui.selectable_value(&mut d.opts.offsets, Offsets::Chars, "code points");
                            ui.selectable_value(
                                &mut d.opts.offsets,
                                Offsets::Utf16,
                                "UTF-16 (doccano)",
                            );
                        });
                    }
                    Format::Conll => {
                        ui.horizontal(|ui| {
                            ui.label("Tags:");
                            ui.selectable_value(&mut d.opts.scheme, Scheme::Iob2, "IOB2");
                            ui.selectable_value(&mut d.opts.scheme, Scheme::Bioes, "BIOES");
                        });
                        ui.horizontal(|ui| {
                            ui.label("Overlapping spans:");
                            ui.selectable_value(&mut d.opts.overlaps, Overlaps::Error, "refuse");
                            ui.selectable_value(
                                &mut d.opts.overlaps,
                                Overlaps::Outermost,
                                "keep outermost",
                            );
                            ui.selectable_value(
                                &mut d.opts.overlaps,
                                Overlaps::Longest,
                                "keep longest",
                            );
                        });
                    }
                    Format::Labelstudio => {
                        ui.checkbox(&mut d.opts.as_predictions, "Write as predictions");
                    }
                    _ => {}
                }
                ui.horizontal(|ui| {
                    ui.label("Documents:");
                    ui.selectable_value(&mut d.whole_folder, false, "this document");
                    ui.add_enabled_ui(has_folder, |ui| {
                        ui.selectable_value(
                            &mut d.whole_folder,
                            true,
                            "every session in its folder",
                        )
                        .on_disabled_hover_text("Save the session first");
                    });
                });
                ui.horizontal(|ui| {
                    ui.label(if d.format == Format::Brat {
                        "Folder:"
                    } else {
                        "File:"
                    });
                    ui.add(
                        egui::TextEdit::singleline(&mut d.out)
                            .hint_text("where to write")
                            .desired_width(330.0),
                    );
                    if ui.button("Choose…").clicked() {
                        out.push(Action::PickPath(PathSlot::ExportOut));
                    }
                });
                if let Some(r) = &d.result {
                    summary_ui(ui, "Exported", r);
                }
            }
            TransferDialog::Import(d) => {
                format_picker(ui, &mut d.format, true);
                if d.format == Format::Jsonl {
                    ui.horizontal(|ui| {
                        ui.label("Offsets:");
                        ui.selectable_value(&mut d.offsets, Offsets::Chars, "code points");
                        ui.selectable_value(&mut d.offsets, Offsets::Utf16, "UTF-16 (doccano)");
                    });
                }
                ui.horizontal(|ui| {
                    ui.label(if d.format == Format::Brat {
                        "brat folder:"
                    } else {
                        "File:"
                    });
                    ui.add(
                        egui::TextEdit::singleline(&mut d.input)
                            .hint_text("what to import")
                            .desired_width(300.0),
                    );
                    if ui.button("Choose…").clicked() {
                        out.push(Action::PickPath(PathSlot::ImportIn));
                    }
                });
                ui.horizontal(|ui| {
                    let l = ui.label("Sessions into:");
                    ui.add(
                        egui::TextEdit::singleline(&mut d.out)
                            .hint_text("a folder")
                            .desired_width(280.0),
                    )
                    .labelled_by(l.id);
                    if ui.button("Choose…").clicked() {
                        out.push(Action::PickPath(PathSlot::ImportOut));
                    }
                });
                if let Some(r) = &d.result {
                    summary_ui(ui, "Imported", r);
                }
            }
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(RichText::new(title).strong()).clicked() {
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
