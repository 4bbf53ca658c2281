//! Re-anchoring a tagged session onto a corrected article, on the core as plain values: the
//! sample with a paragraph added at the top, "Japen" fixed, a sentence deleted and two
//! paragraphs swapped. The expected place of every span comes from how the new text was built
//! (which piece of the old text each char was copied from), not from the code under test.

use crate::common::{sample_path, session_of, tag_all};
use spanmark::model::reanchor::{Placement, reanchor};
use spanmark::model::{AnchorKind, Edit, History, Session};

/// A new text built from pieces: copied ranges of the old text (by char) and new strings.
enum Piece<'a> {
    Old(usize, usize),
    New(&'a str),
}

/// The new text and, for each old char, where it went (if it was copied).
fn build(old: &str, pieces: &[Piece]) -> (String, Vec<Option<usize>>) {
    let chars: Vec<char> = old.chars().collect();
    let mut map = vec![None; chars.len()];
    let mut out = String::new();
    let mut n = 0;
    for p in pieces {
        match *p {
            Piece::Old(s, e) => {
                for (i, slot) in map.iter_mut().enumerate().take(e).skip(s) {
                    *slot = Some(n + (i - s));
                }
                out.extend(&chars[s..e]);
                n += e - s;
            }
            Piece::New(t) => {
                out.push_str(t);
                n += t.chars().count();
            }
        }
    }
    (out, map)
}

fn char_find(text: &str, needle: &str) -> usize {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    text[..b].chars().count()
}

fn tagged_sample() -> Session {
    let mut s = session_of(&sample_path());
    let mut h = History::new_saved();
    for (word, label) in [
        ("EU", "actor"),
        ("Japan", "actor"),
        ("Japen", "actor"),
        ("Europese Unie", "actor"),
        ("High Performance Computing", "topic"),
        ("halfgeleiders", "topic"),
        ("dataruimten", "topic"),
        ("kunstmatige intelligentie", "topic"),
        ("kwantumtechnologie", "topic"),
        ("AI", "topic"),
        ("2022", "date"),
    ] {
        tag_all(&mut s, &mut h, word, label);
    }
    // A note survives too.
    let first = s.annotations()[0].id;
    h.apply(&mut s, Edit::set_note(first, Some("checked".into())))
        .unwrap();
    s
}

