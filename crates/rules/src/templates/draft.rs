//! A template as the linter reads it (one translation with its name), and what the linter
//! finds, named by field as the editor labels it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Header {
    Text(String),
    /// "image", "video" or "document".
    Media(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonKind {
    QuickReply,
    Url,
    Phone,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub kind: ButtonKind,
    pub text: String,
    /// Where a URL button opens or the number a phone button calls (Meta needs it when the
    /// template is submitted; a hand-kept library may leave it empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
}

impl Button {
    pub fn new(kind: ButtonKind, text: impl Into<String>) -> Button {
        Button {
            kind,
            text: text.into(),
            target: String::new(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateDraft {
    pub name: String,
    pub header: Option<Header>,
    pub body: String,
    pub footer: String,
    pub buttons: Vec<Button>,
    /// Sample values for the body's `{{1}}`, `{{2}}`, … (for the preview and the
    /// filled-length check).
    pub samples: Vec<String>,
    /// Sample value for a text header's own `{{1}}` (numbered apart from the body's).
    pub header_sample: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub field: String,
    pub message: String,
}

/// A finding's field as the editor labels it: "Button 1", "Header sample".
pub fn field_label(field: &str) -> String {
    if let Some(n) = field.strip_prefix("buttons.") {
        let n: usize = n.parse().unwrap_or(0);
        return format!("Button {}", n + 1);
    }
    match field {
        "name" => "Name",
        "body" => "Body",
        "samples" => "Body samples",
        "header" => "Header",
        "header_sample" => "Header sample",
        "footer" => "Footer",
        "buttons" => "Buttons",
        "language" => "Language",
        "category" => "Category",
        other => return other.replace(['_', '.'], " "),
    }
    .to_owned()
}

/// A finding as the editor lists it: its field's label, then the message
/// ("Button 1: give the button a label.").
pub fn labelled(field: &str, message: &str) -> String {
    let mut chars = message.chars();
    let message: String = chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default();
    format!("{}: {message}", field_label(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_name_the_field_as_the_form_labels_it() {
        assert_eq!(
            labelled("buttons.0", "Give the button a label."),
            "Button 1: give the button a label."
        );
        assert_eq!(field_label("header_sample"), "Header sample");
    }
}
