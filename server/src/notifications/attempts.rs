//! One attempt at a delivery, as the forwarder starts it: the project's webhook (cached
//! like the gateway's keys: this instance's changes apply at once), the request, what the
//! answer says about the endpoint's capacity, and the outcome recorded in batches (one
//! transaction for many attempts).

use std::sync::Arc;
use std::time::Duration;

use domain::Services;
use domain::platform::cache::Recent;
use domain::webhooks::config::WebhookTarget;
use domain::webhooks::queue::{self, Attempt, Due};
use rules::webhooks::concurrency::Signal;

use super::DeliveryConfig;
use crate::batch::Batcher;
use crate::gateway::Gateway;

pub struct Attempts {
    services: Services,
    targets: Recent<i64, Option<Arc<WebhookTarget>>>,
    outcomes: Batcher<(Due, Attempt)>,
    /// Answers slower than this are not taken as room to grow.
    fast: Duration,
}

impl Attempts {
    pub fn new(gateway: &Gateway, config: &DeliveryConfig) -> Arc<Attempts> {
        Arc::new(Attempts {
            services: gateway.services.clone(),
            targets: Recent::new(gateway.config.cache_ttl),
            outcomes: outcomes(gateway, config),
            fast: config.attempt_timeout / 4,
        })
    }

    /// Sends `due`, tells `report` how the endpoint answered, then records the outcome.
    /// A delivery that could not even be tried is not recorded: its lease runs out and it
    /// is claimed again.
    pub async fn make(&self, due: Due, report: impl FnOnce(Signal)) {
        let project_id = due.project_id;
        let load = async {
            let target = domain::webhooks::config::target(&self.services, project_id).await?;
            Ok::<_, domain::Error>(target.map(Arc::new))
        };
        let target = self
            .targets
            .get_or_load(project_id, &self.services.changes, load)
            .await;
        let attempt = match target {
            Ok(Some(target)) => send(&self.services, &target, &due).await,
            Ok(None) => Attempt::no_webhook(),
            Err(e) => {
                tracing::error!(error = %e, "could not load a webhook configuration");
                report(Signal::Neutral);
                return;
            }
        };
        report(self.signal(&attempt));
        self.outcomes.submit((due, attempt)).await;
    }

    fn signal(&self, attempt: &Attempt) -> Signal {
        if attempt.url.is_empty() {
            // Nothing was sent (no webhook yet): nothing learnt about the endpoint.
            return Signal::Neutral;
        }
        let status = attempt.http_status.and_then(|s| u16::try_from(s).ok());
        let latency = Duration::from_millis(attempt.latency_ms.max(0) as u64);
        Signal::of(status, latency, self.fast)
    }
}

async fn send(services: &Services, target: &WebhookTarget, due: &Due) -> Attempt {
    let event_id = rules::webhooks::deliveries::event_name(due.event_id);
    target.send(services, &event_id, &due.payload).await
}

/// Records finished attempts in groups.
fn outcomes(gateway: &Gateway, config: &DeliveryConfig) -> Batcher<(Due, Attempt)> {
    let (db, schedule) = (gateway.services.db.clone(), config.schedule.clone());
    Batcher::start(500, 4000, move |done: Vec<(Due, Attempt)>| {
        let (db, schedule) = (db.clone(), schedule.clone());
        async move {
            match queue::finish(&db, &done, &schedule).await {
                Ok(statuses) => {
                    for ((due, _), status) in done.iter().zip(statuses) {
                        if status == "dead" {
                            tracing::warn!(
                                delivery = due.id,
                                project = due.project_id,
                                "delivery is dead after its last retry"
                            );
                        }
                    }
                    true
                }
                Err(e) => {
                    // The leases run out and the deliveries are attempted again.
                    tracing::error!(error = %e, "could not record delivery attempts");
                    false
                }
            }
        }
    })
}
