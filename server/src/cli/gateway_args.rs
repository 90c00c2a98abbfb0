//! `serve`'s options for the partner API and webhook forwarding.

/// The partner-facing API's settings.
#[derive(clap::Args, Debug)]
pub struct GatewayArgs {
    /// Prefix of the partner API: "" gives /v1/messages, "/waba" gives /waba/v1/messages.
    #[arg(long, env = "TUJENGE_API_BASE_PATH", default_value = "")]
    api_base_path: String,
    /// Largest JSON request body accepted, in bytes (413 beyond it).
    #[arg(long, env = "TUJENGE_JSON_LIMIT_BYTES", default_value_t = 1024 * 1024)]
    json_limit_bytes: usize,
    /// Seconds allowed for an upstream call before answering 504.
    #[arg(long, env = "TUJENGE_UPSTREAM_TIMEOUT_SECS", default_value_t = 30)]
    upstream_timeout_secs: u64,
    /// Seconds allowed for a media upload or download through the gateway.
    #[arg(long, env = "TUJENGE_MEDIA_TIMEOUT_SECS", default_value_t = 300)]
    media_timeout_secs: u64,
    /// Days the message log keeps messages (and the notifications, events and webhook
    /// deliveries behind them; forwarding still retrying is kept until it ends).
    #[arg(long, env = "TUJENGE_MESSAGE_RETENTION_DAYS", default_value_t = 30)]
    message_retention_days: i64,
    /// How often Cloud numbers' template libraries are read again from Meta (besides
    /// Meta's notifications and the Sync button), e.g. "5m".
    #[arg(long, env = "TUJENGE_TEMPLATE_SYNC_EVERY", default_value = "5m")]
    template_sync_every: humantime::Duration,
    /// How often Cloud numbers' health (quality, messaging limit, throughput, status) is
    /// read again from Meta (besides Meta's notifications and the Check button).
    #[arg(long, env = "TUJENGE_NUMBER_HEALTH_EVERY", default_value = "5m")]
    number_health_every: humantime::Duration,
    /// Messages a second a Cloud number may send at Meta's STANDARD throughput; beyond it
    /// the gateway answers 429 with Retry-After (0: no limit here, Meta's 130429 instead).
    #[arg(long, env = "TUJENGE_CLOUD_THROUGHPUT_MPS", default_value_t = 80)]
    cloud_throughput_mps: i64,
    /// The same at Meta's HIGH throughput (an upgraded number).
    #[arg(
        long,
        env = "TUJENGE_CLOUD_HIGH_THROUGHPUT_MPS",
        default_value_t = 1000
    )]
    cloud_high_throughput_mps: i64,
    /// Accept http:// webhook URLs (development and tests only; partners must use https).
    /// It does not open the provider's own network: see --webhook-allow-cidr.
    #[arg(long, env = "TUJENGE_ALLOW_INSECURE_WEBHOOKS")]
    allow_insecure_webhooks: bool,
    /// Address ranges of the provider's own network that webhooks may reach anyway
    /// (comma-separated CIDRs, e.g. 10.20.0.0/16 for partners on a private link; tests use
    /// 127.0.0.0/8). By default loopback, private, link-local, CGNAT and other internal
    /// ranges are refused.
    #[arg(long, env = "TUJENGE_WEBHOOK_ALLOW_CIDR", value_delimiter = ',')]
    webhook_allow_cidr: Vec<rules::net::Cidr>,
    /// A PEM file of certificate authorities that partners' HTTPS endpoints may also be
    /// issued by (a partner whose private network has its own CA); the public ones are
    /// always trusted.
    #[arg(
        long,
        env = "TUJENGE_WEBHOOK_CA_FILE",
        value_parser = domain::webhooks::client::Roots::read
    )]
    webhook_ca_file: Option<domain::webhooks::client::Roots>,
    /// Seconds allowed for one delivery attempt to a partner's webhook.
    #[arg(long, env = "TUJENGE_WEBHOOK_TIMEOUT_SECS", default_value_t = 10)]
    webhook_timeout_secs: u64,
    /// Pauses between delivery attempts; the last one repeats.
    #[arg(
        long,
        env = "TUJENGE_WEBHOOK_RETRY_SCHEDULE",
        default_value = "5s,1m,5m,30m,2h,6h,12h"
    )]
    webhook_retry_schedule: String,
    /// When a delivery is marked dead, counted from when it was queued.
    #[arg(long, env = "TUJENGE_WEBHOOK_GIVE_UP_AFTER", default_value = "3d")]
    webhook_give_up_after: String,
    /// The most attempts in flight at once to one partner's webhook; below it the number
    /// adapts to how the endpoint answers.
    #[arg(long, env = "TUJENGE_WEBHOOK_PER_ENDPOINT", default_value_t = 256)]
    webhook_per_endpoint: usize,
}

impl GatewayArgs {
    pub fn config(&self) -> crate::gateway::GatewayConfig {
        crate::gateway::GatewayConfig {
            base_path: self.api_base_path.trim_end_matches('/').to_owned(),
            json_limit: self.json_limit_bytes,
            upstream_timeout: std::time::Duration::from_secs(self.upstream_timeout_secs),
            media_timeout: std::time::Duration::from_secs(self.media_timeout_secs),
            message_retention_days: self.message_retention_days,
            allow_insecure_webhooks: self.allow_insecure_webhooks,
            webhook_allow_cidrs: self.webhook_allow_cidr.clone(),
            webhook_roots: self.webhook_ca_file.clone().unwrap_or_default(),
            template_sync_every: self.template_sync_every.into(),
            number_health_every: self.number_health_every.into(),
            throughput: crate::gateway::throughput::Levels {
                standard: self.cloud_throughput_mps,
                high: self.cloud_high_throughput_mps,
            },
            ..Default::default()
        }
    }

    pub fn delivery(&self) -> anyhow::Result<crate::notifications::DeliveryConfig> {
        Ok(crate::notifications::DeliveryConfig {
            attempt_timeout: std::time::Duration::from_secs(self.webhook_timeout_secs),
            schedule: domain::webhooks::schedule::RetrySchedule {
                pauses: domain::webhooks::schedule::RetrySchedule::parse_pauses(
                    &self.webhook_retry_schedule,
                )
                .map_err(anyhow::Error::msg)?,
                give_up_after: domain::webhooks::schedule::parse_duration(
                    &self.webhook_give_up_after,
                )
                .map_err(anyhow::Error::msg)?,
            },
            per_endpoint: self.webhook_per_endpoint.max(1),
            ..Default::default()
        })
    }
}
