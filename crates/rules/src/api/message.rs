//! Checks on `POST /v1/messages` before anything goes upstream (the seed's "Messages
//! error scenarios" and best practices). Each refusal names the field, the WhatsApp code
//! and how to fix it.

use serde_json::{Map, Value};

pub const TEXT_MAX: usize = 4096;
/// Template names: the template library's limit.
pub const TEMPLATE_NAME_MAX: usize = crate::templates::limits::NAME_MAX;
const MEDIA_TYPES: [&str; 5] = ["image", "audio", "video", "document", "sticker"];
const KNOWN_TYPES: [&str; 11] = [
    "text",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "template",
    "reaction",
];

/// Why a message was refused: the WhatsApp (or HTTP) code, the check, and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: u32,
    /// Short name of the check, stored in the message log as the gateway's decision.
    pub check: &'static str,
    pub field: Option<String>,
    pub message: String,
}

/// What the gateway needs to know about an accepted message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub to: String,
    pub kind: String,
    pub template: Option<TemplateCall>,
    /// The body as checked (parsed once; a Cloud number's request is built from it).
    pub body: Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateCall {
    pub name: String,
    pub language: String,
    /// Text parameters per component type ("header", "body", ...), in order.
    pub body_parameters: usize,
}

fn refuse(code: u32, check: &'static str, field: &str, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        check,
        field: (!field.is_empty()).then(|| field.to_owned()),
        message: message.into(),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(field: &str, want: &str, got: &Value) -> Refusal {
    refuse(
        400,
        "json_types",
        field,
        format!(
            "'{field}' must be {want}, not {}. Check the JSON types \
             (strings in quotes, booleans as true/false).",
            json_type(got)
        ),
    )
}

fn missing(field: &str) -> Refusal {
    refuse(
        1008,
        "required_parameter",
        field,
        format!("'{field}' is required. Add it to the request body."),
    )
}

fn object<'a>(
    parent: &'a Map<String, Value>,
    key: &str,
    field: &str,
) -> Result<&'a Map<String, Value>, Refusal> {
    match parent.get(key) {
        Some(Value::Object(o)) => Ok(o),
        Some(other) => Err(wrong_type(field, "an object", other)),
        None => Err(missing(field)),
    }
}

fn string<'a>(parent: &'a Map<String, Value>, key: &str, field: &str) -> Result<&'a str, Refusal> {
    match parent.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(wrong_type(field, "a string", other)),
        None => Err(missing(field)),
    }
}

fn number(parent: &Map<String, Value>, key: &str, field: &str) -> Result<f64, Refusal> {
    match parent.get(key) {
        Some(Value::Number(n)) => n
            .as_f64()
            .ok_or_else(|| wrong_type(field, "a number", &Value::Null)),
        Some(other) => Err(wrong_type(field, "a number", other)),
        None => Err(missing(field)),
    }
}

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

fn check_text(message: &Map<String, Value>) -> Result<(), Refusal> {
    let text = object(message, "text", "text")?;
    let body = string(text, "body", "text.body")?;
    let n = crate::text::char_len(body);
    if n > TEXT_MAX {
        return Err(refuse(
            1001,
            "text_length",
            "text.body",
            format!(
                "'text.body' has {n} characters; WhatsApp allows {TEXT_MAX}. \
                 Shorten it or split it into several messages."
            ),
        ));
    }
    let preview = match message.get("preview_url") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(wrong_type(
                "preview_url",
                "a boolean (true or false)",
                other,
            ));
        }
    };
    if preview && !contains_url(body) {
        return Err(refuse(
            400,
            "preview_url",
            "preview_url",
            "'preview_url' is true but 'text.body' contains no URL. \
             Add a link starting with https:// or set preview_url to false.",
        ));
    }
    Ok(())
}

fn contains_url(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.to_ascii_lowercase();
        (w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www."))
            && w.len() > 8
    })
}

