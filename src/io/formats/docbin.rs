//! spaCy's DocBin (`.spacy`), as `DocBin.to_bytes` writes it: a zlib-compressed msgpack map
//! with the tokens' attributes (ORTH, ENT_IOB, ENT_TYPE as uint64 hashes and codes), their
//! trailing-space flags, each document's length, the strings the hashes stand for, and each
//! document's span groups.
//!
//! Words and spaces rebuild the exact text (whitespace other than one space after a token is
//! a token of its own, as spaCy keeps it); tokens are split at every span boundary, so every
//! span is a whole-token span. Non-overlapping spans become `doc.ents` (overlaps resolved
//! by `overlaps`); every span, overlapping ones included, goes into `doc.spans[KEY]` ("sc", what
//! spaCy's span categorizer reads, unless told otherwise).

use super::overlaps::resolve;
use super::tokens::tokenize_with;
use super::{ExportDoc, ExportOptions, Report};
use crate::model::{Annotation, Session};
use std::collections::BTreeSet;
use std::io::Write;

/// spaCy DocBin in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "docbin",
    help: "spaCy DocBin (.spacy) for `spacy train`: entities and span groups (export only)",
    extension: "spacy",
    options: &[
        super::FormatOption::Overlaps,
        super::FormatOption::Tokenizer,
        super::FormatOption::SpanKey,
    ],
    writer: super::Writer::Stream(|w, docs, opts, _| write(w, docs, opts)),
    parallel: false,
    companion: None,
    reader: None,
    relations: false,
};

/// spaCy's attribute ids (`spacy.attrs`).
const ORTH: u64 = 65;
const ENT_IOB: u64 = 77;
const ENT_TYPE: u64 = 78;

/// ENT_IOB codes: inside, outside, beginning.
const IOB_I: u64 = 1;
const IOB_O: u64 = 2;
const IOB_B: u64 = 3;

/// spaCy's string hash: MurmurHash64A of the UTF-8 bytes with seed 1.
pub fn hash_string(s: &str) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let data = s.as_bytes();
    let mut h: u64 = 1 ^ (data.len() as u64).wrapping_mul(M);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut k = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        for (i, &b) in rest.iter().enumerate().rev() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

type Enc = Vec<u8>;

fn map_len(w: &mut Enc, n: u32) {
    // Writing into a Vec cannot fail.
    let _ = rmp::encode::write_map_len(w, n);
}

fn array_len(w: &mut Enc, n: u32) {
    let _ = rmp::encode::write_array_len(w, n);
}

fn str_(w: &mut Enc, s: &str) {
    let _ = rmp::encode::write_str(w, s);
}

fn bin(w: &mut Enc, b: &[u8]) {
    let _ = rmp::encode::write_bin(w, b);
}

fn uint(w: &mut Enc, n: u64) {
    let _ = rmp::encode::write_uint(w, n);
}

fn len32(n: usize) -> std::io::Result<u32> {
    u32::try_from(n).map_err(|_| std::io::Error::other("too many items for a DocBin"))
}

/// A span of a span group: its label's hash, its tokens and its chars.
struct GroupSpan {
    label: u64,
    tokens: (usize, usize),
    chars: (usize, usize),
}

/// One span group (`SpanGroup.to_bytes`): name, no attrs, each span packed as `>QQQllll`
/// (id, kb_id, label hash, token start, token end, char start, char end).
fn span_group(key: &str, spans: &[GroupSpan]) -> std::io::Result<Enc> {
    let mut w = Enc::new();
    map_len(&mut w, 3);
    str_(&mut w, "name");
    str_(&mut w, key);
    str_(&mut w, "attrs");
    map_len(&mut w, 0);
    str_(&mut w, "spans");
    array_len(&mut w, len32(spans.len())?);
    for g in spans {
        let int = |n: usize| {
            i32::try_from(n).map_err(|_| std::io::Error::other("offset too large for spaCy"))
        };
        let mut packed = Vec::with_capacity(40);
        packed.extend_from_slice(&0u64.to_be_bytes());
        packed.extend_from_slice(&0u64.to_be_bytes());
        packed.extend_from_slice(&g.label.to_be_bytes());
        for n in [g.tokens.0, g.tokens.1, g.chars.0, g.chars.1] {
            packed.extend_from_slice(&int(n)?.to_be_bytes());
        }
        bin(&mut w, &packed);
    }
    Ok(w)
}

/// A DocBin being built: the token table of every document, the strings, the span groups.
#[derive(Default)]
struct DocBin<'a> {
    tokens: Vec<u8>,
    spaces: Vec<u8>,
    lengths: Vec<u8>,
    strings: BTreeSet<&'a str>,
    groups: Vec<Enc>,
}

