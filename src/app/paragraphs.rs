//! The article split into lines ("paragraphs") for a virtualised view: each one's char and
//! byte start, and estimated heights with prefix sums, corrected once a line has really been
//! laid out. Pure: no egui, so it can be tested and benchmarked alone.

use crate::model::Document;
use std::ops::Range;

/// The most chars laid out as one piece of a line.
const MAX_PIECE: usize = 2000;

/// Where the first piece of `line` ends (a byte offset): after the last space in its second
/// half, or at `MAX_PIECE` chars.
fn piece_end(line: &str) -> usize {
    let hard = line
        .char_indices()
        .nth(MAX_PIECE)
        .map_or(line.len(), |(i, _)| i);
    if hard == line.len() {
        return hard;
    }
    let half = line.char_indices().nth(MAX_PIECE / 2).map_or(0, |(i, _)| i);
    line[half..hard]
        .rfind(char::is_whitespace)
        .map_or(hard, |i| {
            let at = half + i;
            at + line[at..].chars().next().map_or(1, char::len_utf8)
        })
}

#[derive(Clone, Debug)]
pub struct Paragraphs {
    /// Char range of each line, without its newline.
    chars: Vec<Range<usize>>,
    /// Byte range of each line, without its newline.
    bytes: Vec<Range<usize>>,
    /// Height of each line in points: an estimate until `measured` is set.
    heights: Vec<f32>,
    measured: Vec<bool>,
    /// `tops[i]` is the y of line `i`; `tops[len]` the total height. Rebuilt lazily.
    tops: Vec<f32>,
    tops_valid: bool,
    /// The layout parameters the heights were computed for.
    params: (f32, f32, f32),
}

