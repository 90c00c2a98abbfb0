//! The WhatsApp business profile and "about" text: the limits the upstream enforces,
//! checked while typing in the console and again on the server.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;

pub const ADDRESS_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 512;
pub const EMAIL_MAX: usize = 128;
pub const WEBSITE_MAX: usize = 256;
pub const WEBSITES_MAX: usize = 2;
pub const ABOUT_MAX: usize = 139;

pub const VERTICALS: [&str; 19] = [
    "UNDEFINED",
    "OTHER",
    "AUTO",
    "BEAUTY",
    "APPAREL",
    "EDU",
    "ENTERTAIN",
    "EVENT_PLAN",
    "FINANCE",
    "GROCERY",
    "GOVT",
    "HOTEL",
    "HEALTH",
    "NONPROFIT",
    "PROF_SERVICES",
    "RETAIL",
    "TRAVEL",
    "RESTAURANT",
    "NOT_A_BIZ",
];

/// A category in WhatsApp's own words (the stored value is the API's code).
pub fn vertical_label(code: &str) -> &'static str {
    match code {
        "OTHER" => "Other",
        "AUTO" => "Automotive",
        "BEAUTY" => "Beauty, spa and salon",
        "APPAREL" => "Clothing and apparel",
        "EDU" => "Education",
        "ENTERTAIN" => "Entertainment",
        "EVENT_PLAN" => "Event planning and service",
        "FINANCE" => "Finance and banking",
        "GROCERY" => "Food and grocery",
        "GOVT" => "Government",
        "HOTEL" => "Hotel and lodging",
        "HEALTH" => "Medical and health",
        "NONPROFIT" => "Non-profit",
        "PROF_SERVICES" => "Professional services",
        "RETAIL" => "Shopping and retail",
        "TRAVEL" => "Travel and transportation",
        "RESTAURANT" => "Restaurant",
        "NOT_A_BIZ" => "Not a business",
        _ => "Not chosen yet",
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessProfile {
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub vertical: String,
    #[serde(default)]
    pub websites: Vec<String>,
}

/// What the console shows of a project's profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub profile: BusinessProfile,
    pub about: String,
}

pub fn check(p: &BusinessProfile) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.check("address", crate::text::max_chars(&p.address, ADDRESS_MAX));
    errors.check(
        "description",
        crate::text::max_chars(&p.description, DESCRIPTION_MAX),
    );
    errors.check("email", crate::text::max_chars(&p.email, EMAIL_MAX));
    if !p.email.trim().is_empty() {
        errors.check("email", crate::text::email(&p.email));
    }
    if !p.vertical.is_empty() && !VERTICALS.contains(&p.vertical.as_str()) {
        errors.add("vertical", "Choose a business category from the list.");
    }
    let websites: Vec<&String> = p.websites.iter().filter(|w| !w.trim().is_empty()).collect();
    if websites.len() > WEBSITES_MAX {
        errors.add("websites", format!("At most {WEBSITES_MAX} websites."));
    }
    for (i, site) in websites.iter().enumerate() {
        let field = format!("websites.{i}");
        errors.check(
            &field,
            crate::text::http_url(site).and_then(|_| crate::text::max_chars(site, WEBSITE_MAX)),
        );
    }
    errors
}

pub fn check_about(text: &str) -> Result<(), String> {
    let n = crate::text::char_len(text);
    if n == 0 {
        Err("Write 1 to 139 characters.".into())
    } else {
        crate::text::max_chars(text, ABOUT_MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_reads_in_words_never_as_its_code() {
        for code in VERTICALS {
            let label = vertical_label(code);
            let raw = code.replace('_', " ").to_lowercase();
            assert_ne!(label, raw, "{code} shows as its code");
            assert!(label.starts_with(char::is_uppercase), "{code}: {label}");
        }
        assert_eq!(vertical_label("GOVT"), "Government");
        assert_eq!(vertical_label("PROF_SERVICES"), "Professional services");
    }

    #[test]
    fn the_upstreams_limits_apply() {
        let ok = BusinessProfile {
            description: "d".repeat(512),
            vertical: "RETAIL".into(),
            websites: vec!["https://shop.test".into()],
            ..Default::default()
        };
        assert!(check(&ok).is_empty());
        let bad = BusinessProfile {
            description: "d".repeat(513),
            email: "not-an-email".into(),
            vertical: "SPACE".into(),
            websites: vec![
                "https://a.test".into(),
                "https://b.test".into(),
                "ftp://c.test".into(),
            ],
            ..Default::default()
        };
        let errors = check(&bad);
        for field in ["description", "email", "vertical", "websites", "websites.2"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(
            check_about("").is_err()
                && check_about(&"a".repeat(139)).is_ok()
                && check_about(&"a".repeat(140)).is_err()
        );
    }
}
