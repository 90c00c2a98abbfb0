//! Webhook deliveries and checks as the console shows them: each attempt to reach the
//! partner, a delivery with its attempts and what it is about, the one word for where it
//! stands, and the findings of the webhook check.

use serde::{Deserialize, Serialize};
use serde_json::Value;

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

impl AttemptView {
    pub fn succeeded(&self) -> bool {
        self.error.is_none() && self.http_status.is_some_and(|s| (200..300).contains(&s))
    }

    /// "HTTP 200 in 12 ms", "HTTP 500 in 8 ms", "timeout: no answer within 10 s".
    pub fn summary(&self) -> String {
        match (self.http_status, &self.error) {
            (Some(s), None) => format!("HTTP {s} in {} ms", self.latency_ms),
            (Some(s), Some(e)) => format!("HTTP {s} in {} ms: {e}", self.latency_ms),
            (None, Some(e)) => e.clone(),
            (None, None) => "no answer".into(),
        }
    }
}

/// The event's name in the `X-Tujenge-Event-Id` header and the console: `evt_42`.
pub fn event_name(event_id: i64) -> String {
    format!("evt_{event_id}")
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

/// Where a delivery stands, in the one word the console uses for it everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryState {
    /// Waiting for its first attempt.
    Queued,
    /// Failed at least once; tried again on the schedule.
    Retrying,
    Delivered,
    /// The schedule ended without a 2xx: only a resend sends it again.
    GivenUp,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 4] = [
        DeliveryState::Queued,
        DeliveryState::Retrying,
        DeliveryState::Delivered,
        DeliveryState::GivenUp,
    ];

    /// From the stored status ("pending", "delivered", "dead") and the attempts made.
    pub fn of(status: &str, attempts: i64) -> DeliveryState {
        match status {
            "delivered" => DeliveryState::Delivered,
            "dead" => DeliveryState::GivenUp,
            _ if attempts > 0 => DeliveryState::Retrying,
            _ => DeliveryState::Queued,
        }
    }

    /// The word shown (badges, filters, the trace, the overview).
    pub fn word(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Retrying => "retrying",
            DeliveryState::Delivered => "delivered",
            DeliveryState::GivenUp => "given up",
        }
    }

    /// The value in the URL (`?show=given-up`).
    pub fn key(self) -> &'static str {
        match self {
            DeliveryState::GivenUp => "given-up",
            other => other.word(),
        }
    }

    /// A URL value; the older "failed" and "dead" still read.
    pub fn parse(key: &str) -> Option<DeliveryState> {
        match key {
            "failed" => Some(DeliveryState::Retrying),
            "dead" => Some(DeliveryState::GivenUp),
            _ => DeliveryState::ALL.into_iter().find(|s| s.key() == key),
        }
    }

    /// The stored rows in this state, as SQL over `deliveries d`.
    pub fn condition(self) -> &'static str {
        match self {
            DeliveryState::Queued => "d.status = 'pending' AND d.attempts = 0",
            DeliveryState::Retrying => "d.status = 'pending' AND d.attempts > 0",
            DeliveryState::Delivered => "d.status = 'delivered'",
            DeliveryState::GivenUp => "d.status = 'dead'",
        }
    }
}

/// What a notification is about, read from the payload forwarded: the event in words,
/// the WhatsApp message id and the customer's number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSummary {
    /// "delivered", "read", "failed (131026)", "inbound text", "test: sent", …
    pub event: String,
    pub message_id: Option<String>,
    pub contact: Option<String>,
}

/// Reads an On-Premises notification as forwarded (`{"statuses": […]}` or
/// `{"messages": […]}`); `kind` is the stored event kind ("status", "message", "test",
/// "other").
pub fn summarize(kind: &str, payload: &str) -> EventSummary {
    let value: Value = serde_json::from_str(payload).unwrap_or(Value::Null);
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let mut summary = if let Some(status) = value["statuses"].get(0) {
        let word = status["status"].as_str().unwrap_or("status").to_owned();
        let event = match status["errors"][0]["code"].as_i64() {
            Some(code) => format!("{word} ({code})"),
            None => word,
        };
        EventSummary {
            event,
            message_id: text(&status["id"]),
            contact: text(&status["recipient_id"]),
        }
    } else if let Some(message) = value["messages"].get(0) {
        EventSummary {
            event: format!("inbound {}", message["type"].as_str().unwrap_or("message")),
            message_id: text(&message["id"]),
            contact: text(&message["from"]),
        }
    } else {
        EventSummary {
            event: "other notification".into(),
            ..EventSummary::default()
        }
    };
    if kind == "test" {
        summary.event = format!("test: {}", summary.event);
    }
    summary
}

/// A notification's delivery to the partner: what it is, where it stands, its attempts
/// (newest first) and the payload they sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub event_id: i64,
    pub kind: String,
    pub summary: EventSummary,
    pub state: DeliveryState,
    pub created_at: i64,
    /// When the next attempt is due (for a delivery queued or retrying).
    pub next_attempt_at: i64,
    /// The logged message the notification is about, for a link to its trace.
    pub message: Option<i64>,
    pub payload: String,
    pub attempts: Vec<AttemptView>,
}

/// The answer to "resend every failed notification since …": how many there are, and
/// whether they were queued (only once the person confirmed that count).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resent {
    pub count: u64,
    pub queued: bool,
    /// Since when (ms).
    pub since: i64,
    /// The day as the person typed it (in their zone), for the confirmation to ask about
    /// the same rows.
    #[serde(default)]
    pub day: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_per_state_and_the_old_filter_values_still_read() {
        assert_eq!(DeliveryState::of("pending", 0).word(), "queued");
        assert_eq!(DeliveryState::of("pending", 2).word(), "retrying");
        assert_eq!(DeliveryState::of("dead", 7).word(), "given up");
        for state in DeliveryState::ALL {
            assert_eq!(DeliveryState::parse(state.key()), Some(state));
        }
        assert_eq!(
            DeliveryState::parse("failed"),
            Some(DeliveryState::Retrying)
        );
        assert_eq!(DeliveryState::parse("dead"), Some(DeliveryState::GivenUp));
        assert_eq!(DeliveryState::parse("lost"), None);
    }

    #[test]
    fn a_notification_says_what_it_is_about() {
        let failed = r#"{"statuses":[{"id":"gBEGkYiEB1VXAglK1ZEqA1YKPrU","recipient_id":"16315555555",
            "status":"failed","timestamp":"1518694700","errors":[{"code":470,"title":"Message failed"}]}]}"#;
        assert_eq!(
            summarize("status", failed),
            EventSummary {
                event: "failed (470)".into(),
                message_id: Some("gBEGkYiEB1VXAglK1ZEqA1YKPrU".into()),
                contact: Some("16315555555".into()),
            }
        );
        let inbound = r#"{"contacts":[{"profile":{"name":"Kerry"},"wa_id":"16315551234"}],
            "messages":[{"from":"16315551234","id":"ABGGFlA5FpafAgo6EhVI","type":"image"}]}"#;
        assert_eq!(summarize("message", inbound).event, "inbound image");
        let test = r#"{"statuses":[{"id":"gBEGtest","status":"sent"}]}"#;
        assert_eq!(summarize("test", test).event, "test: sent");
        assert_eq!(summarize("other", "{}").event, "other notification");
    }
}
