//! The client of projects' upstream WhatsApp Business API clients, for the gateway and
//! the console alike. It logs in with the stored credentials (HTTP Basic on
//! `/v1/users/login`), keeps the token until shortly before it expires, logs in again once
//! on a 401, and never shows the token to anyone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use reqwest::Method;
use reqwest::header::{self, HeaderMap};
use rules::projects::settings::Project;

use crate::cloud::graph::CloudNumber;
use crate::platform::cache::Recent;

/// What the gateway needs to call a project's upstream, its secret decrypted.
#[derive(Clone)]
pub struct Upstream {
    pub project: Project,
    pub access: Access,
}

/// How the number is reached: an On-Premises client (logged in with the admin password),
/// or the Cloud API (called with the number's access token).
#[derive(Clone)]
pub enum Access {
    OnPremises { password: String },
    Cloud(Box<CloudNumber>),
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.access {
            Access::OnPremises { .. } => "on-premises",
            Access::Cloud(_) => "cloud",
        };
        f.debug_struct("Upstream")
            .field("project", &self.project.id)
            .field("kind", &kind)
            .finish_non_exhaustive()
    }
}

/// Where a call goes on the upstream: the path as segments, each percent-encoded into the
/// URL on its own (a decoded `?` or `#` in a segment stays data, never ends the path),
/// and the query as the partner wrote it.
#[derive(Clone, Debug)]
pub struct Target {
    pub segments: Vec<String>,
    pub query: Option<String>,
}

impl Target {
    /// A fixed path of the upstream's API, e.g. `/v1/messages`.
    pub fn path(path: &str) -> Target {
        Target {
            segments: path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            query: None,
        }
    }

    /// The URL under the upstream's base URL.
    pub fn url(&self, base: &str) -> Result<reqwest::Url, UpstreamError> {
        let mut url = reqwest::Url::parse(base).map_err(|_| UpstreamError::BadUrl)?;
        url.path_segments_mut()
            .map_err(|_| UpstreamError::BadUrl)?
            .pop_if_empty()
            .extend(&self.segments);
        url.set_query(self.query.as_deref());
        url.set_fragment(None);
        Ok(url)
    }
}

