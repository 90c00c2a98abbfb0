//! The gateway's check of a `type: template` message against the library's template of
//! that name.

use super::library::{Status, TemplateInput};
use crate::api::message::Refusal;

/// Why the gateway refuses a template message the library knows: no such language (2001),
/// that language not sendable — a draft, waiting for review, rejected, paused or disabled
/// (2001: WhatsApp has no usable template of that name) — or the wrong number of body
/// parameters (2000).
pub fn check_call(
    template: &TemplateInput,
    language: &str,
    body_parameters: usize,
) -> Result<(), Refusal> {
    let name = &template.name;
    let Some(t) = template
        .translations
        .iter()
        .find(|t| t.language == language)
    else {
        let have: Vec<&str> = template
            .translations
            .iter()
            .map(|t| t.language.as_str())
            .collect();
        let message = format!(
            "Template '{name}' has no translation for language '{language}'. Use one of: {}.",
            have.join(", ")
        );
        return Err(Refusal {
            code: 2001,
            check: "template_language",
            field: Some("template.language.code".into()),
            message,
        });
    };
    if let Some(message) = unusable(name, language, t.status(template)) {
        return Err(Refusal {
            code: 2001,
            check: "template_status",
            field: Some("template.name".into()),
            message,
        });
    }
    let expected = t.body_parameters();
    if expected != body_parameters {
        let takes = crate::text::count(expected as u64, "body parameter", "body parameters");
        let message = format!(
            "Template '{name}' ({language}) takes {takes} but the message gives \
             {body_parameters}. Send exactly {expected} text parameters in the body component."
        );
        return Err(Refusal {
            code: 2000,
            check: "template_parameters",
            field: Some("template.components".into()),
            message,
        });
    }
    Ok(())
}

/// Why a language of a template in `status` cannot be sent, naming the status.
fn unusable(name: &str, language: &str, (status, reason): (Status, &str)) -> Option<String> {
    let reason = reason.trim();
    let because = if reason.is_empty() || reason == "NONE" {
        String::new()
    } else {
        format!(" ({reason})")
    };
    match status {
        Status::Approved => None,
        Status::Draft => Some(format!(
            "Template '{name}' is a draft that has not been submitted to WhatsApp; only approved \
             templates can be sent. Ask customer success to submit it."
        )),
        Status::Submitted => Some(format!(
            "Template '{name}' ({language}) is PENDING: waiting for WhatsApp's review; it can be \
             sent once approved."
        )),
        Status::Rejected => Some(format!(
            "WhatsApp rejected template '{name}' ({language}){}. Change it and submit it again, \
             or send an approved template.",
            if because.is_empty() {
                String::new()
            } else {
                format!(": {reason}")
            }
        )),
        Status::Paused => Some(format!(
            "Template '{name}' ({language}) is PAUSED by Meta{because} after customers blocked \
             or reported it; it can be sent again when the pause ends. Send another approved \
             template meanwhile."
        )),
        Status::Disabled => Some(format!(
            "Template '{name}' ({language}) is DISABLED by Meta{because} after repeated pauses \
             and can no longer be sent. Create a new template."
        )),
    }
}
