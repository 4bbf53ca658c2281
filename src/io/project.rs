//! Projects: a folder of articles (`.txt`, `.md`, searched recursively) with a
//! `spanmark.project.ron` holding what all its documents share (labels, annotator,
//! guidelines), and each article's session beside it.

use crate::io::article::session_path_for;
use crate::io::atomic::write_atomic;
use crate::io::par::par_map;
use crate::io::session_file::parse_session;
use crate::model::{LabelSet, RelationLabel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const PROJECT_FILE: &str = "spanmark.project.ron";
pub const PROJECT_FORMAT: &str = "spanmark-project";

/// What every document of a project shares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub format: String,
    pub version: u32,
    /// Who annotates in this project (new annotations carry the name).
    pub annotator: String,
    pub labels: LabelSet,
    /// The labels of relations between spans (older project files: the default one).
    #[serde(default = "RelationLabel::defaults")]
    pub relation_labels: Vec<RelationLabel>,
    /// Annotation guidelines, Markdown.
    #[serde(default)]
    pub guidelines: String,
}

impl ProjectFile {
    pub fn new(annotator: String, labels: LabelSet) -> Self {
        Self {
            format: PROJECT_FORMAT.into(),
            version: 1,
            annotator,
            labels,
            relation_labels: RelationLabel::defaults(),
            guidelines: String::new(),
        }
    }
}

/// How far a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    InProgress,
    Done,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in progress",
            Status::Done => "done",
        }
    }
}

/// One article of a project and what its session says, without keeping the session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocEntry {
    pub article: PathBuf,
    pub session: PathBuf,
    /// The path relative to the project folder, for display.
    pub name: String,
    pub status: Status,
    pub spans: usize,
    pub per_label: BTreeMap<String, usize>,
    pub active_secs: u64,
    pub annotator: String,
    /// Why the session could not be read, if it could not.
    pub problem: Option<String>,
    /// The article's bytes are not those its session was made from: opening it re-anchors.
    pub article_changed: bool,
    /// Each distinct (covered text, label) of its annotations: the project's gazetteer.
    #[serde(skip)]
    pub terms: Vec<(String, String)>,
    /// The labels its session defines.
    #[serde(skip)]
    pub labels: Vec<crate::model::Label>,
    /// The relation labels its session defines.
    #[serde(skip)]
    pub relation_labels: Vec<RelationLabel>,
    /// How many relations of each label it has.
    pub per_relation_label: BTreeMap<String, usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{0}: not a folder")]
    NotAFolder(PathBuf),
    #[error("{path}: {message}")]
    BadFile { path: PathBuf, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads `spanmark.project.ron` if the folder has one.
pub fn read_project_file(folder: &Path) -> Result<Option<ProjectFile>, ProjectError> {
    let path = folder.join(PROJECT_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(ProjectError::Io { path, source }),
    };
    let pf: ProjectFile = ron::from_str(&text).map_err(|e| ProjectError::BadFile {
        path: path.clone(),
        message: format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code),
    })?;
    if pf.format != PROJECT_FORMAT {
        return Err(ProjectError::BadFile {
            path,
            message: format!("format is {:?}, not {PROJECT_FORMAT:?}", pf.format),
        });
    }
    if let Some(p) = pf.labels.problems().into_iter().next() {
        return Err(ProjectError::BadFile {
            path,
            message: p.to_string(),
        });
    }
    if let Some(message) = crate::model::relation_label_problems(&pf.relation_labels)
        .into_iter()
        .next()
    {
        return Err(ProjectError::BadFile { path, message });
    }
    Ok(Some(pf))
}

/// The folder's project file, or a new one written there (opening a folder makes it a
/// project: the shared settings go in a file there) with the labels its sessions define
/// (`docs`), or the default ones if none has a session. A new file that could not be written
/// is still used, with the reason to tell the person.
pub fn open_or_create(
    folder: &Path,
    annotator: &str,
    docs: &[DocEntry],
) -> Result<(ProjectFile, Option<String>), ProjectError> {
    if let Some(f) = read_project_file(folder)? {
        return Ok((f, None));
    }
    let mut f = ProjectFile::new(annotator.to_owned(), labels_of(docs));
    f.relation_labels = relation_labels_of(docs);
    let said = write_project_file(folder, &f).err().map(|e| {
        format!(
            "Could not write {PROJECT_FILE} in {}: {e}",
            folder.display()
        )
    });
    Ok((f, said))
}

/// Every label the documents' sessions define, first met first (a hotkey already taken is
/// dropped); the default set when there are none.
pub fn labels_of(docs: &[DocEntry]) -> crate::model::LabelSet {
    let mut labels = first_met(docs.iter().flat_map(|d| &d.labels), |l| &l.name);
    crate::model::drop_repeated_keys(&mut labels, |l| &mut l.hotkey);
    if labels.is_empty() {
        return crate::model::LabelSet::default();
    }
    crate::model::LabelSet::new(labels).unwrap_or_default()
}

/// Every relation label the documents' sessions define, first met first (a key already
/// taken is dropped); the default one when there are none.
pub fn relation_labels_of(docs: &[DocEntry]) -> Vec<RelationLabel> {
    let mut labels = first_met(docs.iter().flat_map(|d| &d.relation_labels), |l| &l.name);
    crate::model::drop_repeated_keys(&mut labels, |l| &mut l.hotkey);
    if labels.is_empty() {
        return RelationLabel::defaults();
    }
    labels
}

/// The first of each name, in order.
fn first_met<'a, T: Clone + 'a>(
    items: impl Iterator<Item = &'a T>,
    name: impl Fn(&T) -> &String,
) -> Vec<T> {
    let mut names = std::collections::HashSet::new();
    items
        .filter(|x| names.insert(name(x).clone()))
        .cloned()
        .collect()
}

