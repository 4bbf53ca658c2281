//! `--install-desktop`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `--install-desktop`: the desktop entry, icon and MIME type under the XDG data folder, then
/// the desktop's caches refreshed where their tools exist.
pub(super) fn install_desktop() -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    let data_home = match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".local/share"))
            .context("neither XDG_DATA_HOME nor HOME is set")?,
    };
    let exe = std::env::current_exe().context("could not find this program's path")?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    let written = crate::io::desktop::install(&data_home, &exe)?;
    let mut out = std::io::stdout().lock();
    for f in &written {
        writeln!(out, "wrote {}", f.display())?;
    }
    for (tool, dir) in [
        ("update-desktop-database", "applications"),
        ("update-mime-database", "mime"),
    ] {
        match std::process::Command::new(tool)
            .arg(data_home.join(dir))
            .status()
        {
            Ok(s) if s.success() => writeln!(out, "ran {tool}")?,
            Ok(s) => writeln!(
                out,
                "{tool} failed ({s}); the menu may update at next login"
            )?,
            Err(_) => writeln!(out, "{tool} not found; the menu updates at next login")?,
        }
    }
    writeln!(
        out,
        "Spanmark ({}) is in the desktop's menu.",
        exe.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
