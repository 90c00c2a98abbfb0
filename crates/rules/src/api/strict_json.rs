//! JSON read strictly: an object with the same key twice is refused. A partner's body is
//! checked by the gateway and then forwarded as it is, so a reader that keeps the last of
//! two `"to"`s (serde_json) and one that keeps the first (the upstream, maybe) must never
//! disagree about what was sent.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Parses `bytes` as JSON, refusing duplicate keys at any depth (keys compared after
/// unescaping, so `"to"` and `"\u0074o"` are the same key).
pub fn parse(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = deserializer.deserialize_any(StrictVisitor)?;
    deserializer.end()?;
    Ok(value)
}

/// The duplicated key named in a parse error, if that is what the error is.
pub fn duplicate_key(error: &serde_json::Error) -> Option<String> {
    let text = error.to_string();
    let rest = text.strip_prefix(DUPLICATE)?;
    rest.split('\'').next().map(str::to_owned)
}

const DUPLICATE: &str = "duplicate key '";

struct StrictVisitor;

struct Strict(Value);

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE}{key}'")));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::{duplicate_key, parse};

    #[test]
    fn a_key_given_twice_is_refused_at_any_depth() {
        let top = parse(br#"{"to":"1555","type":"text","to":"1666"}"#).unwrap_err();
        assert_eq!(duplicate_key(&top).as_deref(), Some("to"));
        let nested = parse(br#"{"text":{"body":"ok","body":"other"}}"#).unwrap_err();
        assert_eq!(duplicate_key(&nested).as_deref(), Some("body"));
        let escaped = parse(br#"{"to":"1","\u0074o":"2"}"#).unwrap_err();
        assert_eq!(duplicate_key(&escaped).as_deref(), Some("to"));
    }

    #[test]
    fn ordinary_json_reads_as_serde_json_reads_it() {
        let text = br#"{"a":[1,2.5,-3,{"b":null}],"c":true,"d":"\u00e9"}"#;
        assert_eq!(
            parse(text).unwrap(),
            serde_json::from_slice::<serde_json::Value>(text).unwrap()
        );
        assert!(duplicate_key(&parse(b"{").unwrap_err()).is_none());
        assert!(parse(b"{} trailing").is_err());
    }
}
