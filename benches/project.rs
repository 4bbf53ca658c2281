//! Opens a project of news-size articles (2,000 unless given: three in four with sessions of
//! 40 spans, a third of those done) in the real window's UI, headless, and prints
//! `name: value unit` lines:
//!
//!     cargo bench --bench project [-- ARTICLES]
//!
//! `open_project_to_list_ms` is from asking for the folder to the end of the first frame that
//! shows the document list (finding the articles, reading every session, opening the first
//! document not done, drawing). Every word of these articles is tagged somewhere in the
//! project, so every word of the open one is a suggestion: a worst case for drawing them.
//! `NO_SUGGEST=1` hides suggestions, for comparison.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop on a broken set-up

use egui::{Event, Key, Modifiers};
use spanmark::app::{Prefs, SpanmarkApp};
use spanmark::io::save_session;

use std::time::Instant;

/// The article count: the first number on the command line, else 2,000.
fn articles() -> usize {
    std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2_000)
}

/// Frames until the model trained in the background (on every session of the project)
/// arrives: how long that takes, and the slowest frame meanwhile (the window is not held).
fn learn_in_background(ctx: &egui::Context, app: &mut SpanmarkApp, mut t: f64) -> f64 {
    let start = Instant::now();
    let (mut started, mut slowest) = (None, 0.0f64);
    while start.elapsed().as_secs() < 300 && !app.ws.suggest.has_model() {
        // The editor has paused: a second of frames, then frames as the model trains.
        t += 0.05;
        let s = Instant::now();
        let out = ctx.run_ui(input(vec![], t), |ui| app.frame_ui(ui));
        std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        let ms = s.elapsed().as_secs_f64() * 1e3;
        if app.ws.trainer.running() {
            started.get_or_insert_with(Instant::now);
            slowest = slowest.max(ms);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let Some(started) = started else {
        eprintln!("(no model was trained)");
        return t;
    };
    println!(
        "learn_in_background_ms: {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    println!("frame_while_learning_max_ms: {slowest:.1} ms");
    t
}

mod common;
use common::{article, session_of};

use common::input;

fn main() {
    let count = articles();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("project");
    std::fs::create_dir_all(&folder).unwrap();
    for i in 0..count {
        let text = article(i);
        let path = folder.join(format!("artikel-{i:05}.txt"));
        std::fs::write(&path, &text).unwrap();
        if i % 4 != 3 {
            let mut s = session_of(&text, i % 4 == 0);
            s.active_secs = 60;
            save_session(&spanmark::io::session_path_for(&path), &mut s).unwrap();
        }
    }
    eprintln!("generated {count} articles");

    let ctx = egui::Context::default();
    let mut t = 0.0;
    let start = Instant::now();
    let mut app = SpanmarkApp::with_prefs(
        &ctx,
        Some(folder.clone()),
        Box::new(common::NoDialogs),
        Prefs::default(),
    );
    let out = ctx.run_ui(input(vec![], t), |ui| app.frame_ui(ui));
    std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
    let open_ms = start.elapsed().as_secs_f64() * 1e3;
    let p = app.ws.project.as_ref().expect("a project is open");
    assert_eq!(p.docs.len(), count);
    eprintln!("({} of {} done)", p.done(), p.docs.len());
    println!("open_project_to_list_ms: {open_ms:.0} ms");

    if std::env::var("NO_SUGGEST").is_ok() {
        app.ws.suggest.show = false;
    } else {
        t = learn_in_background(&ctx, &mut app, t);
    }
    // Frames with the list showing, and moving to the next document (saves, opens).
    let mut frames = Vec::new();
    for _ in 0..60 {
        t += 1.0 / 60.0;
        let s = Instant::now();
        let out = ctx.run_ui(input(vec![], t), |ui| app.frame_ui(ui));
        std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        frames.push(s.elapsed().as_secs_f64() * 1e3);
    }
    frames.sort_by(f64::total_cmp);
    println!("list_frame_p50_ms: {:.2} ms", frames[frames.len() / 2]);
    let mut switches = Vec::new();
    for _ in 0..20 {
        t += 1.0 / 60.0;
        let key = Event::Key {
            key: Key::ArrowRight,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::ALT,
        };
        let s = Instant::now();
        let out = ctx.run_ui(input(vec![key], t), |ui| app.frame_ui(ui));
        std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        switches.push(s.elapsed().as_secs_f64() * 1e3);
    }
    switches.sort_by(f64::total_cmp);
    println!(
        "next_document_p50_ms: {:.1} ms",
        switches[switches.len() / 2]
    );
}
