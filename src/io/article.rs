//! Article import: bytes to text, getting every character right.
//!
//! UTF-8 (a BOM is removed), UTF-16 LE/BE with a BOM, and anything else that is not valid
//! UTF-8 is decoded as Windows-1252 with a warning. CRLF and lone CR become LF, as Python's
//! default `open()` gives. Nothing else changes: no trimming, no Unicode normalisation.
//!
//! HTML pages and Word files are articles too: their text is what a reader sees (see
//! [`crate::io::extract`]); the session records their kind and the hash of their bytes.

use crate::model::Source;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// File extensions read as articles.
pub const ARTICLE_EXTENSIONS: [&str; 7] = ["txt", "md", "markdown", "text", "html", "htm", "docx"];

/// What an article file is, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Html,
    Docx,
}

impl Kind {
    pub fn of(path: &Path) -> Kind {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("html" | "htm") => Kind::Html,
            Some("docx") => Kind::Docx,
            _ => Kind::Text,
        }
    }

    /// As recorded in a session's `source.kind`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Html => "html",
            Kind::Docx => "docx",
        }
    }
}

/// A decoded article and what happened while decoding it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub text: String,
    pub source: Source,
    /// Things the user should be told (e.g. a fallback to Windows-1252).
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error(
        "{path}: looks like a binary file, not text (NUL byte at byte {offset}); Spanmark opens .txt, .md, .html and .docx articles"
    )]
    Binary { path: String, offset: usize },
    #[error("{path}: {detail}")]
    BadEncoding { path: String, detail: String },
    #[error(
        "{path}: unsupported file type \".{ext}\"; Spanmark opens .txt, .md, .html and .docx articles and .spanmark.ron sessions"
    )]
    UnsupportedType { path: String, ext: String },
    #[error("{path}: {error}")]
    Docx {
        path: String,
        error: crate::io::extract::DocxError,
    },
    #[error("{path}: has no text a reader would see{hint}")]
    NoText { path: String, hint: &'static str },
}

/// True when the path names an article by its extension (or has none).
pub fn is_article_path(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(ext) => ARTICLE_EXTENSIONS
            .iter()
            .any(|a| a.eq_ignore_ascii_case(ext)),
    }
}

/// Reads and decodes an article file.
pub fn read_article(path: &Path) -> Result<Article, ArticleError> {
    let name = path.display().to_string();
    if !is_article_path(path) {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Err(ArticleError::UnsupportedType { path: name, ext });
    }
    let bytes =
        crate::io::atomic::read_regular(path, crate::io::limits::MAX_ARTICLE_BYTES, "articles")
            .map_err(|source| ArticleError::Io {
                path: name.clone(),
                source,
            })?;
    match Kind::of(path) {
        Kind::Text => decode_article(&name, &bytes),
        kind => extract_article(&name, &bytes, kind),
    }
}

/// Reads an HTML page or a Word file: its text as a reader sees it.
pub fn extract_article(name: &str, bytes: &[u8], kind: Kind) -> Result<Article, ArticleError> {
    let (text, encoding, mut warnings, mut normalised) = match kind {
        Kind::Docx => {
            let text =
                crate::io::extract::docx_text(bytes).map_err(|error| ArticleError::Docx {
                    path: name.to_owned(),
                    error,
                })?;
            (text, "docx".to_owned(), Vec::new(), Vec::new())
        }
        _ => {
            // The page's characters, decoded as a browser does; then what a reader sees.
            let page = decode_html(name, bytes)?;
            (
                crate::io::extract::html_text(&page.text),
                page.source.encoding,
                page.warnings,
                page.source.normalised,
            )
        }
    };
    normalised.push(format!("text extracted from {}", kind.name()));
    if text.trim().is_empty() {
        return Err(ArticleError::NoText {
            path: name.to_owned(),
            hint: if kind == Kind::Docx {
                " (only images or empty paragraphs?)"
            } else {
                ""
            },
        });
    }
    let (text, _, _) = normalise_newlines(text);
    warnings.retain(|w| !w.is_empty());
    Ok(Article {
        text,
        source: Source {
            path: name.to_owned(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            encoding,
            normalised,
            kind: kind.name().to_owned(),
        },
        warnings,
    })
}

/// Decodes an HTML page as a browser does: a byte order mark, then the encoding the page
/// declares in its first 1024 bytes (`<meta charset>`, or `http-equiv` Content-Type), then
/// UTF-8, then a guess from its bytes (chardetng). The encoding used is recorded, and said
/// when it was guessed.
pub fn decode_html(name: &str, bytes: &[u8]) -> Result<Article, ArticleError> {
    use encoding_rs::UTF_8;
    let bom = bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF]);
    let declared = declared_encoding(bytes);
    let utf8 = std::str::from_utf8(bytes).is_ok();
    let (enc, how) = match declared {
        _ if bom => return decode_article(name, bytes),
        Some(e) if e == UTF_8 => return decode_article(name, bytes),
        Some(e) => (e, "declared in the page"),
        None if utf8 => return decode_article(name, bytes),
        None => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            (
                detector.guess(None, true),
                "not declared; guessed from its bytes",
            )
        }
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let mut a = decode_article(name, text.as_bytes())?;
    a.source.bytes = bytes.len() as u64;
    a.source.sha256 = sha256_hex(bytes);
    a.source.encoding = enc.name().to_ascii_lowercase();
    a.source
        .normalised
        .insert(0, format!("decoded as {} ({how})", enc.name()));
    if declared.is_none() {
        a.warnings.push(format!(
            "{name}: the page does not say its encoding; read as {} (a guess from its bytes)",
            enc.name()
        ));
    }
    Ok(a)
}

