//! The message log: the list, one message's trace, the overview and the error codes.

pub mod error_codes;
pub mod list;
pub mod overview;
mod replies;
pub mod trace;
