//! The server side of Tujenge: configuration, start-up, HTTP middleware and the command
//! line. Domain logic lives in the `domain` crate; pages and server functions in `app`.

// Leptos pages are deeply nested types when components are not erased (release builds).
#![recursion_limit = "256"]

pub mod batch;
pub mod cli;
pub mod config;
pub mod gateway;
pub mod http;
pub mod notifications;
pub mod simulator;
pub mod startup;
pub mod telemetry;
