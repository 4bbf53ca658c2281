//! The journal: every edit, one RON line each, appended and fsynced by a background thread
//! within a fraction of a second, so that a crash or power loss loses nothing older than that.
//!
//! `news.spanmark.ron` has its journal at `news.spanmark.ron.journal`. The first line names
//! the state the edits apply to: the SHA-256 of the session file as last saved (empty when
//! there was none) and of the article text. A save makes the journal empty again; opening a
//! document with a journal replays it onto the saved session and tells the user.

use crate::model::{Edit, Session};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

pub const JOURNAL_FORMAT: &str = "spanmark-journal";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalHeader {
    pub format: String,
    pub version: u32,
    /// SHA-256 of the session file the edits apply to; empty when it did not exist.
    pub session_sha256: String,
    /// SHA-256 of the document text, so a journal never lands on another text.
    pub text_sha256: String,
}

impl JournalHeader {
    pub fn new(session_sha256: &str, session: &Session) -> Self {
        Self {
            format: JOURNAL_FORMAT.into(),
            version: 1,
            session_sha256: session_sha256.into(),
            text_sha256: crate::io::article::sha256_hex(session.text().as_bytes()),
        }
    }
}

/// The journal beside a session file.
pub fn journal_path(session_path: &Path) -> PathBuf {
    let mut name = session_path.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// Where a journal goes when the session's folder cannot be written: a folder of the user's
/// own, the file named after the session's full path.
pub fn fallback_journal_path(fallback_dir: &Path, session_path: &Path) -> PathBuf {
    let abs = std::path::absolute(session_path).unwrap_or_else(|_| session_path.to_owned());
    let hash = crate::io::article::sha256_hex(abs.as_os_str().as_encoded_bytes());
    fallback_dir.join(format!("{}.journal", &hash[..32]))
}

/// A journal read back.
#[derive(Debug, Default)]
pub struct Recovered {
    pub header: Option<JournalHeader>,
    pub edits: Vec<Edit>,
    /// Lines that could not be read (a line cut short by a crash, say), as `LINE: problem`.
    pub problems: Vec<String>,
}

/// Reads a journal. A missing file is an empty journal.
pub fn read_journal(path: &Path) -> std::io::Result<Recovered> {
    let text = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Recovered::default()),
        Err(e) => return Err(e),
    };
    Ok(parse_journal(&text))
}

/// Reads a journal's text: the header, then one edit a line; bad lines are reported.
pub fn parse_journal(text: &str) -> Recovered {
    let mut out = Recovered::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if i == 0 {
            match ron::from_str::<JournalHeader>(line) {
                Ok(h) if h.format == JOURNAL_FORMAT => out.header = Some(h),
                _ => {
                    out.problems
                        .push("1: not a Spanmark journal header; journal ignored".into());
                    return out;
                }
            }
            continue;
        }
        match ron::from_str::<Edit>(line) {
            Ok(e) => out.edits.push(e),
            Err(e) => out.problems.push(format!("{}: {e}", i + 1)),
        }
    }
    out
}

enum Msg {
    /// Start the journal afresh with this header (after a save, or when first needed).
    Reset(String),
    Append(Vec<String>),
    /// Remove the journal file (the session was saved); the reply says it is gone.
    Remove(mpsc::Sender<()>),
    /// Reply once everything before is on disk (or has failed, with the error set).
    Sync(mpsc::Sender<()>),
}

/// Appends edits to a journal on a background thread; `record` never blocks on the disk.
/// Write failures are reported through [`JournalWriter::error`].
pub struct JournalWriter {
    tx: Option<mpsc::Sender<Msg>>,
    thread: Option<std::thread::JoinHandle<()>>,
    path: PathBuf,
    error: std::sync::Arc<std::sync::Mutex<Option<String>>>,
    header: String,
    has_header_on_disk: bool,
}

impl JournalWriter {
    /// A writer for `path`. When `keep` the existing file is appended to (its edits were just
    /// replayed); otherwise the journal starts when the first edit comes.
    pub fn new(path: PathBuf, header: &JournalHeader, keep: bool) -> Self {
        let (tx, rx) = mpsc::channel::<Msg>();
        let error = std::sync::Arc::new(std::sync::Mutex::new(None));
        let err2 = error.clone();
        let p = path.clone();
        let thread = match std::thread::Builder::new()
            .name("journal".into())
            .spawn(move || run(&p, &rx, &err2))
        {
            Ok(t) => Some(t),
            Err(e) => {
                // No writer: say so through `error`, so that the user learns recovery is off.
                set_error(&error, format!("could not start the journal writer: {e}"));
                None
            }
        };
        let mut w = Self {
            tx: thread.is_some().then_some(tx),
            thread,
            path,
            error,
            header: String::new(),
            has_header_on_disk: keep,
        };
        w.header = w.serialise(header);
        w
    }

