//! The messages list's filter: every field optional, read from the URL's query (each bad
//! field named at once) and written back to it, so a link opens the same view.

use serde::{Deserialize, Serialize};

use super::log::{Cursor, PROBLEMS, TYPES};
use crate::FieldErrors;
use crate::messages::status::MessageStatus;

/// What the messages list shows; every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFilter {
    pub project_id: Option<i64>,
    /// "outbound" or "inbound".
    pub direction: Option<String>,
    /// A [`MessageStatus`] word, or `PROBLEMS`.
    pub status: Option<String>,
    pub code: Option<u32>,
    pub message_type: Option<String>,
    /// A date or minute as typed, in the viewer's time zone (inclusive).
    pub from: Option<String>,
    /// A minute (exclusive) or a whole date (to its end) as typed, in the viewer's zone.
    pub to: Option<String>,
    /// Only the last hours (`since=24h`, `since=7d`): links from counts use it, whatever
    /// the viewer's zone.
    pub since_hours: Option<i64>,
    /// What the search box holds, as a ticket quotes it: a WhatsApp message id (exact),
    /// part of the recipient's or sender's number, or text in the stored body (redacted
    /// bodies do not match).
    pub search: Option<String>,
    pub cursor: Option<Cursor>,
}

/// The query parameters, in the order the filter bar shows them.
pub const QUERY_KEYS: [&str; 9] = [
    "project",
    "direction",
    "status",
    "code",
    "type",
    "since",
    "from",
    "to",
    "q",
];

impl MessageFilter {
    /// The search as digits, when it reads as (part of) a phone number: digits, perhaps
    /// with `+`, spaces, dashes or brackets, at least three of them.
    pub fn search_digits(&self) -> Option<String> {
        let search = self.search.as_deref()?;
        let phone_like = search
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
        let digits: String = search.chars().filter(char::is_ascii_digit).collect();
        (phone_like && digits.len() >= 3).then_some(digits)
    }

    /// Reads the URL's query (`get` returns "" for a missing key). Values that make no
    /// sense are left out of the filter and explained in the errors, per field.
    pub fn from_query(get: impl Fn(&str) -> String) -> (MessageFilter, FieldErrors) {
        let mut errors = FieldErrors::default();
        let mut f = MessageFilter::default();
        let value = |k: &str| Some(get(k).trim().to_owned()).filter(|v| !v.is_empty());
        if let Some(v) = value("project") {
            f.project_id = v.parse().ok();
            if f.project_id.is_none() {
                errors.add("project", "Choose a project from the list.");
            }
        }
        if let Some(v) = value("direction") {
            match v.as_str() {
                "outbound" | "inbound" => f.direction = Some(v),
                _ => errors.add("direction", "Direction is outbound or inbound."),
            }
        }
        if let Some(v) = value("status") {
            if v == PROBLEMS || MessageStatus::parse(&v).is_some() {
                f.status = Some(v);
            } else {
                let words: Vec<_> = MessageStatus::ALL.map(MessageStatus::as_str).into();
                errors.add("status", format!("Status is one of {}.", words.join(", ")));
            }
        }
        if let Some(v) = value("code") {
            f.code = v.parse().ok();
            if f.code.is_none() {
                errors.add("code", "An error code is a number, such as 470 or 1013.");
            }
        }
        if let Some(v) = value("type") {
            if TYPES.contains(&v.as_str()) {
                f.message_type = Some(v);
            } else {
                errors.add("type", format!("Type is one of {}.", TYPES.join(", ")));
            }
        }
        for (key, slot) in [("from", &mut f.from), ("to", &mut f.to)] {
            if let Some(v) = value(key) {
                if crate::time::parse_local(&v).is_some() {
                    *slot = Some(v);
                } else {
                    errors.add(
                        key,
                        "Use a date (2026-11-25) or a date and time (2026-11-25T14:30).",
                    );
                }
            }
        }
        if let Some(v) = value("since") {
            f.since_hours = parse_since(&v);
            if f.since_hours.is_none() {
                errors.add("since", "Since is hours or days back, such as 24h or 7d.");
            }
        }
        // `phone=` is what older links carry: the same search.
        f.search = value("q").or_else(|| value("phone"));
        f.cursor = value("cursor").and_then(|c| Cursor::parse(&c));
        (f, errors)
    }

    /// The filter as the URL query it came from (without the cursor).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let since = self.since_hours.map(|h| match h % 24 {
            0 => format!("{}d", h / 24),
            _ => format!("{h}h"),
        });
        let values = [
            self.project_id.map(|v| v.to_string()),
            self.direction.clone(),
            self.status.clone(),
            self.code.map(|v| v.to_string()),
            self.message_type.clone(),
            since,
            self.from.clone(),
            self.to.clone(),
            self.search.clone(),
        ];
        QUERY_KEYS
            .into_iter()
            .zip(values)
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }

    /// `?status=failed&cursor=...` for the page that starts at `cursor`.
    pub fn href(&self, path: &str, cursor: Option<Cursor>) -> String {
        let mut pairs = self.query_pairs();
        if let Some(c) = cursor {
            pairs.push(("cursor", c.encode()));
        }
        let query = crate::text::query_string(pairs);
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    }
}

/// `24h`, `7d`: hours back.
fn parse_since(text: &str) -> Option<i64> {
    let (number, unit) = text.split_at(text.len().checked_sub(1)?);
    let n: i64 = number.parse().ok().filter(|n| *n > 0)?;
    match unit {
        "h" => Some(n),
        "d" => n.checked_mul(24),
        _ => None,
    }
}

#[cfg(feature = "zones")]
impl MessageFilter {
    /// The filter's time bounds in UTC milliseconds (from inclusive, to exclusive): what
    /// was typed read in `zone`, and `since` counted back from `now`.
    pub fn bounds(&self, zone: &crate::zone::Zone, now: i64) -> (Option<i64>, Option<i64>) {
        let since = self.since_hours.map(|h| now - h * crate::time::HOUR_MS);
        let typed = self.from.as_deref().and_then(|t| zone.start_of(t));
        let from = since.into_iter().chain(typed).max();
        let to = self.to.as_deref().and_then(|t| zone.end_of(t));
        (from, to)
    }
}
