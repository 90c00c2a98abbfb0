//! Checks on `POST /v1/messages` before anything goes upstream (the seed's "Messages
//! error scenarios" and best practices). Each refusal names the field, the WhatsApp code
//! and how to fix it.

mod content;
mod json;
mod outcome;

use serde_json::{Map, Value};

use content::{KNOWN_TYPES, MEDIA_TYPES, check_location, check_media, check_template, check_text};
pub use content::{TEMPLATE_NAME_MAX, TEXT_MAX};
use json::{json_type, string, wrong_type};
use outcome::refuse;
pub use outcome::{Accepted, Refusal, TemplateCall};

/// Runs every check on the body of `POST /v1/messages`.
pub fn check(body: &[u8]) -> Result<Accepted, Refusal> {
    let value: Value = super::strict_json::parse(body).map_err(|e| {
        if let Some(key) = super::strict_json::duplicate_key(&e) {
            let message = format!(
                "'{key}' appears twice in an object of the body; send each field once (the \
                 gateway and WhatsApp could read different values)."
            );
            return refuse(400, "duplicate_key", &key, message);
        }
        let message = format!(
            "The body is not valid JSON ({e}). Validate it with a JSON formatter before sending."
        );
        refuse(400, "malformed_json", "", message)
    })?;
    let Value::Object(message) = &value else {
        return Err(refuse(
            400,
            "json_types",
            "",
            format!("The body must be a JSON object, not {}.", json_type(&value)),
        ));
    };
    let to = string(message, "to", "to")?;
    rules_phone(to)?;
    if let Some(rt) = message.get("recipient_type") {
        match rt {
            Value::String(s) if s == "individual" || s == "group" => {}
            Value::String(s) => {
                return Err(refuse(
                    1002,
                    "recipient_type",
                    "recipient_type",
                    format!("'recipient_type' is '{s}': use \"individual\"."),
                ));
            }
            other => return Err(wrong_type("recipient_type", "a string", other)),
        }
    }
    let kind = match message.get("type") {
        // As WhatsApp does, a message without a type is text, unless it carries exactly one
        // other type's object (a reply to a list, say): then it is that.
        None => inferred_type(message),
        Some(Value::String(s)) => s.as_str(),
        Some(other) => return Err(wrong_type("type", "a string", other)),
    };
    if !KNOWN_TYPES.contains(&kind) {
        return Err(refuse(
            400,
            "unknown_type",
            "type",
            format!(
                "Unknown message type '{kind}'. Use one of: {}.",
                KNOWN_TYPES.join(", ")
            ),
        ));
    }
    let mut template = None;
    match kind {
        "text" => check_text(message)?,
        "location" => check_location(message)?,
        "template" => template = Some(check_template(message)?),
        media if MEDIA_TYPES.contains(&media) => check_media(message, media)?,
        _ => {}
    }
    let (to, kind) = (to.trim_start_matches('+').to_owned(), kind.to_owned());
    Ok(Accepted {
        to,
        kind,
        template,
        body: value,
    })
}

fn inferred_type(message: &Map<String, Value>) -> &'static str {
    let present: Vec<&'static str> = KNOWN_TYPES
        .iter()
        .copied()
        .filter(|t| {
            message.get(*t).is_some_and(Value::is_object)
                || *t == "contacts" && message.contains_key(*t)
        })
        .collect();
    match present.as_slice() {
        [only] => only,
        _ => "text",
    }
}

