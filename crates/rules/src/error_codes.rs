//! The error-code catalog: every WhatsApp code the upstream can answer and every answer the
//! gateway gives itself, with what happened, the likely cause and what to do. One place,
//! read by the console's pages and the message log.

use serde::{Deserialize, Serialize};

/// What kind of action a code calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Worth sending again as is.
    Retry,
    /// Change the request.
    Fix,
    /// An account or set-up problem.
    Config,
    /// The 24-hour window is closed: send a template.
    Template,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Retry => "retry",
            Kind::Fix => "fix the request",
            Kind::Config => "configuration",
            Kind::Template => "needs a template",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCode {
    pub code: u32,
    /// "whatsapp" (from the upstream) or "gateway" (answered before the upstream).
    pub source: &'static str,
    pub title: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
    pub causes: &'static str,
    pub fix: &'static str,
}

const fn wa(
    code: u32,
    title: &'static str,
    kind: Kind,
    meaning: &'static str,
    causes: &'static str,
    fix: &'static str,
) -> ErrorCode {
    ErrorCode {
        code,
        source: "whatsapp",
        title,
        kind,
        meaning,
        causes,
        fix,
    }
}

const fn gw(
    code: u32,
    title: &'static str,
    kind: Kind,
    meaning: &'static str,
    causes: &'static str,
    fix: &'static str,
) -> ErrorCode {
    ErrorCode {
        code,
        source: "gateway",
        title,
        kind,
        meaning,
        causes,
        fix,
    }
}

