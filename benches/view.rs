//! Drives the real window's UI headless on a generated 5 MB article with 50,000 annotations
//! (a quarter of them nested or overlapping) and prints one `name: value unit` line per figure.
//!
//!     cargo bench --bench view [-- PATH]
//!
//! PATH: an article, a session, or a `.jsonl` (imported first, timed as `import_ms`);
//! without it, the generated document.
//!
//! Frame figures are CPU time of the UI pass plus tessellation.
//!
//! Knobs for profiling: `NO_SUGGEST=1` hides suggestions (no background suggesting or
//! training), `TAG_ONLY=1` skips the idle, scroll and jump figures, `TAG_ROUNDS=N` sets the
//! tag rounds, `TAG_NOOP=1` runs the rounds without tagging (the baseline to subtract):
//!
//!     TAG_ONLY=1 NO_SUGGEST=1 TAG_ROUNDS=100 valgrind --tool=callgrind \
//!         --toggle-collect='*SpanmarkApp*frame_ui*' target/release/deps/view-… --bench
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop on a broken set-up

mod common;

use egui::{Event, Key, Modifiers, MouseWheelUnit, vec2};
use spanmark::app::{Prefs, SpanmarkApp};
use spanmark::io::save_session;
use spanmark::model::Session;
use std::time::Instant;

const PARAGRAPHS: usize = 10_000;
const ANNOTATIONS: usize = 50_000;
const FRAMES: usize = 300;

fn generate() -> Session {
    common::big_session(PARAGRAPHS, ANNOTATIONS)
}

use common::input;

struct Runner {
    ctx: egui::Context,
    app: SpanmarkApp,
    t: f64,
}

