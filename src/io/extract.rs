//! The text a reader sees in an HTML page or a Word (.docx) file.
//!
//! HTML is parsed as a browser parses it (html5ever, through `scraper`): block elements become
//! line breaks and paragraphs one blank line apart, whitespace collapses as a browser collapses
//! it (kept in `<pre>`), entities are decoded, and scripts, styles, navigation, headers,
//! footers, asides and hidden elements are dropped; `<article>` (or `<main>`) is preferred when
//! the page has one. A .docx is a zip of XML (read with `zip` and `quick-xml`): the paragraphs
//! of its main document in order, runs joined, tabs and line breaks kept, tables row by row
//! (cells apart by a tab), paragraphs one blank line apart.

use std::io::Read;

/// The most XML a .docx may unpack to: a larger one is refused (a zip bomb).
pub const MAX_DOCX_XML_BYTES: u64 = 256 * 1024 * 1024;

/// Elements whose content a reader does not see as the article.
const DROPPED: [&str; 16] = [
    "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "head", "title",
    "iframe", "svg", "canvas", "object", "button", "form",
];

/// Elements that stand apart by one blank line.
const PARAGRAPHS: [&str; 17] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
    "hr",
    "section",
    "article",
];

/// Elements that start and end a line.
const LINES: [&str; 10] = [
    "div",
    "li",
    "tr",
    "dt",
    "dd",
    "address",
    "caption",
    "figcaption",
    "main",
    "body",
];

/// Builds text as a browser lays out inline content: spaces collapsed, breaks merged.
#[derive(Default)]
struct Layout {
    text: String,
    /// Line breaks wanted before the next text (the largest asked for wins).
    breaks: usize,
    space: bool,
    tab: bool,
}

impl Layout {
    fn block(&mut self, n: usize) {
        self.breaks = self.breaks.max(n);
    }

    /// What is pending goes out before `c`.
    fn flush(&mut self) {
        if self.text.is_empty() {
            (self.breaks, self.space, self.tab) = (0, false, false);
            return;
        }
        if self.breaks > 0 {
            let have = self.text.len() - self.text.trim_end_matches('\n').len();
            for _ in have..self.breaks {
                self.text.push('\n');
            }
        } else if self.tab {
            self.text.push('\t');
        } else if self.space && !self.text.ends_with('\n') {
            self.text.push(' ');
        }
        (self.breaks, self.space, self.tab) = (0, false, false);
    }

    fn push_collapsed(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                self.space = true;
            } else {
                self.flush();
                self.text.push(c);
            }
        }
    }

    fn push_verbatim(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.flush();
        self.text.push_str(s);
    }

    /// `<br>`: a line break that does not collapse.
    fn line_break(&mut self) {
        self.flush();
        self.text.push('\n');
        self.space = false;
    }
}

fn hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// How deep elements nest before deeper ones are read as if they were not there (their text
/// is kept): Chromium's parser stops nesting at 512 too. The HTML parser looks down the stack
/// of open elements at each start tag, so without a cap 100,000 nested `<div>`s took 27 s.
const MAX_HTML_DEPTH: usize = 512;

/// Elements that never hold others, or whose end tag may be left out: not counted in depth.
const UNCOUNTED: [&str; 34] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "body",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The page with the start and end tags of elements nested deeper than [`MAX_HTML_DEPTH`]
/// left out (one linear pass; the page itself when nothing is that deep).
fn cap_depth(src: &str) -> std::borrow::Cow<'_, str> {
    let b = src.as_bytes();
    let (mut depth, mut excess, mut i) = (0usize, 0usize, 0usize);
    let mut out: Option<String> = None;
    let mut kept = 0; // bytes of `src` already copied to `out`
    while let Some(off) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        let at = i + off;
        if b.get(at + 1..).is_some_and(|r| r.starts_with(b"!--")) {
            i = find_ascii_ci(b, at + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let Some(tag) = scan_tag(b, at) else {
            i = at + 1;
            continue;
        };
        i = tag.end;
        let counted = !UNCOUNTED.contains(&tag.name.as_str()) && !tag.name.is_empty();
        let drop = match (tag.closing, counted) {
            (_, false) => false,
            (false, true) if depth >= MAX_HTML_DEPTH => {
                excess += 1;
                true
            }
            (false, true) => {
                depth += 1;
                false
            }
            (true, true) if excess > 0 => {
                excess -= 1;
                true
            }
            (true, true) => {
                depth = depth.saturating_sub(1);
                false
            }
        };
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(src.len()));
            o.push_str(src.get(kept..at).unwrap_or(""));
            kept = tag.end;
        }
        if !tag.closing && RAW_TEXT.contains(&tag.name.as_str()) {
            // Its text runs to its end tag: no tags in it.
            let close = format!("</{}", tag.name);
            i = find_ascii_ci(b, i, close.as_bytes()).unwrap_or(b.len());
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(src),
        Some(mut o) => {
            o.push_str(src.get(kept..).unwrap_or(""));
            std::borrow::Cow::Owned(o)
        }
    }
}

