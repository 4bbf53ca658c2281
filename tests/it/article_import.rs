//! Article import: every character right, and a clear error for every bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use crate::common::fixture;
use spanmark::io::{decode_article, read_article};
use std::process::Command;

/// Python's reading of the file with its default universal newlines, as the reference.
fn python_read(path: &std::path::Path, encoding: &str) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys; sys.stdout.buffer.write(open(sys.argv[1], encoding=sys.argv[2]).read().encode('utf-8'))",
        ])
        .arg(path)
        .arg(encoding)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn text_matches_what_python_open_gives() {
    for (name, py_encoding, ours) in [
        ("eu-japan", "utf-8", "utf-8"),
        ("japanese.txt", "utf-8", "utf-8"),
        ("emoji.txt", "utf-8", "utf-8"),
        ("combining.txt", "utf-8", "utf-8"),
        ("crlf.txt", "utf-8", "utf-8"),
        ("nbsp.txt", "utf-8", "utf-8"),
        ("arabic.txt", "utf-8", "utf-8"),
        ("utf8-bom.txt", "utf-8-sig", "utf-8-bom"),
        ("utf16le.txt", "utf-16", "utf-16le"),
        ("utf16be.txt", "utf-16", "utf-16be"),
        ("cp1252.txt", "cp1252", "windows-1252"),
    ] {
        let path = if name == "eu-japan" {
            crate::common::sample_path()
        } else {
            fixture(name)
        };
        let a = read_article(&path).unwrap();
        assert_eq!(a.text, python_read(&path, py_encoding), "{name}");
        assert_eq!(a.source.encoding, ours, "{name}");
        assert_eq!(a.source.bytes, std::fs::metadata(&path).unwrap().len());
        assert_eq!(a.source.sha256.len(), 64);
    }
}

#[test]
fn nothing_but_newlines_is_changed() {
    let a = read_article(&fixture("nbsp.txt")).unwrap();
    assert!(a.text.contains("Artikel\u{a0}7 van het  verdrag  geldt"));
    assert!(a.source.normalised.is_empty());
    let a = read_article(&fixture("combining.txt")).unwrap();
    assert!(a.text.starts_with("Cafe\u{301} "), "no NFC normalisation");
    let a = read_article(&fixture("crlf.txt")).unwrap();
    assert_eq!(
        a.text,
        "De EU en Japan\nwerken samen.\nEinde.\nLaatste regel\n"
    );
    assert_eq!(
        a.source.normalised,
        [
            "3 CRLF line endings became LF",
            "1 CR line endings became LF"
        ]
    );
    let a = decode_article("x.txt", b"  leading and trailing  \n\n").unwrap();
    assert_eq!(a.text, "  leading and trailing  \n\n");
}

#[test]
fn sha256_is_of_the_original_bytes() {
    let a = read_article(&fixture("crlf.txt")).unwrap();
    let out = Command::new("sha256sum")
        .arg(fixture("crlf.txt"))
        .output()
        .unwrap();
    let expected = String::from_utf8(out.stdout).unwrap();
    assert_eq!(a.source.sha256, expected.split_whitespace().next().unwrap());
}

#[test]
fn windows_1252_fallback_is_told() {
    let a = read_article(&fixture("cp1252.txt")).unwrap();
    assert_eq!(a.text, "Café “Europa” € 5\n");
    assert_eq!(a.warnings.len(), 1);
    assert!(
        a.warnings[0].ends_with("cp1252.txt: not valid UTF-8 (byte 3); decoded as Windows-1252"),
        "{}",
        a.warnings[0]
    );
}

#[test]
fn empty_file_is_refused() {
    let err = read_article(&fixture("empty.txt")).unwrap_err().to_string();
    assert!(err.ends_with("empty.txt: the file is empty"), "{err}");
    let err = decode_article("bom-only.txt", b"\xEF\xBB\xBF").unwrap_err();
    assert_eq!(err.to_string(), "bom-only.txt: the file is empty");
}

#[test]
fn binary_file_is_refused() {
    let err = read_article(&fixture("binary.txt"))
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(
            "binary.txt: looks like a binary file, not text (NUL byte at byte 4); Spanmark opens .txt, .md, .html and .docx articles"
        ),
        "{err}"
    );
    // A NUL inside otherwise valid UTF-8 or UTF-16 is refused too.
    let err = decode_article("nul.txt", b"abc\0def")
        .unwrap_err()
        .to_string();
    assert!(err.contains("NUL byte at byte 3"), "{err}");
    let err = decode_article("nul16.txt", b"\xFF\xFEa\0\0\0")
        .unwrap_err()
        .to_string();
    assert!(err.contains("NUL byte at byte 4"), "{err}");
}

