//! Field-level validation errors, shown under the form field they belong to.

use serde::{Deserialize, Serialize};

/// One problem with one form field, in words a partner understands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Collects field errors while a form is checked, so every problem is reported at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Records `check`'s error, if any, against `field`.
    pub fn check(&mut self, field: &str, check: Result<(), String>) {
        if let Err(message) = check {
            self.add(field, message);
        }
    }

    /// Keeps a value parsed at the edge, or records why it could not be parsed against
    /// `field` (so every field's error is collected before any is returned).
    pub fn parse<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed.map_err(|message| self.add(field, message)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// `Ok(())` when nothing was recorded, so callers can use `?`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// Every message, in order, as one text: what a form says when it cannot show a field's
/// message beside the field (or has no such field).
impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(|e| e.message.as_str()).collect();
        f.write_str(&messages.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem_and_finds_them_by_field() {
        let mut errors = FieldErrors::new();
        errors.check("name", Ok(()));
        errors.check(
            "phone",
            Err("Enter the number with its country code.".into()),
        );
        errors.add("email", "Enter an email address.");
        assert_eq!(errors.0.len(), 2);
        assert_eq!(
            errors.get("phone"),
            Some("Enter the number with its country code.")
        );
        assert_eq!(errors.get("name"), None);
        assert_eq!(
            errors.to_string(),
            "Enter the number with its country code. Enter an email address."
        );
        assert!(errors.into_result().is_err());
        assert!(FieldErrors::new().into_result().is_ok());
    }
}
