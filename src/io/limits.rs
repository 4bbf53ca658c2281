//! The largest inputs Spanmark accepts. Each is checked before memory is spent on it (a
//! file's size before it is read, a record's length before it is parsed) and refused with its
//! own message; README states them.

/// An article file (.txt, .md, .html, .docx).
pub const MAX_ARTICLE_BYTES: u64 = 128 * MB;
/// A session file (its text and annotations).
pub const MAX_SESSION_BYTES: u64 = 1024 * MB;
/// A file to import (JSONL, JSON, CoNLL, or one brat .txt/.ann).
pub const MAX_IMPORT_BYTES: u64 = 2048 * MB;
/// One JSONL record (one line).
pub const MAX_IMPORT_LINE_BYTES: usize = 128 * MB as usize;
/// Spans in one document.
pub const MAX_SPANS_PER_DOCUMENT: usize = 2_000_000;
/// Distinct labels in one session or import.
pub const MAX_LABELS: usize = 100_000;

const MB: u64 = 1024 * 1024;

/// `300 MB`, `1.5 MB`, `812 bytes`.
pub fn size(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{bytes} bytes")
    } else {
        let mb = bytes as f64 / (1024.0 * 1024.0);
        if mb < 10.0 {
            format!("{mb:.1} MB")
        } else {
            format!("{mb:.0} MB")
        }
    }
}

/// The error for a file past its limit: `is 300 MB; Spanmark reads articles up to 128 MB`.
pub fn too_large(bytes: u64, max: u64, what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!(
            "is {}; Spanmark reads {what} up to {}",
            size(bytes),
            size(max)
        ),
    )
}
