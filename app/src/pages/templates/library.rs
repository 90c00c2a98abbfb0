//! A project's template library: its templates with their status (for a Cloud number,
//! Meta's review of each language, read with Sync), the 250-names count, export and import.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rules::Role;
use rules::templates::NAMES_PER_ACCOUNT;
use rules::templates::library::{Library, Status, Template};

use super::status::{StatusLegend, status_badge};
use crate::api::projects::settings::list_projects;
use crate::api::templates::{ImportTemplates, SyncTemplates, template_library};
use crate::components::{
    CsrfField, DataTable, EmptyState, ErrorNote, FormState, FormStatus, Loading, ResultArea,
    SelectField, TextField, Time, choices, current_role,
};

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let query = use_query_map();
    let project = move || query.with(|q| q.get("project").and_then(|p| p.parse::<i64>().ok()));
    let import = ServerAction::<ImportTemplates>::new();
    let sync = ServerAction::<SyncTemplates>::new();
    let library = Resource::new(
        move || (project(), import.version().get(), sync.version().get()),
        |(p, _, _)| template_library(p),
    );
    let projects = Resource::new(|| (), |_| list_projects());
    view! {
        <Title text="Templates · Tujenge" />
        <h1 class="page-title">"Templates"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let projects = projects.await.unwrap_or_default();
                let (chosen, q, status) = query
                    .with_untracked(|q| (
                        q.get("project").and_then(|p| p.parse::<i64>().ok()),
                        q.get("q").unwrap_or_default(),
                        q.get("status").unwrap_or_default(),
                    ));
                view! {
                    <form
                        method="get"
                        action="/templates"
                        class="filter-bar"
                        aria-label="Filter templates"
                    >
                        <SelectField
                            label="Project"
                            name="project"
                            options=projects
                                .into_iter()
                                .map(|p| (p.id.to_string(), p.name))
                                .collect()
                            selected=chosen.map(|id| id.to_string()).unwrap_or_default()
                        />
                        <TextField
                            label="Name contains"
                            name="q"
                            kind="search"
                            value=q
                            placeholder="order"
                        />
                        <SelectField
                            label="Status"
                            name="status"
                            options=choices(
                                "Any status",
                                Status::ALL.map(|s| (s.as_str().to_owned(), s.label().to_owned())),
                            )
                            selected=status
                        />
                        <button type="submit" class="btn">
                            "Show"
                        </button>
                    </form>
                }
            })}
        </Suspense>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match library.await {
                    Ok(l) if l.project_id == 0 => {
                        view! {
                            <EmptyState title="No projects yet">
                                "Templates belong to a project (one WhatsApp account)."
                            </EmptyState>
                        }
                            .into_any()
                    }
                    Ok(l) => {
                        let (q, status) = query
                            .with_untracked(|q| (
                                q.get("q").unwrap_or_default().to_lowercase(),
                                Status::parse(&q.get("status").unwrap_or_default()),
                            ));
                        view! {
                            <LibraryView
                                library=l
                                import
                                sync
                                shown=move |t: &Template| {
                                    t.input.name.contains(&q)
                                        && status.is_none_or(|s| s == t.input.status)
                                }
                            />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn LibraryView(
    library: Library,
    import: ServerAction<ImportTemplates>,
    sync: ServerAction<SyncTemplates>,
    shown: impl Fn(&Template) -> bool + 'static,
) -> impl IntoView {
    let is_admin = current_role() == Some(Role::Admin);
    let is_staff = current_role().is_some_and(Role::is_staff);
    let Library {
        project_id,
        project_name,
        at_meta,
        templates,
    } = library;
    let used = templates.len();
    let templates: Vec<Template> = templates.into_iter().filter(|t| shown(t)).collect();
    view! {
        <div class="page-head">
            <p class="text-sm text-slate-600">
                <strong>{project_name}</strong>
                {format!(" · {used} of {NAMES_PER_ACCOUNT} template names used ")}
                "(translations count once)"
            </p>
            <div class="flex gap-2">
                {(at_meta && is_staff).then(|| view! { <SyncButton project_id sync /> })}
                <a
                    class="btn btn-small"
                    href=format!("/export/templates?project={project_id}")
                    download="templates.json"
                >
                    "Export JSON"
                </a>
                {is_admin
                    .then(|| {
                        view! {
                            <a
                                class="btn btn-small"
                                href=format!("/templates/new?project={project_id}")
                            >
                                "New template"
                            </a>
                        }
                    })}
            </div>
        </div>
        {at_meta.then(|| view! { <SyncResult sync /> })}
        {if templates.is_empty() && used > 0 {
            view! {
                <EmptyState title="No template matches">
                    "Change the name or status filter."
                </EmptyState>
            }
                .into_any()
        } else if templates.is_empty() && at_meta {
            view! {
                <EmptyState title="Meta has no templates for this account yet">
                    "Create a template and submit it to Meta, or press Sync if it was made in "
                    "WhatsApp Manager."
                </EmptyState>
            }
                .into_any()
        } else if templates.is_empty() {
            view! {
                <EmptyState title="No templates yet">
                    "Customer success adds the templates WhatsApp approved for this number, "
                    "so the gateway can check messages against them."
                </EmptyState>
            }
                .into_any()
        } else {
            view! {
                <DataTable
                    headers=vec!["Name", "Category", "Languages", "Status", "Updated"]
                    label="Templates"
                >
                    {templates.into_iter().map(template_row).collect_view()}
                </DataTable>
                <StatusLegend />
            }
                .into_any()
        }}
        {(!at_meta).then(|| view! { <ImportForm project_id import /> })}
    }
    .into_any()
}

/// One template of the library: name (linked to the editor), category, languages (each with
/// Meta's review and quality where Meta keeps it), status.
fn template_row(t: Template) -> AnyView {
    let languages = t
        .input
        .translations
        .iter()
        .map(|tr| {
            let review = tr.review.clone().map(|r| {
                let quality = (!r.quality.is_empty()).then(|| format!("quality {}", r.quality));
                view! {
                    " "
                    {status_badge(r.status)}
                    <span class="text-xs text-slate-600">{quality}</span>
                }
            });
            view! {
                <li>
                    <span class="mono">{tr.language.clone()}</span>
                    {review}
                </li>
            }
        })
        .collect_view();
    let reason = format!(" {}", t.input.rejection_reason);
    let rejection = (!t.input.rejection_reason.is_empty())
        .then(|| view! { <span class="text-xs text-slate-600">{reason}</span> });
    view! {
        <tr>
            <td class="mono">
                <a class="link" href=format!("/templates/{}", t.id)>
                    {t.input.name.clone()}
                </a>
            </td>
            <td>{t.input.category.as_str()}</td>
            <td>
                <ul class="space-y-1">{languages}</ul>
            </td>
            <td>{status_badge(t.input.status)} {rejection}</td>
            <td>
                <Time ms=t.updated_at relative=true />
            </td>
        </tr>
    }
    .into_any()
}

/// Reads the library again from Meta.
#[component]
fn SyncButton(project_id: i64, sync: ServerAction<SyncTemplates>) -> impl IntoView {
    view! {
        <ActionForm action=sync attr:aria-label="Sync templates from Meta">
            <CsrfField />
            <input type="hidden" name="project_id" value=project_id />
            <button type="submit" class="btn btn-small" disabled=move || sync.pending().get()>
                {move || if sync.pending().get() { "Syncing…" } else { "Sync from Meta" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn SyncResult(sync: ServerAction<SyncTemplates>) -> impl IntoView {
    view! {
        <ResultArea>
            {move || {
                sync.value()
                    .get()
                    .map(|result| match result {
                        Ok(synced) => {
                            view! { <p class="notice notice-ok">{synced.to_string()}</p> }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </ResultArea>
    }
}

#[component]
fn ImportForm(project_id: i64, import: ServerAction<ImportTemplates>) -> impl IntoView {
    let state = FormState::new(move || import.value().get());
    (current_role() == Some(Role::Admin)).then(|| {
        view! {
            <details class="card mt-6">
                <summary class="font-medium">"Import templates (JSON)"</summary>
                <ActionForm
                    action=import
                    attr:class="form-grid mt-4"
                    attr:aria-label="Import templates"
                >
                    <CsrfField />
                    <input type="hidden" name="project_id" value=project_id />
                    <div class="field">
                        <label for="import-json">
                            "Templates, as exported (a JSON array); existing names are updated"
                        </label>
                        <textarea
                            id="import-json"
                            name="json"
                            rows="6"
                            class="mono text-xs"
                            required=true
                        ></textarea>
                        <p class="field-error">
                            {move || {
                                state
                                    .fields
                                    .with(|f| {
                                        f.0
                                            .iter()
                                            .map(|e| e.message.clone())
                                            .collect::<Vec<_>>()
                                            .join(" ")
                                    })
                            }}
                        </p>
                    </div>
                    <button type="submit" class="btn" disabled=move || import.pending().get()>
                        "Import"
                    </button>
                    <FormStatus state success="Templates imported." />
                </ActionForm>
            </details>
        }
    })
}
