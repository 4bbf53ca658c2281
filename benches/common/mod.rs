//! The news-size test articles and sessions the benchmarks share.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // a benchmark may stop on a broken set-up

use spanmark::model::{Document, Edit, History, LabelSet, Session, Source};

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

/// A small deterministic generator, so every run measures the same article.
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A generated article of `paragraphs` paragraphs of about 505 bytes (Dutch-like words, a
/// few accents, Japanese) with `annotations` spans, a quarter of them nested or overlapping.
pub fn big_session(paragraphs: usize, annotations: usize) -> Session {
    let words = [
        "de",
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
        "digitalisering",
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
        "café",
        "naïeve",
        "partnerschap",
        "dataruimten",
        "High",
        "Performance",
        "Computing",
    ];
    let mut rng = Lcg(42);
    let mut text = String::with_capacity(paragraphs * 520);
    for p in 0..paragraphs {
        if p > 0 {
            text.push('\n');
        }
        let mut len = 0;
        while len < 505 {
            let w = words[rng.below(words.len())];
            if len > 0 {
                text.push(' ');
            }
            text.push_str(w);
            len += w.len() + 1;
        }
        text.push('.');
    }
    let doc = Document::new(text);
    let mut s = Session::new(doc, LabelSet::default(), Source::default(), "bench".into());
    // Word starts, in chars.
    let chars: Vec<char> = s.text().chars().collect();
    let mut word_starts = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if !c.is_whitespace() && (i == 0 || chars[i - 1].is_whitespace()) {
            word_starts.push(i);
        }
    }
    let word_end = |start: usize| {
        let mut e = start;
        while e < chars.len() && !chars[e].is_whitespace() {
            e += 1;
        }
        e
    };
    let labels = ["actor", "topic", "date"];
    let mut edits = Vec::with_capacity(annotations);
    let step = word_starts.len() / (annotations * 3 / 4);
    let mut n = 0;
    let mut w = 0;
    while n < annotations && w + 3 < word_starts.len() {
        let start = word_starts[w];
        // Three flat spans, then one nested or overlapping with the one before.
        if n % 4 == 3 {
            let prev = word_starts[w.saturating_sub(step)];
            let end =
                word_end(word_starts[(w.saturating_sub(step) + 2).min(word_starts.len() - 1)]);
            let a = s.new_annotation(prev, end, labels[(n + 1) % 3]);
            edits.push(Edit::Add(a));
        } else {
            let a = s.new_annotation(start, word_end(start), labels[n % 3]);
            edits.push(Edit::Add(a));
            w += step;
        }
        n += 1;
    }
    let mut h = History::new_unsaved();
    let applied = edits
        .into_iter()
        .filter(|e| h.apply(&mut s, e.clone()).is_ok())
        .count();
    assert!(
        applied >= annotations * 99 / 100,
        "only {applied} annotations applied"
    );
    s
}

/// One frame's input to the window at time `t`: a 1280 × 820 screen and `events`.
#[cfg(feature = "gui")]
pub fn input(events: Vec<egui::Event>, t: f64) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 820.0),
        )),
        time: Some(t),
        events,
        ..Default::default()
    }
}
