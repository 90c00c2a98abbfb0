//! Creating a project (admins).

use leptos::prelude::*;
use leptos_meta::Title;

use super::form::ProjectFields;
use crate::api::accounts::organizations::list_organizations;
use crate::api::meta_apps::list_meta_apps;
use crate::api::projects::settings::CreateProject;
use crate::components::{CsrfField, EmptyState, ErrorNote, FormState, FormStatus, Loading};

#[component]
pub fn NewProjectPage() -> impl IntoView {
    let create = ServerAction::<CreateProject>::new();
    let state = FormState::new(move || create.value().get());
    let organizations = Resource::new(|| (), |_| list_organizations());
    let meta_apps = Resource::new(|| (), |_| list_meta_apps());
    view! {
        <Title text="New project · Tujenge" />
        <h1 class="page-title">"New project"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let apps = meta_apps.await.unwrap_or_default();
                match organizations.await {
                    Ok(orgs) if orgs.is_empty() => {
                        view! {
                            <EmptyState title="Create an organization first">
                                "Every project belongs to a partner organization. "
                                <a class="link" href="/organizations">
                                    "Create one"
                                </a>
                            </EmptyState>
                        }
                            .into_any()
                    }
                    Ok(orgs) => {
                        view! {
                            <ActionForm action=create attr:class="card form-grid max-w-2xl">
                                <CsrfField />
                                <ProjectFields
                                    organizations=orgs
                                    meta_apps=apps
                                    project=None
                                    errors=state.fields
                                />
                                <FormStatus state success="Project created." />
                                <button
                                    type="submit"
                                    class="btn"
                                    disabled=move || create.pending().get()
                                >
                                    "Create project"
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
