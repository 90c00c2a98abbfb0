//! The message log: the list, one message's trace, the overview's numbers and error-code
//! counts.

pub mod error_codes;
pub mod log;
pub mod stats;
pub mod trace;
