//! The message log as the console reads it, and the overview's numbers drawn from it.

pub mod log;
pub mod stats;
pub mod status;
