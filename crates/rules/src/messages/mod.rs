//! The message log as the console reads it, and the overview's numbers drawn from it.

mod filter;
pub mod log;
pub mod stats;
pub mod status;
