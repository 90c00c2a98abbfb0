//! An answer in the On-Premises shape: JSON built by the bridge, or the bytes of a media
//! download streamed through.

use bytes::Bytes;
use serde_json::{Value, json};

use crate::cloud::graph::Answer;
use crate::cloud::translate::answer_meta;

pub enum Body {
    Bytes(Bytes),
    Stream(reqwest::Response),
}

pub struct OnPremAnswer {
    pub status: u16,
    pub content_type: String,
    pub body: Body,
}

impl OnPremAnswer {
    pub fn json(status: u16, value: &Value) -> Self {
        OnPremAnswer {
            status,
            content_type: "application/json".into(),
            body: Body::Bytes(Bytes::from(value.to_string())),
        }
    }

    /// `{"meta": …}`: what an On-Premises client answered to a call with nothing to say.
    pub fn done(version: &str) -> Self {
        OnPremAnswer::json(200, &json!({"meta": answer_meta(version)}))
    }

    /// The Graph error of `answer` in the On-Premises `errors` shape, with its status. A
    /// refused access token is the provider's problem, not the partner's key: 502.
    pub fn graph_error(answer: &Answer, version: &str) -> Option<Self> {
        let error = answer.error.as_ref()?;
        let status = match answer.status {
            _ if error.needs_new_token() => 502,
            s if s >= 400 => s,
            _ => 400,
        };
        Some(OnPremAnswer::json(status, &error.answer(version)))
    }
}
