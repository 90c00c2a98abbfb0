//! Each project's template library, and importing one from an export.

pub mod import;
pub mod library;
