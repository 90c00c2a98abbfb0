//! Where upstreams' notifications come in. Both intakes (an On-Premises client's inbound
//! URL, a Meta app's callback URL) hand their posts to one group commit that stores and
//! processes them in one transaction (`domain::webhooks::intake`) and hands the deliveries
//! straight to the forwarder; a post is answered 200 once its batch is on disk. If
//! processing fails, the batch is stored as it came for the processor to retry, so
//! nothing that can be kept is refused. The lookups every post makes (inbound tokens,
//! Meta apps, phone-number-ids) are cached like the gateway's keys.

use std::sync::Arc;

use domain::cloud::apps::MetaApp;
use domain::cloud::intake::{Numbers, Split};
use domain::platform::cache::Recent;
use domain::webhooks::inbound::Tokens;

use super::forwarder::Dispatch;
use super::worker::Notifier;
use crate::batch::Batcher;
use crate::gateway::Gateway;

pub struct Intake {
    pub gateway: Arc<Gateway>,
    writer: Batcher<Split>,
    pub tokens: Tokens,
    pub numbers: Numbers,
    apps: Recent<String, Option<Arc<MetaApp>>>,
}

impl Intake {
    pub fn start(gateway: Arc<Gateway>, dispatch: Dispatch, notifier: Notifier) -> Arc<Intake> {
        let (db, lease) = (
            gateway.services.db.clone(),
            gateway.services.webhooks.lease(),
        );
        let writer = Batcher::start(500, 2000, move |posts: Vec<Split>| {
            let (db, dispatch, notifier) = (db.clone(), dispatch.clone(), notifier.clone());
            async move {
                let error = match domain::webhooks::intake::take(&db, &posts, lease).await {
                    Ok(dues) => {
                        dispatch.hand_over(dues);
                        return true;
                    }
                    Err(e) => e,
                };
                tracing::warn!(error = %error.report(), count = posts.len(),
                    "could not process notifications as they came; storing them for the processor");
                match domain::webhooks::intake::store(&db, &posts).await {
                    Ok(()) => {
                        notifier.notify_processor();
                        true
                    }
                    Err(e) => {
                        tracing::error!(error = %e.report(), count = posts.len(),
                            "could not store notifications");
                        false
                    }
                }
            }
        });
        let ttl = gateway.config.cache_ttl;
        Arc::new(Intake {
            gateway,
            writer,
            tokens: Recent::new(ttl),
            numbers: Recent::new(ttl),
            apps: Recent::new(ttl),
        })
    }

    /// Waits until the post is stored (true: it may be acknowledged) or could not be.
    pub async fn take(&self, post: Split) -> bool {
        self.writer.submit(post).await
    }

    /// The Meta app with this app id, with its secrets.
    pub async fn meta_app(&self, app_id: &str) -> domain::Result<Option<Arc<MetaApp>>> {
        let services = &self.gateway.services;
        let load = async {
            let app = domain::cloud::apps::find(services, app_id).await?;
            Ok::<_, domain::Error>(app.map(Arc::new))
        };
        self.apps
            .get_or_load(app_id.to_owned(), &services.changes, load)
            .await
    }
}