#[test]
fn corrected_sample_keeps_every_surviving_span_in_place() {
    let old = tagged_sample();
    let text = old.text().to_owned();
    let len = text.chars().count();
    let paragraph = |start: &str| char_find(&text, start);
    let p3 = paragraph("Het digitale partnerschap");
    let p4 = paragraph("Context");
    let p5 = paragraph("De EU heeft sinds 2022");
    let p6 = p5
        + text[text.find("De EU heeft sinds 2022").unwrap()..]
            .find("\n\n")
            .map(|b| {
                text[text.find("De EU heeft sinds 2022").unwrap()..][..b]
                    .chars()
                    .count()
            })
            .unwrap();
    let japen = char_find(&text, "Japen");
    let gone = "Daarnaast verkennen de EU en Japan";
    let gone_start = char_find(&text, gone);
    let gone_end = gone_start
        + text[text.find(gone).unwrap()..]
            .find("kwantumtechnologie. ")
            .map(|b| text[text.find(gone).unwrap()..][..b].chars().count())
            .unwrap()
        + "kwantumtechnologie. ".len();
    let (new_text, moved) = build(
        &text,
        &[
            Piece::New("Aangevuld op 29 november: een nieuwe inleiding over de EU.\n\n"),
            Piece::Old(0, japen),
            Piece::New("Japan"),
            Piece::Old(japen + 5, p3),
            // The fifth paragraph moves before the third (they swap around "Context").
            Piece::Old(p5, p6),
            Piece::New("\n\n"),
            Piece::Old(p4, p5),
            Piece::Old(p3, gone_start),
            Piece::Old(gone_end, p4 - 2),
            Piece::Old(p6, len),
        ],
    );
    assert!(new_text.contains("De EU en Japan intensiveren"));
    assert!(!new_text.contains(gone));

    let mut source = old.source.clone();
    source.sha256 = "new".into();
    let r = reanchor(&old, new_text.clone(), source);
    let new = &r.session;
    let new_chars: Vec<char> = new_text.chars().collect();
    let (mut exact, mut changed, mut orphaned) = (0, 0, 0);
    for (a, o) in old.annotations().iter().zip(&r.outcomes) {
        assert_eq!(a.id, o.id);
        let quote = old.covered(a);
        let copied = (a.start..a.end).all(|i| moved[i].is_some());
        let in_gone = a.start >= gone_start && a.end <= gone_end;
        if quote == "Japen" {
            assert_eq!(o.placement, Placement::Changed, "{o:?}");
            let at = new.get(a.id).unwrap();
            assert_eq!(new.covered(at), "Japan");
            changed += 1;
        } else if in_gone {
            assert_eq!(
                o.placement,
                Placement::Orphaned,
                "{quote:?} at {} → {:?} in {:?}",
                a.start,
                o.new,
                o.new.map(|(s, e)| new_chars[s.saturating_sub(40)..e + 40]
                    .iter()
                    .collect::<String>())
            );
            assert!(
                new.get(a.id).is_none(),
                "an orphan is not placed on other text"
            );
            let r = new.anchors.iter().find(|r| r.id == a.id).unwrap();
            assert_eq!(r.kind, AnchorKind::Orphaned);
            assert_eq!(r.quote, quote);
            assert_eq!(
                r.orphan.as_ref(),
                Some(a),
                "kept whole, note and times included"
            );
            orphaned += 1;
        } else {
            assert!(copied, "{quote:?} at {} was not copied", a.start);
            let want = moved[a.start].unwrap();
            assert_eq!(
                o.placement,
                Placement::Exact,
                "{quote:?} at {} should be exact: {o:?}",
                a.start
            );
            let b = new.get(a.id).unwrap();
            assert_eq!((b.start, b.end), (want, want + a.len()), "{quote:?}");
            assert_eq!(new_chars[b.start..b.end].iter().collect::<String>(), quote);
            assert_eq!(
                (&b.label, &b.note, &b.annotator),
                (&a.label, &a.note, &a.annotator)
            );
            assert_eq!((b.created, b.modified), (a.created, a.modified));
            exact += 1;
        }
    }
    assert_eq!(
        r.summary(),
        format!("exact {exact}, changed {changed}, orphaned {orphaned}")
    );
    assert!(
        exact >= 30 && changed == 1 && orphaned == 4,
        "{}",
        r.summary()
    );
    // Only the changed one and the orphans wait for review; new ids never reuse theirs.
    assert_eq!(new.anchors.len(), changed + orphaned);
    let mut s = new.clone();
    let fresh = s.new_annotation(0, 3, "actor");
    assert!(fresh.id > old.annotations().iter().map(|a| a.id).max().unwrap());
}

#[test]
fn unchanged_text_is_all_exact_and_an_unrelated_text_orphans_everything() {
    let old = tagged_sample();
    let same = reanchor(&old, old.text().to_owned(), old.source.clone());
    assert_eq!(same.count(Placement::Exact), old.annotations().len());
    assert_eq!(same.session.annotations(), old.annotations());

    let other = reanchor(
        &old,
        "Een heel ander artikel over Japan en de EU, zonder enig verband met het eerste.".into(),
        old.source.clone(),
    );
    // "Japan" and "EU" occur, but never in the context they had: nothing lands on them.
    assert_eq!(other.count(Placement::Orphaned), old.annotations().len());
    assert!(other.session.annotations().is_empty());
}

#[test]
fn review_decisions_are_undoable_edits() {
    let old = tagged_sample();
    let text = old.text().replacen("Japen", "Japan", 1).replacen(
        "Dit is echter afhankelijk van het beschikbare budget. ",
        "",
        1,
    );
    let mut text = text;
    let cut = text.find("Daarnaast verkennen").unwrap();
    let end = cut + text[cut..].find(". ").unwrap() + 2;
    text.replace_range(cut..end, "");
    let mut s = reanchor(&old, text, old.source.clone()).session;
    let mut h = History::new_saved();
    let changed = s
        .anchors
        .iter()
        .find(|r| r.kind == AnchorKind::Changed)
        .unwrap()
        .clone();
    let orphan = s
        .anchors
        .iter()
        .find(|r| r.kind == AnchorKind::Orphaned)
        .unwrap()
        .clone();
    let before = s.clone();
    // Keep the changed one where it is; place the orphan on "digitalisering"; undo both.
    h.apply(&mut s, Edit::Settle(changed.id)).unwrap();
    let at = char_find(s.text(), "digitalisering");
    let mut a = orphan.orphan.clone().unwrap();
    (a.start, a.end) = (at, at + "digitalisering".len());
    h.apply(
        &mut s,
        Edit::Batch(vec![Edit::Add(a), Edit::Settle(orphan.id)]),
    )
    .unwrap();
    assert!(s.anchors.is_empty() || s.anchors.len() == before.anchors.len() - 2);
    assert_eq!(s.covered(s.get(orphan.id).unwrap()), "digitalisering");
    h.undo(&mut s).unwrap();
    h.undo(&mut s).unwrap();
    assert_eq!(s, before);
}

