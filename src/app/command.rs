//! Every user command, defined once: its name, its shortcuts and the menu it lives in. Menus,
//! keyboard handling, the help overlay (F1) and README.md's keyboard map (checked by a test)
//! all come from here. Tagging with a label is not listed: labels are data and each carries
//! its own hotkey.

use crate::workspace::MAX_VERSIONS;
pub use crate::workspace::Motion;
use egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    Open,
    OpenFolder,
    Save,
    SaveAs,
    Export,
    Import,
    Quit,
    Undo,
    Redo,
    Copy,
    DeleteSpan,
    Deselect,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ToggleSnap,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextDoc,
    PrevDoc,
    DoneNext,
    Labels,
    Guidelines,
    Find,
    NextSuggestion,
    PrevSuggestion,
    AcceptSuggestion,
    RejectSuggestion,
    /// Every suggestion shown becomes an annotation, in one undo step.
    PreAnnotate,
    ToggleSuggestions,
    NextAnnotation,
    PrevAnnotation,
    EditNote,
    /// r: relate the selected span to another.
    Relate,
    /// Shift+R: the picked relation the other way round.
    ReverseRelation,
    /// Alt+R: pick the selected span's next relation.
    NextRelation,
    /// View: draw every relation on screen.
    ToggleRelations,
    /// Open another session of this text beside this one: differences marked for curation.
    Compare,
    /// Take annotator A's (0), B's (1), C's (2)… version of the current difference.
    TakeVersion(u8),
    /// Move the caret; `true` extends the selection (Shift).
    Move(Motion, bool),
    Help,
}

impl Motion {
    pub const ALL: [Motion; 8] = [
        Motion::Left,
        Motion::Right,
        Motion::Up,
        Motion::Down,
        Motion::WordLeft,
        Motion::WordRight,
        Motion::LineStart,
        Motion::LineEnd,
    ];

    fn index(self) -> usize {
        self as usize
    }

    fn name(self) -> &'static str {
        match self {
            Motion::Left => "Caret left",
            Motion::Right => "Caret right",
            Motion::Up => "Caret up a line",
            Motion::Down => "Caret down a line",
            Motion::WordLeft => "Caret to previous word",
            Motion::WordRight => "Caret to next word",
            Motion::LineStart => "Caret to line start",
            Motion::LineEnd => "Caret to line end",
        }
    }

    fn select_name(self) -> &'static str {
        match self {
            Motion::Left => "Extend selection left",
            Motion::Right => "Extend selection right",
            Motion::Up => "Extend selection up a line",
            Motion::Down => "Extend selection down a line",
            Motion::WordLeft => "Extend selection to previous word",
            Motion::WordRight => "Extend selection to next word",
            Motion::LineStart => "Extend selection to line start",
            Motion::LineEnd => "Extend selection to line end",
        }
    }
}

/// The names of Alt+1 … Alt+9.
const TAKE_NAMES: [&str; MAX_VERSIONS] = [
    "Take A's version of this difference",
    "Take B's version of this difference",
    "Take C's version of this difference",
    "Take D's version of this difference",
    "Take E's version of this difference",
    "Take F's version of this difference",
    "Take G's version of this difference",
    "Take H's version of this difference",
    "Take I's version of this difference",
];

const fn shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::SHIFT, key)
}

/// Shortcuts of the caret motions, plain then with Shift, in [`Motion::ALL`] order.
const MOVE_KEYS: [[KeyboardShortcut; 1]; 8] = [
    [plain(Key::ArrowLeft)],
    [plain(Key::ArrowRight)],
    [plain(Key::ArrowUp)],
    [plain(Key::ArrowDown)],
    [cmd(Key::ArrowLeft)],
    [cmd(Key::ArrowRight)],
    [plain(Key::Home)],
    [plain(Key::End)],
];
const SELECT_KEYS: [[KeyboardShortcut; 1]; 8] = [
    [shift(Key::ArrowLeft)],
    [shift(Key::ArrowRight)],
    [shift(Key::ArrowUp)],
    [shift(Key::ArrowDown)],
    [cmd_shift(Key::ArrowLeft)],
    [cmd_shift(Key::ArrowRight)],
    [shift(Key::Home)],
    [shift(Key::End)],
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    View,
    /// The project's documents.
    Document,
    Suggestions,
    Help,
    /// Keyboard only (navigation).
    None,
}

