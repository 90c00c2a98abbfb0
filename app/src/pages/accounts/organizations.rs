//! Organizations: staff see them all; admins create them.

use leptos::prelude::*;
use leptos_meta::Title;
use rules::Role;

use crate::api::accounts::organizations::{CreateOrganization, list_organizations};
use crate::components::{
    CsrfField, DataTable, FormState, FormStatus, Loading, TextField, Time, current_role, listing,
    successes,
};

#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let create = ServerAction::<CreateOrganization>::new();
    let state = FormState::new(move || create.value().get());
    let created = successes(move || create.value().get());
    let organizations = Resource::new(move || created.get(), |_| list_organizations());
    let admin = current_role() == Some(Role::Admin);
    view! {
        <Title text="Organizations · Tujenge" />
        <h1 class="page-title">"Organizations"</h1>
        {admin
            .then(|| {
                view! {
                    <ActionForm action=create attr:class="card inline-form mb-6">
                        <CsrfField />
                        <TextField
                            label="New organization's name"
                            name="name"
                            required=true
                            errors=state.fields
                        />
                        <button type="submit" class="btn" disabled=move || create.pending().get()>
                            "Create organization"
                        </button>
                        <FormStatus state success="Organization created." />
                    </ActionForm>
                }
            })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                listing(
                    organizations.await,
                    "No organizations yet",
                    "An organization is a partner company; its users see only its projects.",
                    |list| {
                        view! {
                            <DataTable headers=vec![
                                "Name",
                                "Created",
                            ]>
                                {list
                                    .into_iter()
                                    .map(|o| {
                                        view! {
                                            <tr>
                                                <td>{o.name}</td>
                                                <td>
                                                    <Time ms=o.created_at relative=true />
                                                </td>
                                            </tr>
                                        }
                                            .into_any()
                                    })
                                    .collect_view()}
                            </DataTable>
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
    .into_any()
}
