//! Submitting a template of a Cloud number to Meta: checked first (the editor's linter,
//! the 250 names, what Meta needs of buttons, what Meta cannot change), then each new
//! language created and each changed one edited at Meta, and the library written with
//! Meta's answer: pending until the review comes back.

use reqwest::Method;
use rules::projects::settings::Project;
use rules::templates::ButtonKind;
use rules::templates::library::{self, Review, Status, Template, TemplateInput, Translation};
use rules::templates::meta::{submission, summary};
use serde_json::json;

use super::{ask, sharing};
use crate::audit::{self, Change};
use crate::cloud::graph::{Body, CloudNumber};
use crate::projects::cloud;
use crate::templates::library::{find_in, lock_library, normalized, write};
use crate::upstream::client::UpstreamError;
use crate::{Actor, Error, Result, Services};

/// Meta needs where a URL button opens and which number a phone button calls.
fn check_targets(input: &TemplateInput) -> Result<()> {
    let mut errors = rules::FieldErrors::default();
    for (i, t) in input.translations.iter().enumerate() {
        for (n, b) in t.buttons.iter().enumerate() {
            let what = match b.kind {
                ButtonKind::Url => "the address it opens (https://…)",
                ButtonKind::Phone => "the number it calls (with the country code)",
                ButtonKind::QuickReply => continue,
            };
            if b.target.trim().is_empty() {
                let field = format!("translations.{i}.buttons");
                errors.add(&field, format!("Button {}: give {what}.", n + 1));
            }
        }
    }
    errors.into_result().map_err(Error::Invalid)
}

/// Submits a template of a Cloud project to Meta (admins): each new language is created,
/// each changed one edited, and the library shows them PENDING until Meta's review comes
/// back (by notification, or the next sync). Meta neither renames templates nor removes one
/// language alone: both are refused with what to do instead.
pub async fn submit(
    services: &Services,
    actor: &Actor,
    project: &Project,
    id: Option<i64>,
    input: &TemplateInput,
) -> Result<Template> {
    let mut input = normalized(input);
    input.status = Status::Submitted;
    input.rejection_reason.clear();
    library::check(&input)
        .into_result()
        .map_err(Error::Invalid)?;
    check_targets(&input)?;
    let before = match id {
        Some(id) => Some(crate::templates::library::get(services, actor, id).await?),
        None => None,
    };
    if let Some(before) = &before {
        refuse_what_meta_cannot_change(&before.input, &input)?;
    } else {
        room(services, project.id, &input.name).await?;
    }
    let number = cloud::number(services, project.id).await?;
    let old = |language: &str| {
        before
            .as_ref()
            .and_then(|b| b.input.translations.iter().find(|t| t.language == language))
    };
    for i in 0..input.translations.len() {
        let review = match old(&input.translations[i].language) {
            Some(o) if same_content(o, &input.translations[i]) => o.review.clone(),
            Some(o) => Some(send(services, &number, &input, i, o.review.as_ref()).await?),
            None => Some(send(services, &number, &input, i, None).await?),
        };
        input.translations[i].review = review;
    }
    (input.status, input.rejection_reason) = summary(&input.translations);
    for project in sharing(services, &number).await? {
        upsert(services, actor, project, &input, before.is_some()).await?;
    }
    let mut tx = services.db.pool().begin().await?;
    let stored = find_in(&mut tx, project.id, Some(&input.name)).await?;
    tx.commit().await?;
    stored
        .into_iter()
        .next()
        .ok_or_else(|| Error::unexpected("a submitted template not stored"))
}

fn same_content(a: &Translation, b: &Translation) -> bool {
    let bare = |t: &Translation| Translation {
        review: None,
        ..t.clone()
    };
    bare(a) == bare(b)
}

fn refuse_what_meta_cannot_change(before: &TemplateInput, after: &TemplateInput) -> Result<()> {
    if before.name != after.name {
        return Err(Error::field(
            "name",
            "Meta does not rename templates: keep the name, or create a new template with this \
             one.",
        ));
    }
    if let Some(gone) = before
        .translations
        .iter()
        .find(|b| !after.translations.iter().any(|a| a.language == b.language))
    {
        return Err(Error::field(
            "translations",
            format!(
                "Meta removes a template's languages only all together: to remove {}, delete \
                 the template and submit it again without it.",
                gone.language
            ),
        ));
    }
    Ok(())
}

/// The 250-names limit, checked before Meta is asked.
async fn room(services: &Services, project_id: i64, name: &str) -> Result<()> {
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM templates WHERE project_id = $1")
        .bind(project_id)
        .fetch_all(services.db.pool())
        .await?;
    let is_new = !names.iter().any(|n| n == name);
    library::check_room(names.len(), is_new).map_err(|m| Error::field("name", m))
}

/// Creates language `i` of `input` at Meta, or edits it (`existing`: its review so far).
async fn send(
    services: &Services,
    number: &CloudNumber,
    input: &TemplateInput,
    i: usize,
    existing: Option<&Review>,
) -> Result<Review> {
    let t = &input.translations[i];
    let body = submission(input, t);
    let (segments, body) = match existing.filter(|r| !r.meta_id.is_empty()) {
        Some(r) => (
            vec![r.meta_id.as_str()],
            json!({"components": body["components"]}),
        ),
        None => (vec![number.waba_id.as_str(), "message_templates"], body),
    };
    let url = number.url(&segments).map_err(UpstreamError::plain)?;
    let answer = ask(
        services,
        number,
        Method::POST,
        url,
        Body::Json(body),
        "take",
    )
    .await
    .map_err(|e| match e {
        Error::Upstream(m) => Error::field(&format!("translations.{i}.body"), m),
        other => other,
    })?;
    let meta_id = answer["id"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| existing.map(|r| r.meta_id.clone()))
        .unwrap_or_default();
    Ok(Review {
        status: Status::from_meta(answer["status"].as_str().unwrap_or("PENDING")),
        meta_id,
        ..Review::default()
    })
}

/// Writes `input` into project `project_id`'s library by name, audited.
async fn upsert(
    services: &Services,
    actor: &Actor,
    (project_id, organization_id): (i64, i64),
    input: &TemplateInput,
    edited: bool,
) -> Result<()> {
    let mut tx = services.db.pool().begin().await?;
    lock_library(&mut tx, project_id).await?;
    let before = find_in(&mut tx, project_id, Some(&input.name)).await?;
    let id = write(&mut tx, project_id, before.first().map(|b| b.id), input).await?;
    let change = Change {
        action: if edited {
            "template.edit_at_meta"
        } else {
            "template.submit"
        },
        subject_type: "template",
        subject_id: Some(id),
        organization_id: Some(organization_id),
        project_id: Some(project_id),
        before: before.first().map(|b| json!(b.input)),
        after: Some(json!(input)),
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    Ok(())
}
