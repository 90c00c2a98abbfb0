//! Meta's WhatsApp Cloud API as the console shows it: the provider's Meta apps and a Cloud
//! project's upstream fields, with the checks a form runs as the user types.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;

/// The Graph API of the real Meta (a test or demo points at the simulator instead).
pub const GRAPH_URL: &str = "https://graph.facebook.com";
/// The Graph API version new apps call (Meta's versions live about two years).
pub const GRAPH_VERSION: &str = "v23.0";

/// A Meta app of the provider, as admins see it: what to paste into Meta's dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaAppView {
    pub id: i64,
    pub app_id: String,
    pub name: String,
    pub graph_url: String,
    pub graph_version: String,
    /// Where Meta posts notifications: `{public URL}/meta/{app id}/webhook`.
    pub callback_url: String,
    /// What Meta sends back in the subscription handshake.
    pub verify_token: String,
    pub created_at: i64,
}

/// Notifications Meta posted for a phone-number-id no Cloud project has: a number set up
/// at Meta but not here (or under a mistyped id), listed for admins instead of lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedNumber {
    /// Meta's id of the app the notifications came through.
    pub app_id: String,
    pub phone_number_id: String,
    pub waba_id: String,
    /// How many changes were kept (within the retention period).
    pub changes: i64,
    pub last_received_at: i64,
}

/// The Meta app form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaAppInput {
    pub app_id: String,
    pub name: String,
    /// Shown in Meta's dashboard under App settings → Basic; stored encrypted, never shown.
    pub app_secret: String,
    #[serde(default)]
    pub graph_url: String,
    #[serde(default)]
    pub graph_version: String,
}

/// A Cloud project's upstream: its number in Meta's systems and the token to call with.
/// Every field may be missing from a form (a select without options sends nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CloudUpstreamInput {
    /// Meta's app id of one of the provider's apps.
    pub meta_app: String,
    pub phone_number_id: String,
    pub waba_id: String,
    /// A system-user access token; empty on edit keeps the stored one.
    pub access_token: String,
}

fn digits(value: &str, what: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    if !value.chars().all(|c| c.is_ascii_digit()) || !(5..=25).contains(&value.len()) {
        return Err(format!(
            "The {what} is the number Meta shows (digits only), not '{value}'."
        ));
    }
    Ok(())
}

/// A Graph API version such as `v23.0`.
pub fn check_graph_version(version: &str) -> Result<(), String> {
    let ok = version
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.chars().all(|c| c.is_ascii_digit())
                && minor.chars().all(|c| c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "Write the Graph API version as Meta does, e.g. {GRAPH_VERSION}."
        ))
    }
}

impl MetaAppInput {
    /// Every field's error at once; `creating` requires the app secret.
    pub fn check(&self, creating: bool) -> FieldErrors {
        let mut errors = FieldErrors::new();
        errors.check("app_id", digits(&self.app_id, "app id"));
        errors.check(
            "name",
            crate::text::required(&self.name, "a name for the app")
                .and_then(|_| crate::text::max_chars(&self.name, 120)),
        );
        if creating || !self.app_secret.is_empty() {
            errors.check(
                "app_secret",
                crate::text::required(&self.app_secret, "the app secret")
                    .and_then(|_| crate::text::max_chars(&self.app_secret, 200)),
            );
        }
        if !self.graph_url.trim().is_empty() {
            errors.check("graph_url", crate::text::http_url(&self.graph_url));
        }
        if !self.graph_version.trim().is_empty() {
            errors.check(
                "graph_version",
                check_graph_version(self.graph_version.trim()),
            );
        }
        errors
    }
}

impl CloudUpstreamInput {
    /// Every field's error at once; `creating` requires the access token.
    pub fn check(&self, creating: bool) -> FieldErrors {
        let mut errors = FieldErrors::new();
        errors.check("meta_app", digits(&self.meta_app, "Meta app id"));
        errors.check(
            "phone_number_id",
            digits(&self.phone_number_id, "phone number id"),
        );
        errors.check(
            "waba_id",
            digits(&self.waba_id, "WhatsApp Business Account id"),
        );
        if creating || !self.access_token.is_empty() {
            let token = self.access_token.trim();
            let check = if token.is_empty() {
                Err("Enter the access token (a system user's token).".to_owned())
            } else if token.len() < 20 || token.contains(char::is_whitespace) {
                Err("This is not an access token: copy the whole token Meta shows.".to_owned())
            } else {
                Ok(())
            };
            errors.check("access_token", check);
        }
        errors
    }
}

/// The last four characters of a secret: all the console keeps in clear.
pub fn last4(secret: &str) -> String {
    let skip = secret.chars().count().saturating_sub(4);
    secret.chars().skip(skip).collect()
}

/// A stored secret as the console may show it: `••••` and its last four characters.
pub fn masked(secret: &str) -> String {
    format!("••••{}", last4(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_name_every_field_to_fix() {
        let bad = MetaAppInput {
            app_id: "my-app".into(),
            graph_version: "23".into(),
            ..MetaAppInput::default()
        };
        let errors = bad.check(true);
        for field in ["app_id", "name", "app_secret", "graph_version"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let good = CloudUpstreamInput {
            meta_app: "1234567890".into(),
            phone_number_id: "106540352242922".into(),
            waba_id: "102290129340398".into(),
            access_token: "EAAG".to_owned() + &"x".repeat(40),
        };
        assert!(good.check(true).is_empty());
        let no_token = CloudUpstreamInput {
            access_token: String::new(),
            ..good
        };
        assert!(
            no_token.check(false).is_empty(),
            "an edit keeps the stored token"
        );
        assert!(no_token.check(true).get("access_token").is_some());
        assert_eq!(masked("EAAGabcd1234"), "••••1234");
    }
}
