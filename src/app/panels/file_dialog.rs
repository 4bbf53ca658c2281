//! Spanmark's own file dialog, for desktops without a system one (no XDG desktop portal: a
//! plain X session, many tiling window managers, containers, remote desktops). The path field
//! has the keyboard from the start: type a full path and press Enter. Below it, the folder's
//! entries: click one to take it, a folder to go in.

use std::path::{Path, PathBuf};

/// What a file dialog is asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogRequest {
    /// Pick an article or session to open, starting in `folder`.
    Open { folder: Option<PathBuf> },
    /// Pick a folder.
    Folder { folder: Option<PathBuf> },
    /// Pick another session of the open text, to compare with.
    Session { folder: Option<PathBuf> },
    /// Pick any file (another tool's data to import).
    Import { folder: Option<PathBuf> },
    /// Pick where to save a file, suggesting a file name and folder.
    Save {
        file_name: String,
        folder: Option<PathBuf>,
    },
}

/// What the person decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Picked(PathBuf),
    Cancelled,
}

/// One entry of the listed folder.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    name: String,
    dir: bool,
}

pub struct FileDialog {
    request: DialogRequest,
    /// What is typed: a file or folder path.
    path: String,
    /// The folder listed and its entries (read again when the folder changes).
    listed: Option<(PathBuf, Vec<Entry>)>,
    focus: bool,
    /// The folder the dialog opened in: a name typed alone is in it.
    base: PathBuf,
    /// The chars selected when the field first takes the keyboard (the prefilled folder, or
    /// a save's file name), so that typing replaces them, as GTK and browsers do.
    select: Option<(usize, usize)>,
    error: Option<String>,
}

impl FileDialog {
    pub fn new(request: DialogRequest) -> Self {
        let cwd = std::env::current_dir().unwrap_or_default();
        let path = match &request {
            DialogRequest::Save { file_name, folder } => folder
                .clone()
                .unwrap_or_else(|| cwd.clone())
                .join(file_name)
                .display()
                .to_string(),
            DialogRequest::Open { folder }
            | DialogRequest::Folder { folder }
            | DialogRequest::Session { folder }
            | DialogRequest::Import { folder } => with_slash(folder.as_deref().unwrap_or(&cwd)),
        };
        let base = match &request {
            DialogRequest::Save { folder, .. }
            | DialogRequest::Open { folder }
            | DialogRequest::Folder { folder }
            | DialogRequest::Session { folder }
            | DialogRequest::Import { folder } => folder.clone().unwrap_or(cwd),
        };
        let len = path.chars().count();
        let select = match &request {
            DialogRequest::Save { file_name, .. } => {
                (len.saturating_sub(file_name.chars().count()), len)
            }
            _ => (0, len),
        };
        Self {
            request,
            path,
            listed: None,
            focus: true,
            base,
            select: Some(select),
            error: None,
        }
    }

