//! Prometheus metrics (the `prometheus-client` crate, OpenMetrics text), served on their
//! own listen address (`--metrics-addr`), never on the partner-facing port: requests by
//! route and status, upstream latency, and the webhook queue's depth.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// What `/metrics` answers with.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    status: u16,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    upstream_latency: Histogram,
    /// Deliveries waiting to be forwarded to partners' webhooks.
    pub webhook_queue_depth: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "tujenge_gateway_requests",
            "Partner API requests by route class and HTTP status",
            requests.clone(),
        );
        let upstream_latency = Histogram::new(BUCKETS);
        registry.register(
            "tujenge_upstream_latency_seconds",
            "Time for upstream WhatsApp client calls",
            upstream_latency.clone(),
        );
        let webhook_queue_depth = Gauge::default();
        registry.register(
            "tujenge_webhook_queue_depth",
            "Notifications waiting to be forwarded to partners",
            webhook_queue_depth.clone(),
        );
        Metrics {
            registry,
            requests,
            upstream_latency,
            webhook_queue_depth,
        }
    }
}

impl Metrics {
    pub fn request(&self, route: &'static str, status: u16, _elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels { route, status })
            .inc();
    }

    pub fn upstream_latency(&self, elapsed: Duration) {
        self.upstream_latency.observe(elapsed.as_secs_f64());
    }

    /// The OpenMetrics text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let m = Metrics::default();
        m.request("messages", 200, Duration::ZERO);
        m.request("messages", 200, Duration::ZERO);
        m.request("blocked", 403, Duration::ZERO);
        m.upstream_latency(Duration::from_millis(3));
        m.webhook_queue_depth.set(7);
        let text = m.render();
        let has = |line: &str| assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        has("tujenge_gateway_requests_total{route=\"messages\",status=\"200\"} 2");
        has("tujenge_gateway_requests_total{route=\"blocked\",status=\"403\"} 1");
        has("tujenge_upstream_latency_seconds_bucket{le=\"0.0025\"} 0");
        has("tujenge_upstream_latency_seconds_bucket{le=\"0.005\"} 1");
        has("tujenge_upstream_latency_seconds_count 1");
        has("tujenge_webhook_queue_depth 7");
        has("# EOF");
    }
}