impl Paragraphs {
    pub fn new(doc: &Document) -> Self {
        let text = doc.text();
        let mut chars = Vec::new();
        let mut bytes = Vec::new();
        let mut byte = 0;
        let mut ch = 0;
        for line in text.split('\n') {
            let n = if doc.is_ascii() {
                line.len()
            } else {
                line.chars().count()
            };
            if n <= MAX_PIECE {
                chars.push(ch..ch + n);
                bytes.push(byte..byte + line.len());
            } else {
                // A very long line is laid out in pieces (cut after a space where there is
                // one): one galley of megabytes costs gigabytes and seconds.
                let (mut c, mut b) = (ch, byte);
                let mut rest = line;
                while !rest.is_empty() {
                    let cut = piece_end(rest);
                    let piece = &rest[..cut];
                    let k = piece.chars().count();
                    chars.push(c..c + k);
                    bytes.push(b..b + cut);
                    c += k;
                    b += cut;
                    rest = &rest[cut..];
                }
            }
            ch += n + 1;
            byte += line.len() + 1;
        }
        let len = chars.len();
        Self {
            chars,
            bytes,
            heights: vec![0.0; len],
            measured: vec![false; len],
            tops: Vec::new(),
            tops_valid: false,
            params: (0.0, 0.0, 0.0),
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn chars(&self, i: usize) -> Range<usize> {
        self.chars.get(i).cloned().unwrap_or(0..0)
    }

    pub fn bytes(&self, i: usize) -> Range<usize> {
        self.bytes.get(i).cloned().unwrap_or(0..0)
    }

    /// The line holding char `pos` (a newline belongs to the line it ends).
    pub fn index_of_char(&self, pos: usize) -> usize {
        self.chars
            .partition_point(|r| r.end < pos)
            .min(self.len().saturating_sub(1))
    }

    /// Sets the layout parameters; when they change, every height is estimated afresh.
    /// `char_width` is an average advance, `row_height` the height of one wrapped row.
    pub fn set_params(&mut self, wrap_width: f32, char_width: f32, row_height: f32) {
        let params = (wrap_width, char_width, row_height);
        if params == self.params {
            return;
        }
        self.params = params;
        let per_row = (wrap_width / char_width.max(1.0)).max(1.0);
        for (i, r) in self.chars.iter().enumerate() {
            let rows = ((r.len() as f32) / per_row).ceil().max(1.0);
            self.heights[i] = rows * row_height;
            self.measured[i] = false;
        }
        self.tops_valid = false;
    }

    /// Records the real height of a laid-out line; true if that changed any position.
    pub fn set_measured(&mut self, i: usize, height: f32) -> bool {
        if let (Some(h), Some(m)) = (self.heights.get_mut(i), self.measured.get_mut(i)) {
            *m = true;
            if (*h - height).abs() > 0.01 {
                *h = height;
                self.tops_valid = false;
                return true;
            }
        }
        false
    }

    fn ensure_tops(&mut self) {
        if self.tops_valid {
            return;
        }
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        for h in &self.heights {
            self.tops.push(y);
            y += h;
        }
        self.tops.push(y);
        self.tops_valid = true;
    }

    pub fn total_height(&mut self) -> f32 {
        self.ensure_tops();
        self.tops.last().copied().unwrap_or(0.0)
    }

    pub fn top(&mut self, i: usize) -> f32 {
        self.ensure_tops();
        self.tops.get(i).copied().unwrap_or(0.0)
    }

    pub fn height(&self, i: usize) -> f32 {
        self.heights.get(i).copied().unwrap_or(0.0)
    }

    /// The line at height `y` (clamped to the first and last).
    pub fn index_at_y(&mut self, y: f32) -> usize {
        self.ensure_tops();
        let n = self.len();
        self.tops[..n]
            .partition_point(|&t| t <= y)
            .saturating_sub(1)
    }

    /// Lines that intersect `y_min..y_max`.
    pub fn visible(&mut self, y_min: f32, y_max: f32) -> Range<usize> {
        let first = self.index_at_y(y_min);
        let last = self.index_at_y(y_max);
        first..(last + 1).min(self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_very_long_line_is_cut_into_pieces_that_cover_it_exactly() {
        let line: String = (0..3000).map(|i| format!("wörd{i} ")).collect();
        let text = format!("kop\n{line}\n{}\nend", "x".repeat(5000));
        let doc = Document::new(text.clone());
        let p = Paragraphs::new(&doc);
        assert!(p.len() > 10, "{} pieces", p.len());
        let mut rebuilt = String::new();
        for i in 0..p.len() {
            assert!(p.chars(i).len() <= MAX_PIECE);
            let piece = &text[p.bytes(i)];
            assert_eq!(doc.slice(p.chars(i)), Some(piece));
            rebuilt.push_str(piece);
        }
        let joined: String = text.split('\n').collect();
        assert_eq!(rebuilt, joined, "the pieces are the text, newlines aside");
        // Pieces of a line with spaces end after a space.
        assert!(text[p.bytes(1)].ends_with(' '));
    }

    #[test]
    fn splits_lines_with_char_offsets() {
        let doc = Document::new("De EU\n\n日本 en 👨🏻‍🚒\nend");
        let p = Paragraphs::new(&doc);
        assert_eq!(p.len(), 4);
        assert_eq!(p.chars(0), 0..5);
        assert_eq!(p.chars(1), 6..6);
        assert_eq!(p.chars(2), 7..17);
        assert_eq!(doc.slice(p.chars(2)), Some("日本 en 👨🏻‍🚒"));
        assert_eq!(&doc.text()[p.bytes(3)], "end");
        assert_eq!(p.index_of_char(5), 0, "the newline belongs to its line");
        assert_eq!(p.index_of_char(6), 1);
        assert_eq!(p.index_of_char(8), 2);
        assert_eq!(p.index_of_char(999), 3);
    }

    #[test]
    fn heights_and_visibility() {
        let doc = Document::new("a\nb\nc\nd");
        let mut p = Paragraphs::new(&doc);
        p.set_params(100.0, 10.0, 20.0);
        assert_eq!(p.total_height(), 80.0);
        p.set_measured(1, 60.0);
        assert_eq!(p.total_height(), 120.0);
        assert_eq!(p.top(2), 80.0);
        assert_eq!(p.index_at_y(79.0), 1);
        assert_eq!(p.visible(10.0, 85.0), 0..3);
        assert_eq!(p.visible(-5.0, 1e9), 0..4);
    }
}
