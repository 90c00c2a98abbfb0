//! The template library of each project: read by everyone who may see the project,
//! written by customer success (admins), checked by `rules::templates::library` on every
//! save (and import, see `import`), and consulted by the gateway for `type: template`
//! messages.

use rules::FieldErrors;
use rules::projects::settings::UpstreamKind;
use rules::templates::library::{self, Category, Status, Template, TemplateInput};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::error::Violation;
use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::{Actor, Db, Error, Result, Services};

const SELECT: &str = "SELECT id, project_id, name, category, status, rejection_reason, translations, updated_at FROM templates";

fn from_row(r: &AnyRow) -> Result<Template> {
    let translations: String = r.try_get("translations")?;
    Ok(Template {
        id: r.try_get("id")?,
        project_id: r.try_get("project_id")?,
        input: TemplateInput {
            name: r.try_get("name")?,
            category: Category::parse(&r.try_get::<String, _>("category")?).unwrap_or_default(),
            status: Status::parse(&r.try_get::<String, _>("status")?).unwrap_or_default(),
            rejection_reason: r.try_get("rejection_reason")?,
            translations: serde_json::from_str(&translations)
                .map_err(|e| Error::internal("stored template translations", e))?,
        },
        updated_at: r.try_get("updated_at")?,
    })
}

