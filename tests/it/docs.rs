//! The documentation stays true: README's keyboard map is the command table's.

use std::path::Path;

#[cfg(feature = "gui")]
const START: &str =
    "<!-- keyboard-map: generated from src/app/command.rs; UPDATE_README=1 cargo test docs -->\n";
#[cfg(feature = "gui")]
const END: &str = "<!-- keyboard-map end -->";

#[cfg(feature = "gui")]
#[test]
fn readme_keyboard_map_is_the_command_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let want = spanmark::app::command::keyboard_map();
    let (Some(i), Some(j)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md has no keyboard-map markers");
    };
    let have = &readme[i + START.len()..j];
    if have != want {
        if std::env::var_os("UPDATE_README").is_some() {
            let new = format!("{}{START}{want}{}", &readme[..i], &readme[j..]);
            std::fs::write(&path, new).unwrap();
            return;
        }
        panic!(
            "README.md's keyboard map differs from the command table; run `UPDATE_README=1 cargo test docs`.\nwant:\n{want}"
        );
    }
}

/// The desktop entry is valid (`desktop-file-validate`, which tests/run.sh installs).
#[test]
fn the_desktop_entry_validates() {
    let entry = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/spanmark.desktop");
    let out = std::process::Command::new("desktop-file-validate")
        .arg(&entry)
        .output()
        .expect("desktop-file-validate is needed (apt-get install desktop-file-utils)");
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.trim().is_empty(), "{said}");
}

/// `spanmark --install-desktop` puts the entry (naming this binary), the icon and the MIME
/// type under XDG_DATA_HOME.
#[test]
fn install_desktop_writes_the_menu_entry() {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg("--install-desktop")
        .env("XDG_DATA_HOME", home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let entry = std::fs::read_to_string(home.path().join("applications/spanmark.desktop")).unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_spanmark")).unwrap();
    assert!(
        entry.contains(&format!("Exec={} %f", exe.display())),
        "{entry}"
    );
    assert!(
        home.path()
            .join("icons/hicolor/256x256/apps/spanmark.png")
            .exists()
    );
    assert!(home.path().join("mime/packages/spanmark.xml").exists());
}
