//! Background work for notifications: the processor turns stored notifications into
//! events and deliveries; the forwarder claims due deliveries and sends them, with a cap
//! per endpoint so one slow or dead webhook never holds up the others.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::webhooks::client::WebhookClient;
use domain::webhooks::queue::{self, Attempt, Due};
use tokio::sync::{Notify, Semaphore};

use super::DeliveryConfig;
use crate::batch::Batcher;
use crate::gateway::Gateway;

/// Wakes the processor (a notification was stored) and the forwarder (deliveries are due).
#[derive(Clone, Default)]
pub struct Notifier {
    processor: Arc<Notify>,
    forwarder: Arc<Notify>,
}

impl Notifier {
    pub fn notify_processor(&self) {
        self.processor.notify_one();
    }

    pub fn notify_forwarder(&self) {
        self.forwarder.notify_one();
    }
}

pub fn start(
    gateway: Arc<Gateway>,
    config: DeliveryConfig,
    notifier: Notifier,
) -> Vec<tokio::task::JoinHandle<()>> {
    vec![
        tokio::spawn(process(gateway.clone(), notifier.clone())),
        tokio::spawn(forward(gateway.clone(), config, notifier)),
        tokio::spawn(gauge(gateway)),
    ]
}

async fn process(gateway: Arc<Gateway>, notifier: Notifier) {
    let mut waiting_checked = std::time::Instant::now();
    loop {
        // Statuses that came before their message's log row: applied once the row is written.
        if waiting_checked.elapsed() >= Duration::from_secs(1) {
            waiting_checked = std::time::Instant::now();
            if let Err(e) = domain::messages::timeline::apply_waiting_statuses(
                &gateway.services.db,
                domain::platform::db::now_ms(),
            )
            .await
            {
                tracing::error!(error = %e, "applying waiting statuses failed; retrying");
            }
        }
        match domain::webhooks::inbound::process_pending(&gateway.services, 100).await {
            Ok(0) => {
                let _ = tokio::time::timeout(Duration::from_secs(1), notifier.processor.notified())
                    .await;
            }
            Ok(_) => notifier.notify_forwarder(),
            Err(e) => {
                tracing::error!(error = %e, "processing notifications failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn gauge(gateway: Arc<Gateway>) {
    loop {
        if let Ok(depth) = queue::queue_depth(&gateway.services.db).await {
            gateway.metrics.webhook_queue_depth.set(depth);
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// Records finished attempts in groups.
fn finisher(gateway: &Arc<Gateway>, config: &DeliveryConfig) -> Arc<Batcher<(Due, Attempt)>> {
    let (db, schedule) = (gateway.services.db.clone(), config.schedule.clone());
    Arc::new(Batcher::start(
        100,
        400,
        move |done: Vec<(Due, Attempt)>| {
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
                        // The claims run out and the deliveries are attempted again.
                        tracing::error!(error = %e, "could not record delivery attempts");
                        false
                    }
                }
            }
        },
    ))
}

async fn forward(gateway: Arc<Gateway>, config: DeliveryConfig, notifier: Notifier) {
    let client = gateway.services.webhooks.clone();
    let finisher = finisher(&gateway, &config);
    let slots = Arc::new(Semaphore::new(config.total));
    let in_flight: Arc<Mutex<HashMap<i64, usize>>> = Arc::default();
    // A claim outlives the attempt's timeout, so a crashed worker's claims run out soon.
    let lock = config.attempt_timeout + Duration::from_secs(5);
    loop {
        // Let a few attempts finish before claiming again: one claim for several free slots
        // costs less than one claim per finished attempt.
        if slots.available_permits() < config.total {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let free = slots.available_permits();
        let busy = in_flight.lock().unwrap().clone();
        let room = |project: i64| {
            config
                .per_endpoint
                .saturating_sub(busy.get(&project).copied().unwrap_or(0)) as i64
        };
        let due = if free == 0 {
            Ok(Vec::new())
        } else {
            queue::claim(&gateway.services.db, free as i64, lock, room).await
        };
        let due = match due {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "claiming deliveries failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if due.is_empty() {
            let _ = tokio::time::timeout(Duration::from_millis(500), notifier.forwarder.notified())
                .await;
            continue;
        }
        let mut release = Vec::new();
        for d in due {
            let taken = {
                let mut map = in_flight.lock().unwrap();
                let n = map.entry(d.project_id).or_default();
                (*n < config.per_endpoint).then(|| *n += 1).is_some()
            };
            if !taken {
                release.push(d.id);
                continue;
            }
            let permit = slots
                .clone()
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let (gateway, client, finisher, in_flight, notifier) = (
                gateway.clone(),
                client.clone(),
                finisher.clone(),
                in_flight.clone(),
                notifier.clone(),
            );
            tokio::spawn(async move {
                if let Some(attempt) = attempt(&gateway, &client, &d).await {
                    finisher.submit((d.clone(), attempt)).await;
                }
                *in_flight.lock().unwrap().entry(d.project_id).or_default() -= 1;
                drop(permit);
                notifier.notify_forwarder();
            });
        }
        if !release.is_empty() {
            if let Err(e) = queue::release(&gateway.services.db, &release).await {
                tracing::warn!(error = %e, "could not release claims; they run out by themselves");
            }
        }
    }
}

/// One attempt at a delivery; `None` when it could not even be tried (it is retried).
async fn attempt(gateway: &Gateway, client: &WebhookClient, due: &Due) -> Option<Attempt> {
    match domain::webhooks::config::target(&gateway.services, due.project_id).await {
        Ok(Some(target)) => {
            let event_id = format!("evt_{}", due.event_id);
            Some(client.send(&target.config.url, &target.config.headers, &event_id, &due.payload, target.signing_secret.as_deref()).await)
        }
        Ok(None) => Some(Attempt { error: Some("No webhook URL is configured for this project: set one with POST /v1/configs/webhook.".into()), ..Attempt::default() }),
        Err(e) => {
            tracing::error!(error = %e, "could not load a webhook configuration");
            None
        }
    }
}
