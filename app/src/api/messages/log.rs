//! The message log: pages of the list, and a project's latest messages.

use leptos::prelude::*;
use rules::messages::log::{MessageFilter, MessageListRow, MessagePage};

use crate::error::AppError;

#[server(endpoint = "list_messages", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_messages(
    #[server(default)] filter: MessageFilter,
) -> Result<MessagePage, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let zone = ctx::zone();
    Ok(domain::messages::search::page(&ctx::services()?, &actor, &filter, &zone).await?)
}

/// The project's latest messages.
#[server(endpoint = "recent_messages", client = crate::api::csrf_client::CsrfClient)]
pub async fn recent_messages(id: i64) -> Result<Vec<MessageListRow>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let filter = MessageFilter {
        project_id: Some(id),
        ..Default::default()
    };
    let zone = rules::zone::Zone::default();
    let mut page =
        domain::messages::search::page(&ctx::services()?, &actor, &filter, &zone).await?;
    page.rows.truncate(10);
    Ok(page.rows)
}
