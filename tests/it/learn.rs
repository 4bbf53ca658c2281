//! Learned suggestions on the core as plain values: trained on news-like articles whose
//! people, organisations and places come from one set of names, measured on articles whose
//! names were never tagged (another set): what the gazetteer cannot find at all.

use spanmark::model::learn::{Example, Model, sentences};
use spanmark::model::{Document, History, LabelSet, Session, Source};

pub(crate) const PEOPLE_A: &[&str] = &[
    "Fleur Korte",
    "Jan de Vries",
    "Sanne Bakker",
    "Pieter Janssens",
    "Marieke van Dijk",
    "Ahmed Benali",
    "Lotte Visser",
    "Koen Peeters",
    "Emma Claes",
    "Thomas Mertens",
    "Ingrid Smit",
    "Youssef El Amrani",
];
pub(crate) const PEOPLE_B: &[&str] = &[
    "Hanna Willems",
    "Bram Jacobs",
    "Nadia Haddou",
    "Joris van Leeuwen",
    "Eva Maes",
    "Ruben Hermans",
    "Sofie Wouters",
    "Daan Mulder",
];
pub(crate) const ORGS_A: &[&str] = &[
    "Europese Commissie",
    "Rabobank",
    "Philips",
    "Greenpeace",
    "KU Leuven",
    "Rijkswaterstaat",
    "Ahold Delhaize",
    "NAVO",
    "Vlaamse Regering",
    "ING",
];
pub(crate) const ORGS_B: &[&str] = &[
    "Unilever",
    "Proximus",
    "Universiteit Gent",
    "ASML",
    "Oxfam Novib",
    "KLM",
];
pub(crate) const PLACES_A: &[&str] = &[
    "Brussel",
    "Amsterdam",
    "Tokio",
    "Antwerpen",
    "Rotterdam",
    "Berlijn",
    "Gent",
    "Utrecht",
];
pub(crate) const PLACES_B: &[&str] = &[
    "Leuven",
    "Eindhoven",
    "Parijs",
    "Maastricht",
    "Brugge",
    "Osaka",
];

/// Sentence templates: P person, O organisation, L place.
const TEMPLATES: &[&str] = &[
    "P, woordvoerder van O, zei dinsdag in L dat de plannen worden uitgesteld.",
    "Volgens P van O is de situatie in L onder controle.",
    "De directeur van O, P, opende gisteren een nieuw kantoor in L.",
    "In L kwamen woensdag honderden mensen samen om te protesteren tegen O.",
    "P noemde het besluit van O \"een gemiste kans\" voor de regio rond L.",
    "Het bezoek van P aan L werd door O zorgvuldig voorbereid.",
    "O wil de komende jaren vijfhonderd banen schrappen, meldt P.",
    "Onderzoekers van O in L publiceerden het rapport samen met P.",
    "Na afloop van het overleg in L zei P dat O niet van plan is toe te geven.",
    "Ook P, die jarenlang voor O werkte, reageerde verrast.",
    "De gemeente L en O tekenden donderdag een akkoord, aldus P.",
    "Het nieuws kwam als een verrassing voor de medewerkers, die pas later werden ingelicht.",
    "De prijzen stegen vorig jaar met bijna vier procent, blijkt uit nieuwe cijfers.",
];

