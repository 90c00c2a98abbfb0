//! Reading the body's JSON: a field of the right type, or a refusal that names the field
//! and says what it should have been.

use serde_json::{Map, Value};

use super::outcome::{Refusal, refuse};

pub(super) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn wrong_type(field: &str, want: &str, got: &Value) -> Refusal {
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

pub(super) fn missing(field: &str) -> Refusal {
    refuse(
        1008,
        "required_parameter",
        field,
        format!("'{field}' is required. Add it to the request body."),
    )
}

pub(super) fn object<'a>(
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

pub(super) fn string<'a>(
    parent: &'a Map<String, Value>,
    key: &str,
    field: &str,
) -> Result<&'a str, Refusal> {
    match parent.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(wrong_type(field, "a string", other)),
        None => Err(missing(field)),
    }
}

pub(super) fn number(parent: &Map<String, Value>, key: &str, field: &str) -> Result<f64, Refusal> {
    match parent.get(key) {
        Some(Value::Number(n)) => n
            .as_f64()
            .ok_or_else(|| wrong_type(field, "a number", &Value::Null)),
        Some(other) => Err(wrong_type(field, "a number", other)),
        None => Err(missing(field)),
    }
}
