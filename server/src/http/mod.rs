//! HTTP pieces around the console: security middleware, access log, error pages.

pub mod access_log;
pub mod errors;
pub mod export;
pub mod security;
