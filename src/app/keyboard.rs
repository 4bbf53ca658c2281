//! This frame's keys (and dropped files) as actions: the command table's shortcuts, and the
//! labels' hotkeys.
//!
//! Digits go by key position: the digit-row key in position N (and the keypad's N) is N
//! whatever the layout prints there, so `1` tags on AZERTY (where that key types `&`) and
//! Shift+1 tags everywhere (a US keyboard sends `!`). Letters follow the layout, as in every
//! desktop app: Ctrl+Z is the key marked Z.

use super::action::Action;
use super::command::{Command, key_for_hotkey};
use crate::workspace::{Prompt, Workspace};
use egui::{Event, Key, Modifiers};

/// The actions this frame's input asks for. `busy` means a dialog owns the keyboard;
/// `was_typing` that a text field had it at the end of the last frame.
pub fn keyboard(ctx: &egui::Context, ws: &Workspace, busy: bool, was_typing: bool) -> Vec<Action> {
    let typing = ctx.egui_wants_keyboard_input();
    let dialog = busy || ws.notices.prompt.as_ref().is_some_and(Prompt::asks);
    let busy = dialog || typing;
    let focused = ctx.memory(|m| m.focused().is_some());
    let relating = ws.relate.pending.is_some();
    let has_suggestion =
        relating || ws.suggest.current.is_some() || ws.review.current(&ws.doc).is_some();
    let has_span = ws.cursor.selected_span.is_some();
    let mut actions = Vec::new();
    let mut took_navigation = false;
    ctx.input_mut(|i| {
        if !typing {
            by_position(&mut i.events);
        }
        // Escape closes the find bar first, wherever the keyboard is (the selection it made
        // stays, ready for a label's key).
        if ws.find.open && !dialog && i.consume_key(Modifiers::NONE, Key::Escape) {
            actions.push(Action::CloseFind);
        }
        // Escape in a text field (a note) leaves the field, and does nothing more: the
        // selection and the picked relation stay.
        if was_typing && !typing && !dialog {
            i.consume_key(Modifiers::NONE, Key::Escape);
        }
        for &(c, s) in Command::matching_order() {
            // A question or a dialog owns the keyboard: nothing acts behind it (Ctrl+F would
            // open the find bar under it and the typing would go nowhere). A notice that only
            // informs does not: the command runs and closes it.
            if dialog || (busy && (Command::is_plain_key(&s) || matches!(c, Command::Move(..)))) {
                continue;
            }
            // Keys that mean something only in a state: otherwise left to widgets.
            let applicable = match c {
                Command::AcceptSuggestion | Command::RejectSuggestion => has_suggestion,
                Command::EditNote => has_span || ws.relate.selected.is_some(),
                Command::NextSuggestion | Command::PrevSuggestion => !focused,
                _ => true,
            };
            if applicable && i.consume_shortcut(&s) {
                actions.push(Action::Command(c));
                took_navigation |= matches!(
                    c,
                    Command::Move(..) | Command::NextSuggestion | Command::PrevSuggestion
                );
            }
        }
        // Ctrl+C arrives as a Copy event from the platform.
        let copy = Action::Command(Command::Copy);
        if !typing
            && !dialog
            && !actions.contains(&copy)
            && i.events.iter().any(|e| matches!(e, Event::Copy))
        {
            actions.push(copy);
        }
        // While relating (or with a relation picked), digits are the relation labels' keys.
        if !busy && (relating || ws.relate.selected.is_some()) {
            for l in ws.doc.session.relation_labels() {
                if let Some(key) = l.hotkey.and_then(key_for_hotkey)
                    && i.consume_key(Modifiers::NONE, key)
                {
                    actions.push(Action::Relate(crate::workspace::RelateOp::Label(
                        l.name.clone(),
                    )));
                }
            }
        }
        if !busy {
            for l in ws.doc.session.labels().iter() {
                let Some(key) = l.hotkey.and_then(key_for_hotkey) else {
                    continue;
                };
                if i.consume_key(Modifiers::SHIFT, key) {
                    actions.push(Action::TagAll(l.name.clone()));
                } else if i.consume_key(Modifiers::NONE, key) {
                    actions.push(Action::Tag(l.name.clone()));
                }
            }
        }
        if let Some(f) = i.raw.dropped_files.first() {
            actions.push(Action::OpenPath(f.path().to_owned()));
        }
    });
    if took_navigation {
        // Arrows and Tab are ours here, not egui's focus movement.
        ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
    }
    actions
}

/// Key events of the digit row and keypad carry the digit of their position (egui's physical
/// key) instead of the character the layout gives them. With Ctrl, a character of the layout
/// that a shortcut uses keeps its meaning, as browsers do: Ctrl+- on French AZERTY (the key
/// in position 6) zooms out, Ctrl+= on German QWERTZ (Shift + the key in position 0) zooms
/// in; Ctrl + a key whose character no shortcut uses (`à`, `&`) is its digit.
pub fn by_position(events: &mut [Event]) {
    for e in events {
        if let Event::Key {
            key,
            physical_key: Some(p),
            modifiers,
            ..
        } = e
            && is_digit(*p)
        {
            if modifiers.command && Command::has_command_shortcut(*key) {
                continue;
            }
            *key = *p;
        }
    }
}

fn is_digit(k: Key) -> bool {
    matches!(
        k,
        Key::Num0
            | Key::Num1
            | Key::Num2
            | Key::Num3
            | Key::Num4
            | Key::Num5
            | Key::Num6
            | Key::Num7
            | Key::Num8
            | Key::Num9
    )
}
