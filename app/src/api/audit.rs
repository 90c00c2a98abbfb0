//! The audit log, for admins.

use leptos::prelude::*;
use rules::audit::{AuditEntry, AuditFilter};

use crate::error::AppError;

#[server(endpoint = "list_audit", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_audit(
    #[server(default)] filter: AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let zone = ctx::zone();
    Ok(domain::audit::list(&ctx::services()?.db, &actor, &filter, &zone).await?)
}
