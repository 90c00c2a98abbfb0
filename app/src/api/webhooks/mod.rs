//! A project's webhook: its configuration, the test and check, and the delivery log.

pub mod check;
pub mod config;
pub mod deliveries;
