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

use super::overlaps::resolve_reported;
use super::tokens::tokenize_with;
use super::{ExportDoc, ExportOptions, Report};
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

/// One span group (`SpanGroup.to_bytes`): name, no attrs, each span packed as `>QQQllll`
/// (id, kb_id, label hash, token start, token end, char start, char end).
fn span_group(key: &str, spans: &[(u64, usize, usize, usize, usize)]) -> std::io::Result<Enc> {
    let mut w = Enc::new();
    map_len(&mut w, 3);
    str_(&mut w, "name");
    str_(&mut w, key);
    str_(&mut w, "attrs");
    map_len(&mut w, 0);
    str_(&mut w, "spans");
    array_len(&mut w, len32(spans.len())?);
    for &(label, ts, te, cs, ce) in spans {
        let int = |n: usize| {
            i32::try_from(n).map_err(|_| std::io::Error::other("offset too large for spaCy"))
        };
        let mut packed = Vec::with_capacity(40);
        packed.extend_from_slice(&0u64.to_be_bytes());
        packed.extend_from_slice(&0u64.to_be_bytes());
        packed.extend_from_slice(&label.to_be_bytes());
        for n in [ts, te, cs, ce] {
            packed.extend_from_slice(&int(n)?.to_be_bytes());
        }
        bin(&mut w, &packed);
    }
    Ok(w)
}

pub fn write(
    out: &mut dyn Write,
    docs: &[ExportDoc<'_>],
    opts: &ExportOptions,
) -> std::io::Result<Report> {
    let mut report = Report::default();
    let mut tokens: Vec<u8> = Vec::new();
    let mut spaces: Vec<u8> = Vec::new();
    let mut lengths: Vec<u8> = Vec::new();
    let mut strings: BTreeSet<&str> = BTreeSet::new();
    let mut groups: Vec<Enc> = Vec::new();
    let mut written = 0usize;
    for d in docs {
        let s = d.session;
        // Overlapping spans are kept in the span group: say what left `doc.ents` only.
        let verb = "left out of doc.ents (kept in doc.spans)";
        let Some(ents) = resolve_reported(&d.id, s, opts.overlaps, verb, &mut report) else {
            continue;
        };
        let toks = tokenize_with(s, opts.tokenizer);
        let token_at_start = |c: usize| toks.partition_point(|t| t.start < c);
        let token_at_end = |c: usize| toks.partition_point(|t| t.end < c) + 1;
        let mut iob = vec![(IOB_O, 0u64); toks.len()];
        for a in &ents {
            let (ts, te) = (token_at_start(a.start), token_at_end(a.end));
            let label = hash_string(&a.label);
            for (k, slot) in iob.iter_mut().enumerate().take(te).skip(ts) {
                *slot = (if k == ts { IOB_B } else { IOB_I }, label);
            }
        }
        for (t, (code, label)) in toks.iter().zip(&iob) {
            let text = s.text().get(t.bytes.clone()).unwrap_or("");
            strings.insert(text);
            for v in [hash_string(text), *code, *label] {
                tokens.extend_from_slice(&v.to_le_bytes());
            }
            spaces.push(u8::from(t.ws));
        }
        lengths.extend_from_slice(
            &i32::try_from(toks.len())
                .map_err(|_| std::io::Error::other("document too long for spaCy"))?
                .to_le_bytes(),
        );
        for l in s.labels().iter() {
            strings.insert(&l.name);
        }
        let spans: Vec<_> = s
            .annotations()
            .iter()
            .map(|a| {
                (
                    hash_string(&a.label),
                    token_at_start(a.start),
                    token_at_end(a.end),
                    a.start,
                    a.end,
                )
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
        groups.push(g);
        written += 1;
        report.documents += 1;
        report.spans += s.annotations().len();
    }
    let mut w = Enc::new();
    map_len(&mut w, 9);
    str_(&mut w, "version");
    str_(&mut w, "0.1");
    str_(&mut w, "attrs");
    array_len(&mut w, 3);
    for a in [ORTH, ENT_IOB, ENT_TYPE] {
        uint(&mut w, a);
    }
    str_(&mut w, "tokens");
    bin(&mut w, &tokens);
    str_(&mut w, "spaces");
    bin(&mut w, &spaces);
    str_(&mut w, "lengths");
    bin(&mut w, &lengths);
    str_(&mut w, "strings");
    array_len(&mut w, len32(strings.len())?);
    for s in &strings {
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
    for g in &groups {
        bin(&mut w, g);
    }
    let mut z = flate2::write::ZlibEncoder::new(out, flate2::Compression::default());
    z.write_all(&w)?;
    z.finish()?;
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