pub const CATALOG: &[ErrorCode] = &[
    gw(
        401,
        "API key missing, unknown, revoked or expired",
        Kind::Config,
        "The gateway did not accept the WA-API-KEY header.",
        "No header; a typo; a key that was revoked, rotated past its grace period, or has expired.",
        "Send the project's current key in the WA-API-KEY header; ask customer success for a new \
         key if needed.",
    ),
    gw(
        403,
        "Path not available through the gateway",
        Kind::Fix,
        "The path is on the provider's blacklist (settings, certificates, account, health, stats, \
         metrics, support, users).",
        "Calling an administrative endpoint of the WhatsApp client directly.",
        "Use the allowed endpoints; for webhook settings use /v1/configs/webhook.",
    ),
    gw(
        413,
        "Request body too large",
        Kind::Fix,
        "The JSON body is larger than the gateway accepts.",
        "Embedding media in JSON, or a very large payload.",
        "Send media with POST /v1/media or as a link; keep JSON bodies small.",
    ),
    gw(
        502,
        "Upstream unreachable or login refused",
        Kind::Retry,
        "The gateway could not reach the project's WhatsApp client, or it refused the stored \
         login.",
        "The client is down or restarting, a network problem, or changed upstream credentials.",
        "Retry later; if it persists, customer success checks the project's upstream URL and \
         credentials.",
    ),
    gw(
        504,
        "Upstream timeout",
        Kind::Retry,
        "The project's WhatsApp client did not answer in time.",
        "The client is overloaded or stuck.",
        "Retry later; if it persists, contact customer success.",
    ),
    wa(
        400,
        "Media download error / bad request",
        Kind::Retry,
        "The request could not be processed, or media from the sender could not be downloaded.",
        "Malformed JSON, wrong data types (strings vs booleans), or a media download failure.",
        "Validate the JSON and the types; for media, resend.",
    ),
    wa(
        402,
        "Business eligibility payment issue",
        Kind::Config,
        "The business account cannot send because of payment.",
        "Missing payment method, exhausted credit line, or suspended WhatsApp Business Account.",
        "Customer success checks the account's payment set-up with Meta.",
    ),
    wa(
        408,
        "Message pending too long",
        Kind::Retry,
        "The message was not sent within a day.",
        "The WhatsApp client was down for a long time.",
        "Resend the message.",
    ),
    wa(
        410,
        "Message expired",
        Kind::Retry,
        "The message was not sent within its time to live.",
        "The client could not deliver in time.",
        "Resend if still relevant.",
    ),
    wa(
        429,
        "Rate limit hit",
        Kind::Retry,
        "Too many messages in a short time.",
        "Sending faster than the number's limit.",
        "Slow down and resend.",
    ),
    wa(
        470,
        "Re-engagement message (24-hour window closed)",
        Kind::Template,
        "More than 24 hours passed since the customer last wrote; free-form messages are refused. \
         The gateway refuses these before the upstream too.",
        "A text or media message to a customer who has not replied in 24 hours.",
        "Send an approved template message instead; free-form messages work again after the \
         customer replies.",
    ),
    wa(
        471,
        "Spam rate limit hit",
        Kind::Config,
        "Too many customers blocked or reported the number.",
        "Messages sent without opt-in, or unwanted messages.",
        "Check the quality rating; send only to opted-in customers; warm up the number with \
         templates.",
    ),
    wa(
        472,
        "User's number is part of an experiment",
        Kind::Fix,
        "WhatsApp does not deliver to this user for now.",
        "The recipient is in a WhatsApp experiment.",
        "Skip this user.",
    ),
    wa(
        480,
        "User potentially changed",
        Kind::Fix,
        "The number may now belong to someone else.",
        "The customer changed phones or numbers.",
        "Confirm the customer's identity before sending again.",
    ),
    wa(
        500,
        "Generic error / structure unavailable",
        Kind::Fix,
        "The customer's client could not display a highly structured message.",
        "A template the client does not understand.",
        "Check the template's format and parameters.",
    ),
    wa(
        1000,
        "Generic error",
        Kind::Retry,
        "A general failure, e.g. storage full or a media type mismatch.",
        "\"Failed to generate processed file path\" (storage full) or \"Image file format \
         (audio/mpeg) is not supported\" (type does not match the file); a video without an audio \
         track.",
        "Match the message type to the file's MIME type; for storage problems contact customer \
         success.",
    ),
    wa(
        1001,
        "Message too long",
        Kind::Fix,
        "A text message over 4096 characters. The gateway refuses these before the upstream.",
        "A long text body.",
        "Shorten the text or split it into several messages.",
    ),
    wa(
        1002,
        "Invalid recipient type",
        Kind::Fix,
        "recipient_type is not valid.",
        "A value other than individual.",
        "Use \"recipient_type\": \"individual\".",
    ),
    wa(
        1004,
        "Resource already exists",
        Kind::Fix,
        "A media id conflict.",
        "Uploading with an id that exists.",
        "Use a new upload.",
    ),
    wa(
        1005,
        "Access denied",
        Kind::Config,
        "The WhatsApp client refused the request.",
        "Wrong or expired upstream credentials.",
        "Customer success checks the project's upstream login.",
    ),
    wa(
        1006,
        "Resource not found",
        Kind::Fix,
        "The resource does not exist.",
        "An unknown or deleted media id.",
        "Upload the media again and use the new id.",
    ),
    wa(
        1008,
        "Required parameter is missing",
        Kind::Fix,
        "A required field is missing from the request.",
        "For example no 'to', or no text body.",
        "Add the field named in the details.",
    ),
    wa(
        1009,
        "Parameter value is not valid",
        Kind::Fix,
        "A field has a value outside what is allowed. The gateway checks latitude and longitude \
         before the upstream.",
        "Latitude outside -90..90, longitude outside -180..180, and similar.",
        "Correct the value named in the details.",
    ),
    wa(
        1010,
        "Parameter is not required",
        Kind::Fix,
        "The request has a field that does not belong there.",
        "An extra parameter.",
        "Remove the field.",
    ),
    wa(
        1011,
        "Service not ready",
        Kind::Retry,
        "The WhatsApp client is not ready.",
        "Starting up or reconnecting.",
        "Retry shortly.",
    ),
    wa(
        1013,
        "User is not valid",
        Kind::Fix,
        "The number is not on WhatsApp.",
        "A typo, a landline, or someone without WhatsApp.",
        "Check the number with POST /v1/contacts before sending.",
    ),
    wa(
        1014,
        "Internal error / request for URL failed",
        Kind::Fix,
        "The media link could not be fetched. The gateway refuses non-http(s) and double-encoded \
         links before the upstream.",
        "A link URL-encoded twice, or a file that does not exist at the link.",
        "Encode the URL once and check that the file is reachable.",
    ),
    wa(
        1015,
        "Too many requests",
        Kind::Retry,
        "The client is rate limiting.",
        "Sending too fast.",
        "Slow down and retry.",
    ),
    wa(
        1016,
        "System overloaded",
        Kind::Retry,
        "The client is overloaded.",
        "Load on the WhatsApp client.",
        "Retry later.",
    ),
    wa(
        1021,
        "Bad user",
        Kind::Fix,
        "The sender and the recipient are the same.",
        "Sending to the business's own number.",
        "Use the customer's number.",
    ),
    wa(
        1022,
        "Webhooks URL is not configured",
        Kind::Config,
        "The WhatsApp client has no callback URL.",
        "The project's inbound URL was not set on the upstream.",
        "Customer success sets the inbound URL (button on the project page).",
    ),
    wa(
        1026,
        "Receiver incapable",
        Kind::Fix,
        "The recipient cannot receive this message type.",
        "An old client or unsupported type.",
        "Send a simpler message type.",
    ),
    wa(
        2000,
        "Template parameter count mismatch",
        Kind::Fix,
        "The number of parameters does not match the template.",
        "Missing or extra parameters.",
        "Send exactly the parameters the template defines.",
    ),
    wa(
        2001,
        "Template missing",
        Kind::Config,
        "\"Template name does not exist in the translation\": the template or language is not set \
         up.",
        "A typo in the name, or a language that was not approved.",
        "Check the name and language; customer success sets templates up.",
    ),
    wa(
        2002,
        "Template fetch failed",
        Kind::Config,
        "The translation could not be fetched.",
        "The language pack is not available.",
        "Check the template's languages.",
    ),
    wa(
        2003,
        "Template pack missing",
        Kind::Config,
        "The translation for that language was not found.",
        "The language was not approved.",
        "Use an approved language.",
    ),
    wa(
        2004,
        "Template parameter too long",
        Kind::Fix,
        "A parameter is longer than allowed.",
        "Long parameter values.",
        "Shorten the parameter.",
    ),
    wa(
        2005,
        "Template hydrated text too long",
        Kind::Fix,
        "The text after filling parameters is too long.",
        "Long parameters in a long template.",
        "Shorten the parameters.",
    ),
    wa(
        2006,
        "Template white-space policy violated",
        Kind::Fix,
        "A parameter has forbidden white space.",
        "Newlines, tabs or many spaces in a parameter.",
        "Remove the extra white space.",
    ),
    wa(
        2007,
        "Template format character policy violated",
        Kind::Fix,
        "A parameter has forbidden formatting characters.",
        "Formatting characters in a parameter.",
        "Remove them.",
    ),
    wa(
        2008,
        "Template media format unsupported",
        Kind::Fix,
        "The header media format is not supported.",
        "Wrong media type for the header.",
        "Use a supported format.",
    ),
    wa(
        2009,
        "Template required component missing",
        Kind::Fix,
        "A component the template needs was not sent.",
        "Missing header or buttons parameters.",
        "Send every component the template defines.",
    ),
    wa(
        2010,
        "Template invalid button URL",
        Kind::Fix,
        "A URL button parameter is not valid.",
        "A malformed URL suffix.",
        "Correct the URL.",
    ),
    wa(
        2011,
        "Template invalid button phone",
        Kind::Fix,
        "A phone button parameter is not valid.",
        "A malformed number.",
        "Correct the number.",
    ),
    wa(
        2012,
        "Template parameter format mismatch",
        Kind::Fix,
        "A parameter has the wrong format.",
        "For example text where currency or date time is expected.",
        "Send the type the template expects.",
    ),
    wa(
        2013,
        "Template buttons unsupported",
        Kind::Fix,
        "The receiver's client cannot show buttons.",
        "An old WhatsApp version.",
        "Send without buttons.",
    ),
];

