//! The message log: writing, counting, searching and tracing messages, contacts' 24-hour
//! windows, the overview's statistics, retention, and demo data.

pub mod contacts;
pub mod counts;
pub mod csv;
pub mod demo;
pub mod log;
pub mod retention;
pub mod search;
pub mod stats;
pub mod timeline;
pub mod trace;
