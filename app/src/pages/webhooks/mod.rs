//! A project's webhook panels: the configuration with its test and check, and the
//! delivery log.

pub mod config;
pub mod deliveries;
mod resend;
mod signing;
mod tools;
