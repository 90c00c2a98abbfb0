//! One project, in tabs: overview (connection, the number's health at Meta, inbound URL,
//! latest messages), API keys,
//! webhook and its delivery log, business profile, and the settings form for admins.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use rules::Role;
use rules::projects::settings::{CloudView, Project, UpstreamKind};

use super::form::ProjectFields;
use super::health::NumberHealthPanel;
use super::keys::KeysPanel;
use super::profile::ProfilePanel;
use super::upstream::{RecentMessages, UpstreamStatus};
use crate::api::accounts::organizations::list_organizations;
use crate::api::meta_apps::list_meta_apps;
use crate::api::projects::settings::{UpdateProject, get_project};
use crate::api::projects::upstream::project_inbound_url;
use crate::components::{
    CopyButton, CsrfField, ErrorNote, FormState, FormStatus, Loading, Time, current_role, successes,
};
use crate::error::AppError;
use crate::pages::not_found::NotFoundPage;
use crate::pages::webhooks::config::WebhookPanel;
use crate::pages::webhooks::deliveries::DeliveryLog;

/// The sections of a project page, each at its own URL (`/projects/:id/:tab`), so a
/// section can be linked to and the page stays short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Overview,
    Keys,
    Webhook,
    Profile,
    Settings,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Keys,
        Tab::Webhook,
        Tab::Profile,
        Tab::Settings,
    ];

    fn parse(slug: Option<&str>) -> Option<Tab> {
        Tab::ALL
            .into_iter()
            .find(|t| Some(t.slug()) == slug.or(Some("")))
    }

    fn slug(self) -> &'static str {
        match self {
            Tab::Overview => "",
            Tab::Keys => "keys",
            Tab::Webhook => "webhook",
            Tab::Profile => "profile",
            Tab::Settings => "settings",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Keys => "API keys",
            Tab::Webhook => "Webhook & deliveries",
            Tab::Profile => "Business profile",
            Tab::Settings => "Settings",
        }
    }

    fn href(self, project_id: i64) -> String {
        match self {
            Tab::Overview => format!("/projects/{project_id}"),
            tab => format!("/projects/{project_id}/{}", tab.slug()),
        }
    }

    /// The project's settings form is for admins only.
    fn shown_to(self, is_admin: bool) -> bool {
        self != Tab::Settings || is_admin
    }
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let (id, tab) = use_params_map().with_untracked(|p| {
        (
            p.get("id").and_then(|v| v.parse::<i64>().ok()),
            Tab::parse(p.get("tab").as_deref()),
        )
    });
    let role = current_role();
    let is_admin = role == Some(Role::Admin);
    let is_staff = role.is_some_and(Role::is_staff);
    let can_manage = role.is_some_and(Role::configures_projects);
    let tab = tab.filter(|t| t.shown_to(is_admin));
    let update = ServerAction::<UpdateProject>::new();
    let saved = successes(move || update.value().get());
    let project = Resource::new(
        move || saved.get(),
        move |_| async move {
            match (id, tab) {
                (Some(id), Some(_)) => get_project(id).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    // The sections show once the project is known to exist and be the viewer's: a
    // missing project (or another organization's) is the plain not-found page.
    let sections = move |id: i64, tab: Tab| match tab {
        Tab::Overview => view! {
            <UpstreamStatus project_id=id is_admin />
            <NumberHealthPanel project_id=id is_staff is_admin />
            {is_admin.then(|| view! { <InboundUrl id /> })}
            <RecentMessages project_id=id />
        }
        .into_any(),
        Tab::Keys => view! { <KeysPanel project_id=id can_manage /> }.into_any(),
        Tab::Webhook => view! {
            <WebhookPanel project_id=id can_edit=can_manage />
            <DeliveryLog project_id=id />
        }
        .into_any(),
        Tab::Profile => view! { <ProfilePanel project_id=id can_edit=can_manage /> }.into_any(),
        Tab::Settings => view! { <EditProject project update /> }.into_any(),
    };
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match project.await {
                    Ok(p) => {
                        view! {
                            <Title text=format!(
                                "{} · {} · Tujenge",
                                tab.map_or("", Tab::label),
                                p.name,
                            ) />
                            <div class="page-head">
                                <div>
                                    <p class="text-sm text-slate-500">
                                        {p.organization_name.clone()}
                                    </p>
                                    <h1 class="page-title">{p.name.clone()}</h1>
                                </div>
                                <span class="mono text-slate-600">
                                    {p.phone_number.clone()}
                                    <CopyButton text=p.phone_number.clone() what="phone number" />
                                </span>
                            </div>
                            <TabBar project_id=p.id current=tab is_admin />
                            {(tab == Some(Tab::Overview))
                                .then(|| view! { <ProjectSummary project=p.clone() /> })}
                            {tab.map(|tab| sections(p.id, tab))}
                        }
                            .into_any()
                    }
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// The project's sections as tabs; each is a page of its own (a full load, so every
/// section works without JavaScript and keeps its own URL).
#[component]
fn TabBar(project_id: i64, current: Option<Tab>, is_admin: bool) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Project sections">
            {Tab::ALL
                .into_iter()
                .filter(|t| t.shown_to(is_admin))
                .map(|t| {
                    let here = (Some(t) == current).then_some("page");
                    view! {
                        <a href=t.href(project_id) rel="external" aria-current=here>
                            {t.label()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
    .into_any()
}

/// The project form, for admins.
#[component]
fn EditProject(
    project: Resource<Result<Project, AppError>>,
    update: ServerAction<UpdateProject>,
) -> impl IntoView {
    let state = FormState::new(move || update.value().get());
    let organizations = Resource::new(|| (), |_| list_organizations());
    let meta_apps = Resource::new(|| (), |_| list_meta_apps());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let orgs = organizations.await.unwrap_or_default();
                let apps = meta_apps.await.unwrap_or_default();
                project
                    .await
                    .ok()
                    .map(|p| {
                        view! {
                            <h2 id="edit-title" class="section-title">
                                "Edit project"
                            </h2>
                            <ActionForm action=update attr:class="card form-grid max-w-2xl">
                                <CsrfField />
                                <input type="hidden" name="id" value=p.id />
                                <ProjectFields
                                    organizations=orgs
                                    meta_apps=apps.clone()
                                    project=Some(p.clone())
                                    errors=state.fields
                                />
                                <MoveConfirmation />
                                <FormStatus state success="Project saved." />
                                <button
                                    type="submit"
                                    class="btn"
                                    disabled=move || update.pending().get()
                                >
                                    "Save changes"
                                </button>
                            </ActionForm>
                        }
                    })
            })}
        </Suspense>
    }
    .into_any()
}

/// Moving a project to another organization revokes its keys: the admin says so first.
#[component]
fn MoveConfirmation() -> impl IntoView {
    view! {
        <label class="checkbox">
            <input type="checkbox" name="confirm_move" value="on" />
            " If I chose another organization: move the project and revoke all its API keys "
            "(the old organization's systems stop at once; its partners create new keys)"
        </label>
    }
    .into_any()
}

#[component]
fn ProjectSummary(project: Project) -> impl IntoView {
    let upstream = match (project.kind, project.cloud) {
        (UpstreamKind::Cloud, Some(cloud)) => cloud_rows(cloud),
        _ => onprem_rows(project.upstream_url, project.upstream_username),
    };
    view! {
        <dl class="card summary">
            <div>
                <dt>"Runs on"</dt>
                <dd>{project.kind.label()}</dd>
            </div>
            {upstream}
            <div>
                <dt>"24-hour window"</dt>
                <dd>
                    {if project.enforce_24h_window {
                        "Enforced: free-form messages need a customer message in the last 24 h"
                    } else {
                        "Not enforced by the gateway"
                    }}
                </dd>
            </div>
            <div>
                <dt>"Message bodies in the log"</dt>
                <dd>{if project.redact_bodies { "Redacted" } else { "Stored" }}</dd>
            </div>
            <div>
                <dt>"Created"</dt>
                <dd>
                    <Time ms=project.created_at />
                </dd>
            </div>
            <div class="sm:col-span-2">
                <dt>"Notes"</dt>
                <dd class="whitespace-pre-wrap">
                    {if project.notes.is_empty() { "—".to_string() } else { project.notes }}
                </dd>
            </div>
        </dl>
    }
    .into_any()
}

/// An On-Premises client: where it answers and the admin user the gateway logs in as.
fn onprem_rows(url: String, username: String) -> AnyView {
    view! {
        <div>
            <dt>"Upstream base URL"</dt>
            <dd class="mono">{url}</dd>
        </div>
        <div>
            <dt>"Upstream admin user"</dt>
            <dd class="mono">{username}</dd>
        </div>
        <div>
            <dt>"Upstream password"</dt>
            <dd class="mono">"•••• (encrypted)"</dd>
        </div>
    }
    .into_any()
}

/// A Cloud number: its ids at Meta, the token's last four, and whether Meta refused it.
fn cloud_rows(cloud: CloudView) -> AnyView {
    let problem = cloud.token_problem.map(|why| {
        view! {
            <div class="sm:col-span-2">
                <dt>"Access token"</dt>
                <dd>
                    <span class="badge badge-failed">"needs a new token"</span>
                    " "
                    {why}
                    " Paste a new system-user token on the Settings tab."
                </dd>
            </div>
        }
    });
    view! {
        <div>
            <dt>"Meta app"</dt>
            <dd class="mono">{cloud.meta_app}</dd>
        </div>
        <div>
            <dt>"Phone number id"</dt>
            <dd class="mono">{cloud.phone_number_id}</dd>
        </div>
        <div>
            <dt>"WhatsApp Business Account"</dt>
            <dd class="mono">{cloud.waba_id}</dd>
        </div>
        <div>
            <dt>"Access token"</dt>
            <dd class="mono">{cloud.token_hint}" (encrypted)"</dd>
        </div>
        {problem}
    }
    .into_any()
}

/// Where the upstream must post its notifications (admins only: the URL carries a secret).
#[component]
fn InboundUrl(id: i64) -> impl IntoView {
    let url = Resource::new(move || id, project_inbound_url);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                url.await
                    .ok()
                    .flatten()
                    .map(|u| {
                        view! {
                            <div class="card mb-6">
                                <p class="text-xs uppercase tracking-wide text-slate-500">
                                    "Inbound URL — set it as the upstream's callback URL "
                                    "(it contains a secret)"
                                </p>
                                <p class="mono break-all mt-1">
                                    {u.clone()}<CopyButton text=u what="inbound URL" />
                                </p>
                            </div>
                        }
                    })
            })}
        </Suspense>
    }
    .into_any()
}
