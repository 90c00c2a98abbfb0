//! A Cloud number as Meta sees it (`GET /{phone-number-id}?fields=…`): its verified name
//! and the name's review, quality rating, messaging limit, throughput level and account
//! status; what changed between two readings; and what each value means for sending, in
//! words, with what to do when a number needs attention.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The fields Meta is asked for.
pub const FIELDS: &str = "display_phone_number,verified_name,name_status,quality_rating,\
                          messaging_limit_tier,throughput,status,account_mode";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberHealth {
    pub verified_name: String,
    /// APPROVED, PENDING_REVIEW, DECLINED, EXPIRED, AVAILABLE_WITHOUT_REVIEW, NONE.
    pub name_status: String,
    /// GREEN, YELLOW, RED or NA.
    pub quality_rating: String,
    /// TIER_50 … TIER_UNLIMITED.
    pub messaging_limit: String,
    /// STANDARD or HIGH.
    pub throughput: String,
    /// CONNECTED, FLAGGED, RESTRICTED, DISCONNECTED, PENDING, UNVERIFIED.
    pub account_status: String,
    pub checked_at: i64,
}

/// One value that changed, as the timeline keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthChange {
    pub at: i64,
    pub field: String,
    pub before: String,
    pub after: String,
    /// What found it: "a check of the number", "Meta's notification".
    pub source: String,
}

/// A number that needs someone now, and what to do (the home overview's list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    pub project_id: i64,
    pub project_name: String,
    pub what: String,
    pub todo: String,
}

/// A number's health with its recent changes, newest first, as the project page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthView {
    pub health: Option<NumberHealth>,
    pub changes: Vec<HealthChange>,
    /// Customers reached with business-initiated (template) messages in the last 24 h.
    pub reached_24h: i64,
    /// The admins' warm-up plan, if any.
    pub warmup: Option<super::warmup::WarmUp>,
    /// The cap on new conversations that holds now and why (see `warmup::cap`).
    pub cap: Option<(i64, String)>,
}