/// The encoding an HTML page declares in its first 1024 bytes, as the WHATWG prescan finds
/// it (`<meta charset=…>` or a Content-Type `<meta>` with `charset=`); UTF-16 is read as
/// UTF-8 and x-user-defined as Windows-1252, as browsers do.
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    static META: std::sync::LazyLock<Option<regex::bytes::Regex>> =
        std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([^"'\s;/>]+)"#)
                .ok()
        });
    let head = bytes.get(..1024).unwrap_or(bytes);
    let label = META.as_ref()?.captures(head)?.get(1)?.as_bytes();
    let enc = encoding_rs::Encoding::for_label(label)?;
    Some(
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else if enc == encoding_rs::X_USER_DEFINED {
            encoding_rs::WINDOWS_1252
        } else {
            enc
        },
    )
}

/// Decodes article bytes; `name` is recorded as the source path and used in messages.
pub fn decode_article(name: &str, bytes: &[u8]) -> Result<Article, ArticleError> {
    let path = || name.to_owned();
    if bytes.is_empty() {
        return Err(ArticleError::Empty { path: path() });
    }
    let mut warnings = Vec::new();
    let mut normalised = Vec::new();
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        normalised.push("UTF-8 byte order mark removed".to_owned());
        let text = std::str::from_utf8(rest).map_err(|e| ArticleError::BadEncoding {
            path: path(),
            detail: format!(
                "starts with a UTF-8 byte order mark but is not valid UTF-8 (byte {})",
                e.valid_up_to() + 3
            ),
        })?;
        (text.to_owned(), "utf-8-bom")
    } else if let Some(enc) = match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    } {
        let body = bytes.get(2..).unwrap_or_default();
        let label = if enc == encoding_rs::UTF_16LE {
            "utf-16le"
        } else {
            "utf-16be"
        };
        let bad = || ArticleError::BadEncoding {
            path: path(),
            detail: format!("starts with a {label} byte order mark but is not valid {label}"),
        };
        if body.len() % 2 != 0 {
            return Err(bad());
        }
        let text = enc
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(bad)?;
        normalised.push(format!("{label} byte order mark removed"));
        (text.into_owned(), label)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), "utf-8"),
            Err(e) => {
                if let Some(offset) = bytes.iter().position(|&b| b == 0) {
                    return Err(ArticleError::Binary {
                        path: path(),
                        offset,
                    });
                }
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                warnings.push(format!(
                    "{name}: not valid UTF-8 (byte {}); decoded as Windows-1252",
                    e.valid_up_to()
                ));
                (text.into_owned(), "windows-1252")
            }
        }
    };
    if let Some(c) = text.find('\0') {
        let offset = if encoding.starts_with("utf-16") {
            // Report a byte offset in the file: BOM plus two bytes per UTF-16 unit.
            2 + 2 * text[..c].encode_utf16().count()
        } else {
            c + usize::from(encoding == "utf-8-bom") * 3
        };
        return Err(ArticleError::Binary {
            path: path(),
            offset,
        });
    }
    if text.is_empty() {
        return Err(ArticleError::Empty { path: path() });
    }
    let (text, crlf, cr) = normalise_newlines(text);
    if crlf > 0 {
        normalised.push(format!("{crlf} CRLF line endings became LF"));
    }
    if cr > 0 {
        normalised.push(format!("{cr} CR line endings became LF"));
    }
    let source = Source {
        path: name.to_owned(),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        encoding: encoding.to_owned(),
        normalised,
        kind: Kind::Text.name().to_owned(),
    };
    Ok(Article {
        text,
        source,
        warnings,
    })
}

/// Replaces CRLF and lone CR with LF; returns the text and how many of each were replaced.
fn normalise_newlines(text: String) -> (String, usize, usize) {
    if !text.contains('\r') {
        return (text, 0, 0);
    }
    let (mut crlf, mut cr) = (0, 0);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
                crlf += 1;
            } else {
                cr += 1;
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    (out, crlf, cr)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The session file that belongs beside an article: `news.txt` → `news.spanmark.ron`.
pub fn session_path_for(article: &Path) -> PathBuf {
    let stem = article
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article".to_owned());
    article.with_file_name(format!("{stem}.spanmark.ron"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_path_sits_beside_the_article() {
        assert_eq!(
            session_path_for(Path::new("/a/news.txt")),
            Path::new("/a/news.spanmark.ron")
        );
        assert_eq!(
            session_path_for(Path::new("notes.md")),
            Path::new("notes.spanmark.ron")
        );
    }

    #[test]
    fn newlines_follow_python() {
        let (t, crlf, cr) = normalise_newlines("a\r\nb\rc\n\r\n".into());
        assert_eq!((t.as_str(), crlf, cr), ("a\nb\nc\n\n", 2, 1));
    }
}
