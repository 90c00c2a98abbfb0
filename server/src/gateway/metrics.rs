//! Prometheus metrics, served on their own listen address (`--metrics-addr`), never on
//! the partner-facing port: requests by route and status, upstream latency, and the
//! webhook queue's depth.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    upstream_buckets: [AtomicU64; BUCKETS.len()],
    upstream_count: AtomicU64,
    upstream_sum_micros: AtomicU64,
    /// Deliveries waiting to be forwarded to partners' webhooks.
    pub webhook_queue_depth: AtomicI64,
}

impl Metrics {
    pub fn request(&self, route: &'static str, status: u16, _elapsed: Duration) {
        *self
            .requests
            .lock()
            .unwrap()
            .entry((route, status))
            .or_default() += 1;
    }

    pub fn upstream_latency(&self, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.upstream_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.upstream_count.fetch_add(1, Ordering::Relaxed);
        self.upstream_sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP tujenge_gateway_requests_total Partner API requests by route class and HTTP status.\n# TYPE tujenge_gateway_requests_total counter\n");
        for ((route, status), n) in self.requests.lock().unwrap().iter() {
            let _ = writeln!(
                out,
                "tujenge_gateway_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP tujenge_upstream_latency_seconds Time for upstream WhatsApp client calls.\n# TYPE tujenge_upstream_latency_seconds histogram\n");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "tujenge_upstream_latency_seconds_bucket{{le=\"{bound}\"}} {}",
                self.upstream_buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.upstream_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "tujenge_upstream_latency_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "tujenge_upstream_latency_seconds_sum {}",
            self.upstream_sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "tujenge_upstream_latency_seconds_count {count}");
        out.push_str("# HELP tujenge_webhook_queue_depth Notifications waiting to be forwarded to partners.\n# TYPE tujenge_webhook_queue_depth gauge\n");
        let _ = writeln!(
            out,
            "tujenge_webhook_queue_depth {}",
            self.webhook_queue_depth.load(Ordering::Relaxed)
        );
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
        let text = m.render();
        assert!(
            text.contains("tujenge_gateway_requests_total{route=\"messages\",status=\"200\"} 2")
        );
        assert!(
            text.contains("tujenge_gateway_requests_total{route=\"blocked\",status=\"403\"} 1")
        );
        assert!(text.contains("tujenge_upstream_latency_seconds_bucket{le=\"0.0025\"} 0"));
        assert!(text.contains("tujenge_upstream_latency_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("tujenge_upstream_latency_seconds_count 1"));
    }
}
