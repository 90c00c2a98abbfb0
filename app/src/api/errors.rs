//! How often an error code was hit in the caller's projects.

use leptos::prelude::*;

use crate::error::AppError;

/// (last 24 hours, last 7 days)
#[server(endpoint = "error_code_counts", client = super::csrf_client::CsrfClient)]
pub async fn error_code_counts(code: u32) -> Result<(i64, i64), AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    let now = domain::db::now_ms();
    let day = domain::messages::count_with_code(&services, &actor, code, now - 86_400_000).await?;
    let week = domain::messages::count_with_code(&services, &actor, code, now - 7 * 86_400_000).await?;
    Ok((day, week))
}
