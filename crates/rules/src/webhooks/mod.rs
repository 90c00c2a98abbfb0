//! The partner's webhook: its configuration, the deliveries made to it and how many may
//! be in flight at once.

pub mod concurrency;
pub mod config;
pub mod deliveries;
pub mod signing;
