//! The documentation stays true: README's keyboard map is the command table's.

use std::path::Path;

const START: &str =
    "<!-- keyboard-map: generated from src/app/command.rs; UPDATE_README=1 cargo test docs -->\n";
const END: &str = "<!-- keyboard-map end -->";

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
