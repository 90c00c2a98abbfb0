//! Importing a project's templates from an export file: every template created or
//! updated by name, all or nothing, under the same checks and limits as a save.

use rules::FieldErrors;
use rules::templates::library::{self, TemplateInput};
use serde_json::json;

use crate::audit::{self, Change};
use crate::projects::settings;
use crate::templates::library::{field_error, lock_library, normalized, room_for, write};
use crate::{Actor, Error, Result, Services};

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
}

/// Creates or updates (by name) every template in `json` (an export's format: a JSON
/// array of templates), all or nothing. Errors name the template: `templates.N.field`.
pub async fn import(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    json: &str,
) -> Result<Imported> {
    let project = settings::get(services, actor, project_id).await?;
    actor.require_admin()?;
    if project.kind == rules::projects::settings::UpstreamKind::Cloud {
        return Err(Error::Invalid(field_error(
            "file",
            "This number's templates are Meta's: submit them one at a time in the editor, or \
             press Sync to read them from Meta.",
        )));
    }
    let inputs: Vec<TemplateInput> = serde_json::from_str(json).map_err(|e| {
        Error::Invalid(field_error(
            "file",
            format!("This is not a template export (a JSON array of templates): {e}"),
        ))
    })?;
    let inputs: Vec<TemplateInput> = inputs.iter().map(normalized).collect();
    let mut errors = FieldErrors::default();
    for (i, input) in inputs.iter().enumerate() {
        for e in library::check(input).0 {
            errors.add(
                &format!("templates.{i}.{}", e.field),
                format!(
                    "{}: {}",
                    if input.name.is_empty() {
                        "(no name)"
                    } else {
                        &input.name
                    },
                    e.message
                ),
            );
        }
        if inputs[..i].iter().any(|o| o.name == input.name) {
            errors.add(
                &format!("templates.{i}.name"),
                format!("{} is in the file twice.", input.name),
            );
        }
    }
    errors.into_result().map_err(Error::Invalid)?;
    let mut tx = services.db.pool().begin().await?;
    lock_library(&mut tx, project_id).await?;
    let names: Vec<&str> = inputs.iter().map(|t| t.name.as_str()).collect();
    room_for(&mut tx, project_id, &names, true)
        .await
        .map_err(|m| Error::Invalid(field_error("file", m)))?;
    let mut done = Imported::default();
    for input in &inputs {
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM templates WHERE project_id = $1 AND name = $2")
                .bind(project_id)
                .bind(&input.name)
                .fetch_optional(&mut *tx)
                .await?;
        write(&mut tx, project_id, existing, input).await?;
        if existing.is_some() {
            done.updated += 1
        } else {
            done.created += 1
        }
    }
    let change = Change {
        action: "template.import",
        subject_type: "project",
        subject_id: Some(project_id),
        organization_id: Some(project.organization_id),
        project_id: Some(project_id),
        after: Some(json!({"created": done.created, "updated": done.updated})),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    Ok(done)
}
