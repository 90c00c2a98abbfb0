//! HTTP pieces around the console: security middleware, access log, error pages.

pub mod access_log;
pub mod export;
pub mod panic;
pub mod security;
