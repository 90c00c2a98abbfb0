//! Notifications from the upstream to the partner: the intakes (an On-Premises client's
//! inbound URL, a Meta app's callback URL), their group commit (stored and processed, then
//! 200), the forwarder that sends the deliveries from memory, and the background work.

pub mod attempts;
pub mod forwarder;
pub mod inbound;
pub mod intake;
pub mod meta;
pub mod worker;

use std::time::Duration;

use domain::webhooks::schedule::RetrySchedule;

#[derive(Clone, Debug)]
pub struct DeliveryConfig {
    /// Time allowed for one attempt to the partner's webhook.
    pub attempt_timeout: Duration,
    pub schedule: RetrySchedule,
    /// The most attempts in flight at once to one project's webhook; below it the limit
    /// adapts to how the endpoint answers (`rules::webhooks::concurrency`).
    pub per_endpoint: usize,
    /// Attempts in flight at once overall.
    pub total: usize,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            attempt_timeout: Duration::from_secs(10),
            schedule: RetrySchedule::default(),
            per_endpoint: 256,
            total: 512,
        }
    }
}
