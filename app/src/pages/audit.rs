//! The audit log (admins): who changed what and when, filterable by actor, project and
//! time; the filters live in the URL so a link opens the same view.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rules::audit::{AuditEntry, AuditFilter};

use crate::api::accounts::users::list_users;
use crate::api::audit::list_audit;
use crate::api::projects::settings::list_projects;
use crate::components::{
    DataTable, Loading, SelectField, TextField, Time, choices, listing, viewer_zone,
};

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let text = move |k: &str| query.with(|q| q.get(k)).unwrap_or_default();
    let filter = move || AuditFilter {
        actor_user_id: text("actor").parse().ok(),
        project_id: text("project").parse().ok(),
        from: Some(text("from")).filter(|d| rules::time::parse_date(d).is_some()),
        to: Some(text("to")).filter(|d| rules::time::parse_date(d).is_some()),
        before_id: text("before").parse().ok(),
    };
    let entries = Resource::new(filter, list_audit);
    let users = Resource::new(|| (), |_| list_users());
    let projects = Resource::new(|| (), |_| list_projects());
    view! {
        <Title text="Audit log · Tujenge" />
        <h1 class="page-title">"Audit log"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let users = users.await.unwrap_or_default();
                let projects = projects.await.unwrap_or_default();
                let (actor, project) = (text("actor"), text("project"));
                view! {
                    <form
                        method="get"
                        action="/audit"
                        class="filter-bar"
                        aria-label="Filter the audit log"
                    >
                        <SelectField
                            label="Actor"
                            name="actor"
                            options=choices(
                                "Anyone",
                                users.into_iter().map(|u| (u.id.to_string(), u.email)),
                            )
                            selected=actor
                        />
                        <SelectField
                            label="Project"
                            name="project"
                            options=choices(
                                "Any project",
                                projects.into_iter().map(|p| (p.id.to_string(), p.name)),
                            )
                            selected=project
                        />
                        <TextField
                            label=format!("From ({})", viewer_zone())
                            name="from"
                            kind="date"
                            value=text("from")
                        />
                        <TextField
                            label=format!("To ({})", viewer_zone())
                            name="to"
                            kind="date"
                            value=text("to")
                        />
                        <button type="submit" class="btn">
                            "Filter"
                        </button>
                    </form>
                }
            })}
        </Suspense>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                listing(
                    entries.await,
                    "No changes match",
                    "Changes to users, organizations and projects are recorded here.",
                    |list| {
                        let filters = ["actor", "project", "from", "to"]
                            .into_iter()
                            .filter_map(|k| Some(text(k)).filter(|v| !v.is_empty()).map(|v| (k, v)))
                            .collect::<Vec<_>>();
                        view! { <AuditTable entries=list filters /> }.into_any()
                    },
                )
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>, filters: Vec<(&'static str, String)>) -> impl IntoView {
    // The next page keeps the filters and continues below the last id shown (keyset).
    let older = (entries.len() as i64 == rules::audit::AUDIT_PAGE_SIZE)
        .then(|| entries.last().map(|e| e.id))
        .flatten()
        .map(|id| {
            let before = id.to_string();
            let pairs = filters
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .chain([("before", before.as_str())]);
            format!("?{}", rules::text::query_string(pairs))
        });
    view! {
        <DataTable headers=vec![
            "When",
            "Who",
            "What",
            "Subject",
            "Change",
        ]>
            {entries
                .into_iter()
                .map(|e| {
                    let subject = subject(&e);
                    let what = rules::audit::action_words(&e.action);
                    let changes = rules::audit::changes(
                        e.before_json.as_deref(),
                        e.after_json.as_deref(),
                    );
                    view! {
                        <tr>
                            <td>
                                <Time ms=e.at relative=true />
                            </td>
                            <td class="mono">{e.actor_label}</td>
                            <td>{what}</td>
                            <td>{subject}</td>
                            <td>
                                <ul class="text-sm">
                                    {changes
                                        .into_iter()
                                        .map(|c| view! { <li>{c}</li> })
                                        .collect_view()}
                                </ul>
                                <details>
                                    <summary>"Before / after"</summary>
                                    <pre class="json">
                                        {format!(
                                            "before: {}\nafter:  {}",
                                            e.before_json.unwrap_or_else(|| "—".into()),
                                            e.after_json.unwrap_or_else(|| "—".into()),
                                        )}
                                    </pre>
                                </details>
                            </td>
                        </tr>
                    }
                        .into_any()
                })
                .collect_view()}
        </DataTable>
        {older
            .map(|href| {
                view! {
                    <a class="link mt-4 inline-block" href=href>
                        "Older entries →"
                    </a>
                }
            })}
    }
    .into_any()
}

/// The subject by name with a link to it ("project Acme Shop"), or by type and id when it
/// no longer exists.
fn subject(e: &AuditEntry) -> AnyView {
    let href = match (e.subject_type.as_str(), e.subject_id, e.project_id) {
        ("project", Some(id), _) => Some(format!("/projects/{id}")),
        ("user", Some(_), _) => Some("/users".to_owned()),
        ("organization", Some(_), _) => Some("/organizations".to_owned()),
        ("template", Some(id), _) => Some(format!("/templates/{id}")),
        ("api_key", _, Some(project)) => Some(format!("/projects/{project}/keys")),
        ("meta_app", Some(_), _) => Some("/meta-apps".to_owned()),
        _ => None,
    };
    let kind = e
        .subject_type
        .replace('_', " ")
        .replace("api key", "API key");
    match (e.subject_name.clone(), href) {
        (Some(name), Some(href)) => view! {
            {format!("{kind} ")}
            <a class="link" href=href>
                {name}
            </a>
        }
        .into_any(),
        _ => {
            let id = e.subject_id.map(|i| format!(" #{i}")).unwrap_or_default();
            view! { {format!("{kind}{id}")} }.into_any()
        }
    }
}