mod flow {
    //! The flow the window shows, on the workspace core: open a corrected article, answer
    //! the question, review, undo, save.
    use spanmark::io::load_session;
    use spanmark::model::AnchorKind;
    use spanmark::workspace::{Direction, EditOp, Prompt, SuggestOp, Workspace};

    fn status(w: &Workspace) -> String {
        w.notices
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    fn select(w: &mut Workspace, word: &str) {
        let text = w.doc.session.text();
        let b = text.find(word).unwrap();
        let s = text[..b].chars().count();
        w.cursor.selection = Some(s..s + word.chars().count());
    }

    /// A folder with news.txt tagged (EU ×2, Japen, budget) and saved, then corrected.
    fn corrected() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("news.txt");
        std::fs::write(
            &article,
            "De EU en Japen werken samen aan chips.\n\nHet budget is nog onzeker, zegt de EU.\n",
        )
        .unwrap();
        let mut w = Workspace::new(None, vec![]);
        w.start(Some(&article));
        for (word, label) in [("EU", "actor"), ("Japen", "actor"), ("budget", "topic")] {
            select(&mut w, word);
            w.run(EditOp::Tag(label.into()));
        }
        assert!(w.save());
        std::fs::write(
            &article,
            "Nieuw: een inleiding.\n\nDe EU en Japan werken samen aan chips.\n\nZo gaat dat.\n",
        )
        .unwrap();
        (dir, article)
    }

    #[test]
    fn opening_a_corrected_article_asks_then_reanchors_as_one_undoable_step() {
        let (dir, article) = corrected();
        let mut w = Workspace::new(None, vec![]);
        w.start(Some(&article));
        match &w.notices.prompt {
            Some(Prompt::ArticleChanged {
                annotations,
                changed: Some((inserted, deleted)),
                waiting: false,
            }) => {
                assert_eq!(*annotations, 3);
                assert!(*inserted > 0 && *deleted > 0);
            }
            other => panic!("expected the question, got {other:?}"),
        }
        // Until answered, the saved text is what is open.
        assert!(w.doc.session.text().contains("Japen"));
        w.answer_article_changed(true);
        assert!(w.notices.prompt.is_none());
        assert!(w.doc.session.text().starts_with("Nieuw"));
        assert!(
            status(&w).contains("exact 1, changed 1, orphaned 1"),
            "{}",
            status(&w)
        );
        assert!(w.doc.dirty());

        // Tab: the changed one first (in reading order), then the orphan.
        w.run(SuggestOp::Step(Direction::Forward));
        let r = w.review.current(&w.doc).unwrap().clone();
        assert_eq!((r.kind, r.quote.as_str()), (AnchorKind::Changed, "Japen"));
        assert!(
            status(&w).contains("“Japan” (actor) was “Japen”"),
            "{}",
            status(&w)
        );
        w.run(SuggestOp::Accept);
        assert!(
            status(&w).starts_with("Kept where it is."),
            "{}",
            status(&w)
        );
        let r = w.review.current(&w.doc).unwrap().clone();
        assert_eq!((r.kind, r.quote.as_str()), (AnchorKind::Orphaned, "budget"));
        // Enter with nothing selected says what to do; with "chips" selected, places it.
        w.run(SuggestOp::Accept);
        assert!(status(&w).contains("Select the text"), "{}", status(&w));
        select(&mut w, "chips");
        w.run(SuggestOp::Accept);
        let placed = w.doc.session.get(r.id).unwrap();
        assert_eq!(
            (w.doc.session.covered(placed), placed.label.as_str()),
            ("chips", "topic")
        );
        assert!(w.doc.session.anchors.is_empty());

        // Undo: the placement, the keep, then the re-anchoring itself (the saved text again,
        // clean); redo brings it all back.
        w.undo();
        assert_eq!(status(&w), "Undid: place “budget”.");
        w.undo();
        assert_eq!(status(&w), "Undid: keep “Japan” (was “Japen”).");
        assert_eq!(w.doc.session.anchors.len(), 2);
        w.undo();
        assert!(w.doc.session.text().contains("Japen"));
        assert!(!w.doc.dirty());
        w.redo();
        assert!(w.doc.session.text().starts_with("Nieuw"));
        w.redo();
        w.redo();
        assert!(w.doc.session.anchors.is_empty());

        // Saved: the new text, the new source hash; reopening asks nothing.
        assert!(w.save());
        let saved = load_session(&dir.path().join("news.spanmark.ron")).unwrap();
        assert_eq!(saved.text(), std::fs::read_to_string(&article).unwrap());
        assert_eq!(
            saved.source.sha256,
            spanmark::io::article::sha256_hex(&std::fs::read(&article).unwrap())
        );
        let mut again = Workspace::new(None, vec![]);
        again.start(Some(&article));
        assert!(again.notices.prompt.is_none());
        assert_eq!(again.doc.session.annotations().len(), 3);
    }

