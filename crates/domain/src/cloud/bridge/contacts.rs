//! `POST /v1/contacts` on a Cloud number: the Cloud API has no contacts check, so the
//! gateway answers as On-Premises clients from v2.43 did: every well-formed number is
//! `valid` with its digits as `wa_id`; one not on WhatsApp fails later (131026).

use serde_json::{Value, json};

use super::answer::OnPremAnswer;
use crate::cloud::translate::answer_meta;

pub fn check(body: &Value, version: &str) -> OnPremAnswer {
    let Some(numbers) = body["contacts"].as_array() else {
        let error = json!({"errors": [{"code": 1008, "title": "Required parameter is missing",
            "details": "'contacts' must be an array of phone numbers."}],
            "meta": answer_meta(version)});
        return OnPremAnswer::json(400, &error);
    };
    let contacts: Vec<Value> = numbers
        .iter()
        .map(|input| {
            let text = input.as_str().unwrap_or_default();
            // Spaces, dashes, dots and brackets are formatting; anything else is not a number.
            let written: String = text
                .chars()
                .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
                .collect();
            match rules::phone::normalize_e164(&written) {
                Ok(digits) => json!({"input": text, "status": "valid", "wa_id": digits}),
                Err(_) => json!({"input": text, "status": "invalid"}),
            }
        })
        .collect();
    OnPremAnswer::json(
        200,
        &json!({"contacts": contacts, "meta": answer_meta(version)}),
    )
}
