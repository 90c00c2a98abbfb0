//! One message's trace: the request, the gateway's decision, the upstream's answer, the
//! status timeline and the forwarding attempts.

use leptos::prelude::*;
use rules::messages::log::MessageTrace;

use crate::error::AppError;

#[server(endpoint = "get_message_trace", client = crate::api::csrf_client::CsrfClient)]
pub async fn get_message_trace(id: i64) -> Result<MessageTrace, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::messages::trace::get(&ctx::services()?, &actor, id).await?)
}
