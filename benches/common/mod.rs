//! The news-size test articles and sessions the benchmarks share.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // a benchmark may stop on a broken set-up

use spanmark::model::{Document, Edit, LabelSet, Session, Source};

/// A deterministic article of about 5 KB: Dutch words, a few accents and Japanese, a
/// paragraph break every 17 words or so.
pub fn article(seed: usize) -> String {
    let words = [
        "De",
        "EU",
        "en",
        "Japan",
        "versterken",
        "hun",
        "onderzoekssamenwerking",
        "op",
        "het",
        "gebied",
        "van",
        "digitalisering.",
        "halfgeleiders",
        "Europese",
        "Unie",
        "creëren",
        "samenwerking",
        "2025",
        "Tokyo",
        "kunstmatige",
        "intelligentie",
        "AI-kantoor",
        "日本",
    ];
    let mut s = String::with_capacity(5200);
    let mut i = seed;
    while s.len() < 5000 {
        i = i.wrapping_mul(2654435761).wrapping_add(12345);
        if !s.is_empty() {
            s.push(if i.is_multiple_of(17) { '\n' } else { ' ' });
        }
        s.push_str(words[(i >> 8) % words.len()]);
    }
    s
}

/// A session of `text` with 40 one-word spans spread over it (actor, topic, date in turn).
pub fn session_of(text: &str, done: bool) -> Session {
    let mut s = Session::new(
        Document::new(text),
        LabelSet::default(),
        Source::default(),
        "bench".into(),
    );
    let chars: Vec<char> = s.text().chars().collect();
    let starts: Vec<usize> = (0..chars.len())
        .filter(|&i| !chars[i].is_whitespace() && (i == 0 || chars[i - 1].is_whitespace()))
        .collect();
    let step = (starts.len() / 40).max(1);
    for (k, &st) in starts.iter().step_by(step).take(40).enumerate() {
        let mut e = st;
        while e < chars.len() && !chars[e].is_whitespace() {
            e += 1;
        }
        let a = s.new_annotation(st, e, ["actor", "topic", "date"][k % 3]);
        s.apply(Edit::Add(a)).unwrap();
    }
    s.done = done;
    s
}

/// File dialogs that never open (a benchmark asks none).
#[cfg(feature = "gui")]
pub struct NoDialogs;

#[cfg(feature = "gui")]
impl spanmark::app::dialogs::Dialogs for NoDialogs {
    fn request(
        &mut self,
        _request: spanmark::app::dialogs::DialogRequest,
    ) -> std::sync::mpsc::Receiver<spanmark::app::dialogs::DialogAnswer> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(spanmark::app::dialogs::DialogAnswer::Cancelled);
        rx
    }
}