    fn title(&self) -> &'static str {
        match self.request {
            DialogRequest::Open { .. } => "Open an article or session",
            DialogRequest::Session { .. } => "Compare with another session of this text",
            DialogRequest::Import { .. } => "Choose what to import",
            DialogRequest::Folder { .. } => "Choose a folder",
            DialogRequest::Save { .. } => "Save as",
        }
    }

    fn verb(&self) -> &'static str {
        match self.request {
            DialogRequest::Open { .. }
            | DialogRequest::Session { .. }
            | DialogRequest::Import { .. } => "Open",
            DialogRequest::Folder { .. } => "Choose",
            DialogRequest::Save { .. } => "Save",
        }
    }

    /// The folder the typed path is in (or is).
    fn folder(&self) -> PathBuf {
        let p = expand(&self.path, &self.base);
        if self.path.ends_with('/') || p.is_dir() {
            p
        } else {
            p.parent().map(Path::to_owned).unwrap_or_default()
        }
    }

    /// Whether an entry is worth listing for this request.
    fn shows(&self, e: &Entry) -> bool {
        if e.name.starts_with('.') {
            return false;
        }
        if e.dir {
            return true;
        }
        let ext = |exts: &[&str]| {
            Path::new(&e.name)
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.contains(&x))
        };
        match self.request {
            DialogRequest::Open { .. } => {
                ext(&["ron"]) || ext(&crate::io::article::ARTICLE_EXTENSIONS)
            }
            DialogRequest::Session { .. } => ext(&["ron"]),
            DialogRequest::Folder { .. } => false,
            DialogRequest::Save { .. } | DialogRequest::Import { .. } => true,
        }
    }

    /// Enter or the main button: the typed path, if it fits the request.
    fn submit(&mut self) -> Option<Outcome> {
        let p = expand(self.path.trim(), &self.base);
        self.error = None;
        match self.request {
            DialogRequest::Folder { .. } if p.is_dir() => return Some(Outcome::Picked(p)),
            DialogRequest::Folder { .. } => {
                self.error = Some(format!("{} is not a folder.", p.display()))
            }
            _ if p.is_dir() => {
                // A folder typed where a file is wanted: go in.
                self.path = with_slash(&p);
                self.focus = true;
            }
            DialogRequest::Save { .. } => {
                if p.parent().is_some_and(Path::is_dir) && p.file_name().is_some() {
                    return Some(Outcome::Picked(p));
                }
                self.error = Some(format!("There is no folder {}.", folder_of(&p)));
            }
            DialogRequest::Open { .. }
            | DialogRequest::Session { .. }
            | DialogRequest::Import { .. } => {
                if p.is_file() {
                    return Some(Outcome::Picked(p));
                }
                self.error = Some(format!("There is no file {}.", p.display()));
            }
        }
        None
    }

    fn refresh_listing(&mut self) {
        let folder = self.folder();
        if self.listed.as_ref().is_some_and(|(f, _)| *f == folder) {
            return;
        }
        let mut entries: Vec<Entry> = std::fs::read_dir(&folder)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| Entry {
                        name: e.file_name().to_string_lossy().into_owned(),
                        dir: e.path().is_dir(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        entries.retain(|e| self.shows(e));
        entries.sort_by(|a, b| b.dir.cmp(&a.dir).then_with(|| a.name.cmp(&b.name)));
        self.listed = Some((folder, entries));
    }

    /// Draws the dialog; returns the decision once there is one.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Outcome> {
        self.refresh_listing();
        let mut outcome = None;
        let title = self.title();
        let verb = self.verb();
        let modal = egui::Modal::new(egui::Id::unique("spanmark-file-dialog")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(title);
            ui.weak("Type a path and press Enter, or pick below.");
            let label = ui.label("Path:");
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.path)
                    .desired_width(f32::INFINITY)
                    .hint_text("/home/you/articles/news.txt"),
            );
            let r = r.labelled_by(label.id);
            if std::mem::take(&mut self.focus) {
                r.request_focus();
                // First the prefill is selected, so that typing replaces it; after a folder is
                // picked below, the caret goes to the end, where typing continues the path.
                let end = self.path.chars().count();
                let (from, to) = self.select.take().unwrap_or((end, end));
                let mut state = egui::TextEdit::load_state(ui.ctx(), r.id).unwrap_or_default();
                state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::two(
                        egui::text::CCursor::new(from),
                        egui::text::CCursor::new(to),
                    )));
                state.store(ui.ctx(), r.id);
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                outcome = self.submit();
                if outcome.is_none() {
                    self.focus = true;
                }
            }
            if let Some(e) = &self.error {
                ui.colored_label(crate::app::theme::ERROR, e);
            }
            ui.separator();
            let folder = self.folder();
            ui.weak(folder.display().to_string());
            let mut go = None;
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    if let Some(up) = folder.parent()
                        && ui.selectable_label(false, ".. (up)").clicked()
                    {
                        go = Some(with_slash(up));
                    }
                    if let Some((_, entries)) = &self.listed {
                        for e in entries {
                            let text = if e.dir {
                                format!("{}/", e.name)
                            } else {
                                e.name.clone()
                            };
                            if ui.selectable_label(false, text).clicked() {
                                let p = folder.join(&e.name);
                                go = Some(if e.dir {
                                    with_slash(&p)
                                } else {
                                    p.display().to_string()
                                });
                            }
                        }
                    }
                });
            if let Some(p) = go {
                self.path = p;
                self.focus = true;
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(verb).clicked() {
                    outcome = self.submit();
                }
                if ui.button("Cancel").clicked() {
                    outcome = Some(Outcome::Cancelled);
                }
            });
        });
        if modal.should_close() && outcome.is_none() {
            outcome = Some(Outcome::Cancelled);
        }
        outcome
    }
}

