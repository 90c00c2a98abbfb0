//! A Cloud number's template library is its WhatsApp Business Account's, kept by Meta:
//! read from `GET /{waba-id}/message_templates` (every page of the cursor), submitted with
//! `POST /{waba-id}/message_templates` (an edit: `POST /{template-id}`; `submit`) and
//! deleted with `DELETE /{waba-id}/message_templates?name=…` (one language: `&hsm_id=…`).
//! Projects on the same account (same Meta app and WABA) share one library: what is read
//! or submitted is written to each of them.

mod submit;

pub use submit::submit;

use std::time::Duration;

use reqwest::Method;
use rules::projects::settings::{Project, UpstreamKind};
use rules::templates::library::{Template, TemplateInput};
use rules::templates::meta::{Synced, library_from_meta};
use serde_json::{Value, json};

use crate::audit::{self, Change};
use crate::cloud::graph::{self, Body, CloudNumber};
use crate::projects::{cloud, settings};
use crate::templates::library::{find_in, lock_library, remove, write};
use crate::upstream::client::UpstreamError;
use crate::{Actor, Error, Result, Services};

/// What Meta is asked for, and how many entries a page (Meta's largest).
const FIELDS: &str = "name,language,status,category,components,rejected_reason,quality_score";
const PAGE_SIZE: &str = "100";
/// 250 names in up to 20 languages each, at 100 a page, with room to spare: a cursor that
/// never ends is cut off here.
const MAX_PAGES: usize = 100;
const TIMEOUT: Duration = Duration::from_secs(30);

fn require_cloud(project: &Project) -> Result<()> {
    match project.kind {
        UpstreamKind::Cloud => Ok(()),
        UpstreamKind::OnPremises => Err(Error::field(
            "project",
            "This number runs on an On-Premises client: its library is kept by hand here.",
        )),
    }
}

/// The Sync button (staff): the project's library read again from Meta.
pub async fn sync(services: &Services, actor: &Actor, project_id: i64) -> Result<Synced> {
    let project = settings::get(services, actor, project_id).await?;
    actor.require_staff()?;
    require_cloud(&project)?;
    sync_account(services, actor, project_id).await
}

/// Reads the library of project `project_id`'s account from Meta and writes it to every
/// project on that account; says what changed in `project_id`'s. For the Sync button, the
/// background sync and Meta's notifications.
pub async fn sync_account(services: &Services, actor: &Actor, project_id: i64) -> Result<Synced> {
    let number = cloud::number(services, project_id).await?;
    let entries = fetch_all(services, &number).await?;
    let templates = library_from_meta(&entries);
    let mut own = Synced::default();
    for project in sharing(services, &number).await? {
        let synced = replace(services, actor, project, &templates).await?;
        if project.0 == project_id {
            own = synced;
        }
    }
    Ok(own)
}

/// One project of each account (Meta app and WABA) the Cloud projects are on: whom the
/// background sync reads.
pub async fn accounts(services: &Services) -> Result<Vec<i64>> {
    let ids = sqlx::query_scalar(
        "SELECT MIN(id) FROM projects WHERE upstream_kind = 'cloud'
         GROUP BY meta_app_id, waba_id ORDER BY MIN(id)",
    )
    .fetch_all(services.db.pool())
    .await?;
    Ok(ids)
}

/// The projects on `number`'s account, with their organizations.
pub(super) async fn sharing(services: &Services, number: &CloudNumber) -> Result<Vec<(i64, i64)>> {
    cloud::numbers_of_account(services, number.app.id, &number.waba_id).await
}

/// Every entry of the account's library, page after page.
async fn fetch_all(services: &Services, number: &CloudNumber) -> Result<Vec<Value>> {
    let mut entries = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut url = number
            .url(&[&number.waba_id, "message_templates"])
            .map_err(UpstreamError::plain)?;
        url.query_pairs_mut()
            .append_pair("fields", FIELDS)
            .append_pair("limit", PAGE_SIZE)
            .extend_pairs(after.as_ref().map(|a| ("after", a)));
        let page = ask(services, number, Method::GET, url, Body::None, "list").await?;
        entries.extend(page["data"].as_array().into_iter().flatten().cloned());
        let paging = &page["paging"];
        match (
            paging["next"].is_null(),
            paging["cursors"]["after"].as_str(),
        ) {
            (false, Some(cursor)) => after = Some(cursor.to_owned()),
            _ => return Ok(entries),
        }
    }
    Err(Error::Upstream(format!(
        "Meta's template list did not end after {MAX_PAGES} pages."
    )))
}

