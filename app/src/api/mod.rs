//! Server functions by area. Each one is thin: find the caller, call the domain, return.
//! Endpoints are fixed names under `/api/` so tests and tools can call them directly.

pub mod accounts;
pub mod audit;
pub mod csrf_client;
pub mod messages;
pub mod meta_apps;
pub mod projects;
pub mod templates;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod ctx;
#[cfg(feature = "ssr")]
pub mod session_keys;
