//! Path normalisation and the seed's blacklist. Every request path is decoded and
//! normalised once (percent-encoding, repeated slashes, `.` and `..`, trailing slash,
//! backslashes) before it is classified, so no spelling of a blocked path slips past.

/// What the gateway does with a (normalised) path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Not under the API's base path: the console's.
    NotApi,
    /// Blocked by the seed's blacklist.
    Blocked {
        path: String,
        instead: Option<&'static str>,
    },
    /// `/v1/configs/webhook`: answered by the gateway itself.
    WebhookConfig,
    /// `/v1/configs/templates`: the project's approved templates, from the gateway.
    Templates,
    /// `/v1/messages` (exactly): checked, then proxied.
    Messages,
    /// Anything else under `/v1`: proxied as is, its segments (as sent, case kept) to be
    /// percent-encoded one by one into the upstream URL.
    Proxy { segments: Vec<String> },
}

/// A path that cannot be normalised (bad encoding, control characters, `..` above the
/// root), or an API path with a character that would end or change a path once decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadPath(pub String);

/// A request path decoded and normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normal {
    /// The segments, without empty, `.` and `..` ones.
    pub segments: Vec<String>,
    /// The first character that has no place in an API path once decoded: `?` and `#`
    /// end a path, `;` starts parameters, a backslash is a slash to some servers, and
    /// whitespace is trimmed by URL parsers.
    pub unsafe_char: Option<char>,
}

impl Normal {
    /// The path the segments spell, from the root.
    pub fn path(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }
}

/// Decodes percent-escapes until none are left (so `%252F` cannot hide a `/`), splits on
/// slashes and backslashes, and resolves empty, `.` and `..` segments.
pub fn normalize(raw: &str) -> Result<Normal, BadPath> {
    let mut decoded = raw.to_owned();
    for _ in 0..4 {
        if !decoded.contains('%') {
            break;
        }
        decoded = percent_decode(&decoded)?;
    }
    if decoded.contains('%') {
        return Err(BadPath(
            "The path is percent-encoded too many times.".into(),
        ));
    }
    if decoded.chars().any(char::is_control) {
        return Err(BadPath("The path contains control characters.".into()));
    }
    let unsafe_char = decoded
        .chars()
        .find(|c| matches!(c, '?' | '#' | ';' | '\\') || c.is_whitespace());
    let mut segments: Vec<String> = Vec::new();
    for segment in decoded.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Err(BadPath("The path climbs above the root with '..'.".into()));
                }
            }
            s => segments.push(s.to_owned()),
        }
    }
    Ok(Normal {
        segments,
        unsafe_char,
    })
}

fn describe(c: char) -> String {
    match c {
        '?' => "'?' (%3F)".into(),
        '#' => "'#' (%23)".into(),
        ';' => "';' (%3B)".into(),
        '\\' => "a backslash (%5C)".into(),
        c => format!("whitespace (U+{:04X})", u32::from(c)),
    }
}

fn percent_decode(s: &str) -> Result<String, BadPath> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => return Err(BadPath("The path has a malformed percent-escape.".into())),
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| BadPath("The path is not valid UTF-8 once decoded.".into()))
}

/// Allowed exceptions under `/v1/settings`.
const SETTINGS_ALLOWED: [&str; 3] = [
    "/v1/settings/business/profile",
    "/v1/settings/profile/about",
    "/v1/settings/profile/photo",
];

