//! The overview's numbers: messages by outcome, failure rate, top error codes and
//! webhook delivery health.

use leptos::prelude::*;
use rules::messages::stats::Overview;

use crate::error::AppError;

/// `range`: "24h", "7d" or "30d"; `project`: one project, or all the caller may see.
#[server(endpoint = "overview_stats", client = crate::api::csrf_client::CsrfClient)]
pub async fn overview_stats(
    range: String,
    #[server(default)] project: Option<i64>,
) -> Result<Overview, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let range = rules::messages::stats::Range::parse(&range);
    Ok(domain::messages::stats::overview(
        &ctx::services()?,
        &actor,
        range,
        project,
        domain::platform::db::now_ms(),
        &ctx::zone(),
    )
    .await?)
}
