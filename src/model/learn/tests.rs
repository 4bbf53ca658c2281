//! The tagger's rules on plain values.

use super::*;

fn span(doc: &Document, text: &str, nth: usize, label: &str) -> Span {
    let at = super::super::search::occurrences(doc, text)[nth].clone();
    (at.start, at.end, label.to_owned())
}

fn guess(text: &str, needle: &str, nth: usize, label: &str, score: f32) -> Learned {
    let doc = Document::new(text);
    let (a, b, label) = span(&doc, needle, nth, label);
    Learned {
        start: a,
        end: b,
        label,
        score,
    }
}

fn found(text: &str, got: &[Learned]) -> Vec<(String, String)> {
    let doc = Document::new(text);
    got.iter()
        .map(|l| {
            (
                doc.slice(l.start..l.end).unwrap_or("").to_owned(),
                l.label.clone(),
            )
        })
        .collect()
}

#[test]
fn a_possessive_is_not_part_of_the_name() {
    let words: Vec<&str> = sentences("De EU’s plan, Trump's zaak en d'Hondt's auto's.")
        .into_iter()
        .flatten()
        .map(|t| t.text)
        .collect();
    assert_eq!(
        words,
        [
            "De", "EU", "’", "s", "plan", ",", "Trump", "'", "s", "zaak", "en", "d'Hondt", "'",
            "s", "auto", "'", "s", "."
        ]
    );
}

#[test]
fn a_capitalised_particle_before_a_name_is_its_own_but_at_a_sentence_start() {
    let text = "Later zei De Wever niets. Wever zweeg. De Lijn reed.";
    let spans = vec![
        guess(text, "Wever", 0, "person", 0.9),
        guess(text, "Wever", 1, "person", 0.9),
        guess(text, "Lijn", 0, "organisation", 0.9),
    ];
    let inner: HashSet<String> = ["de"].map(String::from).into();
    let got = found(text, &document_pass(&sentences(text), spans, &inner));
    let names: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(names, ["De Wever", "Wever", "Lijn"]);
}

#[test]
fn a_name_split_at_its_particles_is_joined_but_two_names_of_other_labels_are_not() {
    let text = "Wielrenner Wout van Aert won. Dave Sinardet van de VUB en Jan van Eyck.";
    let spans = vec![
        guess(text, "Wout", 0, "person", 0.9),
        guess(text, "Aert", 0, "person", 0.8),
        guess(text, "Dave Sinardet", 0, "person", 0.9),
        guess(text, "VUB", 0, "organisation", 0.9),
        guess(text, "Jan", 0, "person", 0.9),
        guess(text, "Eyck", 0, "person", 0.9),
    ];
    let inner: HashSet<String> = ["van", "van de"].map(String::from).into();
    let got = found(text, &document_pass(&sentences(text), spans, &inner));
    let names: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        names,
        ["Wout van Aert", "Dave Sinardet", "VUB", "Jan van Eyck"]
    );
}

#[test]
fn the_document_joins_split_names_keeps_labels_consistent_and_finds_recurrences() {
    let text = "Jaap van Delden sprak met Faber. Het kabinet van Marjolein Faber zweeg. \
                Delden en Kortrijk. In Kortrijk bleef het stil. het Het";
    let spans = vec![
        guess(text, "Jaap van", 0, "person", 0.9),
        guess(text, "Delden", 0, "place", 0.6),
        guess(text, "Faber", 0, "organisation", 0.5),
        guess(text, "Het", 0, "organisation", 0.9),
        guess(text, "Marjolein Faber", 0, "person", 0.9),
        guess(text, "Kortrijk", 0, "place", 0.8),
    ];
    let got = found(
        text,
        &document_pass(&sentences(text), spans, &HashSet::new()),
    );
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        got,
        vec![
            pair("Jaap van Delden", "person"),
            // A surname alone takes its full name's label.
            pair("Faber", "person"),
            pair("Het", "organisation"),
            pair("Marjolein Faber", "person"),
            // "Delden" alone recurs as the name it ended; Kortrijk is found again.
            pair("Delden", "person"),
            pair("Kortrijk", "place"),
            pair("Kortrijk", "place"),
        ]
    );
}

#[test]
fn the_action_model_counts_tag_all_and_corrections() {
    let doc = Document::new("EU en EU. Japan en de EU.");
    let eu: Vec<Span> = (0..3).map(|k| span(&doc, "EU", k, "actor")).collect();
    // Three EU by tag-all: select + key.
    assert_eq!(actions_by_hand(&doc, &eu, &HashSet::new()), 2);
    // Two of three EU gold: tag-all makes one wrong (2 + 2), or two by hand (4).
    assert_eq!(actions_by_hand(&doc, &eu[..2], &HashSet::new()), 4);
    // Every one suggested right: one accept-all.
    assert_eq!(actions_with(&doc, &eu, &eu), 1);
    // Two right, Japan with the wrong label: two labels accepted (2), Japan relabelled
    // (2), then by hand the third EU (tag-all would retag the two done: 2 is less).
    let mut gold = eu.clone();
    gold.push(span(&doc, "Japan", 0, "actor"));
    let mut sugg = eu[..2].to_vec();
    sugg.push(span(&doc, "Japan", 0, "topic"));
    assert_eq!(actions_with(&doc, &gold, &sugg), 2 + 2 + 2);
    // Japan with wrong bounds ("Japan en"): one label accepted (1), Japan deleted (2),
    // then by hand the third EU (2) and Japan (2).
    let mut sugg = eu[..2].to_vec();
    sugg.push((gold[3].0, gold[3].1 + 3, "actor".into()));
    assert_eq!(actions_with(&doc, &gold, &sugg), 1 + 2 + 2 + 2);
}