/// A tag in the source: its lower-case name, whether it ends an element, where it ends.
struct Tag {
    name: String,
    closing: bool,
    end: usize,
}

/// The tag at `at` (a `<`), or `None` for a declaration or a `<` that is text (the caller
/// goes on from the next byte).
fn scan_tag(b: &[u8], at: usize) -> Option<Tag> {
    let rest = b.get(at + 1..)?;
    let closing = rest.first() == Some(&b'/');
    let name_start = at + 1 + usize::from(closing);
    let name_len = b
        .get(name_start..)?
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
        .count();
    if name_len == 0 || !b.get(name_start)?.is_ascii_alphabetic() {
        return None;
    }
    // The end: the first `>` outside quotes.
    let mut quote = None;
    let mut j = name_start + name_len;
    while let Some(&c) = b.get(j) {
        match (quote, c) {
            (None, b'>') => break,
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        j += 1;
    }
    let name =
        String::from_utf8_lossy(b.get(name_start..name_start + name_len)?).to_ascii_lowercase();
    Some(Tag {
        name,
        closing,
        end: (j + 1).min(b.len()),
    })
}

/// Where `needle` (ASCII, lower case) next occurs in `b` from `from`, ignoring case.
fn find_ascii_ci(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// The text of an HTML page as a reader sees it.
pub fn html_text(src: &str) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;
    let page = scraper::Html::parse_document(&cap_depth(src));
    let root = page.tree.root();
    // The article itself when the page marks it.
    let element_named = |name: &str| {
        root.descendants().find(|n| {
            n.value()
                .as_element()
                .is_some_and(|e| e.name() == name && !hidden(e))
        })
    };
    let start = element_named("article")
        .or_else(|| element_named("main"))
        .unwrap_or(root);
    let mut out = Layout::default();
    let (mut skip, mut pre) = (0usize, 0usize);
    for edge in start.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skip > 0 || DROPPED.contains(&name) || hidden(e) {
                        skip += 1;
                        continue;
                    }
                    match name {
                        "br" => out.line_break(),
                        "pre" => pre += 1,
                        "td" | "th" => {}
                        _ => {}
                    }
                    if PARAGRAPHS.contains(&name) {
                        out.block(2);
                    } else if LINES.contains(&name) {
                        out.block(1);
                    }
                }
                Node::Text(t) if skip == 0 => {
                    if pre > 0 {
                        out.push_verbatim(t);
                    } else {
                        out.push_collapsed(t);
                    }
                }
                _ => {}
            },
            Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let name = e.name();
                    if name == "pre" {
                        pre = pre.saturating_sub(1);
                    }
                    if name == "td" || name == "th" {
                        out.tab = true;
                    }
                    if PARAGRAPHS.contains(&name) {
                        out.block(2);
                    } else if LINES.contains(&name) {
                        out.block(1);
                    }
                }
            }
        }
    }
    let mut text = out.text;
    text.truncate(text.trim_end().len());
    text
}

/// Why a .docx gave no text.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("not a Word .docx file (not a zip archive: {0})")]
    NotZip(String),
    #[error(
        "a password-protected Word document: Spanmark cannot read encrypted files. Open it in Word, remove the password (File > Info > Protect Document), save it as .docx and open that"
    )]
    Encrypted,
    #[error(
        "an old Word .doc file (Word 97-2003), not a .docx: open it in Word or LibreOffice, save it as .docx (Word Document) and open that"
    )]
    OldWord,
    #[error("not a Word .docx file (it has no word/document.xml)")]
    NoDocument,
    #[error(
        "the document unpacks to more than {} MB of XML; refused (a zip bomb?)",
        MAX_DOCX_XML_BYTES / 1024 / 1024
    )]
    TooLarge,
    #[error("could not unpack the document: {0}")]
    Unpack(String),
    #[error("the document's XML is broken at byte {at}: {message}")]
    Xml { at: u64, message: String },
}

