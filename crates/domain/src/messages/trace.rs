//! One message's whole story: the partner's request, the gateway's decision, the
//! upstream's answer, every status notification, and every attempt to forward those
//! notifications to the partner's webhook.

use rules::messages::log::{MessageTrace, StatusStep};
use sqlx::Row;

use crate::messages::log;
use crate::projects::settings;
use crate::webhooks::deliveries;
use crate::{Actor, Result, Services};

/// The trace of message `id`; another organization's message is `NotFound`.
pub async fn get(services: &Services, actor: &Actor, id: i64) -> Result<MessageTrace> {
    let row = crate::messages::search::visible_row(services, actor, id).await?;
    let project = settings::get(services, actor, row.project_id).await?;
    let detail = sqlx::query(
        "SELECT m.request_headers, m.request_body, m.decision, m.decision_detail, m.upstream_status, m.upstream_response,
                m.upstream_message_id, m.latency_ms, k.prefix, k.name AS key_name
         FROM messages m LEFT JOIN api_keys k ON k.id = m.api_key_id WHERE m.id = $1",
    )
    .bind(id)
    .fetch_one(services.db.pool())
    .await?;
    let statuses = sqlx::query("SELECT status, at, error_codes, detail FROM message_events WHERE message_id = $1 ORDER BY at, id")
        .bind(id)
        .fetch_all(services.db.pool())
        .await?
        .iter()
        .map(|s| Ok(StatusStep { status: s.try_get("status")?, at: s.try_get("at")?, error_codes: s.try_get("error_codes")?, detail: s.try_get("detail")? }))
        .collect::<Result<Vec<_>>>()?;
    let upstream_id: Option<String> = detail.try_get("upstream_message_id")?;
    let deliveries = match &upstream_id {
        Some(wa_id) => deliveries::for_upstream_message(services, row.project_id, wa_id).await?,
        None => Vec::new(),
    };
    let headers: Option<String> = detail.try_get("request_headers")?;
    let decision: String = detail.try_get("decision")?;
    let prefix: Option<String> = detail.try_get("prefix")?;
    let key_name: Option<String> = detail.try_get("key_name")?;
    // The provider's own network: staff only.
    let sent_upstream = row.direction == "outbound" && decision == "accepted";
    let upstream_url = match (sent_upstream && actor.role.is_staff(), &project.cloud) {
        (false, _) => None,
        (true, Some(cloud)) => Some(cloud_messages_url(services, cloud).await?),
        (true, None) => Some(format!(
            "{}/v1/messages",
            project.upstream_url.trim_end_matches('/')
        )),
    };
    Ok(MessageTrace {
        organization_id: project.organization_id,
        api_key: prefix.map(|p| format!("{p}… ({})", key_name.unwrap_or_default())),
        // Filtered again: rows stored before the rule was widened may hold more.
        request_headers: headers
            .and_then(|h| serde_json::from_str::<Vec<(String, String)>>(&h).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|(name, _)| !log::is_secret_header(name))
            .collect(),
        request_body: detail.try_get("request_body")?,
        upstream_url,
        decision,
        decision_detail: detail.try_get("decision_detail")?,
        upstream_status: detail.try_get("upstream_status")?,
        upstream_response: detail.try_get("upstream_response")?,
        upstream_message_id: upstream_id,
        latency_ms: detail.try_get("latency_ms")?,
        statuses,
        deliveries,
        row,
    })
}

/// Where a Cloud number's messages go: `{graph}/{version}/{phone-number-id}/messages`.
async fn cloud_messages_url(
    services: &Services,
    cloud: &rules::projects::settings::CloudView,
) -> Result<String> {
    let app = crate::cloud::apps::find(services, &cloud.meta_app).await?;
    Ok(match app {
        Some(app) => format!(
            "{}/{}/{}/messages",
            app.graph_url.trim_end_matches('/'),
            app.graph_version,
            cloud.phone_number_id
        ),
        None => format!(
            "(Meta app {} missing)/{}/messages",
            cloud.meta_app, cloud.phone_number_id
        ),
    })
}
