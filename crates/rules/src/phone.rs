//! WhatsApp phone numbers: E.164 digits with the country code and no leading zero
//! (the seed's "Contact validation"). Used for project numbers and message recipients.

/// A WhatsApp number as stored and sent: E.164 digits only, checked once where it is typed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// See [`normalize_e164`] for what is accepted and how a refusal reads.
    pub fn parse(raw: &str) -> Result<Self, String> {
        normalize_e164(raw).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks that `raw` is an E.164 number written as digits only (an optional leading
/// `+` is tolerated), starting with a country code (so not with 0), 8 to 15 digits long.
/// Returns the digits-only form on success.
pub fn normalize_e164(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    let digits = trimmed.strip_prefix('+').unwrap_or(trimmed);
    if digits.is_empty() {
        return Err(
            "Enter the phone number, digits only, starting with the country code \
             (for example 255712345678)."
                .into(),
        );
    }
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(format!(
            "Use digits only: remove '{bad}'. \
             Write the number with its country code, for example 255712345678."
        ));
    }
    if digits.starts_with('0') {
        return Err(
            "Start with the country code, not 0 (for example 255712345678 instead of 0712345678)."
                .into(),
        );
    }
    if digits.len() < 8 {
        return Err(format!(
            "Too short: {} digits. A number with its country code has 8 to 15 digits.",
            digits.len()
        ));
    }
    if digits.len() > 15 {
        return Err(format!(
            "Too long: {} digits. E.164 numbers have at most 15 digits.",
            digits.len()
        ));
    }
    Ok(digits.to_owned())
}

#[cfg(test)]
mod tests {
    use super::normalize_e164;

    #[test]
    fn accepts_digits_with_country_code() {
        assert_eq!(normalize_e164("255712345678").unwrap(), "255712345678");
        assert_eq!(normalize_e164(" +15551234567 ").unwrap(), "15551234567");
    }

    #[test]
    fn refuses_each_malformed_shape_with_a_reason() {
        for (input, words) in [
            ("", "Enter the phone number"),
            ("0712345678", "not 0"),
            ("+1 555 123 4567", "remove ' '"),
            ("255-712-345", "remove '-'"),
            ("1234567", "Too short"),
            ("1234567890123456", "Too long"),
            ("25571234567a", "remove 'a'"),
        ] {
            let err = normalize_e164(input).unwrap_err();
            assert!(err.contains(words), "{input:?} gave {err:?}");
        }
    }
}
