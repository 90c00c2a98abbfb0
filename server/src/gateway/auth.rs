//! `WA-API-KEY` authentication on the hot path: presented keys are hashed and looked up
//! through a short-lived cache (so a revocation applies everywhere within its TTL), and
//! last-used times are gathered in memory and written in batches, not on every request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use domain::Services;
use domain::platform::cache::Recent;
use domain::platform::db::now_ms;
use domain::projects::keys::{self, KeyGrant};
use http::HeaderMap;

use super::envelope::ApiError;

pub const HEADER: &str = "wa-api-key";

pub struct Keys {
    services: Services,
    /// By key hash, including "no such key".
    cache: Recent<String, Option<KeyGrant>>,
    last_used: Mutex<HashMap<i64, i64>>,
}

impl Keys {
    pub fn new(services: Services, ttl: Duration) -> Self {
        Keys {
            services,
            cache: Recent::new(ttl),
            last_used: Mutex::default(),
        }
    }

    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<KeyGrant, ApiError> {
        let presented = headers
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ApiError::unauthorized("Missing WA-API-KEY header. Add your project's API key as the WA-API-KEY header."))?;
        let grant = self
            .cache
            .get_or_load(
                keys::hash(presented),
                &self.services.changes,
                keys::find(&self.services, presented),
            )
            .await?;
        let grant = grant.ok_or_else(|| {
            ApiError::unauthorized(
                "Unknown API key. Check the WA-API-KEY header: keys start with tj_.",
            )
        })?;
        let now = now_ms();
        if let Some(reason) = grant.refusal(now) {
            return Err(ApiError::unauthorized(reason));
        }
        self.last_used.lock().unwrap().insert(grant.key_id, now);
        Ok(grant)
    }

    /// Writes the gathered last-used times; called periodically and at shutdown.
    pub async fn flush_last_used(&self) {
        let uses: Vec<(i64, i64)> = std::mem::take(&mut *self.last_used.lock().unwrap())
            .into_iter()
            .collect();
        if uses.is_empty() {
            return;
        }
        if let Err(e) = keys::record_last_used(&self.services, &uses).await {
            tracing::warn!(error = %e, "could not record API keys' last use");
        }
    }
}
