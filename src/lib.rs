//! Spanmark: tag spans in articles and turn them into training data.
//!
//! `model` is the pure annotation model, `io` reads and writes files, `app` is the window,
//! `cli` the command line, `agree` inter-annotator agreement. See ARCHITECTURE.md.

pub mod agree;
pub mod app;
pub mod cli;
pub mod io;
pub mod model;
