//! The project's webhook: URL and header rows (values masked once saved), checked while
//! typing with the gateway's own rules; a test event; a check that explains each problem.

use leptos::prelude::*;
use rules::webhooks::config::WebhookView;
use rules::webhooks::deliveries::{AttemptView, Finding};

use crate::api::webhooks::check::{CheckWebhook, SendTestEvent};
use crate::api::webhooks::config::{RotateSigningSecret, SaveWebhook, get_webhook};
use crate::components::{CsrfField, FormState, FormStatus, Loading, OneTimeSecret, PanelError};

#[component]
pub fn WebhookPanel(project_id: i64, can_edit: bool) -> impl IntoView {
    let save = ServerAction::<SaveWebhook>::new();
    let rotate = ServerAction::<RotateSigningSecret>::new();
    let config = Resource::new(
        move || (save.version().get(), rotate.version().get()),
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
                            let signed = view.signed;
                            view! {
                                <WebhookForm project_id view can_edit save />
                                <Signing project_id signed can_edit rotate />
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
            <FormStatus state success="Webhook saved." />
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

/// "Send test event" and "Check webhook", each showing its result in place.
/// Whether deliveries are signed, and (for those who configure the project) a new signing
/// secret, shown once; rotating asks first, naming what stops working.
#[component]
fn Signing(
    project_id: i64,
    signed: bool,
    can_edit: bool,
    rotate: ServerAction<RotateSigningSecret>,
) -> impl IntoView {
    let state = FormState::new(move || rotate.value().get());
    let form = move |label: &'static str| {
        view! {
            <ActionForm action=rotate attr:class="mt-2">
                <CsrfField />
                <input type="hidden" name="project_id" value=project_id />
                <button
                    type="submit"
                    class=if signed { "btn-danger" } else { "btn-small" }
                    disabled=move || rotate.pending().get()
                >
                    {label}
                </button>
            </ActionForm>
        }
    };
    view! {
        <div class="card max-w-3xl mb-4" aria-labelledby="signing-title" role="region">
            <h3 id="signing-title" class="font-medium">
                "Signature"
            </h3>
            {if signed {
                view! {
                    <p class="text-sm mt-1">
                        "Deliveries carry "
                        <code class="mono">
                            "X-Tujenge-Signature: sha256=HMAC(secret, \"{timestamp}.{body}\")"
                        </code> " and " <code class="mono">"X-Tujenge-Timestamp"</code>
                        ": check both and refuse old timestamps."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <p class="text-sm mt-1">
                        "Deliveries are not signed. With a signing secret your receiver "
                        "can tell our calls from anyone else's."
                    </p>
                }
                    .into_any()
            }}
            {can_edit
                .then(|| {
                    if signed {
                        view! {
                            <details class="mt-2">
                                <summary class="link cursor-pointer">
                                    "Rotate the signing secret…"
                                </summary>
                                <p class="text-sm mt-2">
                                    "The current secret stops verifying at once: deliveries "
                                    "from then on are signed with the new one. "
                                    "Have your receiver accept both while you switch."
                                </p>
                                {form("Rotate the signing secret")}
                            </details>
                        }
                            .into_any()
                    } else {
                        form("Create a signing secret").into_any()
                    }
                })}
            <FormStatus state success="Signing secret created." />
            {move || {
                rotate
                    .value()
                    .get()
                    .and_then(Result::ok)
                    .map(|secret| {
                        view! {
                            <OneTimeSecret
                                secret
                                what="signing secret"
                                testid="new-signing-secret"
                            />
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

#[component]
fn WebhookTools(project_id: i64) -> impl IntoView {
    let test = ServerAction::<SendTestEvent>::new();
    let check = ServerAction::<CheckWebhook>::new();
    view! {
        <div class="flex flex-wrap gap-3 mb-3">
            <ActionForm action=test>
                <CsrfField />
                <input type="hidden" name="project_id" value=project_id />
                <button type="submit" class="btn-small" disabled=move || test.pending().get()>
                    "Send test event"
                </button>
            </ActionForm>
            <ActionForm action=check>
                <CsrfField />
                <input type="hidden" name="project_id" value=project_id />
                <button type="submit" class="btn-small" disabled=move || check.pending().get()>
                    "Check webhook"
                </button>
            </ActionForm>
        </div>
        {move || {
            test.value()
                .get()
                .map(|r| match r {
                    Ok(a) => view! { <AttemptResult attempt=a /> }.into_any(),
                    Err(e) => view! { <PanelError error=e /> }.into_any(),
                })
        }}
        {move || {
            check
                .value()
                .get()
                .map(|r| match r {
                    Ok(findings) => view! { <Findings findings /> }.into_any(),
                    Err(e) => view! { <PanelError error=e /> }.into_any(),
                })
        }}
    }
    .into_any()
}

#[component]
pub fn AttemptResult(attempt: AttemptView) -> impl IntoView {
    let ok =
        attempt.error.is_none() && attempt.http_status.is_some_and(|s| (200..300).contains(&s));
    let status = attempt
        .http_status
        .map(|s| s.to_string())
        .unwrap_or_else(|| "no answer".into());
    view! {
        <div
            class=if ok { "notice notice-ok" } else { "notice notice-error" }
            role="status"
            aria-label="Test event result"
        >
            <p>{format!("Status {status} in {} ms", attempt.latency_ms)}</p>
            {attempt.error.map(|e| view! { <p>{e}</p> })}
            {attempt
                .response_excerpt
                .filter(|b| !b.is_empty())
                .map(|b| view! { <pre class="json">{b}</pre> })}
        </div>
    }
    .into_any()
}

#[component]
fn Findings(findings: Vec<Finding>) -> impl IntoView {
    view! {
        <ul class="card space-y-2 mb-4" aria-label="Webhook check">
            {findings
                .into_iter()
                .map(|f| {
                    let class = match f.level.as_str() {
                        "ok" => "badge badge-read",
                        "warning" => "badge badge-pending",
                        _ => "badge badge-failed",
                    };
                    view! {
                        <li>
                            <span class=class>{f.level.clone()}</span>
                            " "
                            <span class="font-medium">{f.check}</span>
                            {(!f.cause.is_empty())
                                .then(|| {
                                    view! {
                                        <p class="text-sm text-slate-600">
                                            "Cause: "{f.cause.clone()}
                                        </p>
                                    }
                                })}
                            {(!f.fix.is_empty())
                                .then(|| {
                                    view! {
                                        <p class="text-sm text-slate-600">"Fix: "{f.fix.clone()}</p>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
