//! One project: its settings, editable by admins, read-only for everyone else.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use rules::Role;
use rules::model::Project;

use super::form::ProjectFields;
use super::deliveries::DeliveryLog;
use super::keys::KeysPanel;
use super::profile::ProfilePanel;
use super::upstream::{RecentMessages, UpstreamStatus};
use super::webhook::WebhookPanel;
use crate::api::organizations::list_organizations;
use crate::api::projects::{get_project, project_inbound_url, UpdateProject};
use crate::components::{current_role, CsrfField, ErrorNote, FormState, FormStatus, Loading, Time};
use crate::error::AppError;

#[component]
pub fn ProjectPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let role = current_role();
    let is_admin = role == Some(Role::Admin);
    let can_manage = role.is_some_and(Role::configures_projects);
    let update = ServerAction::<UpdateProject>::new();
    let project = Resource::new(move || update.version().get(), move |_| async move {
        match id {
            Some(id) => get_project(id).await,
            None => Err(AppError::NotFound),
        }
    });
    // Every panel loads its own data beside the others (no Suspense inside another).
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match project.await {
                    Ok(p) => view! {
                        <Title text=format!("{} · Tujenge", p.name)/>
                        <div class="page-head">
                            <div>
                                <p class="text-sm text-slate-500">{p.organization_name.clone()}</p>
                                <h1 class="page-title">{p.name.clone()}</h1>
                            </div>
                            <span class="mono text-slate-600">{p.phone_number.clone()}</span>
                        </div>
                        <ProjectSummary project=p/>
                    }.into_any(),
                    Err(e) => {
                        #[cfg(feature = "ssr")]
                        if e == AppError::NotFound {
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(http::StatusCode::NOT_FOUND);
                            }
                        }
                        view! { <ErrorNote error=e/> }.into_any()
                    }
                }
            })}
        </Suspense>
        {id.is_some().then(|| view! { <SectionBar is_admin/> })}
        {id.map(|id| view! {
            <UpstreamStatus project_id=id is_admin/>
            {is_admin.then(|| view! { <InboundUrl id/> })}
            <RecentMessages project_id=id/>
            <KeysPanel project_id=id can_manage/>
            <WebhookPanel project_id=id can_edit=can_manage/>
            <DeliveryLog project_id=id/>
            <ProfilePanel project_id=id can_edit=can_manage/>
            {is_admin.then(|| view! { <EditProject project update/> })}
        })}
    }
}

/// A bar of links to the page's sections, kept in view while scrolling (plain anchors:
/// the page stays one document, so every panel works without JavaScript).
#[component]
fn SectionBar(is_admin: bool) -> impl IntoView {
    let mut sections = vec![("recent-title", "Messages"), ("keys-title", "API keys"), ("webhook-title", "Webhook"), ("deliveries-title", "Deliveries"), ("profile-title", "Profile")];
    if is_admin {
        sections.push(("edit-title", "Settings"));
    }
    view! {
        <nav class="section-bar" aria-label="Sections of this project">
            {sections.into_iter().map(|(id, label)| view! { <a href=format!("#{id}") rel="external">{label}</a> }).collect_view()}
        </nav>
    }
}

/// The project form, for admins.
#[component]
fn EditProject(project: Resource<Result<Project, AppError>>, update: ServerAction<UpdateProject>) -> impl IntoView {
    let state = FormState::new(move || update.value().get());
    let organizations = Resource::new(|| (), |_| list_organizations());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let orgs = organizations.await.unwrap_or_default();
                project.await.ok().map(|p| view! {
                    <h2 id="edit-title" class="section-title">"Edit project"</h2>
                    <ActionForm action=update attr:class="card form-grid max-w-2xl">
                        <CsrfField/>
                        <input type="hidden" name="id" value=p.id/>
                        <ProjectFields organizations=orgs project=Some(p.clone()) errors=state.fields/>
                        <FormStatus state success="Project saved."/>
                        <button type="submit" class="btn" disabled=move || update.pending().get()>"Save changes"</button>
                    </ActionForm>
                })
            })}
        </Suspense>
    }
}

#[component]
fn ProjectSummary(project: Project) -> impl IntoView {
    view! {
        <dl class="card summary">
            <div><dt>"Upstream base URL"</dt><dd class="mono">{project.upstream_url}</dd></div>
            <div><dt>"Upstream admin user"</dt><dd class="mono">{project.upstream_username}</dd></div>
            <div><dt>"Upstream password"</dt><dd class="mono">"•••• (encrypted)"</dd></div>
            <div><dt>"24-hour window"</dt><dd>{if project.enforce_24h_window { "Enforced: free-form messages need a customer message in the last 24 h" } else { "Not enforced by the gateway" }}</dd></div>
            <div><dt>"Message bodies in the log"</dt><dd>{if project.redact_bodies { "Redacted" } else { "Stored" }}</dd></div>
            <div><dt>"Created"</dt><dd><Time ms=project.created_at/></dd></div>
            <div class="sm:col-span-2"><dt>"Notes"</dt><dd class="whitespace-pre-wrap">{if project.notes.is_empty() { "—".to_string() } else { project.notes }}</dd></div>
        </dl>
    }
}

/// Where the upstream must post its notifications (admins only: the URL carries a secret).
#[component]
fn InboundUrl(id: i64) -> impl IntoView {
    let url = Resource::new(move || id, project_inbound_url);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                url.await.ok().map(|u| view! {
                    <div class="card mb-6">
                        <p class="text-xs uppercase tracking-wide text-slate-500">"Inbound URL — set it as the upstream's callback URL (it contains a secret)"</p>
                        <p class="mono break-all mt-1">{u}</p>
                    </div>
                })
            })}
        </Suspense>
    }
}