/// What can go wrong talking to an upstream; the gateway and the console each word it.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    #[error("the upstream did not answer in time while {0}")]
    Timeout(&'static str),
    #[error("the upstream could not be reached while {0}")]
    Unreachable(&'static str),
    #[error("the upstream refused the stored credentials ({0})")]
    LoginRefused(u16),
    #[error("the upstream's answer could not be understood: {0}")]
    BadAnswer(&'static str),
    #[error("the project's upstream URL is not a valid base URL")]
    BadUrl,
    /// The number runs on the Cloud API, which has no equivalent of this call.
    #[error("{0} has no equivalent on the WhatsApp Cloud API")]
    NoCloudTwin(String),
    #[error("the upstream session expired during an upload")]
    SessionExpired,
    #[error(transparent)]
    Domain(#[from] crate::Error),
}

impl UpstreamError {
    /// The failure in plain words for the console.
    pub fn plain(self) -> crate::Error {
        use crate::Error;
        match self {
            UpstreamError::Domain(e) => e,
            UpstreamError::LoginRefused(status) => Error::Upstream(format!("The WhatsApp client refused the project's stored login (answer {status}). Check the upstream username and password.")),
            UpstreamError::Timeout(_) => Error::Upstream("The WhatsApp client did not answer in time. Try again in a moment.".into()),
            UpstreamError::Unreachable(_) => Error::Upstream("The WhatsApp client could not be reached. Check the project's upstream URL and that the client is running.".into()),
            UpstreamError::NoCloudTwin(what) => Error::Upstream(format!("{what} is not possible on the WhatsApp Cloud API, which this number runs on.")),
            other => Error::Upstream(format!("The WhatsApp client gave an unexpected answer ({other}).")),
        }
    }
}

/// A request body: bytes can be sent again after a re-login; a stream cannot.
pub enum Payload {
    Bytes(Bytes),
    Stream(reqwest::Body),
}

struct Token {
    value: String,
    /// Renew this long before the upstream says it expires.
    renew_at: DateTime<Utc>,
}

/// Whose token: a token is good for the upstream and user it was issued by, so a
/// project moved to another upstream (or user) never sends its old token there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct TokenKey {
    project_id: i64,
    url: String,
    user: String,
}

impl TokenKey {
    fn of(up: &Upstream) -> Self {
        TokenKey {
            project_id: up.project.id,
            url: up.project.upstream_url.clone(),
            user: up.project.upstream_username.clone(),
        }
    }
}

pub struct Upstreams {
    http: reqwest::Client,
    pub(super) projects: Recent<i64, Arc<Upstream>>,
    /// Current tokens, read without waiting on the hot path.
    tokens: RwLock<HashMap<TokenKey, Arc<Token>>>,
    /// One login at a time per project.
    logins: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

impl Upstreams {
    pub fn new(connect_timeout: Duration, project_ttl: Duration) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(64)
            .build()
            .expect("an HTTP client");
        Upstreams {
            http,
            projects: Recent::new(project_ttl),
            tokens: RwLock::default(),
            logins: Mutex::default(),
        }
    }

    /// The HTTP client of upstream calls (Cloud API calls go through it too).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn current_token(&self, key: &TokenKey) -> Option<Arc<Token>> {
        self.tokens
            .read()
            .unwrap()
            .get(key)
            .filter(|t| Utc::now() < t.renew_at)
            .cloned()
    }

    /// The project's token; `stale` is one the upstream just refused, to be replaced.
    async fn token(
        &self,
        up: &Upstream,
        stale: Option<&Arc<Token>>,
        timeout: Duration,
    ) -> Result<Arc<Token>, UpstreamError> {
        let key = TokenKey::of(up);
        let fresh = |t: &Arc<Token>| stale.is_none_or(|s| !Arc::ptr_eq(s, t));
        if let Some(t) = self.current_token(&key).filter(fresh) {
            return Ok(t);
        }
        let id = up.project.id;
        let lock = self.logins.lock().unwrap().entry(id).or_default().clone();
        let _one_login = lock.lock().await;
        // Another request may have logged in while this one waited.
        if let Some(t) = self.current_token(&key).filter(fresh) {
            return Ok(t);
        }
        let token = Arc::new(self.login(up, timeout).await?);
        let mut tokens = self.tokens.write().unwrap();
        // The project's tokens for an upstream or user it no longer has go.
        tokens.retain(|k, _| k.project_id != id);
        tokens.insert(key, token.clone());
        Ok(token)
    }

    async fn login(&self, up: &Upstream, timeout: Duration) -> Result<Token, UpstreamError> {
        let Access::OnPremises { password } = &up.access else {
            return Err(UpstreamError::NoCloudTwin("Logging in to a client".into()));
        };
        let url = Target::path("/v1/users/login").url(&up.project.upstream_url)?;
        let response = self
            .http
            .post(url)
            .basic_auth(&up.project.upstream_username, Some(password))
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| network_error(&e, "logging in"))?;
        if !response.status().is_success() {
            tracing::warn!(
                project = up.project.id,
                status = response.status().as_u16(),
                "upstream login refused"
            );
            return Err(UpstreamError::LoginRefused(response.status().as_u16()));
        }
        let body: serde_json::Value = response
            .json()
            .await
            .map_err(|_| UpstreamError::BadAnswer("the login answer was not JSON"))?;
        let user = &body["users"][0];
        let value = user["token"]
            .as_str()
            .ok_or(UpstreamError::BadAnswer("the login answer had no token"))?
            .to_owned();
        let expires = user["expires_after"]
            .as_str()
            .and_then(parse_expiry)
            .unwrap_or_else(|| Utc::now() + chrono::Duration::hours(1));
        let margin =
            chrono::Duration::seconds(((expires - Utc::now()).num_seconds() / 10).clamp(0, 300));
        Ok(Token {
            value,
            renew_at: expires - margin,
        })
    }

    /// Logs in afresh, only to learn whether the stored credentials work.
    pub async fn can_log_in(&self, up: &Upstream, timeout: Duration) -> Result<(), UpstreamError> {
        self.login(up, timeout).await.map(|_| ())
    }

    /// Sends a request upstream with the project's token; on a 401 logs in again and, when
    /// the body can be replayed, sends it once more.
    pub async fn send(
        &self,
        up: &Upstream,
        method: Method,
        target: &Target,
        headers: &HeaderMap,
        payload: Payload,
        timeout: Duration,
    ) -> Result<reqwest::Response, UpstreamError> {
        let url = target.url(&up.project.upstream_url)?;
        let token = self.token(up, None, timeout).await?;
        let (first_body, replay) = match payload {
            Payload::Bytes(b) => (reqwest::Body::from(b.clone()), Some(b)),
            Payload::Stream(s) => (s, None),
        };
        let response = self
            .request(&method, &url, headers, &token.value, first_body, timeout)
            .await?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let token = self.token(up, Some(&token), timeout).await?;
        match replay {
            Some(bytes) => {
                self.request(
                    &method,
                    &url,
                    headers,
                    &token.value,
                    reqwest::Body::from(bytes),
                    timeout,
                )
                .await
            }
            None => Err(UpstreamError::SessionExpired),
        }
    }

    async fn request(
        &self,
        method: &Method,
        url: &reqwest::Url,
        headers: &HeaderMap,
        token: &str,
        body: reqwest::Body,
        timeout: Duration,
    ) -> Result<reqwest::Response, UpstreamError> {
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .bearer_auth(token)
            .timeout(timeout)
            .body(body);
        for name in [header::CONTENT_TYPE, header::ACCEPT, header::CONTENT_LENGTH] {
            if let Some(v) = headers.get(&name) {
                request = request.header(name, v);
            }
        }
        request
            .send()
            .await
            .map_err(|e| network_error(&e, "calling it"))
    }
}

fn parse_expiry(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%:z")
        .or_else(|_| DateTime::parse_from_rfc3339(text))
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

pub fn network_error(e: &reqwest::Error, doing: &'static str) -> UpstreamError {
    if e.is_timeout() {
        UpstreamError::Timeout(doing)
    } else {
        UpstreamError::Unreachable(doing)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_expiry;

    #[test]
    fn reads_the_upstreams_expiry_format() {
        let t = parse_expiry("2026-12-01 15:29:26+00:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T15:29:26+00:00");
        assert!(parse_expiry("soon").is_none());
    }
}
