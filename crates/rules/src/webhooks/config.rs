//! The partner's webhook configuration: URL and extra headers, checked the same way by
//! the gateway's `/v1/configs/webhook` and the console's form (while typing), and the
//! webhook as the console shows it (header values masked).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::FieldErrors;

pub const MAX_HEADERS: usize = 20;
pub const MAX_VALUE: usize = 4096;
pub const MAX_URL: usize = 2048;

/// Headers the gateway sets itself or that would break the HTTP framing.
const REFUSED: [&str; 13] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "content-type",
    "proxy-authorization",
    "proxy-connection",
    "expect",
    "content-encoding",
];
/// Prefix of the gateway's own headers (event id, signature).
pub const OWN_PREFIX: &str = "x-tujenge-";

pub fn check_url(url: &str, allow_insecure: bool) -> Result<(), String> {
    let url = url.trim();
    if url.is_empty() {
        return Err("Enter the URL that should receive notifications.".into());
    }
    if url.len() > MAX_URL {
        return Err(format!("The URL is longer than {MAX_URL} characters."));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("The URL must not contain spaces or control characters.".into());
    }
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        if !allow_insecure {
            return Err(
                "Use an https:// URL: notifications carry customer data and must be \
                 encrypted (the seed requires valid TLS)."
                    .into(),
            );
        }
        rest
    } else {
        return Err("Enter a full URL starting with https://, \
                    for example https://example.com/whatsapp/webhook."
            .into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.starts_with(':') {
        return Err("The URL has no host name.".into());
    }
    if authority.contains('@') {
        return Err(
            "Put credentials in a header (for example Authorization), not in the URL.".into(),
        );
    }
    Ok(())
}

pub fn check_header(name: &str, value: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("A header needs a name.".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)))
    {
        return Err(format!(
            "The header name '{name}' contains '{}', which header names cannot contain.",
            bad.escape_default()
        ));
    }
    let lower = name.to_ascii_lowercase();
    if REFUSED.contains(&lower.as_str()) || lower.starts_with("proxy-") {
        return Err(format!(
            "'{name}' is set by the gateway or by HTTP itself and cannot be configured."
        ));
    }
    if lower.starts_with(OWN_PREFIX) {
        return Err(format!(
            "Headers starting with {OWN_PREFIX} are the gateway's own (event id, signature)."
        ));
    }
    if value.contains(['\r', '\n']) || value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(format!(
            "The value of '{name}' must not contain line breaks or control characters."
        ));
    }
    if value.len() > MAX_VALUE {
        return Err(format!(
            "The value of '{name}' is longer than {MAX_VALUE} bytes."
        ));
    }
    Ok(())
}

/// Every problem with a whole configuration, by field (`url`, `headers.<name>`, `headers`).
pub fn check(url: &str, headers: &BTreeMap<String, String>, allow_insecure: bool) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.check("url", check_url(url, allow_insecure));
    if headers.len() > MAX_HEADERS {
        errors.add("headers", format!("At most {MAX_HEADERS} headers."));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (name, value) in headers {
        errors.check(&format!("headers.{name}"), check_header(name, value));
        if !seen.insert(name.to_ascii_lowercase()) {
            errors.add(
                &format!("headers.{name}"),
                format!("The header '{name}' is given twice."),
            );
        }
    }
    errors
}

/// A project's webhook as the console shows it: header values masked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    pub url: String,
    /// (name, masked value)
    pub headers: Vec<(String, String)>,
    pub signed: bool,
    /// The active signing secrets, masked, with their dates.
    pub signing: super::signing::SigningView,
    /// Whether http:// URLs are accepted by this server (development only).
    pub allow_insecure: bool,
}

/// One header row of the webhook form; an empty value keeps the stored one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderRow {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// `••••` and at most the last 4 characters, for stored secrets.
pub fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    if n <= 8 {
        "••••".into()
    } else {
        format!("••••{}", secret.chars().skip(n - 4).collect::<String>())
    }
}

/// What saving the webhook says: saved, and how many notifications waiting for a retry
/// are being sent to it now.
pub fn saved_message(retrying_now: u64) -> String {
    match retrying_now {
        0 => "Webhook saved.".to_owned(),
        n => format!(
            "Webhook saved. {} waiting for a retry {} being sent to it now.",
            crate::text::count(n, "notification", "notifications"),
            if n == 1 { "is" } else { "are" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_says_how_many_waiting_notifications_go_now() {
        assert_eq!(saved_message(0), "Webhook saved.");
        assert_eq!(
            saved_message(1),
            "Webhook saved. 1 notification waiting for a retry is being sent to it now."
        );
        assert_eq!(
            saved_message(1200),
            "Webhook saved. 1,200 notifications waiting for a retry are being sent to it now."
        );
    }

    #[test]
    fn urls_must_be_https_unless_the_operator_allows_http() {
        assert!(check_url("https://example.com/hook", false).is_ok());
        assert!(
            check_url("http://127.0.0.1:8080/hook", false)
                .unwrap_err()
                .contains("https")
        );
        assert!(check_url("http://127.0.0.1:8080/hook", true).is_ok());
        for bad in [
            "",
            "example.com/hook",
            "ftp://example.com",
            "https://",
            "https://user:pw@example.com/",
            "https://exa mple.com",
        ] {
            assert!(check_url(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_are_checked_by_name_and_value() {
        assert!(check_header("Authorization", "Basic dGVzdHVzZXI6dGVzdHBhc3M=").is_ok());
        assert!(check_header("X-Api-Key", "abc\tdef").is_ok());
        for (name, value, words) in [
            ("", "x", "needs a name"),
            ("X Bad", "x", "cannot contain"),
            ("X-Inject", "a\r\nHost: evil", "line breaks"),
            ("Host", "evil.example", "cannot be configured"),
            ("Content-Length", "0", "cannot be configured"),
            ("Transfer-Encoding", "chunked", "cannot be configured"),
            ("X-Tujenge-Signature", "x", "gateway's own"),
        ] {
            assert!(
                check_header(name, value).unwrap_err().contains(words),
                "{name}"
            );
        }
    }

    #[test]
    fn a_whole_config_reports_every_problem() {
        let headers = BTreeMap::from([
            ("Host".to_string(), "x".to_string()),
            ("X-Ok".to_string(), "fine".to_string()),
        ]);
        let errors = check("http://x.test", &headers, false);
        assert!(errors.get("url").is_some());
        assert!(errors.get("headers.Host").is_some());
        assert!(errors.get("headers.X-Ok").is_none());
    }
}