const fn cmd(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn cmd_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

const fn alt(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::ALT, key)
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

impl Command {
    /// In the order menus and the help overlay list them (before the versions to take, the
    /// caret motions and Help).
    const FIXED: [Command; 40] = [
        Command::Open,
        Command::OpenFolder,
        Command::Save,
        Command::SaveAs,
        Command::Export,
        Command::Import,
        Command::Compare,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::Copy,
        Command::DeleteSpan,
        Command::Deselect,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ZoomReset,
        Command::ToggleSnap,
        Command::PageUp,
        Command::PageDown,
        Command::Top,
        Command::Bottom,
        Command::NextDoc,
        Command::PrevDoc,
        Command::DoneNext,
        Command::Labels,
        Command::Guidelines,
        Command::Find,
        Command::NextSuggestion,
        Command::PrevSuggestion,
        Command::AcceptSuggestion,
        Command::RejectSuggestion,
        Command::PreAnnotate,
        Command::ToggleSuggestions,
        Command::NextAnnotation,
        Command::PrevAnnotation,
        Command::EditNote,
        Command::Relate,
        Command::ReverseRelation,
        Command::NextRelation,
        Command::ToggleRelations,
    ];

    /// Every command, in the order menus and the help overlay list them.
    pub fn all() -> &'static [Command] {
        static ALL: std::sync::LazyLock<Vec<Command>> = std::sync::LazyLock::new(|| {
            let mut v = Command::FIXED.to_vec();
            v.extend((0..MAX_VERSIONS as u8).map(Command::TakeVersion));
            for extend in [false, true] {
                v.extend(Motion::ALL.iter().map(|&m| Command::Move(m, extend)));
            }
            v.push(Command::Help);
            v
        });
        &ALL
    }

    /// The commands the help overlay and README list: those with a shortcut, the caret
    /// motions once (Shift + any caret key extends the selection: one row says so).
    pub fn listed() -> impl Iterator<Item = Command> {
        Command::all()
            .iter()
            .copied()
            .filter(|c| !matches!(c, Command::Move(_, true)) && !c.shortcuts().is_empty())
    }

    /// Whether some shortcut is Ctrl (Cmd) + `key`.
    pub fn has_command_shortcut(key: Key) -> bool {
        Command::matching_order()
            .iter()
            .any(|(_, s)| s.modifiers.command && s.logical_key == key)
    }

    /// The command a plain key (a label hotkey candidate) already has, if any.
    pub fn reserved_by(k: char) -> Option<String> {
        let key = key_for_hotkey(k)?;
        Command::all()
            .iter()
            .find(|c| {
                c.shortcuts()
                    .iter()
                    .any(|s| Command::is_plain_key(s) && s.logical_key == key)
            })
            .map(|c| c.name().to_owned())
    }

    pub fn name(self) -> &'static str {
        match self {
            Command::Open => "Open…",
            Command::OpenFolder => "Open Folder…",
            Command::Save => "Save",
            Command::SaveAs => "Save As…",
            Command::Export => "Export…",
            Command::Import => "Import…",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::Copy => "Copy selected text",
            Command::DeleteSpan => "Delete selected span",
            Command::Deselect => "Deselect",
            Command::ZoomIn => "Zoom in",
            Command::ZoomOut => "Zoom out",
            Command::ZoomReset => "Reset zoom",
            Command::ToggleSnap => "Snap selection to words",
            Command::PageUp => "Page up",
            Command::PageDown => "Page down",
            Command::Top => "Go to start",
            Command::Bottom => "Go to end",
            Command::NextDoc => "Next document",
            Command::PrevDoc => "Previous document",
            Command::DoneNext => "Mark done, go to next not done",
            Command::Labels => "Labels…",
            Command::Guidelines => "Guidelines",
            Command::Find => "Find…",
            Command::NextSuggestion => "Next suggestion",
            Command::PrevSuggestion => "Previous suggestion",
            Command::AcceptSuggestion => "Accept the suggestion",
            Command::RejectSuggestion => "Reject the suggestion",
            Command::PreAnnotate => "Accept all shown suggestions (pre-annotate)",
            Command::ToggleSuggestions => "Show suggestions",
            Command::NextAnnotation => "Next annotation",
            Command::PrevAnnotation => "Previous annotation",
            Command::EditNote => "Edit the note of the picked relation, else of the selected span",
            Command::Relate => "Relate the selected span to another…",
            Command::ReverseRelation => "Reverse the picked relation",
            Command::NextRelation => "Pick the selected span's next relation",
            Command::ToggleRelations => "Show all relations",
            Command::Compare => "Compare with another session…",
            Command::TakeVersion(k) => TAKE_NAMES[usize::from(k).min(MAX_VERSIONS - 1)],
            Command::Move(m, false) => m.name(),
            Command::Move(m, true) => m.select_name(),
            Command::Help => "Keyboard shortcuts",
        }
    }

    /// The shortcuts, the first one shown in menus. More specific chords come first in
    /// [`Self::ALL`]-independent matching, see [`Self::matching_order`].
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const OPEN: [KeyboardShortcut; 1] = [cmd(Key::O)];
        const SAVE: [KeyboardShortcut; 1] = [cmd(Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [cmd_shift(Key::S)];
        const QUIT: [KeyboardShortcut; 1] = [cmd(Key::Q)];
        const EXPORT: [KeyboardShortcut; 1] = [cmd(Key::E)];
        const IMPORT: [KeyboardShortcut; 1] = [cmd(Key::I)];
        const UNDO: [KeyboardShortcut; 1] = [cmd(Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [cmd_shift(Key::Z), cmd(Key::Y)];
        const COPY: [KeyboardShortcut; 1] = [cmd(Key::C)];
        const DELETE: [KeyboardShortcut; 2] = [plain(Key::Delete), plain(Key::Backspace)];
        const DESELECT: [KeyboardShortcut; 1] = [plain(Key::Escape)];
        const ZOOM_IN: [KeyboardShortcut; 2] = [cmd(Key::Equals), cmd(Key::Plus)];
        const ZOOM_OUT: [KeyboardShortcut; 1] = [cmd(Key::Minus)];
        const ZOOM_RESET: [KeyboardShortcut; 1] = [cmd(Key::Num0)];
        const PAGE_UP: [KeyboardShortcut; 1] = [plain(Key::PageUp)];
        const PAGE_DOWN: [KeyboardShortcut; 2] = [plain(Key::PageDown), plain(Key::Space)];
        const TOP: [KeyboardShortcut; 1] = [cmd(Key::Home)];
        const BOTTOM: [KeyboardShortcut; 1] = [cmd(Key::End)];
        const HELP: [KeyboardShortcut; 1] = [plain(Key::F1)];
        const OPEN_FOLDER: [KeyboardShortcut; 1] = [cmd_shift(Key::O)];
        const NEXT_DOC: [KeyboardShortcut; 1] = [alt(Key::ArrowRight)];
        const PREV_DOC: [KeyboardShortcut; 1] = [alt(Key::ArrowLeft)];
        const DONE_NEXT: [KeyboardShortcut; 1] = [cmd(Key::Enter)];
        const LABELS: [KeyboardShortcut; 1] = [cmd(Key::L)];
        const GUIDELINES: [KeyboardShortcut; 1] = [plain(Key::F2)];
        const FIND: [KeyboardShortcut; 1] = [cmd(Key::F)];
        const NEXT_SUGGESTION: [KeyboardShortcut; 1] = [plain(Key::Tab)];
        const PREV_SUGGESTION: [KeyboardShortcut; 1] = [shift(Key::Tab)];
        const ACCEPT: [KeyboardShortcut; 1] = [plain(Key::Enter)];
        const REJECT: [KeyboardShortcut; 1] = [plain(Key::X)];
        const PRE_ANNOTATE: [KeyboardShortcut; 1] = [cmd_shift(Key::Enter)];
        // Ctrl+] and Ctrl+[ need AltGr on German and French keyboards: Alt+↓ / Alt+↑ too.
        const NEXT_ANNOTATION: [KeyboardShortcut; 2] =
            [cmd(Key::CloseBracket), alt(Key::ArrowDown)];
        const PREV_ANNOTATION: [KeyboardShortcut; 2] = [cmd(Key::OpenBracket), alt(Key::ArrowUp)];
        const NOTE: [KeyboardShortcut; 1] = [plain(Key::N)];
        const RELATE: [KeyboardShortcut; 1] = [plain(Key::R)];
        const REVERSE: [KeyboardShortcut; 1] = [shift(Key::R)];
        const NEXT_RELATION: [KeyboardShortcut; 1] = [alt(Key::R)];
        const COMPARE: [KeyboardShortcut; 1] = [cmd_shift(Key::M)];
        const TAKE: [[KeyboardShortcut; 1]; MAX_VERSIONS] = [
            [alt(Key::Num1)],
            [alt(Key::Num2)],
            [alt(Key::Num3)],
            [alt(Key::Num4)],
            [alt(Key::Num5)],
            [alt(Key::Num6)],
            [alt(Key::Num7)],
            [alt(Key::Num8)],
            [alt(Key::Num9)],
        ];
        match self {
            Command::Compare => &COMPARE,
            Command::TakeVersion(i) => &TAKE[usize::from(i).min(MAX_VERSIONS - 1)],
            Command::Find => &FIND,
            Command::NextSuggestion => &NEXT_SUGGESTION,
            Command::PrevSuggestion => &PREV_SUGGESTION,
            Command::AcceptSuggestion => &ACCEPT,
            Command::RejectSuggestion => &REJECT,
            Command::PreAnnotate => &PRE_ANNOTATE,
            Command::ToggleSuggestions => &[],
            Command::NextAnnotation => &NEXT_ANNOTATION,
            Command::PrevAnnotation => &PREV_ANNOTATION,
            Command::EditNote => &NOTE,
            Command::Relate => &RELATE,
            Command::ReverseRelation => &REVERSE,
            Command::NextRelation => &NEXT_RELATION,
            Command::ToggleRelations => &[],
            Command::Move(m, false) => &MOVE_KEYS[m.index()],
            Command::Move(m, true) => &SELECT_KEYS[m.index()],
            Command::Open => &OPEN,
            Command::OpenFolder => &OPEN_FOLDER,
            Command::NextDoc => &NEXT_DOC,
            Command::PrevDoc => &PREV_DOC,
            Command::DoneNext => &DONE_NEXT,
            Command::Labels => &LABELS,
            Command::Guidelines => &GUIDELINES,
            Command::Save => &SAVE,
            Command::SaveAs => &SAVE_AS,
            Command::Quit => &QUIT,
            Command::Export => &EXPORT,
            Command::Import => &IMPORT,
            Command::Undo => &UNDO,
            Command::Redo => &REDO,
            Command::Copy => &COPY,
            Command::DeleteSpan => &DELETE,
            Command::Deselect => &DESELECT,
            Command::ZoomIn => &ZOOM_IN,
            Command::ZoomOut => &ZOOM_OUT,
            Command::ZoomReset => &ZOOM_RESET,
            Command::ToggleSnap => &[],
            Command::PageUp => &PAGE_UP,
            Command::PageDown => &PAGE_DOWN,
            Command::Top => &TOP,
            Command::Bottom => &BOTTOM,
            Command::Help => &HELP,
        }
    }

    /// A menu draws a separator before this command (it starts a group).
    pub fn starts_group(self) -> bool {
        matches!(
            self,
            Command::Save | Command::Export | Command::Compare | Command::Quit
        )
    }

    pub fn menu(self) -> Menu {
        match self {
            Command::Open
            | Command::OpenFolder
            | Command::Save
            | Command::SaveAs
            | Command::Export
            | Command::Import
            | Command::Compare
            | Command::Quit => Menu::File,
            Command::Undo
            | Command::Redo
            | Command::Copy
            | Command::DeleteSpan
            | Command::Deselect
            | Command::Labels
            | Command::Find
            | Command::EditNote
            | Command::Relate
            | Command::ReverseRelation
            | Command::NextRelation => Menu::Edit,
            Command::NextSuggestion
            | Command::PrevSuggestion
            | Command::AcceptSuggestion
            | Command::RejectSuggestion
            | Command::PreAnnotate
            | Command::TakeVersion(_) => Menu::Suggestions,
            Command::NextAnnotation | Command::PrevAnnotation | Command::Move(..) => Menu::None,
            Command::ZoomIn
            | Command::ZoomOut
            | Command::ZoomReset
            | Command::ToggleSnap
            | Command::Guidelines
            | Command::ToggleSuggestions
            | Command::ToggleRelations => Menu::View,
            Command::NextDoc | Command::PrevDoc | Command::DoneNext => Menu::Document,
            Command::PageUp | Command::PageDown | Command::Top | Command::Bottom => Menu::None,
            Command::Help => Menu::Help,
        }
    }

    /// Plain-key shortcuts (no Ctrl) must not fire while a text field has focus.
    pub fn is_plain_key(shortcut: &KeyboardShortcut) -> bool {
        !shortcut.modifiers.command && !shortcut.modifiers.ctrl
    }

    /// Every (command, shortcut) pair, most modifiers first, so that Ctrl+Shift+S is
    /// matched before Ctrl+S (egui ignores extra Shift when matching).
    pub fn matching_order() -> &'static [(Command, KeyboardShortcut)] {
        static ORDER: std::sync::LazyLock<Vec<(Command, KeyboardShortcut)>> =
            std::sync::LazyLock::new(Command::sorted_shortcuts);
        &ORDER
    }

    fn sorted_shortcuts() -> Vec<(Command, KeyboardShortcut)> {
        let mut all: Vec<(Command, KeyboardShortcut)> = Self::all()
            .iter()
            .flat_map(|c| c.shortcuts().iter().map(move |s| (*c, *s)))
            .collect();
        all.sort_by_key(|(_, s)| {
            std::cmp::Reverse(
                u8::from(s.modifiers.shift)
                    + u8::from(s.modifiers.alt)
                    + u8::from(s.modifiers.command),
            )
        });
        all
    }
}

/// What the mouse does in the article (listed in the help overlay and README).
pub const MOUSE: [(&str, &str); 8] = [
    ("Select text", "drag"),
    ("Select exact characters", "Alt + drag"),
    ("Select a word", "double-click"),
    ("Extend the selection", "Shift + click"),
    ("Select a span; again for the next nested one", "click"),
    ("Extend the selection with the caret", "Shift + caret key"),
    (
        "Tag the selection everywhere it occurs (whole words)",
        "Shift + label key",
    ),
    ("Relabel, note or delete a span", "right-click"),
];

/// Modifier names as README writes them, with keys as symbols (`Ctrl+]`, `Alt+⏵`).
const README_NAMES: egui::ModifierNames<'static> = egui::ModifierNames {
    is_short: true,
    alt: "Alt",
    ctrl: "Ctrl",
    shift: "Shift",
    mac_cmd: "Cmd",
    mac_alt: "Option",
    concat: "+",
};

