//! Atomic file replacement: write a temp file in the same folder, fsync it, rename it over
//! the target, fsync the folder. A failure at any point leaves the old file untouched.

use std::io::{BufWriter, Write};
use std::path::Path;

/// Reads a whole regular file. A FIFO, device or folder is refused without opening it (a
/// FIFO would block the reader until someone writes to it).
pub fn read_regular(path: &Path, max: u64, what: &str) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device or folder); not read",
        ));
    }
    if meta.len() > max {
        return Err(crate::io::limits::too_large(meta.len(), max, what));
    }
    // Read no more than the limit even if the file grows meanwhile.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path)?, max + 1),
        &mut bytes,
    )?;
    if bytes.len() as u64 > max {
        return Err(crate::io::limits::too_large(bytes.len() as u64, max, what));
    }
    Ok(bytes)
}

/// Writes `path` atomically with what `write` produces.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = parent_of(path);
    // A rename would replace a read-only file without complaint; the user made it read-only
    // for a reason.
    if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let mut tmp = temp_builder().tempfile_in(dir)?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    // Keep the permissions of the file being replaced.
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(dir) {
        // Not every platform can fsync a folder; the rename itself has happened.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Creates many new files at once, each atomically and durably, never replacing an existing
/// file: every temp file is written first, then all are flushed to disk together (one
/// `syncfs` on Linux, one `fsync` per file elsewhere), then each is renamed into place
/// without clobbering, then each folder is fsynced once. The guarantees are those of
/// [`write_atomic`] per file; the cost is one flush instead of one per file.
///
/// `on_done` is called as each file is written (for progress). Returns one result per
/// item, in order; an item whose target exists fails and leaves that file as it was.
pub fn create_all_atomic<T: Sync>(
    items: &[(std::path::PathBuf, T)],
    threads: usize,
    write: impl Fn(&T, &mut dyn Write) -> std::io::Result<()> + Sync,
    on_done: impl Fn() + Sync,
) -> Vec<std::io::Result<()>> {
    use crate::io::par::par_map_on;
    // 1. Temp files beside their targets.
    let temps = par_map_on(threads, items, |(path, value)| {
        let dir = parent_of(path);
        let mut tmp = temp_builder().tempfile_in(dir)?;
        {
            let mut w = BufWriter::new(tmp.as_file_mut());
            write(value, &mut w)?;
            w.flush()?;
        }
        on_done();
        // Closed at once (the path stays): thousands of files never hold thousands of
        // descriptors (the usual limit is 1,024).
        Ok(tmp.into_temp_path())
    });
    // 2. One flush for all of them.
    let synced = sync_files(&temps);
    // 3. Into place, never over an existing file.
    let out: Vec<std::io::Result<()>> = temps
        .into_iter()
        .zip(items)
        .map(|(tmp, (path, _))| {
            let tmp = tmp?;
            synced
                .as_ref()
                .map_err(|e| std::io::Error::new(e.kind(), e.to_string()))?;
            tmp.persist_noclobber(path).map_err(|e| e.error)?;
            Ok(())
        })
        .collect();
    // 4. Each folder once.
    let dirs: std::collections::BTreeSet<&Path> = items.iter().map(|(p, _)| parent_of(p)).collect();
    for d in dirs {
        if let Ok(d) = std::fs::File::open(d) {
            let _ = d.sync_all();
        }
    }
    out
}

/// `.spanmark-PID-`: a temp file names the process that writes it, so that a later run can
/// tell one left by a killed run (its process is gone) from one being written now.
static TEMP_PREFIX: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!(".spanmark-{}-", std::process::id()));

/// Removes the temp files a killed run left in `dir` (those whose process is gone); returns
/// them. Only on Linux, where a process's liveness can be read in /proc.
pub fn remove_stale_temps(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut removed = Vec::new();
    if !cfg!(target_os = "linux") {
        return removed;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(".spanmark-")
            .filter(|_| name.ends_with(".tmp"))
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new(&format!("/proc/{pid}")).exists();
        if !alive
            && e.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed.push(e.path());
        }
    }
    removed
}

/// Temp files named so a later run can recognise them, created with the mode a new file gets
/// (0666 less the umask, as the user expects), not tempfile's private 0600: the file keeps
/// that mode when it is renamed into place.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    let prefix: &'static str = TEMP_PREFIX.as_str();
    b.prefix(prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes every written temp file durable (opening one file at a time).
fn sync_files(temps: &[std::io::Result<tempfile::TempPath>]) -> std::io::Result<()> {
    let paths: Vec<&Path> = temps
        .iter()
        .filter_map(|t| t.as_ref().ok())
        .map(|t| &**t)
        .collect();
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;
        // syncfs flushes the whole file system holding the file in one go; the files may
        // sit on different file systems, so once per distinct device.
        let mut seen = std::collections::HashSet::new();
        for p in paths {
            let f = std::fs::File::open(p)?;
            if seen.insert(f.metadata()?.dev()) {
                // SAFETY: syncfs only reads the descriptor, which `f` keeps open.
                if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        for p in paths {
            std::fs::File::open(p)?.sync_all()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_every_file_and_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        let items: Vec<(std::path::PathBuf, String)> = (0..100)
            .map(|i| (dir.path().join(format!("f{i}.txt")), format!("file {i}")))
            .collect();
        std::fs::write(&items[7].0, "precious").unwrap();
        let count = std::sync::atomic::AtomicUsize::new(0);
        let results = create_all_atomic(
            &items,
            4,
            |v, w| w.write_all(v.as_bytes()),
            || {
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            },
        );
        assert_eq!(count.into_inner(), 100);
        for (i, (r, (path, v))) in results.iter().zip(&items).enumerate() {
            if i == 7 {
                assert_eq!(
                    r.as_ref().unwrap_err().kind(),
                    std::io::ErrorKind::AlreadyExists
                );
                assert_eq!(std::fs::read_to_string(path).unwrap(), "precious");
            } else {
                assert!(r.is_ok(), "{r:?}");
                assert_eq!(&std::fs::read_to_string(path).unwrap(), v);
            }
        }
        // No temp file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 100);
    }
}
