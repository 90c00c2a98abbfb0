//! Webhook deliveries and checks as the console shows them: each attempt to reach the
//! partner, a delivery with its attempts, and the findings of the webhook check.

use serde::{Deserialize, Serialize};

/// The result of one attempt to reach a webhook, as the console shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub at: i64,
    pub url: String,
    pub http_status: Option<i64>,
    pub error: Option<String>,
    pub latency_ms: i64,
    pub response_excerpt: Option<String>,
}

/// One finding of the webhook check: what was checked, whether it passed, and if not why
/// and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// "ok", "warning" or "problem".
    pub level: String,
    pub check: String,
    pub cause: String,
    pub fix: String,
}

/// A notification's delivery to the partner, with its attempts (newest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub event_id: i64,
    pub kind: String,
    pub status: String,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub attempts: Vec<AttemptView>,
}