    /// Ticks the workspace (as the window does each frame) until `done` or a minute passes.
    fn tick_until(w: &mut Workspace, done: impl Fn(&Workspace) -> bool) {
        let start = std::time::Instant::now();
        while !done(w) {
            assert!(start.elapsed().as_secs() < 60, "{:?}", w.notices.prompt);
            std::thread::sleep(std::time::Duration::from_millis(20));
            w.tick(spanmark::workspace::Tick {
                now: start.elapsed().as_secs_f64(),
                dt: 0.02,
                input: false,
                focused: true,
            });
        }
    }

    /// A long article (its 1,200 paragraphs shuffled since its session was saved) is
    /// re-anchored on a thread while the question waits: the question comes at once, says
    /// what changed when it knows, and Enter pressed before that is carried out on arrival.
    #[test]
    fn a_long_article_is_reanchored_in_the_background_while_the_question_waits() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("long.txt");
        let paragraphs = super::recurring_paragraphs(1_200);
        std::fs::write(&article, paragraphs.join("\n\n")).unwrap();
        let mut w = Workspace::new(None, vec![]);
        w.start(Some(&article));
        assert!(w.doc.session.text().chars().count() > 200_000);
        select(&mut w, "Tokio");
        w.run(EditOp::TagAll("topic".into()));
        let tagged = w.doc.session.annotations().len();
        assert!(tagged > 1_000 && w.save());
        let mut shuffled = paragraphs.clone();
        shuffled.reverse();
        std::fs::write(&article, shuffled.join("\n\n")).unwrap();