    /// One journal line; a value that cannot be written is reported, never skipped quietly.
    fn serialise<T: serde::Serialize>(&self, value: &T) -> String {
        ron::to_string(value).unwrap_or_else(|e| {
            set_error(&self.error, format!("could not write a journal line: {e}"));
            String::new()
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records applied edits.
    pub fn record(&mut self, edits: &[Edit]) {
        if edits.is_empty() {
            return;
        }
        let lines: Vec<String> = edits.iter().map(|e| self.serialise(e)).collect();
        if !self.has_header_on_disk {
            self.send(Msg::Reset(self.header.clone()));
            self.has_header_on_disk = true;
        }
        self.send(Msg::Append(lines));
    }

    /// The session was saved: later edits apply to this new state. Waits (briefly) until the
    /// old journal is gone, so that a crash right after a save never finds a stale one.
    pub fn saved(&mut self, header: &JournalHeader) {
        self.header = self.serialise(header);
        self.has_header_on_disk = false;
        let (tx, rx) = mpsc::channel();
        self.send(Msg::Remove(tx));
        let _ = rx.recv_timeout(std::time::Duration::from_secs(2));
    }

    /// The last write failure, if the journal could not be written.
    pub fn error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }

    fn send(&self, m: Msg) {
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(m).is_ok());
        if !sent && self.error().is_none() {
            set_error(&self.error, "the journal writer stopped".to_owned());
        }
    }

    /// Waits (at most 10 s) until everything sent so far is on disk, or its failure is in
    /// [`Self::error`].
    pub fn sync(&self) {
        let (tx, rx) = mpsc::channel();
        self.send(Msg::Sync(tx));
        let _ = rx.recv_timeout(std::time::Duration::from_secs(10));
    }
}

fn set_error(slot: &std::sync::Mutex<Option<String>>, message: String) {
    // A poisoned lock still holds the slot; the message must get through.
    let mut e = slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    e.get_or_insert(message);
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(path: &Path, rx: &mpsc::Receiver<Msg>, error: &std::sync::Mutex<Option<String>>) {
    let mut file: Option<std::fs::File> = None;
    let set_error = |e: Option<String>| {
        if let Ok(mut g) = error.lock() {
            *g = e;
        }
    };
    while let Ok(first) = rx.recv() {
        // Take everything queued, then write and sync once.
        let mut batch = vec![first];
        while let Ok(m) = rx.try_recv() {
            batch.push(m);
        }
        // Those waiting are answered once the whole batch is written or has failed.
        let mut waiting = Vec::new();
        batch.retain(|m| match m {
            Msg::Sync(done) => {
                waiting.push(done.clone());
                false
            }
            _ => true,
        });
        // A batch of only syncs writes nothing: it neither clears nor sets a failure.
        let writes = !batch.is_empty();
        let result = (|| -> std::io::Result<()> {
            let mut dirty = false;
            for m in batch {
                match m {
                    Msg::Sync(_) => {}
                    Msg::Remove(done) => {
                        file = None;
                        let removed = std::fs::remove_file(path);
                        let _ = done.send(());
                        match removed {
                            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                            _ => {}
                        }
                    }
                    Msg::Reset(header) => {
                        let mut f = std::fs::File::create(path)?;
                        writeln!(f, "{header}")?;
                        file = Some(f);
                        dirty = true;
                        if let Some(dir) = path.parent()
                            && let Ok(d) = std::fs::File::open(dir)
                        {
                            let _ = d.sync_all();
                        }
                    }
                    Msg::Append(lines) => {
                        if file.is_none() {
                            file = Some(std::fs::OpenOptions::new().append(true).open(path)?);
                        }
                        if let Some(f) = file.as_mut() {
                            let mut buf = String::new();
                            for l in lines {
                                buf.push_str(&l);
                                buf.push('\n');
                            }
                            f.write_all(buf.as_bytes())?;
                            dirty = true;
                        }
                    }
                }
            }
            if dirty && let Some(f) = file.as_ref() {
                f.sync_data()?;
            }
            Ok(())
        })();
        match result {
            Ok(()) if !writes => {}
            Ok(()) => set_error(None),
            Err(e) => {
                file = None;
                set_error(Some(format!("{}: {e}", path.display())));
            }
        }
        for done in waiting {
            let _ = done.send(());
        }
    }
}

/// Replays a journal's edits onto `session` through `apply`; returns how many applied and
/// problems for those that did not (which, with the header checked, means a damaged journal).
pub fn replay(
    recovered: &Recovered,
    mut apply: impl FnMut(Edit) -> Result<(), crate::model::EditError>,
) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut problems = recovered.problems.clone();
    for (i, e) in recovered.edits.iter().enumerate() {
        match apply(e.clone()) {
            Ok(()) => n += 1,
            Err(err) => problems.push(format!("edit {}: {err}", i + 1)),
        }
    }
    (n, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, LabelSet, Source};

    #[test]
    fn edits_written_are_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.spanmark.ron.journal");
        let mut s = Session::new(
            Document::new("De EU en Japan"),
            LabelSet::default(),
            Source::default(),
            "t".into(),
        );
        let header = JournalHeader::new("", &s);
        let mut w = JournalWriter::new(path.clone(), &header, false);
        let a = s.new_annotation(3, 5, "actor");
        let b = s.new_annotation(9, 14, "actor");
        w.record(&[Edit::Add(a.clone())]);
        w.record(&[Edit::Add(b.clone()), Edit::relabel(b.id, "topic")]);
        w.sync();
        let r = read_journal(&path).unwrap();
        assert_eq!(r.header, Some(header));
        assert_eq!(r.edits.len(), 3);
        assert_eq!(r.edits[0], Edit::Add(a));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn a_line_cut_short_is_reported_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        std::fs::write(
            &path,
            "(format:\"spanmark-journal\",version:1,session_sha256:\"\",text_sha256:\"x\")\nRemove(3)\nRelabel(id:3,lab",
        )
        .unwrap();
        let r = read_journal(&path).unwrap();
        assert_eq!(r.edits, vec![Edit::Remove(crate::model::AnnotationId(3))]);
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].starts_with("3:"), "{:?}", r.problems);
    }
}
