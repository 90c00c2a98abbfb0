//! Projects: one per WhatsApp phone number, with the upstream client's address and
//! admin credentials (the password encrypted at rest, never shown again).

use rules::FieldErrors;
use rules::phone::PhoneNumber;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change};
use crate::error::Violation;
use crate::platform::db::now_ms;
use crate::projects::cloud;
use crate::upstream::client::{Access, Upstream};
use crate::{Actor, Error, Result, Services};

pub use rules::projects::settings::{CloudView, Project, ProjectInput, UpstreamKind};

fn snapshot(p: &Project) -> serde_json::Value {
    json!({
        "organization_id": p.organization_id, "name": p.name, "phone_number": p.phone_number,
        "upstream_kind": p.kind.as_str(), "upstream_url": p.upstream_url,
        "upstream_username": p.upstream_username, "cloud": p.cloud.as_ref().map(|c| json!({
            "meta_app": c.meta_app, "phone_number_id": c.phone_number_id, "waba_id": c.waba_id,
        })),
        "notes": p.notes, "enforce_24h_window": p.enforce_24h_window,
        "redact_bodies": p.redact_bodies,
    })
}

/// Checks every field; returns the normalized phone number.
fn validate(input: &ProjectInput, creating: bool) -> Result<PhoneNumber> {
    let mut errors = FieldErrors::new();
    errors.check(
        "name",
        rules::text::required(&input.name, "a display name")
            .and_then(|_| rules::text::max_chars(&input.name, 120)),
    );
    let phone = errors.parse("phone_number", PhoneNumber::parse(&input.phone_number));
    match input.kind {
        UpstreamKind::OnPremises => {
            errors.check("upstream_url", rules::text::http_url(&input.upstream_url));
            errors.check(
                "upstream_username",
                rules::text::required(&input.upstream_username, "the upstream admin username"),
            );
            if creating {
                errors.check(
                    "upstream_password",
                    rules::text::required(&input.upstream_password, "the upstream admin password"),
                );
            }
        }
        UpstreamKind::Cloud => {
            for e in input.cloud.check(creating).0 {
                errors.add(&e.field, e.message);
            }
        }
    }
    errors.check("notes", rules::text::max_chars(&input.notes, 4000));
    errors.into_result()?;
    phone.ok_or_else(|| Error::unexpected("a phone number neither parsed nor refused"))
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Project> {
    let kind = UpstreamKind::parse(&row.try_get::<String, _>("upstream_kind")?)
        .ok_or_else(|| Error::unexpected("a project of an unknown upstream kind"))?;
    let cloud = match kind {
        UpstreamKind::OnPremises => None,
        UpstreamKind::Cloud => Some(CloudView {
            meta_app: row
                .try_get::<Option<String>, _>("meta_app")?
                .unwrap_or_default(),
            phone_number_id: row
                .try_get::<Option<String>, _>("phone_number_id")?
                .unwrap_or_default(),
            waba_id: row
                .try_get::<Option<String>, _>("waba_id")?
                .unwrap_or_default(),
            token_hint: format!("••••{}", row.try_get::<String, _>("access_token_last4")?),
            token_problem: row.try_get("token_problem")?,
        }),
    };
    Ok(Project {
        id: row.try_get("id")?,
        organization_id: row.try_get("organization_id")?,
        organization_name: row.try_get("organization_name")?,
        name: row.try_get("name")?,
        phone_number: row.try_get("phone_number")?,
        upstream_url: row.try_get("upstream_url")?,
        upstream_username: row.try_get("upstream_username")?,
        notes: row.try_get("notes")?,
        enforce_24h_window: row.try_get::<i64, _>("enforce_24h_window")? != 0,
        redact_bodies: row.try_get::<i64, _>("redact_bodies")? != 0,
        kind,
        cloud,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

const SELECT: &str = r"SELECT p.id, p.organization_id, o.name AS organization_name, p.name,
    p.phone_number, p.upstream_url, p.upstream_username, p.notes, p.enforce_24h_window,
    p.redact_bodies, p.upstream_kind, m.app_id AS meta_app, p.phone_number_id, p.waba_id,
    p.access_token_last4, p.token_problem, p.created_at, p.updated_at
    FROM projects p JOIN organizations o ON o.id = p.organization_id
    LEFT JOIN meta_apps m ON m.id = p.meta_app_id";

fn map_write_error(e: sqlx::Error, phone: &PhoneNumber) -> Error {
    let taken = Violation::Unique {
        field: "phone_number",
        message: format!("The number {phone} already belongs to another project."),
    };
    let no_org = Violation::ForeignKey {
        field: "organization_id",
        message: "Choose an existing organization.".into(),
    };
    Error::from_write(e, vec![taken, no_org])
}

pub async fn create(services: &Services, actor: &Actor, input: &ProjectInput) -> Result<Project> {
    actor.require_admin()?;
    let phone = validate(input, true)?;
    let encrypted = match input.kind {
        UpstreamKind::OnPremises => services.secrets.encrypt(&input.upstream_password)?,
        UpstreamKind::Cloud => String::new(),
    };
    let now = now_ms();
    let mut tx = services.db.pool().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO projects (organization_id, name, phone_number, upstream_url, upstream_username, upstream_password_enc, notes,
         enforce_24h_window, redact_bodies, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(input.organization_id)
    .bind(input.name.trim())
    .bind(phone.as_str())
    .bind(input.upstream_url.trim().trim_end_matches('/'))
    .bind(input.upstream_username.trim())
    .bind(&encrypted)
    .bind(input.notes.trim())
    .bind(i64::from(input.enforce_24h_window))
    .bind(i64::from(input.redact_bodies))
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| map_write_error(e, &phone))?;
    if input.kind == UpstreamKind::Cloud {
        cloud::write(&mut tx, services, id, &input.cloud).await?;
    }
    let project = fetch(&mut *tx, id).await?;
    let mut after = snapshot(&project);
    let secret = if input.kind == UpstreamKind::Cloud {
        "access_token"
    } else {
        "upstream_password"
    };
    after[secret] = json!("set");
    let change = Change {
        action: "project.create",
        subject_type: "project",
        subject_id: Some(id),
        organization_id: Some(project.organization_id),
        project_id: Some(id),
        after: Some(after),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    Ok(project)
}

/// Changes the project's settings (admins). A move to another organization is refused
/// unless `move_confirmed` (see [`update_with`]).
pub async fn update(
    services: &Services,
    actor: &Actor,
    id: i64,
    input: &ProjectInput,
) -> Result<Project> {
    update_with(services, actor, id, input, false).await
}

/// Changes the project's settings; moving it to another organization revokes its API keys
/// (the old organization's systems must stop at once), and is refused with a field error
/// that names how many keys until `move_confirmed`.
pub async fn update_with(
    services: &Services,
    actor: &Actor,
    id: i64,
    input: &ProjectInput,
    move_confirmed: bool,
) -> Result<Project> {
    let before = get(services, actor, id).await?;
    actor.require_admin()?;
    let moving = before.organization_id != input.organization_id;
    let now = now_ms();
    if moving && !move_confirmed {
        let keys = active_keys(services, id, now).await?;
        return Err(Error::field(
            "organization_id",
            format!(
                "Moving {} to another organization revokes its {}: the old organization's \
                 systems stop at once. Confirm the move to go ahead.",
                before.name,
                rules::text::count(keys as u64, "working API key", "working API keys"),
            ),
        ));
    }
    // A project changing kind has no secret of the new kind yet: it is required, as on create.
    let phone = validate(input, before.kind != input.kind)?;
    let password_changed =
        input.kind == UpstreamKind::OnPremises && !input.upstream_password.is_empty();
    let encrypted = if password_changed {
        Some(services.secrets.encrypt(&input.upstream_password)?)
    } else {
        None
    };
    let mut tx = services.db.pool().begin().await?;
    sqlx::query(
        "UPDATE projects SET organization_id = $1, name = $2, phone_number = $3, upstream_url = $4, upstream_username = $5,
         upstream_password_enc = COALESCE($6, upstream_password_enc), notes = $7, enforce_24h_window = $8, redact_bodies = $9,
         updated_at = $10 WHERE id = $11",
    )
    .bind(input.organization_id)
    .bind(input.name.trim())
    .bind(phone.as_str())
    .bind(input.upstream_url.trim().trim_end_matches('/'))
    .bind(input.upstream_username.trim())
    .bind(encrypted)
    .bind(input.notes.trim())
    .bind(i64::from(input.enforce_24h_window))
    .bind(i64::from(input.redact_bodies))
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(|e| map_write_error(e, &phone))?;
    match input.kind {
        UpstreamKind::Cloud => cloud::write(&mut tx, services, id, &input.cloud).await?,
        UpstreamKind::OnPremises => {
            sqlx::query("UPDATE projects SET upstream_kind = 'onprem' WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    let project = fetch(&mut *tx, id).await?;
    let mut after = snapshot(&project);
    if password_changed {
        after["upstream_password"] = json!("changed");
    }
    if input.kind == UpstreamKind::Cloud && !input.cloud.access_token.is_empty() {
        after["access_token"] = json!("changed");
    }
    if moving {
        let revoked = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 WHERE project_id = $2 \
             AND (revoked_at IS NULL OR revoked_at > $1)",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        after["api_keys_revoked"] = json!(revoked.rows_affected());
    }
    let change = Change {
        action: "project.update",
        subject_type: "project",
        subject_id: Some(id),
        organization_id: Some(project.organization_id),
        project_id: Some(id),
        before: Some(snapshot(&before)),
        after: Some(after),
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    Ok(project)
}

/// Keys of the project that work now (not revoked, not expired).
async fn active_keys(services: &Services, project_id: i64, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM api_keys WHERE project_id = $1 \
         AND (revoked_at IS NULL OR revoked_at > $2) AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(project_id)
    .bind(now)
    .fetch_one(services.db.pool())
    .await?)
}

async fn fetch<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    id: i64,
) -> Result<Project> {
    let row = sqlx::query(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?
        .ok_or(Error::NotFound)?;
    from_row(&row)
}

/// One project, if the actor may see it; another organization's project is `NotFound`.
pub async fn get(services: &Services, actor: &Actor, id: i64) -> Result<Project> {
    let project = fetch(services.db.pool(), id).await?;
    if actor.can_see_organization(project.organization_id) {
        Ok(seen_by(project, actor))
    } else {
        Err(Error::NotFound)
    }
}

/// The project as `actor` may read it: the upstream's address and user (the provider's
/// own network) and the staff notes are for staff only.
fn seen_by(mut project: Project, actor: &Actor) -> Project {
    if !actor.role.is_staff() {
        project.upstream_url.clear();
        project.upstream_username.clear();
        project.notes.clear();
    }
    project
}

/// The project, when the actor may also change its configuration (see
/// `Role::configures_projects`); one they may not see is `NotFound` as in [`get`].
pub async fn get_to_configure(services: &Services, actor: &Actor, id: i64) -> Result<Project> {
    let project = get(services, actor, id).await?;
    if actor.role.configures_projects() {
        Ok(project)
    } else {
        Err(Error::Forbidden)
    }
}

pub async fn list(services: &Services, actor: &Actor) -> Result<Vec<Project>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE ($1 IS NULL OR p.organization_id = $1) ORDER BY o.name, p.name"
    ))
    .bind(actor.organization_scope())
    .fetch_all(services.db.pool())
    .await?;
    rows.iter()
        .map(|row| Ok(seen_by(from_row(row)?, actor)))
        .collect()
}

/// The project and its upstream password in clear, for the gateway only (no actor: the
/// caller has already authenticated with the project's API key).
pub async fn upstream(services: &Services, id: i64) -> Result<Upstream> {
    let project = fetch(services.db.pool(), id).await?;
    let access = match project.kind {
        UpstreamKind::Cloud => Access::Cloud(Box::new(cloud::number(services, id).await?)),
        UpstreamKind::OnPremises => {
            let stored: String =
                sqlx::query_scalar("SELECT upstream_password_enc FROM projects WHERE id = $1")
                    .bind(id)
                    .fetch_one(services.db.pool())
                    .await?;
            Access::OnPremises {
                password: services.secrets.decrypt(&stored)?,
            }
        }
    };
    Ok(Upstream { project, access })
}