        for answer_first in [true, false] {
            let mut w = Workspace::new(None, vec![]);
            w.start(Some(&article));
            let asked = |w: &Workspace| match w.notices.prompt {
                Some(Prompt::ArticleChanged {
                    changed, waiting, ..
                }) => Some((changed, waiting)),
                _ => None,
            };
            if answer_first {
                // Asked at once, before the changes are known; Enter waits for them.
                assert_eq!(asked(&w), Some((None, false)));
                w.answer_article_changed(true);
                assert_eq!(asked(&w), Some((None, true)));
            } else {
                tick_until(&mut w, |w| asked(w).is_some_and(|(c, _)| c.is_some()));
                w.answer_article_changed(true);
            }
            tick_until(&mut w, |w| asked(w).is_none());
            assert_eq!(w.doc.session.text(), shuffled.join("\n\n"));
            let said = status(&w);
            assert!(
                said.contains(&format!("exact {tagged}, changed 0, orphaned 0")),
                "{said}"
            );
            assert!(w.review.current.is_none() && w.doc.session.anchors.is_empty());
        }
    }

    #[test]
    fn the_project_list_marks_a_corrected_article_until_it_is_reanchored_and_saved() {
        let (dir, article) = corrected();
        std::fs::write(dir.path().join("other.txt"), "Niets veranderd.\n").unwrap();
        let mut w = Workspace::new(None, vec![]);
        w.start(Some(dir.path()));
        let changed = |w: &Workspace| -> Vec<(String, bool)> {
            w.project
                .as_ref()
                .unwrap()
                .docs
                .iter()
                .map(|d| (d.name.clone(), d.article_changed))
                .collect()
        };
        assert_eq!(
            changed(&w),
            [
                ("news.txt".to_owned(), true),
                ("other.txt".to_owned(), false)
            ]
        );
        w.open(&article);
        w.answer_article_changed(true);
        assert!(w.save());
        assert_eq!(
            changed(&w),
            [
                ("news.txt".to_owned(), false),
                ("other.txt".to_owned(), false)
            ]
        );
    }

    /// Killed after re-anchoring, before saving: reopening and re-anchoring again replays the
    /// review decisions and tags made since, from the journal.
    #[test]
    fn work_after_reanchoring_survives_a_crash() {
        let (dir, article) = corrected();
        let mut w = Workspace::new(None, vec![]);
        w.start(Some(&article));
        w.answer_article_changed(true);
        w.run(SuggestOp::Step(Direction::Forward));
        w.run(SuggestOp::Accept); // keeps "Japan"
        select(&mut w, "inleiding");
        w.run(EditOp::Tag("topic".into()));
        w.doc.sync_journal();
        let before: Vec<_> = w.doc.session.annotations().to_vec();
        let waiting = w.doc.session.anchors.len();
        drop(w); // no save: as if killed

        let mut w = Workspace::new(None, vec![]);
        w.start(Some(&article));
        assert!(matches!(
            w.notices.prompt,
            Some(Prompt::ArticleChanged { .. })
        ));
        w.answer_article_changed(true);
        match &w.notices.prompt {
            Some(Prompt::Info(m)) => assert!(m.starts_with("Recovered 2 edits"), "{m}"),
            other => panic!("expected the recovery notice, got {other:?}"),
        }
        assert_eq!(w.doc.session.annotations(), before.as_slice());
        assert_eq!(w.doc.session.anchors.len(), waiting);
        assert!(dir.path().join("news.spanmark.ron").exists());
    }

    #[test]
    fn keeping_the_saved_text_changes_nothing_and_a_review_survives_a_save() {
        let (dir, article) = corrected();
        let before = std::fs::read(dir.path().join("news.spanmark.ron")).unwrap();
        let mut w = Workspace::new(None, vec![]);
        w.start(Some(&article));
        w.answer_article_changed(false);
        assert!(w.doc.session.text().contains("Japen"));
        assert!(!w.doc.dirty());
        assert_eq!(
            std::fs::read(dir.path().join("news.spanmark.ron")).unwrap(),
            before
        );
        // Re-anchor, drop the changed one with x, save with the orphan still waiting.
        let mut w = Workspace::new(None, vec![]);
        w.start(Some(&article));
        w.answer_article_changed(true);
        w.run(SuggestOp::Step(Direction::Forward));
        w.run(SuggestOp::Reject);
        assert!(
            w.doc
                .session
                .annotations()
                .iter()
                .all(|a| a.label != "actor" || w.doc.session.covered(a) == "EU")
        );
        assert!(w.save());
        let saved = load_session(&dir.path().join("news.spanmark.ron")).unwrap();
        assert_eq!(saved.anchors.len(), 1);
        assert_eq!(saved.anchors[0].kind, AnchorKind::Orphaned);
        assert_eq!(saved.anchors[0].quote, "budget");
    }
}

/// `n` paragraphs of 60 words drawn from 16, so every phrase recurs.
fn recurring_paragraphs(n: usize) -> Vec<String> {
    let words = [
        "de",
        "het",
        "een",
        "EU",
        "Japan",
        "chips",
        "onderzoek",
        "Tokio",
        "Brussel",
        "data",
        "samen",
        "digitale",
        "partnerschap",
        "ruimte",
        "markt",
        "regels",
    ];
    let mut seed: u64 = 7;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    (0..n)
        .map(|_| {
            let mut p: Vec<&str> = (0..60).map(|_| words[next() % words.len()]).collect();
            p.push(".");
            p.join(" ")
        })
        .collect()
}

/// A session of `paragraphs` (a blank line between them) with every EU, Japan and Tokio tagged.
fn tagged_paragraphs(paragraphs: &[String]) -> Session {
    let mut s = spanmark::model::Session::new(
        spanmark::model::Document::new(paragraphs.join("\n\n")),
        spanmark::model::LabelSet::default(),
        Default::default(),
        "t".into(),
    );
    let mut h = History::new_saved();
    for (w, l) in [("EU", "actor"), ("Japan", "actor"), ("Tokio", "topic")] {
        tag_all(&mut s, &mut h, w, l);
    }
    s
}

/// Where each paragraph starts, in chars, when joined by a blank line.
fn paragraph_starts(paragraphs: &[String]) -> Vec<usize> {
    paragraphs
        .iter()
        .scan(0, |p, q| {
            let at = *p;
            *p += q.chars().count() + 2;
            Some(at)
        })
        .collect()
}

