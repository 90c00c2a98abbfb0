//! The message log as the console reads it: the filters (kept in the URL so a link opens
//! the same view), the keyset cursor, and what a message's trace and the overview show.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::messages::status::MessageStatus;
use crate::time::DAY_MS;

/// Rows on one page of the messages list.
pub const PAGE_SIZE: i64 = 50;

/// The status filter's value for "refused by the gateway or failed upstream".
pub const PROBLEMS: &str = "problems";

/// Message types the gateway knows (the filter offers these).
pub const TYPES: [&str; 10] = [
    "text",
    "template",
    "image",
    "video",
    "audio",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
];

/// Where the next page starts: just below the last row shown (newest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub created_at: i64,
    pub id: i64,
}

impl Cursor {
    /// `1764034205000.42`
    pub fn parse(text: &str) -> Option<Cursor> {
        let (at, id) = text.split_once('.')?;
        Some(Cursor {
            created_at: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }

    pub fn encode(&self) -> String {
        format!("{}.{}", self.created_at, self.id)
    }
}

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
    /// Digits: the recipient or sender starts with them.
    pub phone: Option<String>,
    /// UTC milliseconds, inclusive.
    pub from_ms: Option<i64>,
    /// UTC milliseconds, exclusive.
    pub to_ms: Option<i64>,
    /// Text somewhere in the stored body (redacted bodies do not match).
    pub text: Option<String>,
    pub cursor: Option<Cursor>,
}

/// The query parameters, in the order the filter bar shows them.
pub const QUERY_KEYS: [&str; 9] = [
    "project",
    "direction",
    "status",
    "code",
    "type",
    "phone",
    "from",
    "to",
    "q",
];

impl MessageFilter {
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
        if let Some(v) = value("phone") {
            let digits: String = v
                .chars()
                .filter(|c| !matches!(c, '+' | ' ' | '-'))
                .collect();
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                f.phone = Some(digits);
            } else {
                errors.add(
                    "phone",
                    "A phone number is digits with the country code, such as 255712345678.",
                );
            }
        }
        for (key, slot) in [("from", &mut f.from_ms), ("to", &mut f.to_ms)] {
            if let Some(v) = value(key) {
                *slot = crate::time::parse_datetime(&v);
                if slot.is_none() {
                    errors.add(
                        key,
                        "Use a date (2026-11-25) or a date and time (2026-11-25T14:30), in UTC.",
                    );
                }
            }
        }
        // A bare date as "to" means the end of that day.
        if let (Some(to), Some(v)) = (f.to_ms, value("to")) {
            if !v.contains(['T', ' ']) {
                f.to_ms = Some(to + DAY_MS);
            }
        }
        f.text = value("q");
        f.cursor = value("cursor").and_then(|c| Cursor::parse(&c));
        (f, errors)
    }

    /// The filter as the URL query it came from (without the cursor).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let to = self.to_ms.map(|ms| {
            if ms % DAY_MS == 0 {
                crate::time::format_utc(ms - DAY_MS)[..10].to_owned()
            } else {
                crate::time::minute_input(ms)
            }
        });
        let values = [
            self.project_id.map(|v| v.to_string()),
            self.direction.clone(),
            self.status.clone(),
            self.code.map(|v| v.to_string()),
            self.message_type.clone(),
            self.phone.clone(),
            self.from_ms.map(|ms| {
                if ms % DAY_MS == 0 {
                    crate::time::format_utc(ms)[..10].to_owned()
                } else {
                    crate::time::minute_input(ms)
                }
            }),
            to,
            self.text.clone(),
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

/// A logged message as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageListRow {
    pub id: i64,
    pub created_at: i64,
    pub project_id: i64,
    pub project_name: String,
    pub direction: String,
    pub contact: String,
    pub message_type: String,
    pub status: String,
    pub error_codes: String,
}

/// One page of the list and where the next one starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePage {
    pub rows: Vec<MessageListRow>,
    pub next: Option<Cursor>,
}

