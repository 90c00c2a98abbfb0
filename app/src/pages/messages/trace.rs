//! One message, start to end: the partner's request, the gateway's decision, the upstream
//! request and answer, then what came back (`replies`: each status notification and each
//! attempt to forward them to the partner's webhook). Every error code links to its
//! explanation.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use rules::messages::log::MessageTrace;

use super::replies::{Forwarding, Statuses};
use crate::api::messages::trace::get_message_trace;
use crate::components::{CodeLinks, CopyButton, ErrorNote, Loading, StatusBadge, Time};
use crate::error::AppError;

#[component]
pub fn MessageTracePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let trace = Resource::new(
        move || id,
        |id| async move { get_message_trace(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <Title text="Message trace · Tujenge" />
        <a class="link text-sm" href="/messages">
            "← Messages"
        </a>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match trace.await {
                    Ok(t) => view! { <Trace trace=t /> }.into_any(),
                    Err(AppError::NotFound) => {
                        view! { <crate::pages::not_found::NotFoundPage /> }.into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// JSON shown indented; anything else as it is.
fn pretty(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| text.to_owned())
}

#[component]
fn Trace(trace: MessageTrace) -> impl IntoView {
    let row = trace.row.clone();
    let outbound = row.direction == "outbound";
    let explanations = rules::messages::log::codes(&row.error_codes)
        .into_iter()
        .filter_map(rules::error_codes::find)
        .collect::<Vec<_>>();
    view! {
        <header class="page-head mt-2">
            <h1 class="page-title">
                {format!("Message #{} ", row.id)}<StatusBadge status=row.status.clone() />
            </h1>
        </header>
        <dl class="summary card mb-4">
            <dt>"Project"</dt>
            <dd>
                <a class="link" href=format!("/projects/{}", row.project_id)>
                    {row.project_name.clone()}
                </a>
            </dd>
            <dt>"When"</dt>
            <dd>
                <Time ms=row.created_at />
            </dd>
            <dt>{if outbound { "Recipient" } else { "Sender" }}</dt>
            <dd class="mono">
                {row.contact.clone()}<CopyButton text=row.contact.clone() what="number" />
            </dd>
            <dt>"Type"</dt>
            <dd>{row.message_type.clone()}</dd>
            <dt>"Error codes"</dt>
            <dd>
                {if row.error_codes.is_empty() {
                    view! { "none" }.into_any()
                } else {
                    view! { <CodeLinks codes=row.error_codes.clone() /> }.into_any()
                }}
            </dd>
        </dl>
        {(!explanations.is_empty())
            .then(|| {
                view! {
                    <section class="notice notice-error mb-4" aria-label="What the error means">
                        {explanations
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <p>
                                        <a
                                            class="link font-semibold"
                                            href=format!("/error-codes/{}", e.code)
                                        >
                                            {format!("{} — {}", e.code, e.title)}
                                        </a>
                                        ". "
                                        {e.causes}
                                        " What to do: "
                                        {e.fix}
                                    </p>
                                }
                            })
                            .collect_view()}
                    </section>
                }
            })}
        {if outbound {
            view! { <Outbound trace=trace.clone() /> }.into_any()
        } else {
            view! { <Inbound trace=trace.clone() /> }.into_any()
        }}
        <Statuses trace=trace.clone() />
        <Forwarding deliveries=trace.deliveries />
    }
    .into_any()
}

/// Each section is type-erased: together their view types overflow the compiler's query
/// depth in the release (hydrate) build.
#[component]
fn Outbound(trace: MessageTrace) -> impl IntoView {
    let refused = trace.decision != "accepted";
    let request = view! {
        <section class="card mb-4" aria-labelledby="t-request">
            <h2 id="t-request" class="section-title mt-0">
                "1. The partner's request"
            </h2>
            <p class="text-sm mb-2">
                {format!(
                    "POST /v1/messages with API key {}",
                    trace.api_key.clone().unwrap_or_else(|| "(not recorded)".into()),
                )}
            </p>
            {(!trace.request_headers.is_empty())
                .then(|| {
                    view! {
                        <div class="scroll-x mb-2">
                            <table class="table" aria-label="Request headers">
                                <tbody>
                                    {trace
                                        .request_headers
                                        .iter()
                                        .map(|(n, v)| {
                                            view! {
                                                <tr>
                                                    <td class="mono">{n.clone()}</td>
                                                    <td class="mono break-all">{v.clone()}</td>
                                                </tr>
                                            }
                                                .into_any()
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="hint">
                            "Credentials (the API key, cookies, authorization) are never stored."
                        </p>
                    }
                })}
            <pre class="json">
                {trace
                    .request_body
                    .as_deref()
                    .map(pretty)
                    .unwrap_or_else(|| "(no body recorded)".into())}
            </pre>
        </section>
    }
    .into_any();
    let decision = view! {
        <section class="card mb-4" aria-labelledby="t-decision">
            <h2 id="t-decision" class="section-title mt-0">
                "2. The gateway's decision"
            </h2>
            {if refused {
                view! {
                    <p>
                        <span class="badge badge-failed">"refused"</span>
                        {format!(
                            " by the check “{}”; nothing was sent upstream.",
                            trace.decision,
                        )}
                    </p>
                    {trace.decision_detail.clone().map(|d| view! { <p class="mt-2">{d}</p> })}
                }
                    .into_any()
            } else {
                view! {
                    <p>
                        <span class="badge badge-read">"passed"</span>
                        " Every check passed (JSON, recipient, type, lengths, links, "
                        "the 24-hour window); the gateway sent it upstream."
                    </p>
                    {trace
                        .decision_detail
                        .clone()
                        .filter(|_| trace.upstream_status.is_none())
                        .map(|d| {
                            view! {
                                <p class="mt-2">
                                    <span class="badge badge-failed">"upstream unreachable"</span>
                                    " "
                                    {d}
                                </p>
                            }
                        })}
                }
                    .into_any()
            }}
        </section>
    }
    .into_any();
    let upstream = (!refused).then(|| {
        view! {
            <section class="card mb-4" aria-labelledby="t-upstream">
                <h2 id="t-upstream" class="section-title mt-0">
                    "3. The upstream request and answer"
                </h2>
                <p class="text-sm mono">
                    {format!(
                        "POST {} (Bearer token, not shown)",
                        trace.upstream_url.clone().unwrap_or_default(),
                    )}
                </p>
                <dl class="summary my-2">
                    <dt>"HTTP status"</dt>
                    <dd>
                        {trace
                            .upstream_status
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| "no answer".into())}
                    </dd>
                    <dt>"Message id"</dt>
                    <dd class="mono">
                        {trace.upstream_message_id.clone().unwrap_or_else(|| "—".into())}
                        {trace
                            .upstream_message_id
                            .clone()
                            .map(|id| view! { <CopyButton text=id what="message id" /> })}
                    </dd>
                    <dt>"Latency"</dt>
                    <dd>{trace.latency_ms.map(|l| format!("{l} ms")).unwrap_or_default()}</dd>
                    {trace
                        .decision_detail
                        .clone()
                        .filter(|_| trace.upstream_status.is_some())
                        .map(|words| {
                            view! {
                                <dt>"Refused because"</dt>
                                <dd data-testid="upstream-words">{words}</dd>
                            }
                        })}
                </dl>
                <pre class="json" aria-label="Upstream answer">
                    {trace
                        .upstream_response
                        .as_deref()
                        .map(pretty)
                        .unwrap_or_else(|| "(no answer)".into())}
                </pre>
            </section>
        }
        .into_any()
    });
    view! {
        {request}
        {decision}
        {upstream}
    }
    .into_any()
}

#[component]
fn Inbound(trace: MessageTrace) -> impl IntoView {
    view! {
        <section class="card mb-4" aria-labelledby="t-inbound">
            <h2 id="t-inbound" class="section-title mt-0">
                "The customer's message, as the upstream sent it"
            </h2>
            <p class="text-sm mb-2 mono">{trace.upstream_message_id.clone().unwrap_or_default()}</p>
            <pre class="json">{trace.request_body.as_deref().map(pretty).unwrap_or_default()}</pre>
        </section>
    }
    .into_any()
}
