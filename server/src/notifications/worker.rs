//! Background work for notifications: the forwarder (see `forwarder`); the processor,
//! which takes up what the intake stored without processing (its transaction failed) and
//! applies statuses that came before their message's log row; the queue-depth gauge.

use std::sync::Arc;
use std::time::Duration;

use domain::webhooks::queue::{self, Due};
use tokio::sync::{Notify, mpsc};

use super::DeliveryConfig;
use super::forwarder::{self, Dispatch};
use crate::gateway::Gateway;

/// Wakes the processor: the intake stored notifications it could not process.
#[derive(Clone, Default)]
pub struct Notifier {
    processor: Arc<Notify>,
}

impl Notifier {
    pub fn notify_processor(&self) {
        self.processor.notify_one();
    }
}

pub fn start(
    gateway: Arc<Gateway>,
    config: DeliveryConfig,
    notifier: Notifier,
    (dispatch, handed): (Dispatch, mpsc::Receiver<Due>),
) -> Vec<tokio::task::JoinHandle<()>> {
    // A delivery handed to an attempt is leased for the attempt's time and a margin;
    // queued ones are renewed before it runs out.
    let lease = gateway.services.webhooks.lease();
    vec![
        tokio::spawn(process(gateway.clone(), notifier.clone(), dispatch, lease)),
        tokio::spawn(forwarder::run(gateway.clone(), config, handed)),
        tokio::spawn(gauge(gateway)),
    ]
}

async fn process(gateway: Arc<Gateway>, notifier: Notifier, dispatch: Dispatch, lease: Duration) {
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
        match domain::webhooks::inbound::process_pending(&gateway.services, 100, lease).await {
            Ok(dues) if dues.is_empty() => {
                let _ = tokio::time::timeout(Duration::from_secs(1), notifier.processor.notified())
                    .await;
            }
            Ok(dues) => dispatch.hand_over(dues),
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
