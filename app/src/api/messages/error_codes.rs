//! How often an error code was hit in the caller's projects.

use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "error_code_counts", client = crate::api::csrf_client::CsrfClient)]
pub async fn error_code_counts(code: u32) -> Result<rules::messages::log::CodeCounts, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    let now = domain::platform::db::now_ms();
    let day =
        domain::messages::log::count_with_code(&services, &actor, code, now - rules::time::DAY_MS)
            .await?;
    let week = domain::messages::log::count_with_code(
        &services,
        &actor,
        code,
        now - 7 * rules::time::DAY_MS,
    )
    .await?;
    Ok(rules::messages::log::CodeCounts {
        last_day: day,
        last_week: week,
        at: now,
    })
}
