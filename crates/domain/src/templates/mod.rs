//! Each project's template library: kept by hand for an On-Premises number, Meta's for a
//! Cloud number (`meta`); and importing one from an export.

pub mod import;
pub mod library;
pub mod meta;
