//! The partner's webhook: its configuration and the deliveries made to it.

pub mod config;
pub mod deliveries;
