//! The audit log, for admins.

use leptos::prelude::*;
use rules::model::{AuditEntry, AuditFilter};

use crate::error::AppError;

#[server(endpoint = "list_audit")]
pub async fn list_audit(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::audit::list(&ctx::services()?.db, &actor, &filter).await?)
}
