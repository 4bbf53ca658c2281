//! The article text and fast conversion between char offsets and byte offsets.
//!
//! All public offsets in Spanmark are Unicode scalar values ("chars", what Python's `str`
//! indexes), end-exclusive. Rust strings are indexed by bytes, so every place that slices the
//! text goes through [`Document::char_to_byte`]. The conversion is O(1) for ASCII-only text
//! and otherwise a table lookup plus a walk of fewer than [`CHECKPOINT`] chars.

use std::ops::Range;

/// A char offset is looked up from a checkpoint every this many chars.
const CHECKPOINT: usize = 64;

/// An immutable article text.
#[derive(Clone, Debug, PartialEq, Eq)]
///
/// Shared, not copied, when cloned (background work such as suggestions reads it too).
pub struct Document {
    text: std::sync::Arc<str>,
    char_len: usize,
    /// `checkpoints[i]` is the byte offset of char `i * CHECKPOINT`. Empty for ASCII text.
    checkpoints: std::sync::Arc<[usize]>,
}

impl Document {
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        if text.is_ascii() {
            let char_len = text.len();
            return Self {
                text: text.into(),
                char_len,
                checkpoints: Vec::new().into(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut char_len = 0;
        for (byte, _) in text.char_indices() {
            if char_len % CHECKPOINT == 0 {
                checkpoints.push(byte);
            }
            char_len += 1;
        }
        Self {
            text: text.into(),
            char_len,
            checkpoints: checkpoints.into(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length in chars (Unicode scalar values).
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    pub fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// Byte offset of char offset `char_idx`; `None` past the end. `char_len()` maps to `len()`.
    pub fn char_to_byte(&self, char_idx: usize) -> Option<usize> {
        if char_idx > self.char_len {
            return None;
        }
        if self.is_ascii() || char_idx == self.char_len {
            return Some(if char_idx == self.char_len {
                self.text.len()
            } else {
                char_idx
            });
        }
        let base = *self.checkpoints.get(char_idx / CHECKPOINT)?;
        let rest = char_idx % CHECKPOINT;
        let tail = self.text.get(base..)?;
        tail.char_indices().nth(rest).map(|(b, _)| base + b)
    }

    /// Char offset of byte offset `byte_idx`, which must lie on a char boundary.
    pub fn byte_to_char(&self, byte_idx: usize) -> Option<usize> {
        if byte_idx > self.text.len() || !self.text.is_char_boundary(byte_idx) {
            return None;
        }
        if self.is_ascii() {
            return Some(byte_idx);
        }
        let slot = match self.checkpoints.binary_search(&byte_idx) {
            Ok(i) => return Some(i * CHECKPOINT),
            Err(i) => i.checked_sub(1)?,
        };
        let base = *self.checkpoints.get(slot)?;
        let between = self.text.get(base..byte_idx)?;
        Some(slot * CHECKPOINT + between.chars().count())
    }

    /// Byte range of the char range, if it lies within the text.
    pub fn byte_range(&self, chars: Range<usize>) -> Option<Range<usize>> {
        if chars.start > chars.end {
            return None;
        }
        Some(self.char_to_byte(chars.start)?..self.char_to_byte(chars.end)?)
    }

    /// The text covered by a char range, if it lies within the text.
    pub fn slice(&self, chars: Range<usize>) -> Option<&str> {
        let bytes = self.byte_range(chars)?;
        self.text.get(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_agree_with_char_indices() {
        let text = "hello 世界! 👨🏻‍🚒 🇳🇱 e\u{301} ".repeat(20);
        let doc = Document::new(text.clone());
        let expected: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain([text.len()])
            .collect();
        assert_eq!(doc.char_len(), expected.len() - 1);
        for (c, &b) in expected.iter().enumerate() {
            assert_eq!(doc.char_to_byte(c), Some(b), "char {c}");
            assert_eq!(doc.byte_to_char(b), Some(c), "byte {b}");
        }
        assert_eq!(doc.char_to_byte(doc.char_len() + 1), None);
        assert_eq!(doc.byte_to_char(7), None, "inside 世");
    }

    #[test]
    fn slices_by_chars() {
        let doc = Document::new("De EU en 日本 👨🏻‍🚒!");
        assert_eq!(doc.slice(3..5), Some("EU"));
        assert_eq!(doc.slice(9..11), Some("日本"));
        assert_eq!(doc.slice(12..16), Some("👨🏻‍🚒"));
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = 5..3;
        assert_eq!(doc.slice(backwards), None);
        assert_eq!(doc.slice(0..100), None);
        let ascii = Document::new("plain");
        assert_eq!(ascii.slice(1..3), Some("la"));
        assert_eq!(ascii.char_to_byte(5), Some(5));
    }
}
