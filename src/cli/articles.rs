//! `reanchor` and `text`: a session carried onto a corrected article, and an article's text
//! as the window shows it.

use crate::io::load_session;
use std::io::Write;
use std::process::ExitCode;

pub(super) fn reanchor(
    session: &std::path::Path,
    article: &std::path::Path,
    out: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    use crate::model::reanchor::Placement;
    let old = load_session(session).map_err(|e| anyhow::anyhow!(e.lines().join("\n")))?;
    let new = crate::io::read_article(article)?;
    for w in &new.warnings {
        eprintln!("{w}");
    }
    if std::fs::symlink_metadata(out).is_ok() {
        anyhow::bail!("{}: already exists; not overwritten", out.display());
    }
    let r = crate::model::reanchor::reanchor(&old, new.text, new.source);
    let mut stdout = std::io::stdout().lock();
    for o in r
        .outcomes
        .iter()
        .filter(|o| o.placement != Placement::Exact)
    {
        let quote = crate::workspace::ellipsize(&o.quote, 60);
        match o.new {
            Some((s, e)) => writeln!(
                stdout,
                "{}: annotation {} {} {:?} at {}..{} → {s}..{e} {:?}",
                o.placement.name(),
                o.id.0,
                o.label,
                quote,
                o.old.0,
                o.old.1,
                r.session.document().slice(s..e).unwrap_or_default()
            )?,
            None => writeln!(
                stdout,
                "{}: annotation {} {} {:?} at {}..{}",
                o.placement.name(),
                o.id.0,
                o.label,
                quote,
                o.old.0,
                o.old.1
            )?,
        }
    }
    writeln!(stdout, "{}", r.summary())?;
    let orphaned = r.count(Placement::Orphaned);
    let mut s = r.session;
    crate::io::save_session(out, &mut s)?;
    eprintln!(
        "wrote {} (+{} / -{} characters){}",
        out.display(),
        r.inserted,
        r.deleted,
        if r.lost_hints > 0 {
            format!(
                "; {} review items or rejected suggestions had no place and were left out",
                r.lost_hints
            )
        } else {
            String::new()
        }
    );
    Ok(if orphaned == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub(super) fn text(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let text = if crate::io::session_file::is_session_path(file) {
        load_session(file)
            .map_err(|e| anyhow::anyhow!(e.lines().join("\n")))?
            .text()
            .to_owned()
    } else {
        let a = crate::io::read_article(file)?;
        for w in &a.warnings {
            eprintln!("{w}");
        }
        a.text
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
