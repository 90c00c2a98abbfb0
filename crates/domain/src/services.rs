//! What the console, the gateway and the command line get from the domain: the database,
//! the secret box, the login throttle, the change counter behind the caches and the
//! upstream client, built once at start.

use std::sync::Arc;
use std::time::Duration;

use crate::accounts::login::Throttle;
use crate::platform::cache::ChangeCounter;
use crate::platform::crypto::SecretBox;
use crate::platform::db::Db;
use crate::upstream::client::Upstreams;
use crate::webhooks::client::{WebhookClient, WebhookPolicy};
use crate::webhooks::schedule::RetrySchedule;

/// What the console and the gateway need from the domain, built once at start.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub secrets: SecretBox,
    pub throttle: Throttle,
    /// Bumped whenever keys or projects change, so caches in this process drop stale
    /// entries at once (other instances within their cache time).
    pub changes: ChangeCounter,
    /// Calls to projects' upstream clients, with their login tokens.
    pub upstreams: Arc<Upstreams>,
    /// Requests to partners' webhooks: deliveries, test events and checks alike.
    pub webhooks: WebhookClient,
    /// When a failed delivery is tried again (a resend from the console too).
    pub retries: RetrySchedule,
}

impl Services {
    pub fn new(db: Db, secrets: SecretBox, throttle: Throttle) -> Self {
        let upstreams = Upstreams::new(Duration::from_secs(5), Duration::from_secs(5));
        Services {
            db,
            secrets,
            throttle,
            changes: ChangeCounter::default(),
            upstreams: Arc::new(upstreams),
            webhooks: WebhookClient::new(Duration::from_secs(10), WebhookPolicy::default()),
            retries: RetrySchedule::default(),
        }
    }

    /// The same services with webhook requests made by `client` (the server's configured
    /// timeout and policy), failures retried on `retries`.
    pub fn with_webhooks(self, client: WebhookClient, retries: RetrySchedule) -> Self {
        Services {
            webhooks: client,
            retries,
            ..self
        }
    }
}
