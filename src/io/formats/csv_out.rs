//! CSV for spreadsheets (export only): `document,start,end,label,text,note`, one row per
//! span, offsets in chars, RFC 4180 quoting, UTF-8.

use super::{ExportDoc, Report};
use std::io::Write;

/// CSV in the format table.
pub const SPEC: super::FormatSpec = super::FormatSpec {
    name: "csv",
    help: "CSV for spreadsheets (export only): document, start, end, label, text, note",
    extension: "csv",
    options: &[],
    writer: super::Writer::Stream(|w, docs, _, _| write(w, docs)),
    parallel: false,
    companion: None,
    reader: None,
    relations: false,
};

pub fn write(w: &mut dyn Write, docs: &[ExportDoc<'_>]) -> std::io::Result<Report> {
    let mut report = Report::default();
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["document", "start", "end", "label", "text", "note"])?;
    for d in docs {
        let s = d.session;
        for a in s.annotations() {
            out.write_record([
                d.id.as_str(),
                &a.start.to_string(),
                &a.end.to_string(),
                &a.label,
                s.covered(a),
                a.note.as_deref().unwrap_or(""),
            ])?;
        }
        report.documents += 1;
        report.spans += s.annotations().len();
    }
    out.flush()?;
    Ok(report)
}