/// A shortcut as README and the help name it (`Ctrl+Shift+Z`, `Alt+⏷`).
pub fn shortcut_name(s: &KeyboardShortcut) -> String {
    s.format(&README_NAMES, false)
}

/// README's keyboard map, generated from the table (a test keeps README in step).
pub fn keyboard_map() -> String {
    let mut out = String::from("| Keys | Command |\n|---|---|\n");
    out.push_str(
        "| `1`, `2`, `3`, … | Tag the selection with that label (its hotkey), or relabel the selected span |\n",
    );
    for c in Command::listed() {
        let keys: Vec<String> = c
            .shortcuts()
            .iter()
            .map(|s| format!("`{}`", shortcut_name(s)))
            .collect();
        out.push_str(&format!("| {} | {} |\n", keys.join(" or "), c.name()));
    }
    for (what, how) in MOUSE {
        out.push_str(&format!("| {how} | {what} |\n"));
    }
    out
}

/// The egui key for a label's hotkey character, if it has one.
pub fn key_for_hotkey(c: char) -> Option<Key> {
    Key::from_name(&c.to_ascii_uppercase().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique() {
        let all = Command::matching_order();
        for (i, (c, s)) in all.iter().enumerate() {
            for (d, t) in &all[i + 1..] {
                assert!(s != t, "{c:?} and {d:?} share a shortcut");
            }
        }
        assert_eq!(
            all[0].1.modifiers,
            Modifiers::COMMAND.plus(Modifiers::SHIFT)
        );
    }

    #[test]
    fn hotkeys_map_to_keys() {
        assert_eq!(key_for_hotkey('1'), Some(Key::Num1));
        assert_eq!(key_for_hotkey('a'), Some(Key::A));
    }
}