/// Writes the project file atomically.
pub fn write_project_file(folder: &Path, pf: &ProjectFile) -> std::io::Result<()> {
    write_project_file_to(&folder.join(PROJECT_FILE), pf)
}

/// Writes a project file at `path` atomically.
pub fn write_project_file_to(path: &Path, pf: &ProjectFile) -> std::io::Result<()> {
    let cfg = ron::ser::PrettyConfig::new().escape_strings(false);
    let text = ron::ser::to_string_pretty(pf, cfg).map_err(std::io::Error::other)?;
    write_atomic(path, |w| {
        w.write_all(text.as_bytes())?;
        w.write_all(b"\n")
    })
}

/// An article by its extension (.txt, .md, .html, .docx …); files without one are not.
fn is_article(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        crate::io::article::ARTICLE_EXTENSIONS
            .iter()
            .any(|a| a.eq_ignore_ascii_case(e))
    })
}

/// The project's articles, sorted by path; hidden files and folders are skipped.
pub fn find_articles(folder: &Path) -> Result<Vec<PathBuf>, ProjectError> {
    if !folder.is_dir() {
        return Err(ProjectError::NotAFolder(folder.to_owned()));
    }
    let mut out = Vec::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| ProjectError::Io {
            path: dir.clone(),
            source,
        })?;
        for e in entries.flatten() {
            let p = e.path();
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(_) if is_article(&p) => out.push(p),
                _ => {}
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads what each article's session says (in parallel).
pub fn scan(folder: &Path) -> Result<Vec<DocEntry>, ProjectError> {
    let articles = find_articles(folder)?;
    Ok(par_map(&articles, |a| entry_for(folder, a)))
}

/// The entry for one article, reading its session if it has one.
pub fn entry_for(folder: &Path, article: &Path) -> DocEntry {
    let session = session_path_for(article);
    let name = article
        .strip_prefix(folder)
        .unwrap_or(article)
        .to_string_lossy()
        .into_owned();
    let mut e = DocEntry {
        article: article.to_owned(),
        session: session.clone(),
        name,
        status: Status::New,
        spans: 0,
        per_label: BTreeMap::new(),
        active_secs: 0,
        annotator: String::new(),
        problem: None,
        article_changed: false,
        terms: Vec::new(),
        labels: Vec::new(),
        relation_labels: Vec::new(),
        per_relation_label: BTreeMap::new(),
    };
    match std::fs::read(&session) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => {
            e.status = Status::InProgress;
            e.problem = Some(err.to_string());
        }
        Ok(bytes) => match parse_session(&session, &bytes) {
            Ok(s) => {
                e.update_from(&s);
                e.article_changed = article_changed(article, &s);
            }
            Err(err) => {
                e.status = Status::InProgress;
                e.problem = err.lines().into_iter().next();
            }
        },
    }
    e
}

/// Whether the article on disk is not the one `s` was made from (by the hash of its bytes).
pub fn article_changed(article: &Path, s: &crate::model::Session) -> bool {
    if s.source.sha256.is_empty() {
        return false;
    }
    // Another size is another file, without reading it.
    match std::fs::metadata(article) {
        Ok(m) if m.len() != s.source.bytes => return true,
        Err(_) => return false,
        Ok(_) => {}
    }
    match crate::io::atomic::read_regular(article, crate::io::limits::MAX_ARTICLE_BYTES, "articles")
    {
        Ok(bytes) => crate::io::article::sha256_hex(&bytes) != s.source.sha256,
        Err(_) => false,
    }
}

impl DocEntry {
    /// Takes status, counts and time from a session.
    pub fn update_from(&mut self, s: &crate::model::Session) {
        self.spans = s.annotations().len();
        self.per_label.clear();
        for a in s.annotations() {
            *self.per_label.entry(a.label.clone()).or_default() += 1;
        }
        self.active_secs = s.active_secs;
        self.annotator = s.annotator.clone();
        let mut terms: Vec<(String, String)> = s
            .annotations()
            .iter()
            .map(|a| (s.covered(a).to_owned(), a.label.clone()))
            .collect();
        terms.sort();
        terms.dedup();
        self.terms = terms;
        self.labels = s.labels().iter().cloned().collect();
        self.relation_labels = s.relation_labels().to_vec();
        self.per_relation_label.clear();
        for r in s.relations() {
            *self.per_relation_label.entry(r.label.clone()).or_default() += 1;
        }
        self.status = if s.done {
            Status::Done
        } else {
            Status::InProgress
        };
        self.problem = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_articles_recursively_and_skips_hidden_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        for f in [
            "b.txt",
            "a.md",
            "sub/c.txt",
            ".git/x.txt",
            "notes.pdf",
            "a.spanmark.ron",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let found: Vec<String> = scan(d)
            .unwrap()
            .into_iter()
            .map(|e| e.name.replace('\\', "/"))
            .collect();
        assert_eq!(found, ["a.md", "b.txt", "sub/c.txt"]);
    }

    #[test]
    fn project_file_round_trips_and_a_bad_one_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let mut pf = ProjectFile::new("ann".into(), LabelSet::default());
        pf.guidelines = "# Actors\n\n- people \"and\" countries\n".into();
        write_project_file(dir.path(), &pf).unwrap();
        assert_eq!(read_project_file(dir.path()).unwrap(), Some(pf));
        std::fs::write(
            dir.path().join(PROJECT_FILE),
            "(format: \"spanmark-project\",\n  version: x)",
        )
        .unwrap();
        let err = read_project_file(dir.path()).unwrap_err().to_string();
        assert!(err.contains("spanmark.project.ron: 2:"), "{err}");
    }
}
