//! Word snapping for selections, by Unicode word boundaries (UAX #29). Pure: no egui.

use crate::model::Document;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Characters trimmed from the edges of a snapped selection besides whitespace.
pub fn is_edge_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '‘' | '’'
                | '‚'
                | '“'
                | '”'
                | '„'
                | '«'
                | '»'
                | '‹'
                | '›'
                | '–'
                | '—'
                | '…'
                | '·'
                | '¿'
                | '¡'
                | '、'
                | '。'
                | '「'
                | '」'
                | '『'
                | '』'
                | '（'
                | '）'
                | '，'
                | '．'
                | '！'
                | '？'
                | '：'
                | '；'
                | '・'
                | '\u{a0}'
        )
}

/// The line (paragraph) around char `pos`, as a char range excluding its newline.
fn line_around(doc: &Document, pos: usize) -> Range<usize> {
    let text = doc.text();
    let byte = doc.char_to_byte(pos).unwrap_or(text.len());
    let start_b = text[..byte].rfind('\n').map_or(0, |i| i + 1);
    let end_b = text[byte..].find('\n').map_or(text.len(), |i| byte + i);
    let start = doc.byte_to_char(start_b).unwrap_or(0);
    let end = doc.byte_to_char(end_b).unwrap_or(doc.char_len());
    start..end
}

/// The word-bound segment (UAX #29) containing char `pos`, as a char range.
pub fn segment_at(doc: &Document, pos: usize) -> Option<Range<usize>> {
    let line = line_around(doc, pos);
    if pos >= line.end {
        return None;
    }
    let line_text = doc.slice(line.clone())?;
    let mut c = line.start;
    for seg in line_text.split_word_bounds() {
        let n = seg.chars().count();
        if pos < c + n {
            return Some(c..c + n);
        }
        c += n;
    }
    None
}

/// The word at `pos` (for double-click): a segment holding a letter, digit or symbol.
pub fn word_at(doc: &Document, pos: usize) -> Option<Range<usize>> {
    let seg = segment_at(doc, pos)?;
    let text = doc.slice(seg.clone())?;
    let wordy = text
        .chars()
        .any(|c| !c.is_whitespace() && !is_edge_punctuation(c));
    wordy.then_some(seg)
}

/// Trims whitespace and edge punctuation from both ends of a char range.
pub fn trim(doc: &Document, range: Range<usize>) -> Range<usize> {
    let Some(text) = doc.slice(range.clone()) else {
        return range;
    };
    let skip = |c: char| c.is_whitespace() || is_edge_punctuation(c);
    let lead = text.chars().take_while(|&c| skip(c)).count();
    if lead == range.len() {
        return range.start..range.start;
    }
    let trail = text.chars().rev().take_while(|&c| skip(c)).count();
    range.start + lead..range.end - trail
}

/// Widens a selection to whole words, then trims spaces and punctuation at its edges.
pub fn snap(doc: &Document, range: Range<usize>) -> Range<usize> {
    if range.is_empty() {
        return range;
    }
    let start = segment_at(doc, range.start).map_or(range.start, |s| s.start);
    let end = segment_at(doc, range.end - 1).map_or(range.end, |s| s.end);
    trim(doc, start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapped(text: &str, sel: &str) -> String {
        let doc = Document::new(text);
        let b = text.find(sel).unwrap();
        let s = doc.byte_to_char(b).unwrap();
        let e = s + sel.chars().count();
        doc.slice(snap(&doc, s..e)).unwrap().to_owned()
    }

    #[test]
    fn snaps_to_words_and_trims() {
        let t = "De EU en Japan versterken, (samen) het EU AI-kantoor.";
        assert_eq!(snapped(t, "apa"), "Japan");
        assert_eq!(snapped(t, "n Jap"), "en Japan");
        assert_eq!(snapped(t, " Japan "), "Japan");
        assert_eq!(snapped(t, "versterken, "), "versterken");
        assert_eq!(snapped(t, "(samen)"), "samen");
        assert_eq!(snapped(t, "U AI-kant"), "EU AI-kantoor");
        assert_eq!(snapped(t, ", ("), "");
    }

    #[test]
    fn snaps_in_other_scripts() {
        assert_eq!(snapped("the café’s 👨🏻‍🚒 team", "af"), "café’s");
        assert_eq!(
            snapped("Cafe\u{301} de\u{301}ja\u{300} vu", "fe"),
            "Cafe\u{301}"
        );
        assert_eq!(snapped("I met 👨🏻‍🚒 there", "👨"), "👨🏻‍🚒");
        assert_eq!(snapped("日本と欧州連合は", "欧州"), "欧州");
    }

    #[test]
    fn double_click_word() {
        let doc = Document::new("De EU, en 日本.\nJapan");
        assert_eq!(word_at(&doc, 4), Some(3..5));
        assert_eq!(word_at(&doc, 5), None, "comma");
        assert_eq!(word_at(&doc, 2), None, "space");
        assert_eq!(word_at(&doc, 15), Some(14..19));
    }
}

/// Where Home goes: the start of the line (paragraph) holding `pos`.
pub fn line_start(doc: &Document, pos: usize) -> usize {
    line_around(doc, pos).start
}

/// Where End goes: the end of the line (paragraph) holding `pos`, before its newline.
pub fn line_end(doc: &Document, pos: usize) -> usize {
    line_around(doc, pos).end
}

fn chars_from(doc: &Document, pos: usize) -> std::str::Chars<'_> {
    let b = doc.char_to_byte(pos).unwrap_or(doc.text().len());
    doc.text()[b..].chars()
}

fn chars_before(doc: &Document, pos: usize) -> std::iter::Rev<std::str::Chars<'_>> {
    let b = doc.char_to_byte(pos).unwrap_or(doc.text().len());
    doc.text()[..b].chars().rev()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Ctrl+Right: past any non-word characters, then to the end of the word.
pub fn word_right(doc: &Document, pos: usize) -> usize {
    let mut it = chars_from(doc, pos).peekable();
    let mut n = pos;
    while it.next_if(|c| !is_word(*c)).is_some() {
        n += 1;
    }
    while it.next_if(|c| is_word(*c)).is_some() {
        n += 1;
    }
    n
}

/// Ctrl+Left: back past any non-word characters, then to the start of the word.
pub fn word_left(doc: &Document, pos: usize) -> usize {
    let mut it = chars_before(doc, pos).peekable();
    let mut n = pos;
    while it.next_if(|c| !is_word(*c)).is_some() {
        n -= 1;
    }
    while it.next_if(|c| is_word(*c)).is_some() {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod caret_tests {
    use super::*;

    #[test]
    fn word_and_line_moves() {
        let doc = Document::new("De Europese Unie, en 日本.\nTweede regel");
        assert_eq!(word_right(&doc, 0), 2);
        assert_eq!(word_right(&doc, 2), 11);
        assert_eq!(word_right(&doc, 16), 20, "past \", \" to the end of \"en\"");
        assert_eq!(word_left(&doc, 16), 12);
        assert_eq!(word_left(&doc, 12), 3);
        assert_eq!(line_start(&doc, 30), 25);
        assert_eq!(line_end(&doc, 3), 24);
        assert_eq!(line_end(&doc, 30), doc.char_len());
    }
}
