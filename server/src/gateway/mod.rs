//! The partner-facing `/v1` API: every request is classified once on its normalised path
//! (blocked, the gateway's own endpoint, checked messages, or proxied), authenticated by
//! its `WA-API-KEY`, and answered in the seed's envelope when the gateway answers itself
//! (see `routes`). Here: the gateway's settings, its state and its background work.

pub mod auth;
pub mod envelope;
pub mod limits;
pub mod log_writer;
pub mod messages;
pub mod meta_refresh;
pub mod metrics;
pub mod proxy;
pub mod routes;
pub mod template_cache;
pub mod templates;
pub mod throughput;
pub mod webhook_config;
pub mod windows;

use std::sync::Arc;
use std::time::Duration;

use domain::Services;
use domain::platform::jobs;

use meta_refresh::Read;

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
    /// Certificate authorities webhooks' HTTPS is checked against besides the public ones.
    pub webhook_roots: domain::webhooks::client::Roots,
    /// How often Cloud numbers' template libraries are read again from Meta.
    pub template_sync_every: Duration,
    /// How often Cloud numbers' health is read again from Meta.
    pub number_health_every: Duration,
    /// Each Cloud number's messages per second, by Meta's throughput level.
    pub throughput: throughput::Levels,
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
            webhook_roots: Default::default(),
            template_sync_every: Duration::from_secs(300),
            number_health_every: Duration::from_secs(300),
            throughput: throughput::Levels {
                standard: 80,
                high: 1000,
            },
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
    pub meta_refresh: meta_refresh::MetaRefresh,
    pub throughput: throughput::Throughput,
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
            meta_refresh: meta_refresh::MetaRefresh::new(services.clone()),
            throughput: throughput::Throughput::new(services.db.clone(), config.throughput),
            services,
            config,
            metrics,
        })
    }

    /// Background work: last-used times of keys, and the retention of the message log and
    /// the notifications behind it.
    pub async fn housekeeping(self: Arc<Self>) {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        // This instance's name for the leases; with several instances one of them runs each job.
        let holder = format!("{}-{}", std::process::id(), rand::random::<u32>());
        // Meta's notifications and the console keep what is known of Cloud numbers current;
        // the background reads catch what they missed, first one period after start.
        let start = tokio::time::Instant::now();
        let (templates, health) = (
            self.config.template_sync_every,
            self.config.number_health_every,
        );
        let mut reads = [
            (
                Read::Templates,
                jobs::TEMPLATE_SYNC,
                templates,
                start + templates,
            ),
            (Read::Health, jobs::NUMBER_HEALTH, health, start + health),
        ];
        loop {
            tick.tick().await;
            self.keys.flush_last_used().await;
            self.purge_past_retention(&holder).await;
            let a_minute_ago = domain::platform::db::now_ms() / 1000 - 60;
            if let Err(e) =
                domain::projects::throughput::forget_before(&self.services.db, a_minute_ago).await
            {
                tracing::warn!(error = %e.report(), "could not forget old throughput budgets");
            }
            for (what, job, every, next) in &mut reads {
                if tokio::time::Instant::now() < *next {
                    continue;
                }
                *next = tokio::time::Instant::now() + *every;
                let due = jobs::take_lease(&self.services.db, job, &holder, *every).await;
                if matches!(due, Ok(true)) {
                    // Apart from this loop: many numbers must not hold up the keys' flush.
                    let (gateway, what) = (self.clone(), *what);
                    tokio::spawn(async move { gateway.meta_refresh.every(what).await });
                }
            }
        }
    }

    /// The message log's retention (hourly, one instance).
    async fn purge_past_retention(&self, holder: &str) {
        let hour = Duration::from_secs(3600);
        let due = jobs::take_lease(&self.services.db, jobs::MESSAGE_RETENTION, holder, hour).await;
        if !matches!(due, Ok(true)) {
            return;
        }
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
            Err(e) => tracing::warn!(error = %e, "could not purge records past the retention"),
        }
    }

    /// Writes what is still buffered (keys' last use) before shutdown; message log rows
    /// are written before their request is answered.
    pub async fn flush(&self) {
        self.keys.flush_last_used().await;
    }
}