/// An OLE compound file (what old `.doc` files are, and what Word wraps an encrypted `.docx`
/// in): which of the two, told by the `EncryptionInfo` stream an encrypted one holds.
fn compound_file(bytes: &[u8]) -> Option<DocxError> {
    const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if !bytes.starts_with(&MAGIC) {
        return None;
    }
    let name: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let encrypted = bytes.windows(name.len()).any(|w| w == name.as_slice());
    Some(if encrypted {
        DocxError::Encrypted
    } else {
        DocxError::OldWord
    })
}

/// The main document part's name, from the package relationships (or the usual one).
fn main_part(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>) -> String {
    let fallback = "word/document.xml".to_owned();
    let Ok(mut rels) = zip.by_name("_rels/.rels") else {
        return fallback;
    };
    let mut xml = String::new();
    if rels
        .by_ref()
        .take(1024 * 1024)
        .read_to_string(&mut xml)
        .is_err()
    {
        return fallback;
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    while let Ok(ev) = reader.read_event() {
        match ev {
            quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e)
                if e.local_name().as_ref() == b"Relationship" =>
            {
                let attr = |k: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == k)
                        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                };
                if attr(b"Type").is_some_and(|t| t.ends_with("/officeDocument"))
                    && let Some(t) = attr(b"Target")
                {
                    return t.trim_start_matches('/').to_owned();
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    fallback
}

/// The text of a Word .docx file.
pub fn docx_text(bytes: &[u8]) -> Result<String, DocxError> {
    if let Some(e) = compound_file(bytes) {
        return Err(e);
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| DocxError::NotZip(e.to_string()))?;
    let part = main_part(&mut zip);
    let mut file = zip.by_name(&part).map_err(|_| DocxError::NoDocument)?;
    if file.size() > MAX_DOCX_XML_BYTES {
        return Err(DocxError::TooLarge);
    }
    let mut xml = Vec::new();
    file.by_ref()
        .take(MAX_DOCX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| DocxError::Unpack(e.to_string()))?;
    if xml.len() as u64 > MAX_DOCX_XML_BYTES {
        return Err(DocxError::TooLarge);
    }
    document_xml_text(&xml)
}

/// A table being read: rows of cells of text.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
}

/// WordprocessingML being read: finished blocks, the paragraphs and tables open, and whether
/// the reader is in a run, in text, in deleted text.
#[derive(Default)]
struct WordText {
    /// Finished blocks (paragraphs and tables) of the body.
    blocks: Vec<String>,
    /// Paragraphs being read (a text box may hold one inside another).
    paras: Vec<String>,
    tables: Vec<Table>,
    in_text: bool,
    in_run: usize,
    /// Inside deleted text or text moved away (`w:del`, `w:moveFrom`).
    deleted: usize,
    /// Inside `mc:Fallback`: the copy of a text box Word writes for old readers, beside the
    /// one read from `mc:Choice`.
    fallback: usize,
}

impl WordText {
    /// Text is read in a `w:t` that is not deleted, moved away or a fallback copy.
    fn reading(&self) -> bool {
        self.in_text && self.deleted == 0 && self.fallback == 0
    }

    fn push(&mut self, s: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.push_str(s);
        }
    }

    fn start(&mut self, name: &[u8]) {
        if name == b"Fallback" {
            self.fallback += 1;
        }
        if self.fallback > 0 {
            return;
        }
        match name {
            b"p" => self.paras.push(String::new()),
            b"r" => self.in_run += 1,
            b"t" => self.in_text = true,
            b"del" | b"moveFrom" => self.deleted += 1,
            b"tbl" => self.tables.push(Table::default()),
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(Vec::new());
                }
            }
            b"tc" => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(String::new());
                }
            }
            _ => {}
        }
    }

    /// An empty element in a run: a tab, a line break, a non-breaking hyphen.
    fn empty(&mut self, name: &[u8]) {
        if self.in_run == 0 || self.deleted > 0 || self.fallback > 0 {
            return;
        }
        let c = match name {
            b"tab" => "\t",
            b"br" | b"cr" => "\n",
            b"noBreakHyphen" => "\u{2011}",
            _ => return,
        };
        self.push(c);
    }

    fn end(&mut self, name: &[u8]) {
        if name == b"Fallback" {
            self.fallback = self.fallback.saturating_sub(1);
            return;
        }
        if self.fallback > 0 {
            return;
        }
        match name {
            b"p" => self.end_paragraph(),
            b"r" => self.in_run = self.in_run.saturating_sub(1),
            b"t" => self.in_text = false,
            b"del" | b"moveFrom" => self.deleted = self.deleted.saturating_sub(1),
            b"tbl" => self.end_table(),
            _ => {}
        }
    }

    /// The innermost table cell being read.
    fn cell(&mut self) -> Option<&mut String> {
        self.tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|r| r.last_mut())
    }

    fn end_paragraph(&mut self) {
        let p = self.paras.pop().unwrap_or_default();
        if p.trim().is_empty() {
            return;
        }
        // A text box's paragraph is part of the paragraph around it; a cell's, of the cell.
        let into = match self.paras.last_mut() {
            Some(outer) => Some(outer),
            None => self.cell(),
        };
        match into {
            Some(outer) => {
                if !outer.is_empty() {
                    outer.push(' ');
                }
                outer.push_str(&p);
            }
            None => self.blocks.push(p),
        }
    }

    fn end_table(&mut self) {
        let t = self.tables.pop().unwrap_or_default();
        let text = t
            .rows
            .iter()
            .map(|r| r.join("\t"))
            .filter(|r| !r.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        match self.cell() {
            // A table in a table cell: its rows are that cell's lines.
            Some(cell) => cell.push_str(&text.replace(['\n', '\t'], " ")),
            None if !text.is_empty() => self.blocks.push(text),
            None => {}
        }
    }
}

