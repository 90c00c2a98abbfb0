//! Signing secrets and their rotation: a new secret with an overlap during which the old
//! one still signs (so a partner can deploy the new one first), how a secret is shown
//! (`••••` and its last four characters), and the signature header carrying every active
//! secret's signature (`X-Tujenge-Signature: sha256=<new>,sha256=<old>`).

use serde::{Deserialize, Serialize};

use crate::time::{DAY_MS, HOUR_MS};

/// How long the old secret keeps signing after a rotation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Overlap {
    /// The old secret stops at once.
    #[default]
    None,
    Hour,
    Day,
    Week,
}

impl Overlap {
    pub const ALL: [Overlap; 4] = [Overlap::None, Overlap::Hour, Overlap::Day, Overlap::Week];

    /// The form's value.
    pub fn key(self) -> &'static str {
        match self {
            Overlap::None => "none",
            Overlap::Hour => "1h",
            Overlap::Day => "24h",
            Overlap::Week => "7d",
        }
    }

    pub fn parse(key: &str) -> Option<Overlap> {
        Overlap::ALL.into_iter().find(|o| o.key() == key)
    }

    /// What the choice does, in words.
    pub fn label(self) -> &'static str {
        match self {
            Overlap::None => "The old secret stops now",
            Overlap::Hour => "The old secret also signs for 1 hour",
            Overlap::Day => "The old secret also signs for 24 hours",
            Overlap::Week => "The old secret also signs for 7 days",
        }
    }

    pub fn millis(self) -> i64 {
        match self {
            Overlap::None => 0,
            Overlap::Hour => HOUR_MS,
            Overlap::Day => DAY_MS,
            Overlap::Week => 7 * DAY_MS,
        }
    }
}

/// A signing secret as the console shows it: never the secret, only its end and dates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretView {
    /// `••••` and the last four characters.
    pub masked: String,
    /// When it was made (unknown for secrets made before dates were kept).
    pub created_at: Option<i64>,
    /// When it stops signing (the old secret during an overlap).
    pub expires_at: Option<i64>,
}

impl SecretView {
    pub fn of(secret: &str, created_at: Option<i64>, expires_at: Option<i64>) -> SecretView {
        let chars: Vec<char> = secret.chars().collect();
        let last4: String = chars[chars.len().saturating_sub(4)..].iter().collect();
        SecretView {
            masked: format!("••••{last4}"),
            created_at,
            expires_at,
        }
    }
}

/// The project's active secrets: the current one, and the old one while it overlaps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningView {
    pub current: Option<SecretView>,
    pub previous: Option<SecretView>,
}

/// The `X-Tujenge-Signature` value: each active secret's signature (`sha256=…`), the
/// current one first, separated by commas.
pub fn signature_header(signatures: &[String]) -> String {
    signatures.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_shows_only_its_last_four_characters() {
        let shown = SecretView::of("whsec_0123456789abcdef", Some(5), None);
        assert_eq!(shown.masked, "••••cdef");
        assert!(!shown.masked.contains("0123"));
    }

    #[test]
    fn overlaps_read_back_from_the_form_and_last_what_they_say() {
        for overlap in Overlap::ALL {
            assert_eq!(Overlap::parse(overlap.key()), Some(overlap));
        }
        assert_eq!(Overlap::Day.millis(), 24 * HOUR_MS);
        assert_eq!(Overlap::None.millis(), 0);
        assert_eq!(Overlap::parse("forever"), None);
    }

    #[test]
    fn every_active_signature_goes_in_one_header_the_current_first() {
        let header = signature_header(&["sha256=aa".into(), "sha256=bb".into()]);
        assert_eq!(header, "sha256=aa,sha256=bb");
    }
}
