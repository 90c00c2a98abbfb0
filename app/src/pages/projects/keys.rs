//! The project's API keys: list with status; create, revoke and rotate for those who may
//! manage them (admins and the project's partners). A new key is shown once.

use leptos::prelude::*;
use rules::projects::keys::{ApiKey, KeyList};

use crate::api::projects::keys::{CreateKey, RevokeKey, RotateKey, list_keys};
use crate::components::{
    CopyButton, CsrfField, DataTable, EmptyState, FormState, FormStatus, Loading, OneTimeSecret,
    PanelError, SelectField, TextField, Time, successes,
};

fn expiry_options() -> Vec<(String, String)> {
    [
        ("", "Never"),
        ("30", "In 30 days"),
        ("90", "In 90 days"),
        ("365", "In 1 year"),
    ]
    .iter()
    .map(|(v, t)| (v.to_string(), t.to_string()))
    .collect()
}

fn grace_options() -> Vec<(String, String)> {
    [
        ("none", "Stop the old key now"),
        ("1h", "Old key works 1 more hour"),
        ("24h", "Old key works 24 more hours"),
        ("7d", "Old key works 7 more days"),
    ]
    .iter()
    .map(|(v, t)| (v.to_string(), t.to_string()))
    .collect()
}

#[component]
pub fn KeysPanel(project_id: i64, can_manage: bool) -> impl IntoView {
    let create = ServerAction::<CreateKey>::new();
    let revoke = ServerAction::<RevokeKey>::new();
    let rotate = ServerAction::<RotateKey>::new();
    let created = FormState::new(move || create.value().get());
    let saved = (
        successes(move || create.value().get()),
        successes(move || revoke.value().get()),
        successes(move || rotate.value().get()),
    );
    let keys = Resource::new(
        move || (saved.0.get(), saved.1.get(), saved.2.get()),
        move |_| list_keys(project_id),
    );
    let new_secret = Signal::derive(move || {
        let rotated = rotate.value().get().and_then(Result::ok).map(|n| n.secret);
        rotated.or_else(|| create.value().get().and_then(Result::ok).map(|n| n.secret))
    });
    view! {
        <section aria-labelledby="keys-title" class="mb-8">
            <h2 id="keys-title" class="section-title">
                "API keys"
            </h2>
            {can_manage
                .then(|| {
                    view! {
                        <ActionForm
                            action=create
                            attr:class="card inline-form mb-4"
                            attr:aria-label="Create an API key"
                        >
                            <CsrfField />
                            <input type="hidden" name="project_id" value=project_id />
                            <TextField
                                label="Key name"
                                name="name"
                                hint="What uses it, e.g. \"CRM production\"."
                                required=true
                                errors=created.fields
                            />
                            <SelectField
                                label="Expires"
                                name="expires_in_days"
                                options=expiry_options()
                                errors=created.fields
                            />
                            <button
                                type="submit"
                                class="btn"
                                disabled=move || create.pending().get()
                            >
                                "Create key"
                            </button>
                            <FormStatus state=created success="Key created." />
                        </ActionForm>
                    }
                })}
            {move || {
                new_secret
                    .get()
                    .map(|secret| view! { <OneTimeSecret secret what="key" testid="new-key" /> })
            }}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) if list.keys.is_empty() => {
                            view! {
                                <EmptyState title="No API keys yet">
                                    "A partner's system sends the key in the WA-API-KEY header. "
                                    "Create the first one above."
                                </EmptyState>
                            }
                                .into_any()
                        }
                        Ok(list) => view! { <KeyTable list can_manage revoke rotate /> }.into_any(),
                        Err(e) => view! { <PanelError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

fn badge(status: &str) -> &'static str {
    match status {
        "active" => "badge badge-read",
        "retiring" => "badge badge-pending",
        "expired" => "badge badge-sent",
        _ => "badge badge-dead",
    }
}

#[component]
fn KeyTable(
    list: KeyList,
    can_manage: bool,
    revoke: ServerAction<RevokeKey>,
    rotate: ServerAction<RotateKey>,
) -> impl IntoView {
    let KeyList { as_of: now, keys } = list;
    let headers = ["Key", "Name", "Created", "Last used", "Expires", "Status"]
        .into_iter()
        .chain(can_manage.then_some("Actions"))
        .collect();
    view! {
        <DataTable headers>
            {keys.into_iter().map(|k| key_row(k, now, can_manage, revoke, rotate)).collect_view()}
        </DataTable>
    }
    .into_any()
}

/// Revoke and rotate, each behind a disclosure that names the key and the consequence.
/// One key: its prefix, name, times and status, and what may be done with it.
fn key_row(
    k: ApiKey,
    now: i64,
    can_manage: bool,
    revoke: ServerAction<RevokeKey>,
    rotate: ServerAction<RotateKey>,
) -> AnyView {
    let status = k.status(now);
    let actions = (can_manage && status == "active").then(|| {
        view! {
            <td>
                <KeyActions key=k.clone() revoke rotate />
            </td>
        }
    });
    let empty_actions = (can_manage && status != "active").then(|| view! { <td></td> });
    // A rotated key's grace: when it stops working.
    let stops = (status == "retiring")
        .then_some(k.revoked_at)
        .flatten()
        .map(|ms| view! { <p class="hint">"stops " <Time ms relative=true /></p> });
    view! {
        <tr>
            <td class="mono whitespace-nowrap">
                {format!("{}…", k.prefix)} <CopyButton text=k.prefix.clone() what="key prefix" />
            </td>
            <td>{k.name.clone()} <p class="hint">{format!("by {}", k.created_by)}</p></td>
            <td>
                <Time ms=k.created_at relative=true />
            </td>
            <td>{when_or_never(k.last_used_at)}</td>
            <td>{when_or_never(k.expires_at)}</td>
            <td>
                <span class=badge(status)>{status}</span>
                {stops}
            </td>
            {actions}
            {empty_actions}
        </tr>
    }
    .into_any()
}

fn when_or_never(ms: Option<i64>) -> AnyView {
    match ms {
        Some(ms) => view! { <Time ms relative=true /> }.into_any(),
        None => "never".into_any(),
    }
}

#[component]
fn KeyActions(
    key: ApiKey,
    revoke: ServerAction<RevokeKey>,
    rotate: ServerAction<RotateKey>,
) -> impl IntoView {
    let no_errors = Signal::derive(rules::FieldErrors::default);
    let prefix = key.prefix.clone();
    view! {
        <details class="mb-1">
            <summary class="link cursor-pointer">"Revoke…"</summary>
            <ActionForm action=revoke attr:class="mt-2">
                <CsrfField />
                <input type="hidden" name="key_id" value=key.id />
                <p class="text-sm mb-2">
                    {format!("Every system using {prefix}… gets 401 from now on.")}
                </p>
                <button type="submit" class="btn-danger">
                    {format!("Revoke {prefix}…")}
                </button>
            </ActionForm>
        </details>
        <details>
            <summary class="link cursor-pointer">"Rotate…"</summary>
            <ActionForm action=rotate attr:class="mt-2 space-y-2">
                <CsrfField />
                <input type="hidden" name="key_id" value=key.id />
                <SelectField
                    label="Old key"
                    name="grace"
                    scope=key.id.to_string()
                    options=grace_options()
                    selected="24h"
                    errors=no_errors
                />
                <button type="submit" class="btn-small">
                    {format!("Rotate {}…", key.prefix)}
                </button>
            </ActionForm>
        </details>
    }
    .into_any()
}
