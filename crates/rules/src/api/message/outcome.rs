//! What the checks answer: the message accepted (with what the gateway needs from it), or
//! refused with the WhatsApp code, the check's name and the fix.

use serde_json::Value;

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

pub(super) fn refuse(
    code: u32,
    check: &'static str,
    field: &str,
    message: impl Into<String>,
) -> Refusal {
    Refusal {
        code,
        check,
        field: (!field.is_empty()).then(|| field.to_owned()),
        message: message.into(),
    }
}