/// The project's templates, by name.
pub async fn list(services: &Services, actor: &Actor, project_id: i64) -> Result<Vec<Template>> {
    settings::get(services, actor, project_id).await?;
    sqlx::query(&format!("{SELECT} WHERE project_id = $1 ORDER BY name"))
        .bind(project_id)
        .fetch_all(services.db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn get(services: &Services, actor: &Actor, id: i64) -> Result<Template> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(services.db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    let template = from_row(&row)?;
    settings::get(services, actor, template.project_id).await?;
    Ok(template)
}

/// Creates (`id` None) or updates a template; 250 names per project at most.
pub async fn save(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    id: Option<i64>,
    input: &TemplateInput,
) -> Result<Template> {
    let project = settings::get(services, actor, project_id).await?;
    actor.require_admin()?;
    if project.kind == UpstreamKind::Cloud {
        return super::meta::submit(services, actor, &project, id, input).await;
    }
    let input = normalized(input);
    library::check(&input)
        .into_result()
        .map_err(Error::Invalid)?;
    let mut tx = services.db.pool().begin().await?;
    lock_library(&mut tx, project_id).await?;
    let before = match id {
        Some(id) => {
            let row = sqlx::query(&format!("{SELECT} WHERE id = $1 AND project_id = $2"))
                .bind(id)
                .bind(project_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Error::NotFound)?;
            Some(from_row(&row)?)
        }
        None => None,
    };
    let renamed_or_new = before.as_ref().is_none_or(|b| b.input.name != input.name);
    room_for(&mut tx, project_id, &[&input.name], renamed_or_new)
        .await
        .map_err(|m| Error::Invalid(field_error("name", m)))?;
    let id = write(&mut tx, project_id, before.as_ref().map(|b| b.id), &input).await?;
    let change = Change {
        action: if before.is_some() {
            "template.update"
        } else {
            "template.create"
        },
        subject_type: "template",
        subject_id: Some(id),
        organization_id: Some(project.organization_id),
        project_id: Some(project_id),
        before: before.as_ref().map(|b| json!(b.input)),
        after: Some(json!(input)),
    };
    audit::record(&mut *tx, actor, change).await?;
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    services.changes.bump();
    from_row(&row)
}

/// Deletes a template, every language, or with `language` only that translation (the
/// template goes with its last one); for a Cloud number at Meta first. What is left of
/// the template, if anything.
pub async fn delete(
    services: &Services,
    actor: &Actor,
    id: i64,
    language: Option<&str>,
) -> Result<Option<Template>> {
    let template = get(services, actor, id).await?;
    actor.require_admin()?;
    let left = match language {
        Some(language) => template
            .input
            .without(language)
            .map_err(|m| Error::Invalid(field_error("language", m)))?,
        None => None,
    };
    let project = settings::get(services, actor, template.project_id).await?;
    if project.kind == UpstreamKind::Cloud {
        return super::meta::delete(services, actor, &template, language).await;
    }
    let mut tx = services.db.pool().begin().await?;
    let left = remove(&mut tx, &template, left).await?;
    let change = Change {
        action: if language.is_some() {
            "template.delete_language"
        } else {
            "template.delete"
        },
        subject_type: "template",
        subject_id: Some(id),
        organization_id: Some(project.organization_id),
        project_id: Some(project.id),
        before: Some(json!(template.input)),
        after: left.as_ref().map(|l| json!(l.input)),
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    Ok(left)
}

/// Writes what is `left` of `template` in its row, or deletes the row when nothing is.
pub(super) async fn remove(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    template: &Template,
    left: Option<TemplateInput>,
) -> Result<Option<Template>> {
    let Some(input) = left else {
        sqlx::query("DELETE FROM templates WHERE id = $1")
            .bind(template.id)
            .execute(&mut **tx)
            .await?;
        return Ok(None);
    };
    write(tx, template.project_id, Some(template.id), &input).await?;
    Ok(Some(Template {
        input,
        updated_at: now_ms(),
        ..template.clone()
    }))
}

/// The project's templates (all, or the one called `name`), inside a transaction.
pub(super) async fn find_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    project_id: i64,
    name: Option<&str>,
) -> Result<Vec<Template>> {
    sqlx::query(&format!(
        "{SELECT} WHERE project_id = $1 AND ($2 IS NULL OR name = $2) ORDER BY name"
    ))
    .bind(project_id)
    .bind(name)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// The project's template called `name`, for the gateway's check.
pub async fn find(db: &Db, project_id: i64, name: &str) -> Result<Option<TemplateInput>> {
    let row = sqlx::query(&format!("{SELECT} WHERE project_id = $1 AND name = $2"))
        .bind(project_id)
        .bind(name)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| from_row(&r).map(|t| t.input)).transpose()
}

/// The project's approved templates, for `GET /v1/configs/templates`.
pub async fn approved(db: &Db, project_id: i64) -> Result<Vec<Template>> {
    sqlx::query(&format!(
        "{SELECT} WHERE project_id = $1 AND status = 'approved' ORDER BY name"
    ))
    .bind(project_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub(super) fn normalized(input: &TemplateInput) -> TemplateInput {
    let mut input = input.clone();
    input.name = input.name.trim().to_owned();
    if input.status != Status::Rejected {
        input.rejection_reason.clear();
    }
    for t in &mut input.translations {
        t.language = t.language.trim().to_owned();
    }
    input
}

pub(super) fn field_error(field: &str, message: impl Into<String>) -> FieldErrors {
    let mut e = FieldErrors::default();
    e.add(field, message);
    e
}

/// Takes the project's row lock first, so saves and imports of one library run one at a
/// time (the 250-names count cannot race) and SQLite never has to upgrade a read to a write.
pub(super) async fn lock_library(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    project_id: i64,
) -> Result<()> {
    sqlx::query("UPDATE projects SET updated_at = updated_at WHERE id = $1")
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether the names not yet in the project still fit under the 250-names limit.
pub(super) async fn room_for(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    project_id: i64,
    names: &[&str],
    check: bool,
) -> std::result::Result<(), String> {
    if !check {
        return Ok(());
    }
    let existing: Vec<String> =
        sqlx::query_scalar("SELECT name FROM templates WHERE project_id = $1")
            .bind(project_id)
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| e.to_string())?;
    let new = names
        .iter()
        .filter(|n| !existing.iter().any(|e| e == *n))
        .count();
    if new == 0 {
        return Ok(());
    }
    library::check_room(existing.len() + new - 1, true)
}

pub(super) async fn write(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    project_id: i64,
    id: Option<i64>,
    input: &TemplateInput,
) -> Result<i64> {
    let translations = serde_json::to_string(&input.translations)
        .map_err(|e| Error::internal("template translations to JSON", e))?;
    let now = now_ms();
    // Both statements take the same values in the same order: the first is the
    // template's id for an update, its project's for an insert.
    let (sql, first) = match id {
        Some(id) => (
            r#"UPDATE templates SET name = $2, category = $3, status = $4,
                rejection_reason = $5, translations = $6, updated_at = $7
               WHERE id = $1 RETURNING id"#,
            id,
        ),
        None => (
            r#"INSERT INTO templates (project_id, name, category, status, rejection_reason,
                translations, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id"#,
            project_id,
        ),
    };
    let result = sqlx::query_scalar(sql)
        .bind(first)
        .bind(&input.name)
        .bind(input.category.as_str())
        .bind(input.status.as_str())
        .bind(&input.rejection_reason)
        .bind(translations)
        .bind(now)
        .fetch_one(&mut **tx)
        .await;
    result.map_err(|e| {
        let taken = Violation::Unique {
            field: "name",
            message: format!("This project already has a template called {}.", input.name),
        };
        Error::from_write(e, vec![taken])
    })
}