fn word(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

impl NumberHealth {
    /// Meta's answer read at `now`.
    pub fn from_graph(answer: &Value, now: i64) -> NumberHealth {
        NumberHealth {
            verified_name: word(&answer["verified_name"]),
            name_status: word(&answer["name_status"]),
            quality_rating: word(&answer["quality_rating"]),
            messaging_limit: word(&answer["messaging_limit_tier"]),
            throughput: word(&answer["throughput"]["level"]),
            account_status: word(&answer["status"]),
            checked_at: now,
        }
    }

    fn fields(&self) -> [(&'static str, &str); 6] {
        [
            ("verified name", &self.verified_name),
            ("name status", &self.name_status),
            ("quality rating", &self.quality_rating),
            ("messaging limit", &self.messaging_limit),
            ("throughput", &self.throughput),
            ("account status", &self.account_status),
        ]
    }

    /// What differs from `before` (every field, when there was no reading yet).
    pub fn changes_since(
        &self,
        before: Option<&NumberHealth>,
    ) -> Vec<(&'static str, String, String)> {
        let empty = NumberHealth::default();
        let before = before.unwrap_or(&empty);
        self.fields()
            .into_iter()
            .zip(before.fields())
            .filter(|((_, now), (_, then))| now != then)
            .map(|((field, now), (_, then))| (field, then.to_owned(), now.to_owned()))
            .collect()
    }

    /// Customers a day the number may start conversations with (None: unlimited or unknown).
    pub fn daily_limit(&self) -> Option<i64> {
        tier_limit(&self.messaging_limit)
    }

    /// Why the number needs someone's attention, and what to do; None when it is well.
    pub fn attention(&self) -> Option<(String, String)> {
        let (what, todo) = match (self.account_status.as_str(), self.quality_rating.as_str()) {
            ("RESTRICTED", _) => (
                "Meta restricted the account",
                "It cannot start conversations until the restriction ends. Check Account \
                 quality in WhatsApp Manager for the violation.",
            ),
            ("FLAGGED", _) => (
                "Meta flagged the number for low quality",
                "Its messaging limit drops unless quality recovers within 7 days. Pause \
                 marketing templates and check which ones customers block.",
            ),
            (_, "RED") => (
                "Quality is RED",
                "Customers block or report its messages. Pause marketing templates, send only \
                 to customers who asked, and watch the templates' quality.",
            ),
            (_, "YELLOW") => (
                "Quality dropped to YELLOW",
                "Some customers block or report its messages. Check the templates' quality \
                 and who receives them before it turns RED.",
            ),
            _ => return None,
        };
        Some((what.to_owned(), todo.to_owned()))
    }
}

/// `TIER_1K` and the like as a number of customers a day.
pub fn tier_limit(tier: &str) -> Option<i64> {
    match tier {
        "TIER_50" => Some(50),
        "TIER_250" => Some(250),
        "TIER_1K" => Some(1_000),
        "TIER_2K" => Some(2_000),
        "TIER_10K" => Some(10_000),
        "TIER_100K" => Some(100_000),
        _ => None,
    }
}

/// A value of the health panel in words.
pub fn meaning(field: &str, value: &str) -> &'static str {
    match (field, value) {
        ("quality rating", "GREEN") => "High quality: customers rarely block or report it.",
        ("quality rating", "YELLOW") => "Medium quality: some customers block or report it.",
        ("quality rating", "RED") => "Low quality: the number may be flagged and its limit cut.",
        ("quality rating", "NA" | "UNKNOWN") => "Not rated yet: too few messages so far.",
        ("throughput", "STANDARD") => "Up to 80 messages a second.",
        ("throughput", "HIGH") => "Up to 1,000 messages a second.",
        ("messaging limit", "TIER_UNLIMITED") => "No daily limit on new conversations.",
        ("messaging limit", _) => "New conversations a business may start in 24 hours.",
        ("account status", "CONNECTED") => "Connected: sending normally.",
        ("account status", "FLAGGED") => "Flagged for low quality: improve within 7 days.",
        ("account status", "RESTRICTED") => "Restricted: cannot start conversations for now.",
        ("name status", "APPROVED") => "Meta approved the display name.",
        ("name status", "PENDING_REVIEW") => "Meta is reviewing the display name.",
        ("name status", "DECLINED") => "Meta declined the display name: submit another.",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Meta's answer to `GET /{phone-number-id}` (its OpenAPI example, with the fields
    /// Meta adds when asked: the limit, throughput and status).
    fn answer(quality: &str) -> Value {
        serde_json::json!({"id": "106853218861309", "display_phone_number": "+1 555-555-5555",
            "verified_name": "Jaspers Market", "quality_rating": quality,
            "name_status": "APPROVED", "code_verification_status": "VERIFIED",
            "messaging_limit_tier": "TIER_1K", "throughput": {"level": "STANDARD"},
            "status": "CONNECTED"})
    }

    #[test]
    fn a_reading_keeps_metas_words_and_says_what_changed() {
        let green = NumberHealth::from_graph(&answer("GREEN"), 1);
        assert_eq!(green.verified_name, "Jaspers Market");
        assert_eq!(green.daily_limit(), Some(1_000));
        assert_eq!(green.attention(), None);
        let yellow = NumberHealth::from_graph(&answer("YELLOW"), 2);
        assert_eq!(
            yellow.changes_since(Some(&green)),
            [("quality rating", "GREEN".to_owned(), "YELLOW".to_owned())],
            "the time of reading is no change"
        );
        assert_eq!(yellow.changes_since(None).len(), 6);
    }

    #[test]
    fn a_drop_a_flag_or_a_restriction_says_what_to_do() {
        let mut h = NumberHealth::from_graph(&answer("RED"), 1);
        assert_eq!(h.attention().unwrap().0, "Quality is RED");
        h.account_status = "FLAGGED".into();
        assert!(h.attention().unwrap().1.contains("within 7 days"));
        h.account_status = "RESTRICTED".into();
        assert!(h.attention().unwrap().0.contains("restricted"));
        assert_eq!(tier_limit("TIER_UNLIMITED"), None);
    }
}
