//! Re-anchoring a 5 MB / 50,000-span session onto a new text of its article, whatever the
//! edit: one word changed, its paragraphs shuffled (every span should come out exact), and an
//! unrelated article of the same size and words (nothing to carry: it must still be quick).
//! Prints `name: value unit` lines.
//!
//!     cargo bench --bench reanchor
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop on a broken set-up

mod common;

use spanmark::model::reanchor::{Placement, reanchor};
use std::time::Instant;

fn main() {
    let s = common::big_session(10_000, 50_000);
    let text = s.text().to_owned();
    eprintln!(
        "({} MB, {} spans)",
        text.len() / 1_000_000,
        s.annotations().len()
    );
    let edited = text.replacen("Tokyo", "Tokio", 1);
    let mut paragraphs: Vec<&str> = text.split('\n').collect();
    let mut rng = common::Lcg(7);
    for i in (1..paragraphs.len()).rev() {
        paragraphs.swap(i, rng.below(i + 1));
    }
    let shuffled = paragraphs.join("\n");
    let mut unrelated = String::with_capacity(text.len());
    let mut seed = 1;
    while unrelated.len() < text.len() {
        unrelated.push_str(&common::article(seed));
        unrelated.push('\n');
        seed += 1;
    }
    for (name, new) in [
        ("edit", edited),
        ("shuffled", shuffled),
        ("unrelated", unrelated),
    ] {
        // `ONLY=shuffled cargo bench --bench reanchor` runs one case (for a profiler).
        if std::env::var("ONLY").is_ok_and(|only| only != name) {
            continue;
        }
        let t = Instant::now();
        let r = reanchor(&s, new, s.source.clone());
        println!(
            "reanchor_{name}_5mb_ms: {:.0} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
        eprintln!("({name}: {})", r.summary());
        if std::env::var_os("SHOW").is_some() {
            for o in r
                .outcomes
                .iter()
                .filter(|o| o.placement != Placement::Exact)
                .take(8)
            {
                let a = s.get(o.id).unwrap();
                let t = s.document();
                let ctx = t.slice(a.start.saturating_sub(40)..(a.end + 40).min(t.char_len()));
                eprintln!("  {o:?} {ctx:?}");
            }
        }
        // A span across a paragraph break cannot stay exact when the paragraphs part.
        let (within, not_exact) = s
            .annotations()
            .iter()
            .zip(&r.outcomes)
            .filter(|(a, _)| !s.document().slice(a.start..a.end).unwrap().contains('\n'))
            .fold((0, 0), |(n, x), (_, o)| {
                (n + 1, x + usize::from(o.placement != Placement::Exact))
            });
        eprintln!("({within} spans within a paragraph)");
        println!("reanchor_{name}_5mb_not_exact: {not_exact} spans");
    }
}