fn rules_phone(to: &str) -> Result<(), Refusal> {
    crate::phone::normalize_e164(to).map(|_| ()).map_err(|m| {
        refuse(
            400,
            "recipient_format",
            "to",
            format!("'to' is not a WhatsApp number: {m}"),
        )
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_field_given_twice_is_refused() {
        let twice =
            br#"{"to":"15551234567","to":"15557654321","type":"text","text":{"body":"hi"}}"#;
        let refusal = check(twice).unwrap_err();
        assert_eq!((refusal.code, refusal.check), (400, "duplicate_key"));
        assert_eq!(refusal.field.as_deref(), Some("to"));
        let long = "x".repeat(4097);
        let hidden = format!(r#"{{"to":"15551234567","text":{{"body":"ok","body":"{long}"}}}}"#);
        assert_eq!(check(hidden.as_bytes()).unwrap_err().check, "duplicate_key");
    }

    #[test]
    fn media_links_into_the_providers_network_are_refused() {
        for link in [
            "https://169.254.169.254/latest/x.jpg",
            "http://2130706433/a.png",
            "https://[::ffff:7f00:1]/a.png",
            "https://0x7f.1/a.png",
            "http://localhost/a.png",
            "https://10.1.2.3/a.png",
            "http://files/a.png",
            "https://user:pw@cdn.example.com/a.png",
        ] {
            let body =
                format!(r#"{{"to":"15551234567","type":"image","image":{{"link":"{link}"}}}}"#);
            let refusal = check(body.as_bytes()).unwrap_err();
            assert_eq!(
                (refusal.code, refusal.check),
                (1014, "media_link"),
                "{link}"
            );
        }
        let public = br#"{"to":"15551234567","type":"image","image":{"link":"https://cdn.example.com/a.jpg"}}"#;
        assert!(check(public).is_ok());
    }

    use super::*;
    use serde_json::json;

    fn refused(body: &str) -> Refusal {
        check(body.as_bytes()).expect_err(body)
    }

    #[test]
    fn a_plain_text_message_passes() {
        let ok = check(br#"{"to":"15551234567","type":"text","text":{"body":"Hi"}}"#).unwrap();
        assert_eq!((ok.to.as_str(), ok.kind.as_str()), ("15551234567", "text"));
        assert!(check(
            br#"{"to":"15551234567","text":{"body":"See https://example.com"},"preview_url":true}"#
        )
        .is_ok());
    }

    #[test]
    fn each_check_answers_with_its_code_and_field() {
        let long = "a".repeat(4097);
        for (body, code, field) in [
            ("{not json", 400, None),
            (r#"["to"]"#, 400, None),
            (r#"{"to":15551234567,"text":{"body":"x"}}"#, 400, Some("to")),
            (
                r#"{"to":"0712345678","text":{"body":"x"}}"#,
                400,
                Some("to"),
            ),
            (
                r#"{"to":"+1 555 123","text":{"body":"x"}}"#,
                400,
                Some("to"),
            ),
            (
                &format!(r#"{{"to":"15551234567","text":{{"body":"{long}"}}}}"#),
                1001,
                Some("text.body"),
            ),
            (
                &json!({
                    "to": "15551234567",
                    "type": "location",
                    "location": {"latitude": 91, "longitude": 0}
                })
                .to_string(),
                1009,
                Some("location.latitude"),
            ),
            (
                &json!({
                    "to": "15551234567",
                    "type": "location",
                    "location": {"latitude": 0, "longitude": -181}
                })
                .to_string(),
                1009,
                Some("location.longitude"),
            ),
            (
                r#"{"to":"15551234567","text":{"body":"no link here"},"preview_url":true}"#,
                400,
                Some("preview_url"),
            ),
            (
                r#"{"to":"15551234567","text":{"body":"x"},"preview_url":"true"}"#,
                400,
                Some("preview_url"),
            ),
            (
                r#"{"to":"15551234567","type":"hologram"}"#,
                400,
                Some("type"),
            ),
            (
                r#"{"to":"15551234567","type":"image","image":{"link":"ftp://x.test/a.png"}}"#,
                1014,
                Some("image.link"),
            ),
            (
                &json!({
                    "to": "15551234567",
                    "type": "document",
                    "document": {"link": "https://x.test/a%2520b.pdf"}
                })
                .to_string(),
                1014,
                Some("document.link"),
            ),
            (
                r#"{"to":"15551234567","type":"image","image":{}}"#,
                1008,
                Some("image"),
            ),
            (
                r#"{"to":"15551234567","recipient_type":"crowd","text":{"body":"x"}}"#,
                1002,
                Some("recipient_type"),
            ),
        ] {
            let r = refused(body);
            assert_eq!((r.code, r.field.as_deref()), (code, field), "{body}: {r:?}");
            assert!(!r.message.is_empty());
        }
    }

    #[test]
    fn template_names_are_limited_and_parameters_counted() {
        let long = "n".repeat(513);
        let too_long = json!({
            "to": "15551234567",
            "type": "template",
            "template": {"name": long, "language": {"code": "en"}}
        });
        let r = refused(&too_long.to_string());
        assert_eq!((r.code, r.field.as_deref()), (400, Some("template.name")));
        let two_parameters = json!({
            "to": "15551234567",
            "type": "template",
            "template": {
                "name": "order_update",
                "language": {"policy": "deterministic", "code": "en"},
                "components": [{
                    "type": "body",
                    "parameters": [{"type": "text", "text": "Ann"}, {"type": "text", "text": "42"}]
                }]
            }
        });
        let ok = check(two_parameters.to_string().as_bytes()).unwrap();
        assert_eq!(
            ok.template,
            Some(TemplateCall {
                name: "order_update".into(),
                language: "en".into(),
                body_parameters: 2
            })
        );
    }

    #[test]
    fn exactly_4096_characters_of_emoji_are_allowed() {
        let body = "😀".repeat(4096);
        assert!(
            check(format!(r#"{{"to":"15551234567","text":{{"body":"{body}"}}}}"#).as_bytes())
                .is_ok()
        );
    }
}