#[test]
fn missing_and_unreadable_paths_are_refused() {
    let err = read_article(&fixture("no-such-file.txt"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no-such-file.txt: cannot read the file: "),
        "{err}"
    );
    assert!(err.contains("No such file or directory"), "{err}");
    // A folder cannot be read as an article.
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("folder.txt");
    std::fs::create_dir(&sub).unwrap();
    let err = read_article(&sub).unwrap_err().to_string();
    assert!(err.contains("folder.txt: cannot read the file: "), "{err}");
}

#[test]
fn other_file_types_are_refused() {
    let err = read_article(std::path::Path::new("report.pdf"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "report.pdf: unsupported file type \".pdf\"; Spanmark opens .txt, .md, .html and .docx articles and .spanmark.ron sessions"
    );
}

#[test]
fn broken_utf16_is_refused() {
    let err = decode_article("odd.txt", b"\xFF\xFEa\0b")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "odd.txt: starts with a utf-16le byte order mark but is not valid utf-16le"
    );
    // An unpaired surrogate.
    let err = decode_article("sur.txt", b"\xFF\xFE\x00\xD8a\0")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not valid utf-16le"), "{err}");
}

#[test]
fn markdown_is_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.md");
    std::fs::write(&p, "# Kop\n\n*De EU* en **Japan**\n").unwrap();
    assert_eq!(
        read_article(&p).unwrap().text,
        "# Kop\n\n*De EU* en **Japan**\n"
    );
}

/// Paragraphs (split on blank lines) as lists of words: what a reader compares.
fn paragraphs_and_words(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect()
}

fn spanmark_text(path: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg("text")
        .arg(path)
        .output()
        .unwrap()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

#[test]
fn the_sample_as_a_web_page_reads_as_the_text_does() {
    let txt = std::fs::read_to_string(crate::common::sample_path()).unwrap();
    let mut body = String::new();
    for (i, p) in txt.split("\n\n").map(|p| p.trim_matches('\n')).enumerate() {
        if p.is_empty() {
            continue;
        }
        let tag = if i == 0 { "p class=lead" } else { "p" };
        // Source line breaks inside a paragraph collapse as a browser collapses them.
        let wrapped = html_escape(p).replacen(' ', "\n      ", 3);
        body.push_str(&format!("<{tag}>{wrapped}</p>\n"));
    }
    let page = format!(
        "<!doctype html><html><head><meta charset=utf-8><title>Nieuws</title>\
         <style>p {{ color: red }}</style><script>var x = '<p>not text</p>';</script></head>\
         <body><header><a href=/>Home</a></header><nav><ul><li>Menu</li><li>Zoeken</li></ul></nav>\
         <main><article>\n{body}</article><aside>Lees ook</aside></main>\
         <div style=\"display: none\">verborgen</div><footer>© Uitgever</footer></body></html>"
    );
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("news.html");
    std::fs::write(&html, page).unwrap();
    let a = read_article(&html).unwrap();
    assert_eq!(paragraphs_and_words(&a.text), paragraphs_and_words(&txt));
    assert_eq!(a.source.kind, "html");
    assert_eq!(
        a.source.sha256,
        spanmark::io::article::sha256_hex(&std::fs::read(&html).unwrap())
    );
    // `spanmark text` prints exactly that text; `stats` counts it.
    let out = spanmark_text(&html);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), a.text);
    let stats = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["stats", "--json"])
        .arg(&html)
        .output()
        .unwrap();
    assert!(stats.status.success());
    let v: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(v["characters"], a.text.chars().count());
    assert_eq!(v["documents"], 1);
}

#[test]
fn the_sample_as_a_word_file_reads_as_the_text_does() {
    let txt_path = crate::common::sample_path();
    let txt = std::fs::read_to_string(&txt_path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("news.docx");
    crate::common::python::run_py("write_docx.py", &[&txt_path, &docx]);
    let a = read_article(&docx).unwrap();
    assert_eq!(paragraphs_and_words(&a.text), paragraphs_and_words(&txt));
    assert_eq!(a.source.kind, "docx");
    let out = spanmark_text(&docx);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), a.text);
    // A picture and no words: said so, nothing else.
    let pictures = dir.path().join("pictures.docx");
    crate::common::python::run_py(
        "write_docx.py",
        &[std::path::Path::new("--images-only"), &pictures],
    );
    let err = read_article(&pictures).unwrap_err().to_string();
    assert!(
        err.contains("pictures.docx") && err.contains("no text"),
        "{err}"
    );
}

