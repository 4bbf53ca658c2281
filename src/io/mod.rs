//! Files: article import, session files, atomic writes. No GUI.

pub mod article;
pub mod atomic;
pub mod desktop;
pub mod extract;
pub mod formats;
pub mod git_status;
pub mod journal;
pub mod limits;
pub mod par;
pub mod project;
pub mod session_file;
pub mod transfer;

pub use article::{Article, ArticleError, decode_article, read_article, session_path_for};
pub use session_file::{
    LoadError, Problem, SaveError, load_session, parse_session, save_session, write_session,
};