/// The text of WordprocessingML `document.xml`.
fn document_xml_text(xml: &[u8]) -> Result<String, DocxError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut w = WordText::default();
    loop {
        let at = reader.buffer_position();
        let bad = |e: &dyn std::fmt::Display| DocxError::Xml {
            at,
            message: e.to_string(),
        };
        match reader.read_event_into(&mut buf).map_err(|e| bad(&e))? {
            Event::Start(e) => w.start(e.local_name().as_ref()),
            Event::Empty(e) => w.empty(e.local_name().as_ref()),
            Event::Text(t) if w.reading() => w.push(&t.decode().map_err(|e| bad(&e))?),
            Event::GeneralRef(r) if w.reading() => {
                let name = r.decode().map_err(|e| bad(&e))?;
                let c = match name.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = c {
                    w.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::CData(t) if w.reading() => w.push(&String::from_utf8_lossy(&t)),
            Event::End(e) => w.end(e.local_name().as_ref()),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(w.blocks.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_nested_past_the_cap_keep_their_text_and_shallow_pages_are_untouched() {
        let shallow = "<div><p>a<!-- <div> --></p><script>if (a<b) {}</script></div>";
        assert!(matches!(cap_depth(shallow), std::borrow::Cow::Borrowed(_)));
        let n = MAX_HTML_DEPTH + 50;
        let deep = format!(
            "{}<b>diep</b>{}<p>daarna</p>",
            "<div class='a>b'>".repeat(n),
            "</div>".repeat(n)
        );
        let capped = cap_depth(&deep);
        assert_eq!(capped.matches("<div").count(), MAX_HTML_DEPTH);
        assert_eq!(capped.matches("</div>").count(), MAX_HTML_DEPTH);
        assert_eq!(html_text(&deep), "diep\n\ndaarna");
    }

    #[test]
    fn html_blocks_spaces_and_dropped_parts() {
        let page = "<html><head><title>T</title><style>p{}</style></head><body>\
            <nav>Menu</nav><h1>Kop</h1><p>Een  <b>vet</b>\n woord &amp; meer.</p>\
            <script>x()</script><div>regel<br>twee</div><p hidden>weg</p>\
            <footer>voet</footer></body></html>";
        assert_eq!(
            html_text(page),
            "Kop\n\nEen vet woord & meer.\n\nregel\ntwee"
        );
    }

    #[test]
    fn html_prefers_the_article() {
        let page = "<body><p>Rand</p><article><p>Kern</p></article></body>";
        assert_eq!(html_text(page), "Kern");
    }

    #[test]
    fn docx_paragraphs_runs_tabs_and_tables() {
        let xml = br#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>De </w:t></w:r><w:r><w:t>EU</w:t><w:tab/><w:t>&amp; Japan</w:t></w:r></w:p>
            <w:p></w:p>
            <w:p><w:r><w:t>Twee</w:t><w:br/><w:t>regels</w:t></w:r><w:del><w:r><w:delText>weg</w:delText></w:r></w:del></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#;
        assert_eq!(
            document_xml_text(xml).ok().as_deref(),
            Some("De EU\t& Japan\n\nTwee\nregels\n\na\tb")
        );
    }
}