/// Pages that declare their encoding (a Japanese news page in Shift_JIS, a Russian one in
/// windows-1251) read as a browser reads them, and say which encoding was used; a page that
/// declares none is guessed from its bytes, and says so.
#[test]
fn html_pages_read_in_the_encoding_they_declare() {
    let ja = read_article(&crate::common::fixture("shift_jis.html")).unwrap();
    assert!(
        ja.text.starts_with("日本とEU、デジタル分野で協力"),
        "{:?}",
        ja.text
    );
    assert!(ja.text.contains("河野太郎デジタル大臣"), "{:?}", ja.text);
    assert_eq!(ja.source.encoding, "shift_jis");
    assert!(ja.warnings.is_empty(), "{:?}", ja.warnings);
    let ru = read_article(&crate::common::fixture("windows-1251.html")).unwrap();
    assert!(
        ru.text.starts_with("Европейский союз и Япония расширяют"),
        "{:?}",
        ru.text
    );
    assert_eq!(ru.source.encoding, "windows-1251");
    assert!(
        ru.source.normalised[0].contains("declared in the page"),
        "{:?}",
        ru.source.normalised
    );
    let guessed = read_article(&crate::common::fixture("windows-1251-undeclared.html")).unwrap();
    assert!(
        guessed.text.starts_with("Европейский союз и Япония"),
        "{:?}",
        guessed.text
    );
    assert_eq!(guessed.source.encoding, "windows-1251");
    assert!(
        guessed.warnings[0].contains("does not say its encoding"),
        "{:?}",
        guessed.warnings
    );
    // The command line prints the same text.
    let out = spanmark_text(&crate::common::fixture("shift_jis.html"));
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), ja.text);
}

/// Word writes a text box twice (a DrawingML `mc:Choice` and a VML `mc:Fallback` copy) and a
/// tracked move at both places (`w:moveFrom`, `w:moveTo`): each text is read once, where it
/// is now. A password-protected .docx and an old .doc say what they are and what to do.
#[test]
fn word_text_boxes_and_moves_read_once_and_locked_files_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let write = |mode: &str, name: &str| {
        let path = dir.path().join(name);
        crate::common::python::run_py("write_docx.py", &[std::path::Path::new(mode), &path]);
        path
    };
    let textbox = read_article(&write("--textbox", "kader.docx")).unwrap();
    assert_eq!(
        textbox.text.matches("Kadertekst over Japan").count(),
        1,
        "{:?}",
        textbox.text
    );
    assert!(
        textbox.text.starts_with("De EU en Japan werken samen."),
        "{:?}",
        textbox.text
    );
    let moved = read_article(&write("--moved", "verplaatst.docx")).unwrap();
    assert_eq!(moved.text, "De EU en werken samen met Japan.");

    let locked = write("--encrypted", "geheim.docx");
    let err = read_article(&locked).unwrap_err().to_string();
    assert!(
        err.contains("geheim.docx")
            && err.contains("password-protected")
            && err.contains("save it as .docx"),
        "{err}"
    );
    assert!(!err.contains("EOCD"), "{err}");
    let out = spanmark_text(&locked);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password-protected"));
    // An old .doc (a compound file without an encryption stream), renamed .docx.
    let old = dir.path().join("oud.docx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(4096, 0);
    std::fs::write(&old, bytes).unwrap();
    let err = read_article(&old).unwrap_err().to_string();
    assert!(
        err.contains("old Word .doc") && err.contains("save it as .docx"),
        "{err}"
    );
}

#[test]
fn hostile_word_and_html_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    // Not a zip at all.
    let fake = dir.path().join("fake.docx");
    std::fs::write(&fake, "this is plain text, renamed").unwrap();
    let err = read_article(&fake).unwrap_err().to_string();
    assert!(
        err.contains("fake.docx") && err.contains("not a zip"),
        "{err}"
    );
    let out = spanmark_text(&fake);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Word .docx file"));

    // A zip bomb: 300 MB of XML in a few hundred KB.
    let bomb = dir.path().join("bomb.docx");
    let st = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\n\
             with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n\
             \x20   with z.open('word/document.xml', 'w', force_zip64=True) as f:\n\
             \x20       f.write(b'<w:document><w:body><w:p><w:r><w:t>')\n\
             \x20       for _ in range(300):\n\
             \x20           f.write(b'a' * (1 << 20))\n",
        ])
        .arg(&bomb)
        .status()
        .unwrap();
    assert!(st.success());
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2_000_000);
    let err = read_article(&bomb).unwrap_err().to_string();
    assert!(
        err.contains("bomb.docx") && err.contains("refused"),
        "{err}"
    );

    // 100,000 nested elements: read, no stack overflow.
    let deep = dir.path().join("deep.html");
    let page = format!(
        "<html><body>{}<p>Diep verstopt.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    std::fs::write(&deep, page).unwrap();
    let out = spanmark_text(&deep);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Diep verstopt.");
    // A page with nothing a reader sees.
    let empty = dir.path().join("empty.html");
    std::fs::write(&empty, "<html><script>x()</script><nav>Menu</nav></html>").unwrap();
    let err = read_article(&empty).unwrap_err().to_string();
    assert!(
        err.contains("empty.html") && err.contains("no text"),
        "{err}"
    );
}