pub(crate) struct Lcg(pub u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// An article of eight sentences and its spans (start, end, label) in chars.
pub(crate) fn article(
    rng: &mut Lcg,
    people: &[&str],
    orgs: &[&str],
    places: &[&str],
) -> (String, Vec<(usize, usize, String)>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for k in 0..8 {
        if k > 0 {
            text.push_str(if k % 3 == 0 { "\n\n" } else { " " });
        }
        let t = TEMPLATES[rng.below(TEMPLATES.len())];
        for c in t.chars() {
            let (pool, label) = match c {
                'P' => (people, "person"),
                'O' => (orgs, "organisation"),
                'L' => (places, "place"),
                _ => {
                    text.push(c);
                    continue;
                }
            };
            let name = pool[rng.below(pool.len())];
            let start = text.chars().count();
            text.push_str(name);
            spans.push((start, start + name.chars().count(), label.to_owned()));
        }
    }
    (text, spans)
}

pub(crate) fn labels() -> Vec<String> {
    ["person", "organisation", "place"]
        .map(String::from)
        .to_vec()
}

fn session(text: &str, spans: &[(usize, usize, String)]) -> Session {
    let mut set = LabelSet::default();
    for l in labels() {
        set.add_met(&l, None);
    }
    let mut s = Session::new(Document::new(text), set, Source::default(), "t".into());
    let mut h = History::new_saved();
    for (a, b, l) in spans {
        let ann = s.new_annotation(*a, *b, l);
        h.apply(&mut s, spanmark::model::Edit::Add(ann)).unwrap();
    }
    s.done = true;
    s
}

/// Trained on 30 articles, measured on 10 with names it never saw: most names found, most
/// of what it suggests right (exact bounds and label).
#[test]
fn learned_suggestions_find_names_never_tagged_before() {
    let mut rng = Lcg(5);
    let train: Vec<Session> = (0..30)
        .map(|_| {
            let (t, s) = article(&mut rng, PEOPLE_A, ORGS_A, PLACES_A);
            session(&t, &s)
        })
        .collect();
    let examples: Vec<Example> = train
        .iter()
        .map(|s| Example {
            doc: s.document(),
            annotations: s.annotations(),
            rejected: &[],
            done: true,
        })
        .collect();
    let model = Model::train(&examples, &labels(), &[]);
    let (mut right, mut suggested, mut gold_n) = (0, 0, 0);
    for _ in 0..10 {
        let (text, gold) = article(&mut rng, PEOPLE_B, ORGS_B, PLACES_B);
        let got = model.predict(&text, &[]);
        suggested += got.len();
        gold_n += gold.len();
        right += got
            .iter()
            .filter(|g| gold.contains(&(g.start, g.end, g.label.clone())))
            .count();
        for g in &got {
            assert!(g.score > 0.0 && g.score <= 1.0, "{g:?}");
        }
    }
    let precision = right as f64 / suggested.max(1) as f64;
    let recall = right as f64 / gold_n as f64;
    eprintln!("learned on unseen names: precision {precision:.2}, recall {recall:.2}");
    assert!(
        precision >= 0.7 && recall >= 0.55,
        "precision {precision:.2}, recall {recall:.2}"
    );
    // The same data trains the same model.
    let again = Model::train(&examples, &labels(), &[]);
    let (text, _) = article(&mut Lcg(9), PEOPLE_B, ORGS_B, PLACES_B);
    assert_eq!(model.predict(&text, &[]), again.predict(&text, &[]));
}

/// Nothing to learn from, one example, a script it never saw, a sentence with no end: no
/// panic, and silence where it knows nothing.
#[test]
fn little_or_foreign_data_gives_silence_not_a_panic() {
    let empty = Model::train(&[], &labels(), &[]);
    assert!(empty.is_empty());
    assert!(
        empty
            .predict("Fleur Korte werkt in Brussel.", &[])
            .is_empty()
    );
    let one = session("Fleur Korte werkt in Brussel.", &[(0, 11, "person".into())]);
    let model = Model::train(
        &[Example {
            doc: one.document(),
            annotations: one.annotations(),
            rejected: &[],
            done: true,
        }],
        &labels(),
        &[],
    );
    let _ = model.predict("日本とEUは協力を強化する。", &[]);
    let _ = model.predict(&"a".repeat(10_000), &[]);
    assert_eq!(sentences("日本とEU。").iter().flatten().count(), 5);
}

/// (start, end, label) of an article's names.
type Spans = Vec<(usize, usize, String)>;

/// A doccano JSONL of `n` articles with their spans (`label` as doccano writes it), or
/// without spans.
fn jsonl(
    rng: &mut Lcg,
    n: usize,
    names: (&[&str], &[&str], &[&str]),
    with_spans: bool,
) -> (String, Vec<Spans>) {
    let mut out = String::new();
    let mut golds = Vec::new();
    for i in 0..n {
        let (text, spans) = article(rng, names.0, names.1, names.2);
        let label: Vec<serde_json::Value> = spans
            .iter()
            .filter(|_| with_spans)
            .map(|(s, e, l)| serde_json::json!([s, e, l]))
            .collect();
        out.push_str(
            &serde_json::json!({"id": format!("doc{i}"), "text": text, "label": label}).to_string(),
        );
        out.push('\n');
        golds.push(spans);
    }
    (out, golds)
}

/// `spanmark suggest --from train.jsonl test.jsonl --jsonl`: one line per test document with
/// its id, text and suggestions (code points, a label, a score, a source); the names it never
/// saw are found. `--out` writes sessions that validate, never over a file; nothing tagged to
/// learn from is an error that says so.
#[test]
fn the_suggest_command_learns_from_a_jsonl_and_proposes_in_new_documents() {
    use crate::common::{spanmark, spanmark_ok};
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(21);
    let (train, _) = jsonl(&mut rng, 30, (PEOPLE_A, ORGS_A, PLACES_A), true);
    let (test, golds) = jsonl(&mut rng, 8, (PEOPLE_B, ORGS_B, PLACES_B), false);
    let (train_p, test_p) = (
        dir.path().join("train.jsonl"),
        dir.path().join("test.jsonl"),
    );
    std::fs::write(&train_p, train).unwrap();
    std::fs::write(&test_p, test).unwrap();
    let (tp, te) = (train_p.to_str().unwrap(), test_p.to_str().unwrap());
    let out = spanmark_ok(&["suggest", "--from", tp, te, "--jsonl"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8);
    let (mut right, mut n) = (0, 0);
    for (line, gold) in lines.iter().zip(&golds) {
        assert!(line["id"].as_str().unwrap().starts_with("doc"));
        let text = line["text"].as_str().unwrap();
        for s in line["suggestions"].as_array().unwrap() {
            let (a, b) = (
                s[0].as_u64().unwrap() as usize,
                s[1].as_u64().unwrap() as usize,
            );
            let label = s[2].as_str().unwrap().to_owned();
            assert!(b <= text.chars().count() && (0.0..=1.0).contains(&s[3].as_f64().unwrap()));
            assert!(["learned", "gazetteer", "date"].contains(&s[4].as_str().unwrap()));
            right += usize::from(gold.contains(&(a, b, label)));
            n += 1;
        }
    }
    let gold_n: usize = golds.iter().map(Vec::len).sum();
    assert!(
        right * 10 >= gold_n * 6 && right * 10 >= n * 7,
        "{right} right of {n}, {gold_n} gold; first: {} / {:?}",
        lines[0],
        golds[0]
    );

    // --out: one session per document, each valid; run again, nothing is overwritten.
    let sessions = dir.path().join("pre");
    let ps = sessions.to_str().unwrap();
    spanmark_ok(&["suggest", "--from", tp, te, "--out", ps]);
    let files: Vec<_> = std::fs::read_dir(&sessions)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 8);
    for f in &files {
        let s = spanmark::io::load_session(f).unwrap();
        assert!(!s.annotations().is_empty());
    }
    let again = spanmark(&["suggest", "--from", tp, te, "--out", ps]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists; not overwritten"));

    // Nothing tagged to learn from.
    let none = spanmark(&["suggest", "--from", te, te, "--jsonl"]);
    assert!(!none.status.success());
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("nothing to learn from"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
}

/// In a folder: three articles tagged and done, the fourth opened; the new project takes
/// the labels the sessions define. Once tagging pauses, a
/// model trains in the background and its suggestions appear for names never tagged (marked
/// learned, with a confidence); accepting every shown suggestion is one undoable step.
#[test]
fn a_project_learns_in_the_background_and_pre_annotates_the_next_article() {
    use spanmark::model::search::SuggestionSource;
    use spanmark::workspace::{SuggestOp, Tick, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(33);
    for i in 0..3 {
        let (text, spans) = article(&mut rng, PEOPLE_A, ORGS_A, PLACES_A);
        let path = dir.path().join(format!("a{i}.txt"));
        std::fs::write(&path, &text).unwrap();
        let mut s = session(&text, &spans);
        s.source = spanmark::io::read_article(&path).unwrap().source;
        spanmark::io::save_session(&spanmark::io::session_path_for(&path), &mut s).unwrap();
    }
    let (text, gold) = article(&mut rng, PEOPLE_B, ORGS_B, PLACES_B);
    std::fs::write(dir.path().join("b.txt"), &text).unwrap();
    let mut w = Workspace::new(None, vec![]);
    w.start(Some(dir.path()));
    assert_eq!(w.doc.session.text(), text);
    // The new project takes the labels its sessions define.
    let project = &w.project.as_ref().unwrap().file.labels;
    for l in labels() {
        assert!(
            project.contains(&l),
            "{l} missing from the project's labels"
        );
    }
    assert!(w.doc.session.labels().contains("person"));
    let start = std::time::Instant::now();
    let learned = |w: &Workspace| {
        w.suggest
            .list
            .iter()
            .filter(|g| matches!(g.source, SuggestionSource::Learned(_)))
            .count()
    };
    let mut now = 0.0;
    while learned(&w) == 0 {
        assert!(start.elapsed().as_secs() < 60, "no learned suggestion came");
        std::thread::sleep(std::time::Duration::from_millis(20));
        now += 0.25;
        w.tick(Tick {
            now,
            dt: 0.02,
            input: false,
            focused: true,
        });
    }
    let right = w
        .suggest
        .list
        .iter()
        .filter(|g| gold.contains(&(g.start, g.end, g.label.clone())))
        .count();
    assert!(
        right * 2 >= gold.len(),
        "{right} of {} names suggested",
        gold.len()
    );
    // Three done documents: one held out measures the model, as the side panel shows.
    let q = w
        .trainer
        .quality
        .expect("a quality with three done documents");
    assert_eq!(q.docs, 1);
    assert!(q.summary().contains(" % right"));
    let shown = w.suggest.list.len();
    w.run(SuggestOp::AcceptShown);
    assert_eq!(w.doc.session.annotations().len(), shown);
    w.undo();
    assert!(w.doc.session.annotations().is_empty());
}

/// Rejections are evidence: a capitalised word the model takes for a name, rejected in
/// documents not yet done (sentences with no tag), is no longer suggested after training.
#[test]
fn rejected_suggestions_teach_what_is_not_a_name() {
    use spanmark::model::Rejected;
    use spanmark::workspace::learned::{DEFAULT_MIN_SCORE, Learned};
    let mut rng = Lcg(44);
    let mut sessions: Vec<Session> = (0..20)
        .map(|_| {
            let (t, s) = article(&mut rng, PEOPLE_A, ORGS_A, PLACES_A);
            session(&t, &s)
        })
        .collect();
    let line = "Vanavond sprak Kamerlid Mahieu met de Ombudsman over het Nieuwjaarsconcert.";
    let wrong = |learned: &Learned| -> Vec<String> {
        learned
            .model
            .predict(line, &learned.terms)
            .into_iter()
            .filter(|p| p.score >= DEFAULT_MIN_SCORE)
            .map(|p| line.chars().skip(p.start).take(p.end - p.start).collect())
            .collect()
    };
    let before = wrong(&Learned::from_sessions(&sessions, false));
    let nouns: Vec<String> = before
        .iter()
        .filter(|w| ["Ombudsman", "Nieuwjaarsconcert"].contains(&w.as_str()))
        .cloned()
        .collect();
    assert!(!nouns.is_empty(), "nothing wrong to reject: {before:?}");
    // The editor rejects them in ten documents still being tagged.
    for k in 0..10 {
        let text = format!("Bericht {k}. {line}");
        let mut s = session(&text, &[]);
        s.done = false;
        for p in Learned::from_sessions(&sessions, false)
            .model
            .predict(&text, &[])
            .into_iter()
            .filter(|p| p.score >= DEFAULT_MIN_SCORE)
        {
            s.rejected.push(Rejected {
                start: p.start,
                end: p.end,
                label: p.label,
            });
        }
        sessions.push(s);
    }
    let after = wrong(&Learned::from_sessions(&sessions, false));
    for n in &nouns {
        assert!(
            !after.contains(n),
            "{n} still suggested: {after:?} (before {before:?})"
        );
    }
}

/// Once three documents are done, training also measures a model trained without the
/// latest done ones on them: what the side panel shows.
#[test]
fn quality_is_measured_on_the_documents_done_last() {
    use spanmark::workspace::learned::{DEFAULT_MIN_SCORE, train_and_measure};
    let mut rng = Lcg(55);
    let mut sessions: Vec<Session> = (0..8)
        .map(|_| {
            let (t, s) = article(&mut rng, PEOPLE_A, ORGS_A, PLACES_A);
            session(&t, &s)
        })
        .collect();
    let (learned, q) = train_and_measure(&sessions, DEFAULT_MIN_SCORE);
    assert!(!learned.model.is_empty());
    let q = q.expect("eight done documents give a quality");
    assert_eq!(q.docs, 2, "a quarter of the done documents are held out");
    assert!(q.tagged > 10 && q.suggested > 0, "{q:?}");
    assert!(q.precision() >= 0.6 && q.recall() >= 0.5, "{q:?}");
    let text = q.summary();
    assert!(
        text.starts_with("learned suggestions: ") && text.contains(" % right, find "),
        "{text}"
    );
    // Two done documents are too few to measure on.
    for s in &mut sessions[2..] {
        s.done = false;
    }
    assert_eq!(train_and_measure(&sessions, DEFAULT_MIN_SCORE).1, None);
}

/// The bundled sample, after six articles of its kind are tagged (benches/data/eu-digitaal):
/// `spanmark suggest` pre-annotates it so that all of its spans take at most 30 actions by
/// README's action model, against about 50 by hand with tag-all.
#[test]
fn the_sample_takes_at_most_30_actions_after_six_articles_of_its_kind() {
    use crate::common::spanmark_ok;
    use spanmark::model::learn::{actions_by_hand, actions_with};
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/");
    let gold_file = format!("{data}sample-gold.jsonl");
    let out = spanmark_ok(&[
        "suggest",
        "--from",
        &format!("{data}eu-digitaal.jsonl"),
        &gold_file,
        "--jsonl",
    ]);
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let gold_line: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gold_file).unwrap()).unwrap();
    let asset = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/eu-japan-digitaal-partnerschap.nl.txt"
    );
    let text = std::fs::read_to_string(asset).unwrap();
    assert_eq!(line["text"], text.as_str(), "the sample's exact text");
    let spans = |v: &serde_json::Value| -> Spans {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let n = |i: usize| s[i].as_u64().unwrap() as usize;
                (n(0), n(1), s[2].as_str().unwrap().to_owned())
            })
            .collect()
    };
    let (gold, got) = (spans(&gold_line["label"]), spans(&line["suggestions"]));
    let doc = Document::new(text);
    let by_hand = actions_by_hand(&doc, &gold, &Default::default());
    let with = actions_with(&doc, &gold, &got);
    assert!(
        by_hand >= 45,
        "{} gold spans take {by_hand} by hand",
        gold.len()
    );
    assert!(
        with <= 30,
        "{with} actions with suggestions ({by_hand} by hand)"
    );
}
