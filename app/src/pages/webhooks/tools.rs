//! The webhook's tools: a test event sent now (its answer shown as the delivery log
//! shows an attempt) and a check that explains each problem with its cause and fix.

use leptos::prelude::*;
use rules::webhooks::deliveries::{AttemptView, Finding};

use crate::api::webhooks::check::{CheckWebhook, SendTestEvent};
use crate::components::{CsrfField, PanelError, ResultArea};

/// The tools, each a button; only the one pressed last shows its result.
#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Test,
    Check,
}

#[component]
pub fn WebhookTools(project_id: i64) -> impl IntoView {
    let test = ServerAction::<SendTestEvent>::new();
    let check = ServerAction::<CheckWebhook>::new();
    let last = RwSignal::new(None::<Tool>);
    let not = move |tool: Tool| last.get() != Some(tool);
    // One part of the page: pressing a tool gives way to its own result only.
    view! {
        <div>
            <div class="flex flex-wrap gap-3 mb-3">
                <ActionForm action=test>
                    <CsrfField />
                    <input type="hidden" name="project_id" value=project_id />
                    <button
                        type="submit"
                        class="btn-small"
                        disabled=move || test.pending().get()
                        on:click=move |_| last.set(Some(Tool::Test))
                    >
                        "Send test event"
                    </button>
                </ActionForm>
                <ActionForm action=check>
                    <CsrfField />
                    <input type="hidden" name="project_id" value=project_id />
                    <button
                        type="submit"
                        class="btn-small"
                        disabled=move || check.pending().get()
                        on:click=move |_| last.set(Some(Tool::Check))
                    >
                        "Check webhook"
                    </button>
                </ActionForm>
            </div>
            <ResultArea>
                {move || {
                    let answer = test.value().get().filter(|_| not(Tool::Check));
                    answer
                        .map(|r| match r {
                            Ok(a) => view! { <AttemptResult attempt=a /> }.into_any(),
                            Err(e) => view! { <PanelError error=e /> }.into_any(),
                        })
                }}
                {move || {
                    let answer = check.value().get().filter(|_| not(Tool::Test));
                    answer
                        .map(|r| match r {
                            Ok(findings) => view! { <Findings findings /> }.into_any(),
                            Err(e) => view! { <PanelError error=e /> }.into_any(),
                        })
                }}
            </ResultArea>
        </div>
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
