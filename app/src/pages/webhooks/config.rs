//! The project's webhook: URL and header rows (values masked once saved), checked while
//! typing with the gateway's own rules; a test event; a check that explains each problem.

use leptos::prelude::*;
use rules::webhooks::config::WebhookView;

use super::signing::Signing;
use super::tools::WebhookTools;
use crate::api::webhooks::config::{RotateSigningSecret, SaveWebhook, get_webhook};
use crate::components::{CsrfField, FormState, FormStatus, Loading, PanelError, successes};

#[component]
pub fn WebhookPanel(project_id: i64, can_edit: bool) -> impl IntoView {
    let save = ServerAction::<SaveWebhook>::new();
    let rotate = ServerAction::<RotateSigningSecret>::new();
    let saved = (
        successes(move || save.value().get()),
        successes(move || rotate.value().get()),
    );
    let config = Resource::new(
        move || (saved.0.get(), saved.1.get()),
        move |_| get_webhook(project_id),
    );
    view! {
        <section aria-labelledby="webhook-title" class="mb-8">
            <h2 id="webhook-title" class="section-title">
                "Webhook"
            </h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match config.await {
                        Ok(view) => {
                            let signing = view.signing.clone();
                            view! {
                                <WebhookForm project_id view can_edit save />
                                <Signing project_id signing can_edit rotate />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <PanelError error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <WebhookTools project_id />
        </section>
    }
    .into_any()
}

#[component]
fn WebhookForm(
    project_id: i64,
    view: WebhookView,
    can_edit: bool,
    save: ServerAction<SaveWebhook>,
) -> impl IntoView {
    let state = FormState::new(move || save.value().get());
    let saved = Signal::derive(move || {
        let retrying_now = save.value().get().and_then(Result::ok).unwrap_or_default();
        rules::webhooks::config::saved_message(retrying_now)
    });
    let allow_insecure = view.allow_insecure;
    let url = RwSignal::new(view.url.clone());
    let typed = RwSignal::new(false);
    let url_error = move || {
        let live = typed
            .get()
            .then(|| rules::webhooks::config::check_url(&url.get(), allow_insecure).err())
            .flatten();
        live.or_else(|| state.fields.with(|f| f.get("url").map(str::to_owned)))
    };
    // Saved headers first (values masked), then empty rows to add new ones.
    let rows = RwSignal::new(
        view.headers
            .iter()
            .map(|(n, m)| (n.clone(), m.clone()))
            .chain([(String::new(), String::new())])
            .enumerate()
            .collect::<Vec<_>>(),
    );
    let next = RwSignal::new(rows.with_untracked(Vec::len));
    view! {
        <ActionForm
            action=save
            attr:class="card form-grid max-w-3xl mb-4"
            attr:aria-label="Webhook settings"
        >
            <CsrfField />
            <input type="hidden" name="project_id" value=project_id />
            <div class="field">
                <label for="webhook-url">"Webhook URL"</label>
                <input
                    id="webhook-url"
                    name="url"
                    type="url"
                    value=view.url.clone()
                    disabled=!can_edit
                    aria-describedby="webhook-url-msg"
                    aria-invalid=move || url_error().is_some().to_string()
                    on:input=move |ev| {
                        url.set(event_target_value(&ev));
                        typed.set(true);
                    }
                />
                <p class="hint">
                    "Where notifications are forwarded. https:// with a valid certificate; "
                    "redirects are not followed."
                </p>
                <p id="webhook-url-msg" class="field-error">
                    {url_error}
                </p>
            </div>
            <fieldset class="field">
                <legend class="text-sm font-medium text-slate-700">
                    "Headers sent with every notification"
                </legend>
                <p class="hint">
                    "Saved values show as •••• with the last 4 characters; "
                    "leave a value empty to keep it."
                </p>
                <For each=move || rows.get() key=|(i, _)| *i let:row>
                    <HeaderRowFields
                        index=row.0
                        name=row.1.0.clone()
                        masked=row.1.1.clone()
                        can_edit
                        rows
                        state
                    />
                </For>
                {can_edit
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="btn-small w-fit"
                                on:click=move |_| {
                                    let i = next.get();
                                    next.set(i + 1);
                                    rows.update(|r| r.push((i, (String::new(), String::new()))));
                                }
                            >
                                "Add header"
                            </button>
                        }
                    })}
            </fieldset>
            <FormStatus state success=saved />
            {can_edit
                .then(|| {
                    view! {
                        <button type="submit" class="btn" disabled=move || save.pending().get()>
                            "Save webhook"
                        </button>
                    }
                })}
        </ActionForm>
    }
    .into_any()
}

#[component]
fn HeaderRowFields(
    index: usize,
    name: String,
    masked: String,
    can_edit: bool,
    rows: RwSignal<Vec<(usize, (String, String))>>,
    state: FormState,
) -> impl IntoView {
    let typed_name = RwSignal::new(name.clone());
    let typed_value = RwSignal::new(String::new());
    let error = move || {
        let n = typed_name.get();
        let live = (!n.is_empty())
            .then(|| rules::webhooks::config::check_header(&n, &typed_value.get()).err())
            .flatten();
        live.or_else(|| {
            state
                .fields
                .with(|f| f.get(&format!("headers.{n}")).map(str::to_owned))
        })
    };
    let placeholder = if masked.is_empty() {
        "value".to_owned()
    } else {
        masked
    };
    view! {
        <div class="row-form items-start">
            <div class="field">
                <label for=format!(
                    "header-name-{index}",
                )>{format!("Header {} name", index + 1)}</label>
                <input
                    id=format!("header-name-{index}")
                    name=format!("headers[{index}][name]")
                    value=name
                    disabled=!can_edit
                    placeholder="Authorization"
                    on:input=move |ev| typed_name.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for=format!(
                    "header-value-{index}",
                )>{format!("Header {} value", index + 1)}</label>
                <input
                    id=format!("header-value-{index}")
                    name=format!("headers[{index}][value]")
                    type="password"
                    autocomplete="off"
                    disabled=!can_edit
                    placeholder=placeholder
                    on:input=move |ev| typed_value.set(event_target_value(&ev))
                />
            </div>
            {can_edit
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="btn-link text-slate-600"
                            aria-label=format!("Remove header {}", index + 1)
                            on:click=move |_| rows.update(|r| r.retain(|(i, _)| *i != index))
                        >
                            "Remove"
                        </button>
                    }
                })}
            <p class="field-error basis-full">{error}</p>
        </div>
    }
    .into_any()
}
