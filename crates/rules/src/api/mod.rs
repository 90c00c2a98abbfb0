//! Rules of the partner-facing `/v1` API that need no I/O: which paths are blocked, and
//! which messages are refused before they reach the upstream.

pub mod message;
pub mod path;
pub mod strict_json;
