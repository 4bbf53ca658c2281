//! Teams on git, with the real `git` binary: a bare repository, two clones set up with
//! `spanmark git setup`, two annotators editing one session; pulls merge by themselves, and
//! a real conflict leaves a valid session whose one difference is decided in the workspace.

use spanmark::io::{load_session, save_session};
use spanmark::model::{Edit, Session};
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-12-05T10:00:00Z")
        .output()
        .expect("git is needed for this test")
}

fn git_ok(dir: &Path, args: &[&str]) {
    let o = git(dir, args);
    assert!(
        o.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn setup(dir: &Path, who: &str) {
    git_ok(dir, &["config", "user.name", who]);
    git_ok(
        dir,
        &["config", "user.email", &format!("{who}@example.org")],
    );
    git_ok(dir, &["config", "pull.rebase", "false"]);
    let o = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["git", "setup"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn at(s: &Session, word: &str) -> (usize, usize) {
    let b = s.text().find(word).unwrap();
    let c = s.text()[..b].chars().count();
    (c, c + word.chars().count())
}

fn tag(s: &mut Session, word: &str, label: &str) {
    let (a, b) = at(s, word);
    let ann = s.new_annotation(a, b, label);
    s.apply(Edit::Add(ann)).unwrap();
}

fn id(s: &Session, word: &str) -> spanmark::model::AnnotationId {
    let (a, b) = at(s, word);
    s.annotations()
        .iter()
        .find(|x| (x.start, x.end) == (a, b))
        .unwrap()
        .id
}

fn spans(p: &Path) -> Vec<(String, String)> {
    let s = load_session(p).unwrap();
    let mut v: Vec<_> = s
        .annotations()
        .iter()
        .map(|a| (s.covered(a).to_owned(), a.label.clone()))
        .collect();
    v.sort();
    v
}

/// A bare repository and two clones with one tagged session, set up in each.
fn team() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_ok(root, &["init", "--bare", "-b", "main", "origin.git"]);
    git_ok(root, &["clone", "origin.git", "a"]);
    let (a, b) = (root.join("a"), root.join("b"));
    setup(&a, "ann-a");
    let text = "De EU en Japan tekenen in Tokio een akkoord voor 2025.\n";
    std::fs::write(a.join("news.txt"), text).unwrap();
    let mut s = spanmark::io::read_article(&a.join("news.txt"))
        .map(|art| {
            let doc = spanmark::model::Document::new(art.text);
            Session::new(doc, Default::default(), art.source, "ann-a".into())
        })
        .unwrap();
    tag(&mut s, "EU", "actor");
    tag(&mut s, "Japan", "actor");
    save_session(&a.join("news.spanmark.ron"), &mut s).unwrap();
    git_ok(&a, &["add", "-A"]);
    git_ok(&a, &["commit", "-m", "tagged"]);
    git_ok(&a, &["push", "origin", "main"]);
    git_ok(root, &["clone", "origin.git", "b"]);
    setup(&b, "ann-b");
    (dir, a, b)
}

fn edit(dir: &Path, who: &str, f: impl FnOnce(&mut Session)) {
    let p = dir.join("news.spanmark.ron");
    let mut s = load_session(&p).unwrap();
    s.annotator = who.into();
    f(&mut s);
    save_session(&p, &mut s).unwrap();
    git_ok(dir, &["commit", "-am", &format!("{who} edits")]);
}

#[test]
fn two_annotators_edits_merge_by_themselves() {
    let (_dir, a, b) = team();
    let attrs = std::fs::read_to_string(a.join(".gitattributes")).unwrap();
    assert!(attrs.contains("*.spanmark.ron merge=spanmark diff=spanmark"));
    // Setup is idempotent.
    setup(&a, "ann-a");
    assert_eq!(
        std::fs::read_to_string(a.join(".gitattributes")).unwrap(),
        attrs
    );
    // A tags Tokio and relabels EU; B tags 2025 and deletes Japan (new ids collide).
    edit(&a, "ann-a", |s| {
        tag(s, "Tokio", "actor");
        let eu = id(s, "EU");
        s.apply(Edit::relabel(eu, "topic")).unwrap();
    });
    git_ok(&a, &["push", "origin", "main"]);
    edit(&b, "ann-b", |s| {
        tag(s, "2025", "date");
        let japan = id(s, "Japan");
        s.apply(Edit::Remove(japan)).unwrap();
    });
    git_ok(&b, &["pull", "origin", "main"]);
    let merged = b.join("news.spanmark.ron");
    let pair = |t: &str, l: &str| (t.to_owned(), l.to_owned());
    assert_eq!(
        spans(&merged),
        vec![
            pair("2025", "date"),
            pair("EU", "topic"),
            pair("Tokio", "actor")
        ]
    );
    // The diff conversion: one line per annotation.
    let diff = git(&b, &["diff", "HEAD~1", "HEAD", "--", "news.spanmark.ron"]);
    let diff = String::from_utf8_lossy(&diff.stdout);
    assert!(diff.contains("+actor  26..31  \"Tokio\""), "{diff}");
}

#[test]
fn both_relabel_one_span_conflict_stays_valid_and_is_decided_in_the_workspace() {
    let (_dir, a, b) = team();
    edit(&a, "ann-a", |s| {
        let eu = id(s, "EU");
        s.apply(Edit::relabel(eu, "topic")).unwrap();
    });
    git_ok(&a, &["push", "origin", "main"]);
    edit(&b, "ann-b", |s| {
        let eu = id(s, "EU");
        s.apply(Edit::relabel(eu, "date")).unwrap();
    });
    let pull = git(&b, &["pull", "origin", "main"]);
    assert!(!pull.status.success(), "the conflict is reported");
    let out = String::from_utf8_lossy(&pull.stdout);
    assert!(out.contains("CONFLICT"), "{out}");
    let merged = b.join("news.spanmark.ron");
    let s = load_session(&merged).expect("a valid session, no conflict markers");
    assert_eq!(s.review.len(), 2, "{:?}", s.review);
    // Opened in the workspace: exactly one difference; take A's version and save.
    let mut w = spanmark::workspace::Workspace::new(None, vec![]);
    w.start(Some(&merged));
    w.tick(spanmark::workspace::Tick {
        now: 1.0,
        dt: 0.1,
        input: false,
        focused: true,
    });
    assert_eq!(w.curation.differences().len(), 1);
    // Tab to the difference, then ann-a's version (Alt+1 or Alt+2: the merging side is A).
    let k = s.compared.iter().position(|n| n == "ann-a").unwrap();
    assert_eq!(s.compared[0], "ann-b", "ours is annotator A");
    w.run(spanmark::workspace::SuggestOp::Step(
        spanmark::workspace::Direction::Forward,
    ));
    w.run(spanmark::workspace::Op::TakeVersion(k));
    w.save();
    let pair = |t: &str, l: &str| (t.to_owned(), l.to_owned());
    assert_eq!(
        spans(&merged),
        vec![pair("EU", "topic"), pair("Japan", "actor")]
    );
    git_ok(&b, &["add", "news.spanmark.ron"]);
    git_ok(&b, &["commit", "--no-edit"]);
}

mod property {
    use proptest::prelude::*;
    use spanmark::model::{Document, Edit, LabelSet, Session, Source};
    use std::collections::BTreeSet;

    const TEXT: &str =
        "De EU en Japan tekenen in Tokio een akkoord over chips en data voor 2025 en later.";
    const LABELS: [&str; 3] = ["actor", "topic", "date"];

    #[derive(Clone, Debug)]
    enum Op {
        Add(usize, usize, usize),
        Remove(usize),
        Relabel(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0usize..80, 1usize..8, 0usize..3).prop_map(|(s, l, k)| Op::Add(s, l, k)),
            any::<usize>().prop_map(Op::Remove),
            (any::<usize>(), 0usize..3).prop_map(|(i, k)| Op::Relabel(i, k)),
        ]
    }

    fn apply(s: &mut Session, ops: &[Op]) {
        for o in ops {
            let n = s.annotations().len();
            let e = match o {
                Op::Add(st, l, k) => Edit::Add(s.new_annotation(*st, st + l, LABELS[*k])),
                Op::Remove(i) if n > 0 => Edit::Remove(s.annotations()[i % n].id),
                Op::Relabel(i, k) if n > 0 => Edit::relabel(s.annotations()[i % n].id, LABELS[*k]),
                _ => continue,
            };
            let _ = s.apply(e);
        }
    }

    type Content = (usize, usize, String);

    fn contents(s: &Session) -> BTreeSet<Content> {
        s.annotations()
            .iter()
            .map(|a| (a.start, a.end, a.label.clone()))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Never loses what one side added and the other did not remove, never keeps what both
        /// removed, always validates, and is the same whichever side is ours (up to the order
        /// of a conflict's versions).
        #[test]
        fn the_merge_keeps_both_intents_and_is_symmetric(
            base_ops in proptest::collection::vec(op(), 0..12),
            ours_ops in proptest::collection::vec(op(), 0..10),
            theirs_ops in proptest::collection::vec(op(), 0..10),
        ) {
            let mut base = Session::new(Document::new(TEXT), LabelSet::default(), Source::default(), "o".into());
            apply(&mut base, &base_ops);
            let (mut a, mut b) = (base.clone(), base.clone());
            apply(&mut a, &ours_ops);
            apply(&mut b, &theirs_ops);
            let (m, _) = spanmark::merge3::merge(&base, &a, &b, ("a", "b")).unwrap();
            let (n, _) = spanmark::merge3::merge(&base, &b, &a, ("b", "a")).unwrap();
            // Valid: written and read back as a file.
            let mut buf = Vec::new();
            spanmark::io::write_session(&mut buf, &m).unwrap();
            let back = spanmark::io::parse_session(std::path::Path::new("m"), &buf).unwrap();
            spanmark::checks::assert_invariants(&back);
            let (cm, cn) = (contents(&m), contents(&n));
            prop_assert_eq!(&cm, &cn, "symmetric");
            let review = |s: &Session| -> BTreeSet<Content> {
                s.review.iter().map(|r| (r.start, r.end, r.label.clone())).collect()
            };
            prop_assert_eq!(review(&m), review(&n));
            let (co, ca, cb) = (contents(&base), contents(&a), contents(&b));
            let ids = |s: &Session| -> BTreeSet<u64> { s.annotations().iter().map(|x| x.id.0).collect() };
            let (io, ia, ib) = (ids(&base), ids(&a), ids(&b));
            for x in a.annotations() {
                let added = !io.contains(&x.id.0);
                let c = (x.start, x.end, x.label.clone());
                if added && !co.contains(&c) {
                    // Added by us: the other side cannot have removed it.
                    prop_assert!(cm.contains(&c), "lost {:?}", c);
                }
            }
            for x in b.annotations() {
                let c = (x.start, x.end, x.label.clone());
                if !io.contains(&x.id.0) && !co.contains(&c) {
                    prop_assert!(cm.contains(&c), "lost theirs {:?}", c);
                }
            }
            for x in base.annotations() {
                if !ia.contains(&x.id.0) && !ib.contains(&x.id.0) {
                    prop_assert!(!m.annotations().iter().any(|y| y.id == x.id), "kept {:?}", x);
                }
            }
            let _ = (ca, cb);
        }
    }
}

/// A corrects the article (a sentence before the rest) and re-anchors the session onto it,
/// then tags Tokio; B, still on the old text, tags 2025 and deletes Japan. B pulls: the
/// merge carries B's changes onto the corrected text, with no conflict.
#[test]
fn a_session_reanchored_on_one_side_merges_with_the_other_sides_changes() {
    let (_dir, a, b) = team();
    let corrected =
        "Vandaag, in het kort.\nDe EU en Japan tekenen in Tokio een akkoord voor 2025.\n";
    std::fs::write(a.join("news.txt"), corrected).unwrap();
    let old = load_session(&a.join("news.spanmark.ron")).unwrap();
    let art = spanmark::io::read_article(&a.join("news.txt")).unwrap();
    let mut s = spanmark::model::reanchor::reanchor(&old, art.text, art.source).session;
    tag(&mut s, "Tokio", "actor");
    save_session(&a.join("news.spanmark.ron"), &mut s).unwrap();
    git_ok(
        &a,
        &["commit", "-am", "corrected article, re-anchored, Tokio"],
    );
    git_ok(&a, &["push", "origin", "main"]);
    edit(&b, "ann-b", |s| {
        tag(s, "2025", "date");
        let japan = id(s, "Japan");
        s.apply(Edit::Remove(japan)).unwrap();
    });
    let o = git(&b, &["pull", "origin", "main"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let merged = load_session(&b.join("news.spanmark.ron")).unwrap();
    assert_eq!(merged.text(), corrected);
    let pair = |t: &str, l: &str| (t.to_owned(), l.to_owned());
    assert_eq!(
        spans(&b.join("news.spanmark.ron")),
        vec![
            pair("2025", "date"),
            pair("EU", "actor"),
            pair("Tokio", "actor")
        ]
    );
    assert!(merged.anchors.is_empty(), "every span placed");
}

/// The project file merges three ways: A adds a label and deletes one, B recolours another
/// and adds a relation label; after the pull the file holds both intents.
#[test]
fn the_project_file_merges_its_labels_three_ways() {
    use spanmark::io::project::{PROJECT_FILE, ProjectFile, read_project_file, write_project_file};
    use spanmark::model::{Color, LabelSet, RelationLabel};
    let (_dir, a, b) = team();
    write_project_file(&a, &ProjectFile::new("ann-a".into(), LabelSet::default())).unwrap();
    git_ok(&a, &["add", PROJECT_FILE]);
    git_ok(&a, &["commit", "-m", "project"]);
    git_ok(&a, &["push", "origin", "main"]);
    git_ok(&b, &["pull", "origin", "main"]);
    let change = |dir: &Path, f: &dyn Fn(&mut ProjectFile)| {
        let mut p = read_project_file(dir).unwrap().unwrap();
        f(&mut p);
        write_project_file(dir, &p).unwrap();
        git_ok(dir, &["commit", "-am", "labels"]);
    };
    change(&a, &|p| {
        let mut v = p.labels.to_vec();
        v.retain(|l| l.name != "date");
        v.push(spanmark::model::Label::new(
            "place",
            Color([1, 2, 3]),
            Some('4'),
        ));
        p.labels = LabelSet::new(v).unwrap();
    });
    git_ok(&a, &["push", "origin", "main"]);
    change(&b, &|p| {
        let mut v = p.labels.to_vec();
        v[0].color = Color([9, 9, 9]);
        p.labels = LabelSet::new(v).unwrap();
        p.relation_labels.push(RelationLabel::new(
            "met",
            Color([5, 5, 5]),
            Some('2'),
            false,
        ));
    });
    let o = git(&b, &["pull", "origin", "main"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = read_project_file(&b).unwrap().unwrap();
    let labels: Vec<(String, [u8; 3])> = p
        .labels
        .iter()
        .map(|l| (l.name.clone(), l.color.0))
        .collect();
    assert_eq!(
        labels,
        [
            ("actor".to_owned(), [9, 9, 9]),
            ("topic".to_owned(), p.labels.iter().nth(1).unwrap().color.0),
            ("place".to_owned(), [1, 2, 3])
        ]
    );
    let rel: Vec<&str> = p.relation_labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(rel, ["related", "met"]);
}

/// Ticks the workspace until its project's git status is read (off the UI thread).
fn wait_for_git(w: &mut spanmark::workspace::Workspace) {
    use spanmark::workspace::Tick;
    for _ in 0..500 {
        w.tick(Tick::default());
        let p = w.project.as_ref().unwrap();
        if !p.git.busy() && p.git.is_repository() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("git status never came");
}

/// A project that is a git work tree: the document list knows, per session, whether it has
/// changes not committed and who committed it last; a save reads it again.
#[test]
fn a_project_in_git_shows_per_document_status_and_last_committer() {
    use spanmark::workspace::{Direction, EditOp, ProjectOp, Workspace};
    let dir = crate::common::project();
    let d = dir.path();
    git_ok(d, &["init", "-q", "-b", "main"]);
    git_ok(d, &["config", "user.name", "Ana Peeters"]);
    git_ok(d, &["config", "user.email", "ana@example.org"]);
    let mut w = Workspace::new(None, vec![]);
    w.start(Some(d));
    w.cursor.selection = Some(3..5);
    w.run(EditOp::Tag("actor".into()));
    assert!(w.save());
    git_ok(d, &["add", "-A"]);
    git_ok(d, &["commit", "-qm", "a tagged"]);
    w.run(ProjectOp::Step(Direction::Forward));
    w.cursor.selection = Some(0..5);
    w.run(EditOp::Tag("actor".into()));
    assert!(w.save(), "b saved, not committed");
    wait_for_git(&mut w);
    let session = |stem: &str| crate::common::session(d, stem);
    let p = w.project.as_ref().unwrap();
    let a = p.git.of(&session("a")).expect("a is known to git");
    assert!(!a.uncommitted);
    let (who, when) = a.last.clone().unwrap();
    assert_eq!(who, "Ana Peeters");
    let now = spanmark::model::Timestamp::now().0 as i64;
    assert!(
        (now - when).abs() < 600,
        "committed just now: {when} vs {now}"
    );
    let b = p.git.of(&session("b")).expect("b is new");
    assert!(b.uncommitted && b.untracked && b.last.is_none());
    assert!(p.git.of(&session("c")).is_none(), "c has no session yet");
    // An edit of a, saved: a now has changes not committed.
    w.run(ProjectOp::Step(Direction::Backward));
    w.cursor.selection = Some(9..14);
    w.run(EditOp::Tag("actor".into()));
    assert!(w.save());
    wait_for_git(&mut w);
    let a = w.project.as_ref().unwrap().git.of(&session("a")).unwrap();
    assert!(a.uncommitted && !a.untracked);
    assert_eq!(a.last.as_ref().map(|l| l.0.as_str()), Some("Ana Peeters"));
}

/// The driver, as git runs it on three temp files (`%O %A %B %P`): the merge goes to `%A` and
/// nowhere else (no other file left in the folder, the other two unchanged); a hostile side
/// (not a session) is an error naming the path, and `%A` is left as it was.
#[test]
fn the_merge_driver_writes_only_its_result_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut s = spanmark::model::Session::new(
        spanmark::model::Document::new("De EU en Japan tekenen een akkoord.\n"),
        Default::default(),
        Default::default(),
        "a".into(),
    );
    tag(&mut s, "EU", "actor");
    let (o, a, b) = (
        d.join(".merge_file_O"),
        d.join(".merge_file_A"),
        d.join(".merge_file_B"),
    );
    save_session(&o, &mut s.clone()).unwrap();
    let mut ours = s.clone();
    tag(&mut ours, "Japan", "actor");
    save_session(&a, &mut ours).unwrap();
    let mut theirs = s.clone();
    tag(&mut theirs, "akkoord", "topic");
    save_session(&b, &mut theirs).unwrap();
    let listing = || {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let before = listing();
    let (o_bytes, b_bytes) = (std::fs::read(&o).unwrap(), std::fs::read(&b).unwrap());
    let run = |p: &str| {
        Command::new(env!("CARGO_BIN_EXE_spanmark"))
            .args(["git", "merge-driver"])
            .args([&o, &a, &b])
            .arg(p)
            .output()
            .unwrap()
    };
    let out = run("news.spanmark.ron");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(listing(), before, "no file but %A written");
    assert_eq!(std::fs::read(&o).unwrap(), o_bytes);
    assert_eq!(std::fs::read(&b).unwrap(), b_bytes);
    let pair = |t: &str, l: &str| (t.to_owned(), l.to_owned());
    assert_eq!(
        spans(&a),
        vec![
            pair("EU", "actor"),
            pair("Japan", "actor"),
            pair("akkoord", "topic")
        ]
    );
    // Theirs is not a session: an error naming the file; ours untouched.
    std::fs::write(&b, "<<<<<<< not ron\n").unwrap();
    let a_bytes = std::fs::read(&a).unwrap();
    let out = run("news.spanmark.ron");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("news.spanmark.ron"), "{err}");
    assert_eq!(std::fs::read(&a).unwrap(), a_bytes);
    assert_eq!(listing(), before);
}
