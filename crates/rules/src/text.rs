//! Small text checks shared by forms: required fields, lengths counted in characters,
//! email and URL shapes.

/// `1234567` as "1,234,567", for counts people read.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun: "1 notification", "2,140 notifications" (`plural` for the rest).
pub fn count(n: u64, one: &str, plural: &str) -> String {
    let noun = if n == 1 { one } else { plural };
    format!("{} {noun}", thousands(n.min(i64::MAX as u64) as i64))
}

/// Length as WhatsApp counts it for limits: Unicode scalar values (`char`s).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

pub fn required(value: &str, what: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("Enter {what}."))
    } else {
        Ok(())
    }
}

pub fn max_chars(value: &str, max: usize) -> Result<(), String> {
    let n = char_len(value);
    if n > max {
        Err(format!(
            "Too long: {n} characters, the limit is {max}. Remove {}.",
            n - max
        ))
    } else {
        Ok(())
    }
}

/// A plausible email address: one `@`, something before it, a dot in the domain, no spaces.
pub fn email(value: &str) -> Result<(), String> {
    let v = value.trim();
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err("Enter an email address such as name@example.com.".into())
    }
}

/// An email address as stored: trimmed, lower-cased, and of a plausible shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = Self::normalize(raw);
        email(&value)?;
        Ok(Self(value))
    }

    /// The form an address is stored and looked up in (a login with a malformed address
    /// simply finds no one).
    pub fn normalize(raw: &str) -> String {
        raw.trim().to_lowercase()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The fewest characters a console password may have.
pub const PASSWORD_MIN_CHARS: usize = 12;

/// A console password long enough to resist guessing (length is what counts; no
/// composition rules), and short enough to hash.
pub fn password_strength(value: &str) -> Result<(), String> {
    let n = char_len(value);
    if n < PASSWORD_MIN_CHARS {
        Err(format!(
            "Use at least {PASSWORD_MIN_CHARS} characters ({n} so far)."
        ))
    } else if n > 1024 {
        Err("Use at most 1024 characters.".into())
    } else {
        Ok(())
    }
}

/// Where to go after logging in: a path on this site, or `/`. Browsers read `\\` as `/`
/// and drop tabs and newlines, so `/\\evil.example` and `/\t/evil.example` would leave the
/// site: anything but a plain same-site path is refused.
pub fn safe_next(next: &str) -> &str {
    let same_site = next.starts_with('/')
        && !next[1..].starts_with(['/', '\\'])
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && !next.split('?').next().unwrap_or_default().contains("://");
    if same_site { next } else { "/" }
}

/// An absolute http(s) URL with a host.
pub fn http_url(value: &str) -> Result<(), String> {
    let v = value.trim();
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !v.chars().any(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err("Enter a full URL starting with https:// or http://, \
                  for example https://wa.example.com:9090."
            .into()),
    }
}

/// `a=1&b=x%20y`: pairs as a URL query (empty values left out), percent-encoded.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> String {
    let encode = |value: &str| -> String {
        value
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    pairs
        .into_iter()
        .filter(|(_, v)| !v.as_ref().is_empty())
        .map(|(k, v)| format!("{}={}", encode(k.as_ref()), encode(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {

    #[test]
    fn after_login_only_paths_on_this_site() {
        assert_eq!(safe_next("/projects/7?tab=keys"), "/projects/7?tab=keys");
        for away in [
            "//evil.example",
            "/\\evil.example",
            "/\\\\evil.example",
            "/\t/evil.example",
            "/x\\..\\..",
            "https://evil.example",
            "/https://evil.example",
            "",
        ] {
            assert_eq!(safe_next(away), "/", "{away:?}");
        }
    }

    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert!(
            password_strength("short")
                .unwrap_err()
                .contains("at least 12")
        );
        assert!(password_strength("twelve chars").is_ok());
        assert!(
            password_strength("ñññññññññññ").is_err(),
            "11 characters, 22 bytes"
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(char_len("héllo"), 5);
        assert!(max_chars("ééé", 3).is_ok());
        assert!(max_chars("éééé", 3).unwrap_err().contains("Remove 1"));
    }

    #[test]
    fn counts_read_with_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
        assert_eq!(count(1, "notification", "notifications"), "1 notification");
        assert_eq!(count(0, "notification", "notifications"), "0 notifications");
        assert_eq!(
            count(2140, "notification", "notifications"),
            "2,140 notifications"
        );
    }

    #[test]
    fn email_and_url_shapes() {
        assert!(email("ann@example.com").is_ok());
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(http_url("https://wa.example.com:9090").is_ok());
        assert!(http_url("http://127.0.0.1:8080").is_ok());
        for bad in ["", "ftp://x", "https://", "wa.example.com", "https:///x"] {
            assert!(http_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn query_strings_encode_values_and_drop_empty_ones() {
        assert_eq!(
            query_string([("q", "a b&c"), ("empty", ""), ("to", "2026-11-25T01:30")]),
            "q=a%20b%26c&to=2026-11-25T01%3A30"
        );
    }
}
