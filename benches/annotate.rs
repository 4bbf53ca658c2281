//! Suggestions judged on gold data: reads tagged documents in order (a doccano JSONL), learns
//! from the first N, suggests in the rest, and prints precision and recall (exact bounds and
//! label), training and suggestion time, and the editor's actions per gold span by README's
//! action model: by hand, with the gazetteer and dates only, and with learned suggestions.
//!
//!     cargo bench --bench annotate -- GOLD.jsonl [--train N]
//!
//! With GOLD it also prints the mean over eight orders of the documents (as given, backwards,
//! six shuffles), and the bundled sample's actions after six articles of its kind.
//! Without GOLD, a generated corpus of template news sentences whose test half names people,
//! organisations and places the training half never does (a check of the machinery, not of
//! quality on real text).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop on a broken set-up

use spanmark::io::formats::{Format, Offsets, Report, to_sessions};
use spanmark::model::learn::{Span, actions_by_hand, actions_with};
use spanmark::model::{Document, Session};
use spanmark::workspace::learned::{DEFAULT_MIN_SCORE, Learned};
use std::time::Instant;

fn gold_sessions(path: Option<&str>) -> Vec<Session> {
    let Some(path) = path else {
        return generated();
    };
    let mut report = Report::default();
    let (docs, labels) = spanmark::io::transfer::read_foreign(
        Format::Jsonl,
        std::path::Path::new(path),
        Offsets::Chars,
        &mut report,
    )
    .unwrap();
    to_sessions(docs, path, labels.as_ref(), &mut report)
        .into_iter()
        .map(|(_, s)| s)
        .collect()
}

/// 60 articles of 8 template sentences; the last 30 name other people, organisations and
/// places than the first 30.
fn generated() -> Vec<Session> {
    let names = |k: usize| -> [&[&str]; 3] {
        if k < 30 {
            [
                &[
                    "Fleur Korte",
                    "Jan de Vries",
                    "Sanne Bakker",
                    "Ahmed Benali",
                    "Koen Peeters",
                ],
                &[
                    "Europese Commissie",
                    "Rabobank",
                    "Philips",
                    "Greenpeace",
                    "NAVO",
                ],
                &["Brussel", "Amsterdam", "Tokio", "Antwerpen", "Berlijn"],
            ]
        } else {
            [
                &["Hanna Willems", "Bram Jacobs", "Nadia Haddou", "Eva Maes"],
                &["Unilever", "ASML", "KLM", "Oxfam Novib"],
                &["Leuven", "Eindhoven", "Parijs", "Osaka"],
            ]
        }
    };
    let templates = [
        "P, woordvoerder van O, zei dinsdag in L dat de plannen worden uitgesteld.",
        "Volgens P van O is de situatie in L onder controle.",
        "De directeur van O, P, opende gisteren een nieuw kantoor in L.",
        "In L kwamen woensdag honderden mensen samen om te protesteren tegen O.",
        "Het nieuws kwam als een verrassing voor de medewerkers.",
        "P noemde het besluit van O \"een gemiste kans\" voor de regio rond L.",
    ];
    let mut seed: u64 = 3;
    let mut below = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    (0..60)
        .map(|k| {
            let pools = names(k);
            let (mut text, mut spans) = (String::new(), Vec::new());
            for i in 0..8 {
                if i > 0 {
                    text.push(' ');
                }
                for c in templates[below(templates.len())].chars() {
                    let (pool, label) = match c {
                        'P' => (pools[0], "person"),
                        'O' => (pools[1], "organisation"),
                        'L' => (pools[2], "place"),
                        _ => {
                            text.push(c);
                            continue;
                        }
                    };
                    let name = pool[below(pool.len())];
                    let start = text.chars().count();
                    text.push_str(name);
                    spans.push((start, start + name.chars().count(), label));
                }
            }
            let mut labels = spanmark::model::LabelSet::default();
            for l in ["person", "organisation", "place"] {
                labels.add_met(l, None);
            }
            let mut s = Session::new(
                Document::new(text),
                labels,
                Default::default(),
                "gold".into(),
            );
            for (a, b, l) in spans {
                let ann = s.new_annotation(a, b, l);
                s.apply(spanmark::model::Edit::Add(ann)).unwrap();
            }
            s
        })
        .collect()
}

fn spans(s: &Session) -> Vec<Span> {
    s.annotations()
        .iter()
        .map(|a| (a.start, a.end, a.label.clone()))
        .collect()
}