/// One Graph call; Meta's refusal in plain words (`doing`: what was asked).
pub(super) async fn ask(
    services: &Services,
    number: &CloudNumber,
    method: Method,
    url: reqwest::Url,
    body: Body,
    doing: &str,
) -> Result<Value> {
    let http = services.upstreams.http();
    let response = graph::call(http, number, method, url, body, TIMEOUT)
        .await
        .map_err(UpstreamError::plain)?;
    let answer = graph::read(services, number, response)
        .await
        .map_err(UpstreamError::plain)?;
    if let Some(e) = answer.error {
        return Err(Error::Upstream(format!(
            "Meta refused to {doing} the templates: {}",
            e.details_text()
        )));
    }
    if number.token_problem {
        graph::clear_token_problem(services, number.project_id).await?;
    }
    Ok(answer.json)
}

/// Makes project `project_id`'s library exactly `templates`.
async fn replace(
    services: &Services,
    actor: &Actor,
    (project_id, organization_id): (i64, i64),
    templates: &[TemplateInput],
) -> Result<Synced> {
    let mut tx = services.db.pool().begin().await?;
    lock_library(&mut tx, project_id).await?;
    let existing = find_in(&mut tx, project_id, None).await?;
    let mut synced = Synced {
        templates: templates.len(),
        ..Synced::default()
    };
    for template in templates {
        match existing.iter().find(|e| e.input.name == template.name) {
            Some(e) if e.input == *template => {}
            Some(e) => {
                write(&mut tx, project_id, Some(e.id), template).await?;
                synced.changed += 1;
            }
            None => {
                write(&mut tx, project_id, None, template).await?;
                synced.added += 1;
            }
        }
    }
    for gone in existing
        .iter()
        .filter(|e| !templates.iter().any(|t| t.name == e.input.name))
    {
        sqlx::query("DELETE FROM templates WHERE id = $1")
            .bind(gone.id)
            .execute(&mut *tx)
            .await?;
        synced.removed += 1;
    }
    sqlx::query("UPDATE projects SET templates_synced_at = $1 WHERE id = $2")
        .bind(crate::platform::db::now_ms())
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
    if synced.added + synced.changed + synced.removed > 0 {
        let change = Change {
            action: "template.sync",
            subject_type: "project",
            subject_id: Some(project_id),
            organization_id: Some(organization_id),
            project_id: Some(project_id),
            after: Some(json!({"templates": synced.templates, "added": synced.added,
                "changed": synced.changed, "removed": synced.removed})),
            ..Change::default()
        };
        audit::record(&mut *tx, actor, change).await?;
    }
    tx.commit().await?;
    services.changes.bump();
    Ok(synced)
}

/// Deletes a template at Meta (admins), every language, or with `language` only that
/// one (`hsm_id`: Meta's id of that language), then from every project on the account. One
/// Meta no longer has is simply removed here. What is left of `template`, if anything.
pub async fn delete(
    services: &Services,
    actor: &Actor,
    template: &Template,
    language: Option<&str>,
) -> Result<Option<Template>> {
    let number = cloud::number(services, template.project_id).await?;
    // Meta's id of the one language deleted; a language never submitted has none.
    let hsm_id = language.map(|language| {
        let translation = template.input.translations.iter();
        let review = translation
            .filter(|t| t.language == language)
            .find_map(|t| t.review.as_ref());
        review.map(|r| r.meta_id.clone()).unwrap_or_default()
    });
    if hsm_id.as_ref().is_none_or(|id| !id.is_empty()) {
        let mut url = number
            .url(&[&number.waba_id, "message_templates"])
            .map_err(UpstreamError::plain)?;
        url.query_pairs_mut()
            .append_pair("name", &template.input.name);
        if let Some(id) = &hsm_id {
            url.query_pairs_mut().append_pair("hsm_id", id);
        }
        let asked = ask(services, &number, Method::DELETE, url, Body::None, "delete").await;
        match asked {
            Ok(_) => {}
            Err(Error::Upstream(m)) if m.contains("not found") => {}
            Err(e) => return Err(e),
        }
    }
    let action = match language {
        Some(_) => "template.delete_language_at_meta",
        None => "template.delete_at_meta",
    };
    let mut left_here = None;
    for (project_id, organization_id) in sharing(services, &number).await? {
        let mut tx = services.db.pool().begin().await?;
        let found = find_in(&mut tx, project_id, Some(&template.input.name)).await?;
        for t in found {
            let left = match language.map(|language| t.input.without(language)) {
                // This project's copy never had that language: nothing to remove.
                Some(Err(_)) => continue,
                Some(Ok(left)) => left,
                None => None,
            };
            let left = remove(&mut tx, &t, left).await?;
            let change = Change {
                action,
                subject_type: "template",
                subject_id: Some(t.id),
                organization_id: Some(organization_id),
                project_id: Some(project_id),
                before: Some(json!(t.input)),
                after: left.as_ref().map(|l| json!(l.input)),
            };
            audit::record(&mut *tx, actor, change).await?;
            if t.id == template.id {
                left_here = left;
            }
        }
        tx.commit().await?;
    }
    services.changes.bump();
    Ok(left_here)
}
