//! What git says of a project's files, read with the `git` binary (never the network): which
//! have changes not committed, and who committed each last and when. Nothing here writes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One file as git sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStatus {
    /// Changed (or new, or deleted) since the last commit, staged or not.
    pub uncommitted: bool,
    /// Not in the repository yet.
    pub untracked: bool,
    /// Who committed it last, and when (seconds since 1970), if it was ever committed.
    pub last: Option<(String, i64)>,
}

/// The files of the work tree around `folder`, by absolute path; `None` when `folder` is not
/// in a git work tree (or git is not installed). Commits are read newest first, up to
/// `max_commits`, so that a long history costs no more than that.
pub fn read(folder: &Path, max_commits: usize) -> Option<HashMap<PathBuf, FileStatus>> {
    let top = git(folder, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
    let mut out: HashMap<PathBuf, FileStatus> = HashMap::new();
    let status = git(
        folder,
        &[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--",
            ".",
        ],
    )?;
    let mut entries = status.split('\0');
    while let Some(e) = entries.next() {
        if e.len() < 4 {
            continue;
        }
        let (xy, path) = e.split_at(3);
        let f = out.entry(top.join(path)).or_default();
        f.uncommitted = true;
        f.untracked = xy.starts_with("??");
        if xy.starts_with('R') || xy.starts_with('C') {
            entries.next(); // the old name of a rename or copy
        }
    }
    let max = format!("--max-count={max_commits}");
    let log = git(
        folder,
        &[
            "log",
            &max,
            "--format=%x1e%cn%x1f%ct",
            "--name-only",
            "-z",
            "--",
            ".",
        ],
    )?;
    for commit in log.split('\x1e').filter(|c| !c.is_empty()) {
        let (head, files) = commit.split_once('\n').unwrap_or((commit, ""));
        let Some((who, when)) = head.split_once('\x1f') else {
            continue;
        };
        // With -z the header ends in a NUL before the newline.
        let when: i64 = when
            .trim_matches(|c: char| c == '\0' || c.is_whitespace())
            .parse()
            .unwrap_or(0);
        for f in files.split(['\0', '\n']).filter(|f| !f.is_empty()) {
            let e = out.entry(top.join(f)).or_default();
            if e.last.is_none() {
                e.last = Some((who.to_owned(), when));
            }
        }
    }
    Some(out)
}

/// `git ARGS` run in `dir`, its output as text; `None` if it could not run or failed.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let o = Command::new("git")
        .args(["-c", "core.quotePath=off"])
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// "3 min ago", "5 h ago", "2 days ago", "on 2026-11-02": when, said from `now` (seconds).
pub fn ago(when: i64, now: i64) -> String {
    let s = (now - when).max(0);
    match s {
        0..60 => "just now".to_owned(),
        60..3_600 => format!("{} min ago", s / 60),
        3_600..86_400 => format!("{} h ago", s / 3_600),
        86_400..2_592_000 => format!("{} days ago", s / 86_400),
        _ => {
            let day = crate::model::Timestamp(u64::try_from(when).unwrap_or(0)).to_string();
            format!("on {}", day.get(..10).unwrap_or(&day))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ago_reads_like_a_person_says_it() {
        let now = 1_764_928_800; // 2025-12-05 10:00 UTC
        assert_eq!(super::ago(now - 30, now), "just now");
        assert_eq!(super::ago(now - 180, now), "3 min ago");
        assert_eq!(super::ago(now - 5 * 3600, now), "5 h ago");
        assert_eq!(super::ago(now - 2 * 86_400, now), "2 days ago");
        assert_eq!(super::ago(now - 40 * 86_400, now), "on 2025-10-26");
    }
}