impl Runner {
    /// One frame; returns its CPU time in milliseconds.
    fn frame(&mut self, events: Vec<Event>) -> f64 {
        self.t += 1.0 / 60.0;
        let start = Instant::now();
        let out = self
            .ctx
            .run_ui(input(events, self.t), |ui| self.app.frame_ui(ui));
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        std::hint::black_box(prims);
        start.elapsed().as_secs_f64() * 1e3
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The file to open: the one named on the command line (an article, a session, or a `.jsonl`
/// that is imported first, timed), or the generated 5 MB document.
fn document(dir: &std::path::Path) -> std::path::PathBuf {
    let arg = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(std::path::PathBuf::from);
    match arg {
        Some(p) if p.extension().is_some_and(|e| e == "jsonl") => {
            let out = dir.join("imported");
            let t = Instant::now();
            let r = spanmark::io::transfer::import(
                spanmark::io::formats::Format::Jsonl,
                &p,
                &out,
                spanmark::io::formats::Offsets::Chars,
                spanmark::io::transfer::QUIET,
            )
            .expect("import");
            println!("import_ms: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
            assert!(!r.failed, "{:?}", r.notes);
            std::fs::read_dir(&out)
                .expect("imported")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(".spanmark.ron"))
                .expect("an imported session")
        }
        Some(p) => p,
        None => {
            let path = dir.join("big.spanmark.ron");
            let mut s = generate();
            save_session(&path, &mut s).expect("save");
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            eprintln!(
                "generated {} chars, {} annotations, session file {:.1} MB",
                s.document().char_len(),
                s.annotations().len(),
                size as f64 / 1e6
            );
            path
        }
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = document(dir.path());
    if spanmark::io::session_file::is_session_path(&path) {
        let t0 = Instant::now();
        let loaded = spanmark::io::load_session(&path).expect("load");
        println!("load_ms: {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
        drop(loaded);
    }

    let start = Instant::now();
    let ctx = egui::Context::default();
    let app = SpanmarkApp::with_prefs(
        &ctx,
        Some(path.clone()),
        Box::new(common::NoDialogs),
        Prefs::default(),
    );
    let mut r = Runner { ctx, app, t: 0.0 };
    if std::env::var_os("NO_SUGGEST").is_some() {
        r.app.ws.suggest.show = false;
    }
    r.frame(vec![]);
    let open_ms = start.elapsed().as_secs_f64() * 1e3;
    println!("open_to_first_frame_ms: {open_ms:.1} ms");

    for _ in 0..10 {
        r.frame(vec![]);
    }
    let quick = std::env::var_os("TAG_ONLY").is_some();
    let frames = if quick { 1 } else { FRAMES };
    let mut idle: Vec<f64> = (0..frames).map(|_| r.frame(vec![])).collect();
    println!("idle_frame_p50_ms: {:.3} ms", percentile(&mut idle, 0.5));
    println!("idle_frame_p95_ms: {:.3} ms", percentile(&mut idle, 0.95));

    let pointer = egui::pos2(400.0, 400.0);
    r.frame(vec![Event::PointerMoved(pointer)]);
    let wheel = || Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: vec2(0.0, -24.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Trackpad,
        modifiers: Modifiers::NONE,
    };
    let mut scroll: Vec<f64> = (0..frames).map(|_| r.frame(vec![wheel()])).collect();
    println!(
        "scroll_frame_p50_ms: {:.3} ms",
        percentile(&mut scroll, 0.5)
    );
    println!(
        "scroll_frame_p95_ms: {:.3} ms",
        percentile(&mut scroll, 0.95)
    );

    let page_down = || press(Key::PageDown);
    let mut jump: Vec<f64> = (0..frames).map(|_| r.frame(vec![page_down()])).collect();
    println!("jump_frame_p50_ms: {:.3} ms", percentile(&mut jump, 0.5));
    println!("jump_frame_p95_ms: {:.3} ms", percentile(&mut jump, 0.95));

    // Tag: select a word in view, press 1; measure the frame that adds the annotation, and it
    // with the frame after it (what the person waits for).
    let mut tag = Vec::new();
    let mut two = Vec::new();
    let before = r.app.session().annotations().len();
    // `TAG_ROUNDS=2000 perf record … cargo bench --bench view` to profile the tag frames.
    let rounds = std::env::var("TAG_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    for i in 0..rounds {
        r.frame(vec![page_down()]);
        r.frame(vec![]);
        let Some(range) = visible_untagged_word(&r.app, i) else {
            continue;
        };
        if std::env::var_os("TAG_NOOP").is_none() {
            r.app.ws.cursor.selection = Some(range);
        }
        let one = press(Key::Num1);
        let first = r.frame(vec![one]);
        tag.push(first);
        two.push(first + r.frame(vec![]));
    }
    let added = r.app.session().annotations().len() - before;
    assert!(added > 0 || quick, "no annotation was added");
    println!("tag_frame_ms: {:.3} ms", percentile(&mut tag, 0.5));
    println!("tag_two_frames_p50_ms: {:.3} ms", percentile(&mut two, 0.5));
    println!(
        "tag_two_frames_p95_ms: {:.3} ms",
        percentile(&mut two, 0.95)
    );
    eprintln!("({added} annotations added by the tag frames)");
    relation_case(&mut r, rounds);
    println!("peak_rss_mb: {:.0} MB", peak_rss_mb());
}

/// The same document with 20,000 relations (between neighbouring spans), a span with
/// relations selected (its arcs drawn), then every arc on screen (View → Show all relations).
fn relation_case(r: &mut Runner, rounds: usize) {
    use spanmark::model::Edit;
    let t = Instant::now();
    let ids: Vec<_> = r.app.session().annotations().iter().map(|a| a.id).collect();
    let mut edits = Vec::new();
    for pair in ids.chunks(2).take(20_000) {
        if let [a, b] = pair {
            let rel = r.app.ws.doc.session.new_relation(*a, *b, "related");
            edits.push(Edit::AddRelation(rel));
        }
    }
    r.app.ws.doc.edit(Edit::Batch(edits)).expect("relations");
    println!(
        "relations_add_20000_ms: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let page_down = || press(Key::PageDown);
    // A span with relations in view, selected: its arcs are drawn in every frame.
    r.frame(vec![page_down()]);
    r.frame(vec![]);
    let s = r.app.session();
    let shown = s
        .relations()
        .iter()
        .find(|rel| {
            r.app
                .view
                .char_rect(s.get(rel.from).map_or(0, |a| a.start))
                .is_some()
        })
        .map(|rel| rel.from);
    r.app.ws.cursor.selected_span = shown;
    for show_all in [false, true] {
        r.app.ws.relate.show_all = show_all;
        let name = if show_all {
            "relations_all"
        } else {
            "relations"
        };
        let mut idle: Vec<f64> = (0..FRAMES).map(|_| r.frame(vec![])).collect();
        println!(
            "{name}_idle_frame_p50_ms: {:.3} ms",
            percentile(&mut idle, 0.5)
        );
        let mut jump: Vec<f64> = (0..FRAMES / 3)
            .map(|_| r.frame(vec![page_down()]))
            .collect();
        println!(
            "{name}_jump_frame_p50_ms: {:.3} ms",
            percentile(&mut jump, 0.5)
        );
    }
    let mut two = Vec::new();
    for i in 0..rounds {
        r.frame(vec![page_down()]);
        r.frame(vec![]);
        let Some(range) = visible_untagged_word(&r.app, i) else {
            continue;
        };
        r.app.ws.cursor.selection = Some(range);
        let one = press(Key::Num1);
        two.push(r.frame(vec![one]) + r.frame(vec![]));
    }
    println!(
        "relations_all_tag_two_frames_p50_ms: {:.3} ms",
        percentile(&mut two, 0.5)
    );
}

/// A key pressed with no modifier.
fn press(key: Key) -> Event {
    Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

/// A word on screen that carries no actor span yet.
fn visible_untagged_word(app: &SpanmarkApp, salt: usize) -> Option<std::ops::Range<usize>> {
    let s = app.session();
    let doc = s.document();
    let first = (0..doc.char_len())
        .step_by(97)
        .find(|&c| app.view.char_rect(c).is_some())?;
    let text: Vec<char> = doc
        .slice(first..(first + 2000).min(doc.char_len()))?
        .chars()
        .collect();
    let mut i = 40 + salt * 7;
    while i + 1 < text.len() {
        if text[i - 1] == ' ' && text[i].is_alphanumeric() {
            let mut e = i;
            while e < text.len() && text[e] != ' ' {
                e += 1;
            }
            let (a, b) = (first + i, first + e);
            if s.check_span(a, b, "actor", None).is_ok() {
                return Some(a..b);
            }
        }
        i += 1;
    }
    None
}
