//! Spanmark: tag spans in articles and turn them into training data.
//!
//! `model` is the pure annotation model, `io` reads and writes files, `agree` is
//! inter-annotator agreement, `merge3` merges sessions three ways (for git), `workspace` holds everything the person works on and every rule
//! about it (no window), `cli` is the command line and `app` the window (cargo feature `gui`).
//! See ARCHITECTURE.md.

pub mod agree;
#[cfg(feature = "gui")]
pub mod app;
#[doc(hidden)]
pub mod checks;
pub mod cli;
pub mod io;
pub mod merge3;
pub mod model;
pub mod workspace;
