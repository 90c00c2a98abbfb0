//! The provider's Meta apps (admins): register an app, and for each one the callback URL
//! and verify token to paste into Meta's dashboard; below, the numbers Meta posts about
//! that no project has (a number set up at Meta but not here).

use leptos::prelude::*;
use leptos_meta::Title;
use rules::cloud::{MetaAppView, UnmatchedNumber};

use crate::api::meta_apps::{AddMetaApp, list_meta_apps, list_unmatched_numbers};
use crate::components::{
    CopyButton, CsrfField, DataTable, EmptyState, ErrorNote, FormState, FormStatus, Loading,
    PanelError, TextField, Time, successes,
};

const GRAPH_URL_HINT: &str = "Leave empty for Meta's Graph API (https://graph.facebook.com).";
const SECRET_HINT: &str = "Meta's dashboard: App settings → Basic → App secret. It checks every \
                           notification Meta posts; stored encrypted, never shown again.";

#[component]
pub fn MetaAppsPage() -> impl IntoView {
    let add = ServerAction::<AddMetaApp>::new();
    let state = FormState::new(move || add.value().get());
    let added = successes(move || add.value().get());
    let apps = Resource::new(move || added.get(), |_| list_meta_apps());
    view! {
        <Title text="Meta apps · Tujenge" />
        <h1 class="page-title">"Meta apps"</h1>
        <p class="mb-6 max-w-3xl text-slate-600">
            "A Cloud API number is called through one of the provider's Meta apps, and Meta "
            "posts its notifications to the app's callback URL. Register the app here, then "
            "paste its callback URL and verify token into Meta's dashboard "
            "(WhatsApp → Configuration → Webhook) and subscribe to the messages field."
        </p>
        <ActionForm action=add attr:class="card form-grid max-w-2xl mb-8">
            <h2 class="section-title mt-0">"Register a Meta app"</h2>
            <CsrfField />
            <TextField
                label="App id"
                name="input[app_id]"
                field="app_id"
                required=true
                errors=state.fields
            />
            <TextField
                label="Name"
                name="input[name]"
                field="name"
                required=true
                errors=state.fields
            />
            <TextField
                label="App secret"
                name="input[app_secret]"
                field="app_secret"
                kind="password"
                autocomplete="off"
                hint=SECRET_HINT
                required=true
                errors=state.fields
            />
            <TextField
                label="Graph API URL"
                name="input[graph_url]"
                field="graph_url"
                kind="url"
                hint=GRAPH_URL_HINT
                errors=state.fields
            />
            <TextField
                label="Graph API version"
                name="input[graph_version]"
                field="graph_version"
                value=rules::cloud::GRAPH_VERSION
                check=rules::cloud::check_graph_version
                errors=state.fields
            />
            <FormStatus
                state
                success="Meta app registered: paste its callback URL and verify token into Meta's dashboard."
            />
            <button type="submit" class="btn" disabled=move || add.pending().get()>
                "Register app"
            </button>
        </ActionForm>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match apps.await {
                    Ok(list) if list.is_empty() => {
                        view! {
                            <EmptyState title="No Meta apps yet">
                                "Register the provider's Meta app to run numbers on the Cloud API."
                            </EmptyState>
                        }
                            .into_any()
                    }
                    Ok(list) => list.into_iter().map(app_card).collect_view().into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Transition>
        <UnmatchedNumbers />
    }
    .into_any()
}

/// One app with what to paste into Meta's dashboard.
fn app_card(app: MetaAppView) -> AnyView {
    let label = format!("Meta app {}", app.name);
    view! {
        <section class="card mb-4" aria-label=label>
            <div class="page-head">
                <h2 class="section-title">{app.name.clone()}</h2>
                <span class="text-sm text-slate-500">
                    "added " <Time ms=app.created_at relative=true />
                </span>
            </div>
            <dl class="summary">
                <div>
                    <dt>"App id"</dt>
                    <dd class="mono">{app.app_id.clone()}</dd>
                </div>
                <div>
                    <dt>"Graph API"</dt>
                    <dd class="mono">{format!("{} ({})", app.graph_url, app.graph_version)}</dd>
                </div>
                <div class="sm:col-span-2">
                    <dt>"Callback URL"</dt>
                    <dd>
                        <code class="mono break-all">{app.callback_url.clone()}</code>
                        <CopyButton text=app.callback_url what="callback URL" />
                    </dd>
                </div>
                <div class="sm:col-span-2">
                    <dt>"Verify token"</dt>
                    <dd>
                        <code class="mono break-all">{app.verify_token.clone()}</code>
                        <CopyButton text=app.verify_token what="verify token" />
                    </dd>
                </div>
            </dl>
        </section>
    }
    .into_any()
}

/// Numbers Meta posted about that no Cloud project has.
#[component]
fn UnmatchedNumbers() -> impl IntoView {
    let numbers = Resource::new(|| (), |_| list_unmatched_numbers());
    view! {
        <section class="mt-8" aria-labelledby="unmatched-title">
            <h2 id="unmatched-title" class="section-title">
                "Numbers no project has"
            </h2>
            <p class="mb-3 text-sm text-slate-600">
                "Meta posted notifications for these phone number ids, and no Cloud project "
                "has them: acknowledged and kept for the retention period, never forwarded. "
                "Give the number's project this phone number id (or check for a typo)."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match numbers.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="text-sm text-slate-500">
                                    "None: every notification Meta posted found its project."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => unmatched_table(list),
                        Err(e) => view! { <PanelError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

fn unmatched_table(list: Vec<UnmatchedNumber>) -> AnyView {
    let headers = vec![
        "Phone number id",
        "WhatsApp Business Account",
        "Meta app",
        "Notifications",
        "Last",
    ];
    view! {
        <DataTable headers>
            {list
                .into_iter()
                .map(|n| {
                    view! {
                        <tr>
                            <td class="mono">{n.phone_number_id}</td>
                            <td class="mono">{n.waba_id}</td>
                            <td class="mono">{n.app_id}</td>
                            <td>{rules::text::thousands(n.changes)}</td>
                            <td>
                                <Time ms=n.last_received_at relative=true />
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}