/// The same paragraphs in another order (every phrase recurs elsewhere, and no paragraph has
/// its old neighbours): every span is carried exact to where its paragraph went.
#[test]
fn shuffled_paragraphs_reanchor_every_span_exact() {
    let paragraphs = recurring_paragraphs(400);
    let s = tagged_paragraphs(&paragraphs);
    let mut order: Vec<usize> = (0..paragraphs.len()).collect();
    let mut seed: u64 = 11;
    for i in (1..order.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        order.swap(i, (seed >> 33) as usize % (i + 1));
    }
    let shuffled: Vec<String> = order.iter().map(|&k| paragraphs[k].clone()).collect();
    let (old_starts, new_starts) = (paragraph_starts(&paragraphs), paragraph_starts(&shuffled));
    let mut went = vec![0; paragraphs.len()];
    for (at, &k) in order.iter().enumerate() {
        went[k] = new_starts[at];
    }
    let r = reanchor(&s, shuffled.join("\n\n"), s.source.clone());
    assert!(s.annotations().len() > 2_000, "{}", s.annotations().len());
    assert_eq!(
        r.count(Placement::Exact),
        s.annotations().len(),
        "{}",
        r.summary()
    );
    for a in s.annotations() {
        let k = old_starts.partition_point(|&st| st <= a.start) - 1;
        let want = went[k] + (a.start - old_starts[k]);
        let b = r.session.get(a.id).expect("placed");
        assert_eq!((b.start, b.end), (want, want + a.len()), "{a:?}");
    }
}

/// A hard case: 300 paragraphs drawn from 16 words, so every phrase recurs. A paragraph is
/// added, one deleted, two swapped, one word changed. Every span placed is where its words
/// went, never on a recurring phrase elsewhere; the deleted paragraph's are orphaned, and no
/// other (a moved paragraph is matched by its content, so even a span at its very start, whose
/// context before it changed, goes with it).
#[test]
fn text_where_every_phrase_recurs_still_reanchors_exactly() {
    let paragraphs = recurring_paragraphs(300);
    let s = tagged_paragraphs(&paragraphs);
    let starts = paragraph_starts(&paragraphs);
    let mut order: Vec<usize> = (0..300).collect();
    order.remove(100);
    order.swap(150, 250);
    let mut new_paragraphs: Vec<String> = vec!["Een nieuwe alinea.".into()];
    new_paragraphs.extend(order.iter().map(|&k| paragraphs[k].clone()));
    // One word edited in paragraph 200: its first "Japan" becomes "Japen".
    let k200 = order.iter().position(|&k| k == 200).unwrap() + 1;
    let japan_at = new_paragraphs[k200].find("Japan");
    if let Some(b) = japan_at {
        new_paragraphs[k200].replace_range(b..b + 5, "Japen");
    }
    let new_text = new_paragraphs.join("\n\n");
    let mut new_start = std::collections::HashMap::new();
    let mut p = "Een nieuwe alinea.".len() + 2;
    for &k in &order {
        new_start.insert(k, p);
        p += paragraphs[k].chars().count() + 2;
    }
    let r = reanchor(&s, new_text, s.source.clone());
    let (mut exact, mut orphaned, mut changed, mut unsure) = (0, 0, 0, 0);
    for (a, o) in s.annotations().iter().zip(&r.outcomes) {
        let k = starts.partition_point(|&st| st <= a.start) - 1;
        let within = a.start - starts[k];
        if k == 100 {
            assert_eq!(o.placement, Placement::Orphaned, "{o:?}");
            orphaned += 1;
            continue;
        }
        let want = new_start[&k] + within;
        let is_edited =
            k == 200 && japan_at.is_some_and(|b| paragraphs[200][..b].chars().count() == within);
        let Some(b) = r.session.get(a.id) else {
            assert_eq!(o.placement, Placement::Orphaned);
            unsure += 1;
            continue;
        };
        assert_eq!((b.start, b.end), (want, want + a.len()), "{o:?}");
        if is_edited {
            assert_eq!(o.placement, Placement::Changed);
            changed += 1;
        } else {
            assert_eq!(o.placement, Placement::Exact, "{o:?}");
            exact += 1;
        }
    }
    assert!(orphaned > 0 && exact > 1000, "{}", r.summary());
    assert_eq!(unsure, 0, "orphaned outside the deleted paragraph");
    assert!(changed <= 1);
}