fn with_slash(p: &Path) -> String {
    let s = p.display().to_string();
    if s.ends_with('/') { s } else { format!("{s}/") }
}

fn folder_of(p: &Path) -> String {
    p.parent()
        .map_or_else(String::new, |f| f.display().to_string())
}

/// The path typed, read as a person means it: a path typed after a folder's `/` that starts
/// anew (`/…` or `~/…`) is that path; `~/x` is in the home folder; a name alone is in `base`.
fn expand(typed: &str, base: &Path) -> PathBuf {
    let restart = [typed.rfind("//"), typed.rfind("/~/")]
        .into_iter()
        .flatten()
        .max();
    let typed = restart.map_or(typed, |i| typed.get(i + 1..).unwrap_or(typed));
    match typed.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(rest),
        None if typed == "~" => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default(),
        None => base.join(typed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_typed_after_the_prefilled_folder_starts_anew() {
        let base = Path::new("/home/me/news");
        let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
        for (typed, want) in [
            (
                "/home/me/news//srv/other.txt",
                PathBuf::from("/srv/other.txt"),
            ),
            ("/home/me/news/~/x.txt", home.join("x.txt")),
            ("/home/me/news/a.txt", PathBuf::from("/home/me/news/a.txt")),
            ("b.txt", PathBuf::from("/home/me/news/b.txt")),
            ("~/c.txt", home.join("c.txt")),
        ] {
            assert_eq!(expand(typed, base), want, "{typed}");
        }
    }

    #[test]
    fn typed_paths_are_taken_when_they_fit_the_request() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("news.txt");
        std::fs::write(&file, "x").unwrap();
        let mut d = FileDialog::new(DialogRequest::Open { folder: None });
        d.path = file.display().to_string();
        assert_eq!(d.submit(), Some(Outcome::Picked(file.clone())));
        d.path = dir.path().join("missing.txt").display().to_string();
        assert_eq!(d.submit(), None);
        assert!(d.error.as_deref().unwrap().starts_with("There is no file"));
        // A folder where a file is wanted: go in.
        d.path = dir.path().display().to_string();
        assert_eq!(d.submit(), None);
        assert!(d.path.ends_with('/'));

        let mut s = FileDialog::new(DialogRequest::Save {
            file_name: "news.spanmark.ron".into(),
            folder: Some(dir.path().to_owned()),
        });
        assert_eq!(
            s.submit(),
            Some(Outcome::Picked(dir.path().join("news.spanmark.ron")))
        );
        s.path = "/no/such/folder/x.ron".into();
        assert_eq!(s.submit(), None);

        let mut f = FileDialog::new(DialogRequest::Folder { folder: None });
        f.path = dir.path().display().to_string();
        assert_eq!(f.submit(), Some(Outcome::Picked(dir.path().to_owned())));
        f.path = file.display().to_string();
        assert_eq!(f.submit(), None);
    }

    #[test]
    fn dialogs_start_in_the_documents_folder_and_list_what_fits() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "a.txt",
            "b.html",
            "c.docx",
            "d.spanmark.ron",
            "e.jsonl",
            "f.png",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let names = |request| {
            let mut d = FileDialog::new(request);
            d.refresh_listing();
            let (folder, entries) = d.listed.unwrap();
            assert_eq!(folder, dir.path(), "starts in the document's folder");
            entries.into_iter().map(|e| e.name).collect::<Vec<_>>()
        };
        let folder = Some(dir.path().to_owned());
        assert_eq!(
            names(DialogRequest::Open {
                folder: folder.clone()
            }),
            ["a.txt", "b.html", "c.docx", "d.spanmark.ron"]
        );
        assert_eq!(
            names(DialogRequest::Import {
                folder: folder.clone()
            }),
            [
                "a.txt",
                "b.html",
                "c.docx",
                "d.spanmark.ron",
                "e.jsonl",
                "f.png"
            ]
        );
        assert_eq!(names(DialogRequest::Session { folder }), ["d.spanmark.ron"]);
    }
}
