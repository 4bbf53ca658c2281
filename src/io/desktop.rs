//! Installing Spanmark into a Linux desktop's menu: the `.desktop` entry (Exec naming this
//! binary), the icon, and the MIME type of `*.spanmark.ron` sessions, under an XDG data folder
//! (`~/.local/share` by default). Each file is written atomically.

use std::path::{Path, PathBuf};

pub const DESKTOP_ENTRY: &str = include_str!("../../assets/spanmark.desktop");
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/spanmark.png");
pub const ICON_SVG: &str = include_str!("../../assets/spanmark.svg");
pub const MIME_XML: &str = include_str!("../../assets/spanmark-mime.xml");

/// The desktop entry with `Exec` naming `exe` (quoted as the spec asks where needed).
pub fn desktop_entry(exe: &Path) -> String {
    let exe = exe.display().to_string();
    let quoted = if exe.contains([' ', '"', '\\', '`', '$']) {
        let escaped = exe
            .replace('\\', "\\\\\\\\")
            .replace('"', "\\\\\"")
            .replace('`', "\\\\`")
            .replace('$', "\\\\$");
        format!("\"{escaped}\"")
    } else {
        exe
    };
    DESKTOP_ENTRY
        .lines()
        .map(|l| {
            if l.starts_with("Exec=") {
                format!("Exec={quoted} %f")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Writes the entry, the icons and the MIME type under `data_home`; returns the files written.
pub fn install(data_home: &Path, exe: &Path) -> std::io::Result<Vec<PathBuf>> {
    let files: [(PathBuf, Vec<u8>); 4] = [
        (
            data_home.join("applications/spanmark.desktop"),
            desktop_entry(exe).into_bytes(),
        ),
        (
            data_home.join("icons/hicolor/256x256/apps/spanmark.png"),
            ICON_PNG.to_vec(),
        ),
        (
            data_home.join("icons/hicolor/scalable/apps/spanmark.svg"),
            ICON_SVG.as_bytes().to_vec(),
        ),
        (
            data_home.join("mime/packages/spanmark.xml"),
            MIME_XML.as_bytes().to_vec(),
        ),
    ];
    let mut written = Vec::new();
    for (path, bytes) in files {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        super::atomic::write_atomic(&path, |w| w.write_all(&bytes))
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_names_the_binary_and_odd_paths_are_quoted() {
        let e = desktop_entry(Path::new("/usr/local/bin/spanmark"));
        assert!(e.contains("\nExec=/usr/local/bin/spanmark %f\n"), "{e}");
        let e = desktop_entry(Path::new("/home/an editor/bin/spanmark"));
        assert!(
            e.contains("\nExec=\"/home/an editor/bin/spanmark\" %f\n"),
            "{e}"
        );
    }

    #[test]
    fn install_writes_entry_icons_and_mime_type() {
        let dir = tempfile::tempdir().unwrap();
        let files = install(dir.path(), Path::new("/opt/spanmark")).unwrap();
        assert_eq!(files.len(), 4);
        for f in &files {
            assert!(f.exists(), "{}", f.display());
        }
        let entry = std::fs::read_to_string(&files[0]).unwrap();
        assert!(entry.contains("MimeType=application/x-spanmark-session;"));
        assert_eq!(std::fs::read(&files[1]).unwrap(), ICON_PNG);
    }
}
