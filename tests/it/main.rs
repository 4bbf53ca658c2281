//! Spanmark's one integration-test binary: a module per area, sharing `common`'s fixtures.
//! One binary links the library (and egui, wgpu) once instead of once per file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

mod agree;
mod article_import;
mod assist;
mod cli;
mod commands;
mod complexity;
mod crash;
mod dialogs;
mod docs;
mod formats;
mod fuzzed;
mod layouts;
mod project;
mod properties;
mod reanchor;
mod session_file;
mod snapshot;
mod training;
mod window;
mod workspace;
