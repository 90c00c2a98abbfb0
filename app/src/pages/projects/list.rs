//! The projects the user may see.

use leptos::prelude::*;
use leptos_meta::Title;
use rules::projects::settings::Project;

use crate::api::projects::settings::list_projects;
use crate::components::{DataTable, Loading, Time, current_role, listing};

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let projects = Resource::new(|| (), |_| list_projects());
    let admin = current_role() == Some(rules::Role::Admin);
    view! {
        <Title text="Projects · Tujenge" />
        <div class="page-head">
            <h1 class="page-title">"Projects"</h1>
            {admin
                .then(|| {
                    view! {
                        <a class="btn" href="/projects/new">
                            "New project"
                        </a>
                    }
                })}
        </div>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                listing(
                    projects.await,
                    "No projects yet",
                    "Customer success creates one project per WhatsApp phone number.",
                    |list| view! { <ProjectTable projects=list /> }.into_any(),
                )
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn ProjectTable(projects: Vec<Project>) -> impl IntoView {
    let headers = vec![
        "Project",
        "Organization",
        "Phone number",
        "Upstream",
        "Updated",
    ];
    view! {
        <DataTable headers>
            {projects
                .into_iter()
                .map(|p| {
                    view! {
                        <tr>
                            <td>
                                <a class="link" href=format!("/projects/{}", p.id)>
                                    {p.name}
                                </a>
                            </td>
                            <td>{p.organization_name}</td>
                            <td class="mono">{p.phone_number}</td>
                            <td class="mono truncate max-w-xs">{p.upstream_url}</td>
                            <td>
                                <Time ms=p.updated_at relative=true />
                            </td>
                        </tr>
                    }
                        .into_any()
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}
