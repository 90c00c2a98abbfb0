//! Message templates per project: the library (with the 250-names count, export and
//! import), and the editor with its live linter and preview.

mod buttons;
mod delete;
pub mod editor;
pub mod fields;
pub mod library;
pub mod preview;
mod status;