/// Everything known about one message, in the order it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTrace {
    pub row: MessageListRow,
    pub organization_id: i64,
    /// The key's visible prefix and name, for outbound messages.
    pub api_key: Option<String>,
    /// The partner's request headers, secrets left out.
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    /// "accepted", or the check that refused it, and what the gateway answered.
    pub decision: String,
    pub decision_detail: Option<String>,
    /// Where the gateway sent it (the project's upstream), when it did.
    pub upstream_url: Option<String>,
    pub upstream_status: Option<i64>,
    pub upstream_response: Option<String>,
    pub upstream_message_id: Option<String>,
    pub latency_ms: Option<i64>,
    pub statuses: Vec<StatusStep>,
    pub deliveries: Vec<crate::webhooks::deliveries::DeliveryView>,
}

/// One status notification about a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusStep {
    pub status: String,
    pub at: i64,
    pub error_codes: String,
    pub detail: Option<String>,
}

/// How often an error code was hit in the caller's projects, as of `at` (UTC ms).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCounts {
    pub last_day: i64,
    pub last_week: i64,
    pub at: i64,
}

impl CodeCounts {
    /// The messages page listing the messages behind a count (`days` back from `at`).
    pub fn href(&self, code: u32, days: i64) -> String {
        MessageFilter {
            code: Some(code),
            from_ms: Some(self.at - days * DAY_MS),
            ..MessageFilter::default()
        }
        .href("/messages", None)
    }
}

/// Error codes of a message, as numbers (the log keeps them comma-separated).
pub fn codes(list: &str) -> Vec<u32> {
    list.split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        }
    }

    #[test]
    fn a_filter_survives_the_round_trip_through_its_url() {
        let pairs = [
            ("project", "3"),
            ("status", "problems"),
            ("code", "470"),
            ("phone", "+255 712"),
            ("from", "2026-11-24T03:40"),
            ("to", "2026-11-25"),
            ("q", "order #12"),
        ];
        let (filter, errors) = MessageFilter::from_query(query(&pairs));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(filter.phone.as_deref(), Some("255712"));
        assert_eq!(
            filter.to_ms,
            crate::time::parse_date("2026-11-26"),
            "a bare date ends with its day"
        );
        let href = filter.href(
            "/messages",
            Some(Cursor {
                created_at: 5,
                id: 9,
            }),
        );
        assert_eq!(
            href,
            "/messages?project=3&status=problems&code=470&phone=255712\
             &from=2026-11-24T03%3A40&to=2026-11-25&q=order%20%2312&cursor=5.9"
        );
        let reread: Vec<(String, String)> = href
            .split_once('?')
            .unwrap()
            .1
            .split('&')
            .map(|p| p.split_once('=').unwrap())
            .map(|(k, v)| (k.to_owned(), decode(v)))
            .collect();
        let reread: Vec<(&str, &str)> = reread
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (again, _) = MessageFilter::from_query(query(&reread));
        assert_eq!(
            again,
            MessageFilter {
                cursor: Some(Cursor {
                    created_at: 5,
                    id: 9
                }),
                ..filter
            }
        );
    }

    fn decode(v: &str) -> String {
        let mut out = Vec::new();
        let b = v.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn nonsense_is_named_per_field_and_left_out() {
        let pairs = [
            ("status", "lost"),
            ("code", "abc"),
            ("phone", "call me"),
            ("from", "yesterday"),
            ("type", "fax"),
            ("direction", "up"),
        ];
        let (filter, errors) = MessageFilter::from_query(query(&pairs));
        assert_eq!(filter, MessageFilter::default());
        for field in ["status", "code", "phone", "from", "type", "direction"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn cursors_and_codes_parse() {
        assert_eq!(
            Cursor::parse("17.4"),
            Some(Cursor {
                created_at: 17,
                id: 4
            })
        );
        assert_eq!(Cursor::parse("x.4"), None);
        assert_eq!(codes("131047, 470,"), [131_047, 470]);
    }
}
