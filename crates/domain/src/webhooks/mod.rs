//! The partner's webhook: its configuration and client, inbound notifications and the
//! intake's group commit, and the forwarding queue with its retry schedule and the
//! deliveries the console shows.

pub mod address;
pub mod client;
pub mod config;
pub mod deliveries;
pub mod inbound;
pub mod intake;
pub mod queue;
pub mod resend;
pub mod schedule;
pub mod signing;
pub mod test_event;
