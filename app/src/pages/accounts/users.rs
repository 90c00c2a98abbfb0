//! Console users: staff see the list; admins create users, change roles and
//! organizations, and disable accounts.

use leptos::prelude::*;
use leptos_meta::Title;
use rules::Role;
use rules::accounts::{Organization, User};

use crate::api::accounts::organizations::list_organizations;
use crate::api::accounts::users::{CreateUser, SetUserPassword, UpdateUser, list_users};
use crate::components::{
    CsrfField, DataTable, ErrorNote, FormState, FormStatus, Loading, SelectField, TextField, Time,
    current_role, successes,
};

fn role_options() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect()
}

fn org_options(orgs: &[Organization]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "— none (staff) —".to_owned()))
        .chain(orgs.iter().map(|o| (o.id.to_string(), o.name.clone())))
        .collect()
}

const INITIAL_PASSWORD_HINT: &str = "At least 12 characters; share it with the person securely.";

#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let update = ServerAction::<UpdateUser>::new();
    let set_password = ServerAction::<SetUserPassword>::new();
    let created = FormState::new(move || create.value().get());
    let updated = FormState::new(move || update.value().get());
    let password_set = FormState::new(move || set_password.value().get());
    let saved = (
        successes(move || create.value().get()),
        successes(move || update.value().get()),
    );
    let users = Resource::new(move || (saved.0.get(), saved.1.get()), |_| list_users());
    let organizations = Resource::new(|| (), |_| list_organizations());
    let admin = current_role() == Some(Role::Admin);
    view! {
        <Title text="Users · Tujenge" />
        <h1 class="page-title">"Users"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let orgs = organizations.await.unwrap_or_default();
                let list = match users.await {
                    Ok(list) => list,
                    Err(e) => return view! { <ErrorNote error=e /> }.into_any(),
                };
                let names = orgs.clone();
                let headers = ["Email", "Role", "Organization", "Status", "Last login"]
                    .into_iter()
                    .chain(admin.then_some("Change"))
                    .collect();
                view! {
                    {admin
                        .then(|| {
                            view! {
                                <h2 class="section-title">"Add a user"</h2>
                                <ActionForm
                                    action=create
                                    attr:class="card form-grid max-w-2xl mb-8"
                                >
                                    <CsrfField />
                                    <TextField
                                        label="Email"
                                        name="email"
                                        kind="email"
                                        required=true
                                        check=rules::text::email
                                        errors=created.fields
                                    />
                                    <TextField
                                        label="Initial password"
                                        name="password"
                                        kind="password"
                                        autocomplete="new-password"
                                        hint=INITIAL_PASSWORD_HINT
                                        required=true
                                        errors=created.fields
                                    />
                                    <SelectField
                                        label="Role"
                                        name="role"
                                        options=role_options()
                                        selected="partner"
                                        errors=created.fields
                                    />
                                    <SelectField
                                        label="Organization (partners only)"
                                        name="organization_id"
                                        options=org_options(&orgs)
                                        errors=created.fields
                                    />
                                    <FormStatus state=created success="User created." />
                                    <button
                                        type="submit"
                                        class="btn"
                                        disabled=move || create.pending().get()
                                    >
                                        "Create user"
                                    </button>
                                </ActionForm>
                            }
                        })}
                    <FormStatus state=updated success="User saved." />
                    <FormStatus
                        state=password_set
                        success="New password set; that user's sessions have ended."
                    />
                    <DataTable headers>
                        {list
                            .into_iter()
                            .map(|u| {
                                view! {
                                    <UserRow user=u orgs=names.clone() admin update set_password />
                                }
                            })
                            .collect_view()}
                    </DataTable>
                }
                    .into_any()
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn UserRow(
    user: User,
    orgs: Vec<Organization>,
    admin: bool,
    update: ServerAction<UpdateUser>,
    set_password: ServerAction<SetUserPassword>,
) -> impl IntoView {
    let org_name = user
        .organization_id
        .and_then(|id| orgs.iter().find(|o| o.id == id))
        .map(|o| o.name.clone())
        .unwrap_or_else(|| "—".into());
    let no_errors = Signal::derive(rules::FieldErrors::default);
    let logged_out = format!(
        "{} is logged out everywhere; give them the new password securely.",
        user.email
    );
    view! {
        <tr>
            <td class="mono">{user.email.clone()}</td>
            <td>{user.role.label()}</td>
            <td>{org_name}</td>
            <td>
                {if user.disabled {
                    view! { <span class="badge badge-dead">"disabled"</span> }
                } else {
                    view! { <span class="badge badge-read">"active"</span> }
                }}
            </td>
            <td>
                {match user.last_login_at {
                    Some(ms) => view! { <Time ms relative=true /> }.into_any(),
                    None => view! { <span class="text-slate-500">"never"</span> }.into_any(),
                }}
            </td>
            {admin
                .then(|| {
                    view! {
                        <td>
                            <RoleChange user=user.clone() orgs=orgs.clone() update />
                            <details class="mt-2">
                                <summary class="link cursor-pointer">
                                    "Set a new password…"
                                </summary>
                                <ActionForm
                                    action=set_password
                                    attr:class="mt-2 space-y-2"
                                    attr:aria-label=format!(
                                        "New password for {}",
                                        user.email.clone(),
                                    )
                                >
                                    <CsrfField />
                                    <input type="hidden" name="id" value=user.id />
                                    <TextField
                                        label="New password"
                                        name="password"
                                        scope=user.id.to_string()
                                        kind="password"
                                        autocomplete="new-password"
                                        check=rules::text::password_strength
                                        errors=no_errors
                                    />
                                    <p class="hint">{logged_out}</p>
                                    <button type="submit" class="btn-small">
                                        "Set password"
                                    </button>
                                </ActionForm>
                            </details>
                        </td>
                    }
                })}
        </tr>
    }
    .into_any()
    .into_any()
}

/// An admin's change of a user's role, organization or access, behind a disclosure: what
/// saving would do is said as the fields change, and such a change is only saved once
/// confirmed (the server says the same when it is not).
#[component]
fn RoleChange(
    user: User,
    orgs: Vec<Organization>,
    update: ServerAction<UpdateUser>,
) -> impl IntoView {
    let no_errors = Signal::derive(rules::FieldErrors::default);
    let role = RwSignal::new(user.role.as_str().to_owned());
    let organization = RwSignal::new(
        user.organization_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let disabled = RwSignal::new(user.disabled);
    let names = orgs.clone();
    let before = user.clone();
    let consequence = move || {
        let update = rules::accounts::UserUpdate {
            role: Role::parse(&role.get()).ok()?,
            organization_id: organization.get().parse().ok(),
            disabled: disabled.get(),
        };
        let name = |id: i64| {
            names
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.name.clone())
                .unwrap_or_default()
        };
        rules::accounts::consequence(&before, &update, name)
    };
    view! {
        <details>
            <summary class="link cursor-pointer">"Change role or access…"</summary>
            <ActionForm
                action=update
                attr:class="mt-2 space-y-2"
                attr:aria-label=format!("Change {}", user.email)
            >
                <CsrfField />
                <input type="hidden" name="id" value=user.id />
                <div on:change=move |ev| role.set(event_target_value(&ev))>
                    <SelectField
                        label="Role"
                        name="role"
                        scope=user.id.to_string()
                        options=role_options()
                        selected=user.role.as_str()
                        errors=no_errors
                    />
                </div>
                <div on:change=move |ev| organization.set(event_target_value(&ev))>
                    <SelectField
                        label="Organization"
                        name="organization_id"
                        scope=user.id.to_string()
                        options=org_options(&orgs)
                        selected=user.organization_id.map(|id| id.to_string()).unwrap_or_default()
                        errors=no_errors
                    />
                </div>
                <label class="checkbox">
                    <input
                        type="checkbox"
                        name="disabled"
                        value="on"
                        checked=user.disabled
                        on:change=move |ev| disabled.set(event_target_checked(&ev))
                    />
                    " Disabled"
                </label>
                <p class="hint" aria-live="polite" data-testid="role-consequence">
                    {move || {
                        consequence()
                            .unwrap_or_else(|| {
                                "The role and organization decide what they see.".into()
                            })
                    }}
                </p>
                <label class="checkbox">
                    <input type="checkbox" name="confirm" value="on" />
                    " Confirm the change"
                </label>
                <button type="submit" class="btn-small">
                    "Save"
                </button>
            </ActionForm>
        </details>
    }
    .into_any()
}
