//! Spanmark's one integration-test binary: a module per area, sharing `common`'s fixtures.
//! One binary links the library (and egui, wgpu) once instead of once per file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

mod agree;
mod article_import;
#[cfg(feature = "gui")]
mod assist;
mod cli;
#[cfg(feature = "gui")]
mod commands;
mod complexity;
#[cfg(feature = "gui")]
mod crash;
#[cfg(feature = "gui")]
mod dialogs;
mod docs;
mod formats;
mod fuzzed;
mod git;
#[cfg(feature = "gui")]
mod layouts;
mod learn;
#[cfg(feature = "gui")]
mod project;
mod properties;
mod reanchor;
mod relations;
mod session_file;
#[cfg(feature = "gui")]
mod snapshot;
mod training;
#[cfg(feature = "gui")]
mod window;
mod workspace;