impl<'a> DocBin<'a> {
    /// Adds a document: its tokens with the entities' IOB codes (`ents`, which never
    /// overlap), and every span in the span group `span_key`.
    fn add(
        &mut self,
        s: &'a Session,
        ents: &[&Annotation],
        opts: &ExportOptions,
    ) -> std::io::Result<()> {
        let toks = tokenize_with(s, opts.tokenizer);
        let token_at_start = |c: usize| toks.partition_point(|t| t.start < c);
        let token_at_end = |c: usize| toks.partition_point(|t| t.end < c) + 1;
        let mut iob = vec![(IOB_O, 0u64); toks.len()];
        for a in ents {
            let (ts, te) = (token_at_start(a.start), token_at_end(a.end));
            let label = hash_string(&a.label);
            for (k, slot) in iob.iter_mut().enumerate().take(te).skip(ts) {
                *slot = (if k == ts { IOB_B } else { IOB_I }, label);
            }
        }
        for (t, (code, label)) in toks.iter().zip(&iob) {
            let text = s.text().get(t.bytes.clone()).unwrap_or("");
            self.strings.insert(text);
            for v in [hash_string(text), *code, *label] {
                self.tokens.extend_from_slice(&v.to_le_bytes());
            }
            self.spaces.push(u8::from(t.ws));
        }
        self.lengths.extend_from_slice(
            &i32::try_from(toks.len())
                .map_err(|_| std::io::Error::other("document too long for spaCy"))?
                .to_le_bytes(),
        );
        for l in s.labels().iter() {
            self.strings.insert(&l.name);
        }
        let spans: Vec<GroupSpan> = s
            .annotations()
            .iter()
            .map(|a| GroupSpan {
                label: hash_string(&a.label),
                tokens: (token_at_start(a.start), token_at_end(a.end)),
                chars: (a.start, a.end),
            })
            .collect();
        let mut g = Enc::new();
        if spans.is_empty() {
            array_len(&mut g, 0);
        } else {
            map_len(&mut g, 1);
            bin(&mut g, &span_group(&opts.span_key, &spans)?);
            array_len(&mut g, 1);
            str_(&mut g, &opts.span_key);
        }
        self.groups.push(g);
        Ok(())
    }

    /// The DocBin's msgpack, zlib-compressed, to `out`.
    fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        let written = self.groups.len();
        let mut w = Enc::new();
        map_len(&mut w, 9);
        str_(&mut w, "version");
        str_(&mut w, "0.1");
        str_(&mut w, "attrs");
        array_len(&mut w, 3);
        for a in [ORTH, ENT_IOB, ENT_TYPE] {
            uint(&mut w, a);
        }
        for (key, bytes) in [
            ("tokens", &self.tokens),
            ("spaces", &self.spaces),
            ("lengths", &self.lengths),
        ] {
            str_(&mut w, key);
            bin(&mut w, bytes);
        }
        str_(&mut w, "strings");
        array_len(&mut w, len32(self.strings.len())?);
        for s in &self.strings {
            str_(&mut w, s);
        }
        str_(&mut w, "cats");
        array_len(&mut w, len32(written)?);
        for _ in 0..written {
            map_len(&mut w, 0);
        }
        str_(&mut w, "flags");
        array_len(&mut w, len32(written)?);
        for _ in 0..written {
            map_len(&mut w, 1);
            str_(&mut w, "has_unknown_spaces");
            let _ = rmp::encode::write_bool(&mut w, false);
        }
        str_(&mut w, "span_groups");
        array_len(&mut w, len32(written)?);
        for g in &self.groups {
            bin(&mut w, g);
        }
        let mut z = flate2::write::ZlibEncoder::new(out, flate2::Compression::default());
        z.write_all(&w)?;
        z.finish()?;
        Ok(())
    }
}

pub fn write(
    out: &mut dyn Write,
    docs: &[ExportDoc<'_>],
    opts: &ExportOptions,
) -> std::io::Result<Report> {
    if opts.span_key.trim().is_empty() {
        return Err(std::io::Error::other(format!(
            "the span key is empty: spaCy keeps spans under a name (--span-key; spancat reads {:?})",
            super::DEFAULT_SPAN_KEY
        )));
    }
    let mut report = Report::default();
    let mut bin = DocBin::default();
    for d in docs {
        let s = d.session;
        // Every span goes into the span group; `--overlaps` chooses `doc.ents` only, and what
        // it leaves out of them is said (a document is never refused for overlapping spans).
        let ents = match resolve(&d.id, s, opts.overlaps) {
            Ok(r) => {
                let verb = "left out of doc.ents (kept in doc.spans)";
                report.notes.extend(r.notes(&d.id, s, verb));
                r.kept
            }
            Err(e) => {
                report.notes.push(format!(
                    "{e}; its doc.ents are left empty (every span is in doc.spans[{:?}])",
                    opts.span_key
                ));
                Vec::new()
            }
        };
        bin.add(s, &ents, opts)?;
        report.documents += 1;
        report.spans += s.annotations().len();
    }
    bin.finish(out)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::hash_string;

    #[test]
    fn hashes_match_spacy() {
        // spacy.strings.hash_string, spaCy 3.8.
        assert_eq!(hash_string("actor"), 6_917_656_656_232_907_963);
        assert_eq!(hash_string(""), 14_313_749_767_032_693_980);
    }
}
