//! The message log as the console reads it: the filters (`filter`, kept in the URL so a
//! link opens the same view), the keyset cursor, and what a message's trace and the
//! overview show.

use serde::{Deserialize, Serialize};

pub use super::filter::MessageFilter;

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
    /// The WhatsApp message id (`wamid.…` on the Cloud API, `gBEG…` on an On-Premises
    /// client), once the upstream gave one.
    pub whatsapp_id: Option<String>,
    /// Why it failed, in words: Meta's (or the client's) title and details from the last
    /// status that had them, else what the gateway answered when it refused it.
    pub reason: Option<String>,
}

/// One page of the list and where the next one starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePage {
    pub rows: Vec<MessageListRow>,
    pub next: Option<Cursor>,
    /// The message whose WhatsApp id the search is, exactly (the page opens its trace).
    pub exact: Option<i64>,
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
            since_hours: Some(days * 24),
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

/// What an `errors` list in the On-Premises shape (a send's answer, or a status; a Cloud
/// number's carry Meta's own `cloud_code` beside the twin) says: the codes as the log
/// keeps them, and the first error's words (title, then Meta's details) for the trace
/// and the list.
pub fn failure(errors: &serde_json::Value) -> (String, Option<String>) {
    let errors = errors.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut codes: Vec<String> = Vec::new();
    for code in errors
        .iter()
        .flat_map(|e| [e["code"].as_i64(), e["cloud_code"].as_i64()])
        .flatten()
        .map(|c| c.to_string())
    {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let words = errors.first().and_then(|e| {
        let title = e["title"].as_str().unwrap_or_default().trim();
        let details = e["details"].as_str().unwrap_or_default().trim();
        match (title.is_empty(), details.is_empty()) {
            (true, true) => None,
            (false, true) => Some(title.to_owned()),
            (true, false) => Some(details.to_owned()),
            // A Cloud number's details repeat Meta's title ("Cloud API error 131026:
            // Message undeliverable: …").
            (false, false) if details.contains(title) => Some(details.to_owned()),
            (false, false) => Some(format!("{title}: {details}")),
        }
    });
    (codes.join(","), words)
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
    fn a_failure_reads_the_twin_and_metas_code_once_each_and_the_first_errors_words() {
        let errors = serde_json::json!([
            {"code": 471, "cloud_code": 131048, "title": "Spam rate limit hit",
             "details": "Message failed to send because there are restrictions on how many messages can be sent from this phone number."},
            {"code": 471, "cloud_code": 131048, "title": "Again"}
        ]);
        let (codes, words) = failure(&errors);
        assert_eq!(codes, "471,131048");
        assert_eq!(
            words.as_deref(),
            Some(
                "Spam rate limit hit: Message failed to send because there are restrictions \
                 on how many messages can be sent from this phone number."
            )
        );
        let cloud = serde_json::json!([{"code": 1013, "cloud_code": 131026,
            "title": "Message undeliverable",
            "details": "Cloud API error 131026: Message undeliverable: Unable to deliver message."}]);
        assert_eq!(
            failure(&cloud).1.as_deref(),
            Some("Cloud API error 131026: Message undeliverable: Unable to deliver message."),
            "the title once"
        );
        let untitled = serde_json::json!([{"code": 1026, "title": " "}]);
        assert_eq!(failure(&untitled), ("1026".into(), None));
        assert_eq!(failure(&serde_json::Value::Null), (String::new(), None));
    }

    #[test]
    fn a_search_reads_as_a_phone_number_only_when_it_looks_like_one() {
        let digits = |q: &str| {
            let filter = MessageFilter {
                search: Some(q.into()),
                ..MessageFilter::default()
            };
            filter.search_digits()
        };
        assert_eq!(
            digits("+255 (712) 000-470").as_deref(),
            Some("255712000470")
        );
        assert_eq!(digits("0470").as_deref(), Some("0470"));
        assert_eq!(digits("12"), None, "too short to mean a number");
        assert_eq!(digits("order 12"), None);
        assert_eq!(digits("wamid.HBgLMjU1NzEyMzQ1Njc4"), None);
    }

    #[test]
    fn a_filter_survives_the_round_trip_through_its_url() {
        let pairs = [
            ("project", "3"),
            ("status", "problems"),
            ("code", "470"),
            ("since", "7d"),
            ("from", "2026-11-24T03:40"),
            ("to", "2026-11-25"),
            ("q", "order #12"),
        ];
        let (filter, errors) = MessageFilter::from_query(query(&pairs));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(filter.search.as_deref(), Some("order #12"));
        assert_eq!(filter.to.as_deref(), Some("2026-11-25"), "kept as typed");
        assert_eq!(filter.since_hours, Some(7 * 24));
        let href = filter.href(
            "/messages",
            Some(Cursor {
                created_at: 5,
                id: 9,
            }),
        );
        assert_eq!(
            href,
            "/messages?project=3&status=problems&code=470&since=7d\
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

    #[cfg(feature = "zones")]
    #[test]
    fn typed_times_are_the_viewers_and_since_counts_back_from_now() {
        use crate::time::{HOUR_MS, parse_datetime};
        let nairobi = crate::zone::Zone::parse("Africa/Nairobi").unwrap();
        let filter = MessageFilter {
            from: Some("2026-11-25T14:30".into()),
            to: Some("2026-11-25".into()),
            ..MessageFilter::default()
        };
        let (from, to) = filter.bounds(&nairobi, 0);
        assert_eq!(from, parse_datetime("2026-11-25T11:30"), "14:30 in Nairobi");
        assert_eq!(
            to,
            parse_datetime("2026-11-25T21:00"),
            "the end of that day there"
        );
        let now = parse_datetime("2026-11-30T12:00").unwrap();
        let recent = MessageFilter {
            since_hours: Some(24),
            ..filter
        };
        assert_eq!(
            recent.bounds(&nairobi, now).0,
            Some(now - 24 * HOUR_MS),
            "the later bound"
        );
    }

    #[test]
    fn nonsense_is_named_per_field_and_left_out() {
        let pairs = [
            ("status", "lost"),
            ("code", "abc"),
            ("from", "yesterday"),
            ("since", "forever"),
            ("type", "fax"),
            ("direction", "up"),
        ];
        let (filter, errors) = MessageFilter::from_query(query(&pairs));
        assert_eq!(filter, MessageFilter::default());
        for field in ["status", "code", "from", "since", "type", "direction"] {
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