fn check_location(message: &Map<String, Value>) -> Result<(), Refusal> {
    let location = object(message, "location", "location")?;
    let latitude = number(location, "latitude", "location.latitude")?;
    let longitude = number(location, "longitude", "location.longitude")?;
    if !(-90.0..=90.0).contains(&latitude) {
        return Err(refuse(
            1009,
            "location_range",
            "location.latitude",
            format!("Invalid latitude {latitude}: it must be between -90 and 90."),
        ));
    }
    if !(-180.0..=180.0).contains(&longitude) {
        return Err(refuse(
            1009,
            "location_range",
            "location.longitude",
            format!("Invalid longitude {longitude}: it must be between -180 and 180."),
        ));
    }
    Ok(())
}

fn check_media(message: &Map<String, Value>, kind: &str) -> Result<(), Refusal> {
    let media = object(message, kind, kind)?;
    let link_field = format!("{kind}.link");
    match (media.get("id"), media.get("link")) {
        (None, None) => Err(refuse(
            1008,
            "required_parameter",
            kind,
            format!("'{kind}' needs an 'id' (an uploaded media id) or a 'link' (an https URL)."),
        )),
        (_, Some(Value::String(link))) => check_link(link, &link_field),
        (_, Some(other)) => Err(wrong_type(&link_field, "a string", other)),
        (Some(Value::String(_)), None) => Ok(()),
        (Some(other), None) => Err(wrong_type(&format!("{kind}.id"), "a string", other)),
    }
}

fn check_link(link: &str, field: &str) -> Result<(), Refusal> {
    let lower = link.trim().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || lower.len() <= "https://".len()
    {
        return Err(refuse(
            1014,
            "media_link",
            field,
            format!("'{field}' must be an http(s) URL the upstream can download, not '{link}'."),
        ));
    }
    if let Some(why) = private_host(link.trim()) {
        return Err(refuse(
            1014,
            "media_link",
            field,
            format!(
                "'{field}' points at {why}: WhatsApp fetches media from the public internet. \
                 Host the file on a public https:// URL."
            ),
        ));
    }
    if is_double_encoded(&lower) {
        return Err(refuse(
            1014,
            "media_link",
            field,
            format!(
                "'{field}' looks URL-encoded twice ('%25' followed by a code). Encode the URL once."
            ),
        ));
    }
    Ok(())
}

/// Why a media link's host is not on the public internet, from the URL alone (no DNS on
/// the gateway's path): an internal IP address in any spelling, user info, or for plain
/// `http://` a name that is obviously local (`localhost`, one label).
fn private_host(link: &str) -> Option<String> {
    use crate::net::{Host, blocked_range, parse_host, url_host};
    let authority = link.split_once("://")?.1.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return Some("an address with a user name or password in it".into());
    }
    let host = url_host(link)?;
    match parse_host(&host) {
        Host::Ip(ip) => blocked_range(ip).map(|why| format!("{host}, {why}")),
        Host::Invalid => Some(format!("{host}, which is not a valid host")),
        Host::Name(name) => {
            let local = name == "localhost" || name.ends_with(".localhost");
            let plain_http = link
                .get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("http://"));
            (local || (plain_http && !name.contains('.'))).then(|| format!("{name}, a local name"))
        }
    }
}

fn is_double_encoded(url: &str) -> bool {
    url.as_bytes()
        .windows(5)
        .any(|w| &w[..3] == b"%25" && w[3].is_ascii_hexdigit() && w[4].is_ascii_hexdigit())
}

fn check_template(message: &Map<String, Value>) -> Result<TemplateCall, Refusal> {
    let template = object(message, "template", "template")?;
    let name = string(template, "name", "template.name")?;
    let n = crate::text::char_len(name);
    if n > TEMPLATE_NAME_MAX {
        return Err(refuse(
            400,
            "template_name_length",
            "template.name",
            format!(
                "'template.name' has {n} characters; \
                 template names have at most {TEMPLATE_NAME_MAX}."
            ),
        ));
    }
    let language = object(template, "language", "template.language")?;
    let code = string(language, "code", "template.language.code")?;
    let body_parameters = match template.get("components") {
        None => 0,
        Some(Value::Array(components)) => components
            .iter()
            .filter(|c| c.get("type").and_then(Value::as_str) == Some("body"))
            .map(|c| {
                c.get("parameters")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            })
            .sum(),
        Some(other) => return Err(wrong_type("template.components", "an array", other)),
    };
    Ok(TemplateCall {
        name: name.to_owned(),
        language: code.to_owned(),
        body_parameters,
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