pub fn find(code: u32) -> Option<&'static ErrorCode> {
    CATALOG.iter().find(|e| e.code == code)
}

/// Codes whose number or words contain every term of `query` (case-insensitive).
pub fn search(query: &str) -> Vec<&'static ErrorCode> {
    let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    CATALOG
        .iter()
        .filter(|e| {
            let text = format!(
                "{} {} {} {} {} {}",
                e.code,
                e.title,
                e.kind.label(),
                e.meaning,
                e.causes,
                e.fix
            )
            .to_lowercase();
            terms.iter().all(|t| text.contains(t.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_explained() {
        let mut codes: Vec<(u32, &str)> = CATALOG.iter().map(|e| (e.code, e.source)).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(
            codes.len(),
            CATALOG.len(),
            "no code twice from the same source"
        );
        assert!(
            CATALOG
                .iter()
                .all(|e| !e.title.is_empty() && !e.meaning.is_empty() && !e.fix.is_empty())
        );
        for code in [
            401, 403, 413, 470, 502, 504, 1001, 1009, 1013, 1014, 2000, 2001,
        ] {
            assert!(find(code).is_some(), "{code}");
        }
    }

    #[test]
    fn search_matches_numbers_and_words() {
        assert_eq!(search("470")[0].code, 470);
        assert!(search("template").len() > 5);
        assert!(search("latitude").iter().any(|e| e.code == 1009));
        assert!(search("nothing matches this").is_empty());
    }
}
