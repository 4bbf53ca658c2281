//! The window's panels. Each reads the workspace (and keeps its own widget state) and returns
//! the actions the person asked for; none changes the workspace.

pub mod documents;
pub mod file_dialog;
pub mod find;
pub mod labels;
pub mod menu;
pub mod prompts;
pub mod side;
pub mod transfer;
