//! Every input the fuzzers keep (`fuzz/corpus/TARGET`, minimised) and every one that ever
//! failed (`fuzz/regressions/TARGET`), run through the same checks as the fuzz targets
//! (`spanmark::checks`), on stable, in the normal suite.

use std::path::Path;

fn each(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            let run = std::panic::catch_unwind(|| check(&bytes));
            assert!(run.is_ok(), "{target}: {} fails", p.display());
            n += 1;
        }
    }
    assert!(n > 0, "no inputs for {target}");
}

#[test]
fn session_files_round_trip() {
    each("session", spanmark::checks::session_round_trip);
}

#[test]
fn the_parallel_parse_agrees_with_the_one_pass_parse() {
    each("session_parallel", spanmark::checks::parallel_parse_agrees);
}

#[test]
fn articles_decode_or_are_refused() {
    each("article", spanmark::checks::article_decodes);
}

#[test]
fn imports_make_valid_sessions() {
    each("import", spanmark::checks::import_makes_valid_sessions);
}

#[test]
fn journals_replay_and_undo() {
    each("journal", spanmark::checks::journal_replays);
}

#[test]
fn edit_sequences_keep_the_invariants() {
    each("edits", spanmark::checks::edits_from_bytes);
}

#[test]
fn merges_of_hostile_sessions_validate() {
    each("merge", spanmark::checks::merge_three);
}
