//! The message log: pages of the list, one message's trace, and the overview's numbers.

use leptos::prelude::*;
use rules::messages::log::{MessageFilter, MessagePage, MessageTrace};
use rules::messages::stats::Overview;

use crate::error::AppError;

#[server(endpoint = "list_messages", client = super::csrf_client::CsrfClient)]
pub async fn list_messages(
    #[server(default)] filter: MessageFilter,
) -> Result<MessagePage, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::messages::search::page(&ctx::services()?, &actor, &filter).await?)
}

#[server(endpoint = "get_message_trace", client = super::csrf_client::CsrfClient)]
pub async fn get_message_trace(id: i64) -> Result<MessageTrace, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::messages::trace::get(&ctx::services()?, &actor, id).await?)
}

/// `range`: "24h", "7d" or "30d"; `project`: one project, or all the caller may see.
#[server(endpoint = "overview_stats", client = super::csrf_client::CsrfClient)]
pub async fn overview_stats(
    range: String,
    #[server(default)] project: Option<i64>,
) -> Result<Overview, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let range = rules::messages::stats::Range::parse(&range);
    Ok(domain::messages::stats::overview(
        &ctx::services()?,
        &actor,
        range,
        project,
        domain::platform::db::now_ms(),
    )
    .await?)
}