/// Classifies a raw request path (without its query) under `base` (e.g. "" or "/waba").
pub fn classify(raw_path: &str, base: &str) -> Result<Route, BadPath> {
    let normal = normalize(raw_path)?;
    let path = normal.path();
    let lower = path.to_ascii_lowercase();
    let base_segments = normalize(base)?.segments;
    let base = format!("/{}", base_segments.join("/")).to_ascii_lowercase();
    let base = base.trim_end_matches('/');
    // Nothing that ends or changes a path once decoded goes near the API (or the upstream).
    if let Some(c) = normal.unsafe_char {
        if lower.starts_with(&format!("{base}/v1")) || lower.starts_with(&format!("{base}/metrics"))
        {
            return Err(BadPath(format!(
                "The path contains {} once decoded. Send the path plainly and any query after a \
                 literal '?'.",
                describe(c)
            )));
        }
    }
    // /metrics is blocked wherever it is asked for on the partner-facing port.
    if lower == "/metrics" || lower == format!("{base}/metrics") {
        return Ok(Route::Blocked {
            path: "/metrics".into(),
            instead: None,
        });
    }
    let Some(rest) = lower.strip_prefix(base) else {
        return Ok(Route::NotApi);
    };
    if !(rest == "/v1" || rest.starts_with("/v1/")) {
        return Ok(Route::NotApi);
    }
    let under = |prefix: &str| rest == prefix || rest.starts_with(&format!("{prefix}/"));
    let blocked = |instead| {
        Ok(Route::Blocked {
            path: rest.to_owned(),
            instead,
        })
    };
    if under("/v1/settings") && !SETTINGS_ALLOWED.contains(&rest) {
        let instead = (rest == "/v1/settings/application"
            || rest.starts_with("/v1/settings/application/"))
        .then_some("/v1/configs/webhook");
        return blocked(instead);
    }
    if under("/v1/certificates")
        || rest.starts_with("/v1/account")
        || under("/v1/health")
        || under("/v1/stats")
        || under("/v1/support")
        || under("/v1/users")
        || under("/v1/metrics")
    {
        return blocked(None);
    }
    Ok(match rest {
        "/v1/configs/webhook" => Route::WebhookConfig,
        "/v1/configs/templates" => Route::Templates,
        "/v1/messages" => Route::Messages,
        _ => Route::Proxy {
            segments: normal.segments[base_segments.len()..].to_vec(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocked(path: &str) -> bool {
        matches!(classify(path, ""), Ok(Route::Blocked { .. }) | Err(_))
    }

    #[test]
    fn the_seeds_blacklist_is_blocked() {
        for path in [
            "/v1/settings",
            "/v1/settings/application",
            "/v1/settings/backup",
            "/v1/settings/restore",
            "/v1/settings/account/two-step",
            "/v1/certificates",
            "/v1/certificates/external",
            "/v1/account",
            "/v1/account/verify",
            "/v1/account/shards",
            "/v1/health",
            "/v1/stats/app",
            "/v1/stats/db",
            "/metrics",
            "/v1/support",
            "/v1/users/login",
            "/v1/users/admin",
        ] {
            assert!(blocked(path), "{path} must be blocked");
        }
    }

    #[test]
    fn the_allowed_settings_and_other_endpoints_pass() {
        for path in [
            "/v1/settings/business/profile",
            "/v1/settings/profile/about",
            "/v1/settings/profile/photo",
            "/v1/media/abc-DEF",
            "/v1/contacts",
            "/v1/stickerpacks",
        ] {
            assert!(
                matches!(classify(path, ""), Ok(Route::Proxy { .. })),
                "{path}"
            );
        }
        assert_eq!(classify("/v1/messages", ""), Ok(Route::Messages));
        assert_eq!(
            classify("/v1/configs/webhook", ""),
            Ok(Route::WebhookConfig)
        );
        assert_eq!(classify("/v1/configs/templates/", ""), Ok(Route::Templates));
        assert_eq!(classify("/projects", ""), Ok(Route::NotApi));
    }

    #[test]
    fn every_spelling_trick_is_normalised_before_the_check() {
        for path in [
            "//v1/settings/application",
            "/v1//settings/application",
            "/v1/./settings/application",
            "/v1/media/../settings/application",
            "/v1%2Fsettings%2Fapplication",
            "/v1/%2e%2e/v1/settings/application",
            "/v1/settings/%61pplication",
            "/V1/Settings/Application",
            "/v1/settings/application/",
            "/v1/%252e%252e/v1/users/login",
            "/v1\\users\\login",
            "/v1/settings/business/profile/../../application",
        ] {
            assert!(blocked(path), "{path} must be blocked");
        }
    }

    #[test]
    fn the_webhook_settings_point_to_the_gateways_own_endpoint() {
        assert_eq!(
            classify("/v1/settings/application", ""),
            Ok(Route::Blocked {
                path: "/v1/settings/application".into(),
                instead: Some("/v1/configs/webhook")
            })
        );
    }

    #[test]
    fn a_base_path_moves_the_api() {
        assert_eq!(classify("/waba/v1/messages", "/waba"), Ok(Route::Messages));
        assert_eq!(classify("/v1/messages", "/waba"), Ok(Route::NotApi));
        assert!(matches!(
            classify("/WABA//v1/users/login", "/waba"),
            Ok(Route::Blocked { .. })
        ));
        assert!(matches!(
            classify("/waba/metrics", "/waba"),
            Ok(Route::Blocked { .. })
        ));
    }

    #[test]
    fn case_of_ids_is_kept_for_the_upstream() {
        assert_eq!(
            classify("/v1/media/AbC", ""),
            Ok(Route::Proxy {
                segments: vec!["v1".into(), "media".into(), "AbC".into()]
            })
        );
        assert_eq!(
            classify("/waba/v1/media/AbC", "/waba"),
            Ok(Route::Proxy {
                segments: vec!["v1".into(), "media".into(), "AbC".into()]
            }),
            "the base path is not sent upstream"
        );
    }

    #[test]
    fn characters_that_end_or_change_a_path_are_refused_under_the_api() {
        for path in [
            "/v1/users%3F",
            "/v1/users%253F",
            "/v1/health%23",
            "/v1/support%3F",
            "/v1/metrics%3F",
            "/v1/settings/application%3F",
            "/v1/settings;/application",
            "/v1/settings%3B/application",
            "/v1/health%20",
            "/v1/health%09",
            "/v1/messages%3F",
            "/v1/messages%23",
            "/v1/messages;",
            "/v1\\users",
            "/v1;/users",
            "/v1/media/a%C2%A0b",
        ] {
            assert!(classify(path, "").is_err(), "{path} must be refused");
        }
        assert_eq!(
            classify("/projects%3F", ""),
            Ok(Route::NotApi),
            "the console's own"
        );
    }

    #[test]
    fn broken_paths_are_refused() {
        assert!(normalize("/v1/%zz").is_err());
        assert!(normalize("/../etc").is_err());
        assert!(normalize("/v1/%00").is_err());
    }
}