/// Precision, recall and actions per gold span of one suggester over the test documents.
fn judge(learned: &Learned, test: &[Session]) -> (f64, f64, f64, f64) {
    let (mut right, mut suggested, mut gold_n, mut actions) = (0, 0, 0, 0);
    let t = Instant::now();
    for s in test {
        let gold = spans(s);
        let got: Vec<Span> = learned
            .propose(s.document(), DEFAULT_MIN_SCORE)
            .into_iter()
            .map(|p| (p.start, p.end, p.label))
            .collect();
        right += got.iter().filter(|g| gold.contains(g)).count();
        if std::env::var_os("SHOW").is_some() {
            show(s, &gold, &got);
        }
        suggested += got.len();
        gold_n += gold.len();
        actions += actions_with(s.document(), &gold, &got);
    }
    let ms = t.elapsed().as_secs_f64() * 1e3 / test.len().max(1) as f64;
    (
        right as f64 / suggested.max(1) as f64,
        right as f64 / gold_n.max(1) as f64,
        actions as f64 / gold_n.max(1) as f64,
        ms,
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with('-') && a.ends_with(".jsonl"));
    let docs = gold_sessions(path.map(String::as_str));
    let n = args
        .iter()
        .position(|a| a == "--train")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(docs.len() / 2)
        .min(docs.len());
    let (train, test) = docs.split_at(n);
    eprintln!(
        "({} documents: training on {}, measuring on {}{})",
        docs.len(),
        train.len(),
        test.len(),
        if path.is_none() { "; generated" } else { "" }
    );
    let gold_n: usize = test.iter().map(|s| s.annotations().len()).sum();
    let by_hand: usize = test
        .iter()
        .map(|s| actions_by_hand(s.document(), &spans(s), &Default::default()))
        .sum();
    println!(
        "actions_per_span_by_hand: {:.2}",
        by_hand as f64 / gold_n.max(1) as f64
    );
    let t = Instant::now();
    let learned = Learned::from_sessions(train, true);
    println!("train_ms: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let gazetteer = Learned {
        model: Default::default(),
        terms: learned.terms.clone(),
        labels: learned.labels.clone(),
    };
    let (p, r, a, _) = judge(&gazetteer, test);
    println!("gazetteer_precision: {p:.3}");
    println!("gazetteer_recall: {r:.3}");
    println!("actions_per_span_gazetteer: {a:.2}");
    let (p, r, a, ms) = judge(&learned, test);
    println!("precision: {p:.3}");
    println!("recall: {r:.3}");
    println!("actions_per_span: {a:.2}");
    println!("suggest_ms_per_doc: {ms:.2} ms");
    if path.is_some() {
        other_orders(&docs, n);
    }
    sample_in_a_project();
}

/// One order of the documents is one draw: the same measure over the order read backwards and
/// six shuffles (fixed seeds), averaged, says more than any one of them.
fn other_orders(docs: &[Session], n: usize) {
    let mut orders: Vec<Vec<Session>> = vec![docs.to_vec(), docs.iter().rev().cloned().collect()];
    for seed in 1..=6u64 {
        let mut state = seed;
        let mut shuffled = docs.to_vec();
        for i in (1..shuffled.len()).rev() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            shuffled.swap(i, ((state >> 33) as usize) % (i + 1));
        }
        orders.push(shuffled);
    }
    let actions: Vec<f64> = orders
        .iter()
        .map(|docs| {
            let (train, test) = docs.split_at(n);
            judge(&Learned::from_sessions(train, true), test).2
        })
        .collect();
    let mean = actions.iter().sum::<f64>() / actions.len() as f64;
    let all: Vec<String> = actions.iter().map(|a| format!("{a:.2}")).collect();
    eprintln!("(actions per span in each order: {})", all.join(" "));
    println!("actions_per_span_mean_of_8_orders: {mean:.3}");
}

/// The bundled sample, tagged after six articles of its kind (benches/data/eu-digitaal):
/// the editor's actions on it by hand and with suggestions.
fn sample_in_a_project() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/");
    let before = gold_sessions(Some(&format!("{data}eu-digitaal.jsonl")));
    let sample = gold_sessions(Some(&format!("{data}sample-gold.jsonl")));
    let Some(sample) = sample.first() else {
        return;
    };
    let gold = spans(sample);
    let by_hand = actions_by_hand(sample.document(), &gold, &Default::default());
    let learned = Learned::from_sessions(&before, true);
    let proposed = learned.propose(sample.document(), DEFAULT_MIN_SCORE);
    let got: Vec<Span> = proposed
        .iter()
        .map(|p| (p.start, p.end, p.label.clone()))
        .collect();
    if std::env::var_os("SHOW").is_some() {
        for p in proposed.iter().filter(|p| p.source == "learned") {
            let text = sample.document().slice(p.start..p.end);
            eprintln!("  learned {text:?} {} {:.2}", p.label, p.score);
        }
        show(sample, &gold, &got);
    }
    println!("sample_spans: {} spans", gold.len());
    println!("sample_actions_by_hand: {by_hand} actions");
    println!(
        "sample_actions: {} actions",
        actions_with(sample.document(), &gold, &got)
    );
}

fn show(s: &Session, gold: &[Span], got: &[Span]) {
    let text = |(a, b, l): &Span| format!("{:?} {l}", s.document().slice(*a..*b));
    for g in got.iter().filter(|g| !gold.contains(g)) {
        eprintln!("  wrong   {}", text(g));
    }
    for g in gold.iter().filter(|g| !got.contains(g)) {
        eprintln!("  missed  {}", text(g));
    }
}
