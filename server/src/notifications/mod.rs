//! Notifications from the upstream to the partner: the inbound endpoint (store, then 200),
//! the processor (store → events → deliveries) and the forwarding worker.

pub mod inbound;
pub mod meta;
pub mod worker;

use std::time::Duration;

use domain::webhooks::schedule::RetrySchedule;

#[derive(Clone, Debug)]
pub struct DeliveryConfig {
    /// Time allowed for one attempt to the partner's webhook.
    pub attempt_timeout: Duration,
    pub schedule: RetrySchedule,
    /// Attempts in flight at once to one project's webhook.
    pub per_endpoint: usize,
    /// Attempts in flight at once overall.
    pub total: usize,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            attempt_timeout: Duration::from_secs(10),
            schedule: RetrySchedule::default(),
            per_endpoint: 4,
            total: 64,
        }
    }
}
