//! The partner-facing `/v1` API: every request is classified once on its normalised path
//! (blocked, the gateway's own endpoint, checked messages, or proxied), authenticated by
//! its `WA-API-KEY`, and answered in the seed's envelope when the gateway answers itself
//! (see `routes`). Here: the gateway's settings, its state and its background work.

pub mod auth;
pub mod envelope;
pub mod log_writer;
pub mod messages;
pub mod metrics;
pub mod proxy;
pub mod routes;
pub mod template_cache;
pub mod template_sync;
pub mod templates;
pub mod webhook_config;
pub mod windows;

use std::sync::Arc;
use std::time::Duration;

use domain::Services;

/// Gateway settings (see `tujenge serve --help`).
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    /// Prefix of the API, e.g. "" (so `/v1/messages`) or "/waba".
    pub base_path: String,
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Time allowed for an upstream call (JSON requests).
    pub upstream_timeout: Duration,
    /// Time allowed for a media upload or download.
    pub media_timeout: Duration,
    /// How long key lookups and project settings are cached (revocations apply within it).
    pub cache_ttl: Duration,
    /// Days the message log keeps rows.
    pub message_retention_days: i64,
    /// Accept http:// webhook URLs (development and tests only).
    pub allow_insecure_webhooks: bool,
    /// Internal ranges webhooks may reach anyway (`--webhook-allow-cidr`).
    pub webhook_allow_cidrs: Vec<rules::net::Cidr>,
    /// How often Cloud numbers' template libraries are read again from Meta.
    pub template_sync_every: Duration,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            base_path: String::new(),
            json_limit: 1024 * 1024,
            upstream_timeout: Duration::from_secs(30),
            media_timeout: Duration::from_secs(300),
            cache_ttl: Duration::from_secs(5),
            message_retention_days: 30,
            allow_insecure_webhooks: false,
            webhook_allow_cidrs: Vec::new(),
            template_sync_every: Duration::from_secs(300),
        }
    }
}

pub struct Gateway {
    pub config: GatewayConfig,
    pub services: Services,
    pub keys: auth::Keys,
    pub log: log_writer::MessageLog,
    pub windows: windows::Windows,
    pub templates: template_cache::TemplateCache,
    pub template_sync: template_sync::TemplateSync,
    pub metrics: Arc<metrics::Metrics>,
}

impl Gateway {
    pub fn new(
        config: GatewayConfig,
        services: Services,
        metrics: Arc<metrics::Metrics>,
    ) -> Arc<Gateway> {
        Arc::new(Gateway {
            keys: auth::Keys::new(services.clone(), config.cache_ttl),
            log: log_writer::MessageLog::start(services.db.clone()),
            windows: windows::Windows::default(),
            templates: template_cache::TemplateCache::new(config.cache_ttl),
            template_sync: template_sync::TemplateSync::new(services.clone()),
            services,
            config,
            metrics,
        })
    }

    /// Background work: last-used times of keys, and the retention of the message log and
    /// the notifications behind it.
    pub async fn housekeeping(self: Arc<Self>) {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        // This instance's name for the lease; with several instances one of them purges each hour.
        let holder = format!("{}-{}", std::process::id(), rand::random::<u32>());
        // Meta's notifications and the Sync button keep libraries current; the background
        // sync catches what they missed, first one period after start.
        let mut next_sync = tokio::time::Instant::now() + self.config.template_sync_every;
        loop {
            tick.tick().await;
            self.keys.flush_last_used().await;
            let due = domain::platform::jobs::take_lease(
                &self.services.db,
                domain::platform::jobs::MESSAGE_RETENTION,
                &holder,
                Duration::from_secs(3600),
            )
            .await;
            if matches!(due, Ok(true)) {
                let cutoff = domain::platform::db::now_ms()
                    - self.config.message_retention_days * rules::time::DAY_MS;
                match domain::messages::retention::purge_before(&self.services.db, cutoff).await {
                    Ok(p) if p != domain::messages::retention::Purged::default() => {
                        tracing::info!(
                            messages = p.messages,
                            events = p.events,
                            notifications = p.notifications,
                            contacts = p.contacts,
                            meta_changes = p.meta_changes,
                            "purged records past the retention"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "could not purge records past the retention")
                    }
                }
            }
            if tokio::time::Instant::now() >= next_sync {
                next_sync = tokio::time::Instant::now() + self.config.template_sync_every;
                let due = domain::platform::jobs::take_lease(
                    &self.services.db,
                    domain::platform::jobs::TEMPLATE_SYNC,
                    &holder,
                    self.config.template_sync_every,
                )
                .await;
                if matches!(due, Ok(true)) {
                    // Apart from this loop: many accounts must not hold up the keys' flush.
                    let gateway = self.clone();
                    tokio::spawn(async move { gateway.template_sync.every_account().await });
                }
            }
        }
    }

    /// Writes what is still buffered (keys' last use) before shutdown; message log rows
    /// are written before their request is answered.
    pub async fn flush(&self) {
        self.keys.flush_last_used().await;
    }
}
