//! The content checks, per message type: text length and links, location ranges, media
//! links (public, not double-encoded), and a template call's name, language and parameters.

use serde_json::{Map, Value};

use super::json::{number, object, string, wrong_type};
use super::outcome::{Refusal, TemplateCall, refuse};

pub const TEXT_MAX: usize = 4096;
/// Template names: the template library's limit.
pub const TEMPLATE_NAME_MAX: usize = crate::templates::limits::NAME_MAX;
pub(super) const MEDIA_TYPES: [&str; 5] = ["image", "audio", "video", "document", "sticker"];
pub(super) const KNOWN_TYPES: [&str; 11] = [
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

pub(super) fn check_text(message: &Map<String, Value>) -> Result<(), Refusal> {
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

pub(super) fn check_location(message: &Map<String, Value>) -> Result<(), Refusal> {
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

pub(super) fn check_media(message: &Map<String, Value>, kind: &str) -> Result<(), Refusal> {
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

pub(super) fn check_link(link: &str, field: &str) -> Result<(), Refusal> {
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

pub(super) fn check_template(message: &Map<String, Value>) -> Result<TemplateCall, Refusal> {
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
