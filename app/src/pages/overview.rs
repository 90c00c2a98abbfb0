//! The home page: the projects the user can see, and where to go next.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::projects::list_projects;
use crate::components::{EmptyState, ErrorNote, Loading};
use crate::pages::projects::ProjectTable;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let projects = Resource::new(|| (), |_| list_projects());
    view! {
        <Title text="Overview · Tujenge"/>
        <h1 class="page-title">"Overview"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match projects.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title="No projects yet">
                            "A project connects one WhatsApp phone number to its upstream API client. "
                            <a class="link" href="/projects">"Go to projects"</a>
                        </EmptyState>
                    }.into_any(),
                    Ok(list) => view! {
                        <section class="grid gap-4 sm:grid-cols-3 mb-6">
                            <div class="stat"><p class="stat-label">"Projects"</p><p class="stat-value">{list.len()}</p></div>
                            <div class="stat"><p class="stat-label">"Organizations"</p><p class="stat-value">{count_orgs(&list)}</p></div>
                        </section>
                        <h2 class="section-title">"Your projects"</h2>
                        <ProjectTable projects=list/>
                    }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn count_orgs(list: &[rules::model::Project]) -> usize {
    let mut ids: Vec<i64> = list.iter().map(|p| p.organization_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}
