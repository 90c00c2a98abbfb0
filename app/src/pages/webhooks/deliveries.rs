//! The project's delivery log: each notification forwarded (or being forwarded) to the
//! partner, what it is about, where it stands in one word, every attempt with the
//! receiver's answer and the payload sent; filtered by state in the URL; one sent again
//! now, or every failed one since a day once the count is confirmed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use rules::webhooks::deliveries::{AttemptView, DeliveryState, DeliveryView, event_name};

use super::resend::{ResendAll, ResendOne};
use crate::api::webhooks::deliveries::{ResendDelivery, ResendFailed, list_deliveries};
use crate::components::message::delivery_class;
use crate::components::{CsrfField, EmptyState, Loading, PanelError, Time};

#[component]
pub fn DeliveryLog(project_id: i64) -> impl IntoView {
    let query = use_query_map();
    let only = move || query.with(|q| q.get("show").and_then(|s| DeliveryState::parse(&s)));
    let resend = ServerAction::<ResendDelivery>::new();
    let resend_all = ServerAction::<ResendFailed>::new();
    let deliveries = Resource::new(
        move || (only(), resend.version().get(), resend_all.version().get()),
        move |(only, _, _)| {
            let key = only.map(|s| s.key().to_owned()).unwrap_or_default();
            list_deliveries(project_id, key)
        },
    );
    view! {
        <section aria-labelledby="deliveries-title" class="mb-8">
            <h2 id="deliveries-title" class="section-title">
                "Delivery log"
            </h2>
            <div class="filter-bar">
                <StateFilter project_id current=only() />
                <ResendAll project_id action=resend_all />
            </div>
            <ResendOne action=resend />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match deliveries.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <EmptyState title="No notifications here">
                                    "Statuses and inbound messages from the upstream appear here "
                                    "as they are forwarded to the webhook."
                                </EmptyState>
                            }
                                .into_any()
                        }
                        Ok(list) => view! { <DeliveryTable deliveries=list resend /> }.into_any(),
                        Err(e) => view! { <PanelError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// The states as links (the filter lives in the URL, so a link opens the same view).
#[component]
fn StateFilter(project_id: i64, current: Option<DeliveryState>) -> impl IntoView {
    let base = format!("/projects/{project_id}/webhook");
    let all = std::iter::once((None, "all".to_owned()));
    let states = DeliveryState::ALL.map(|s| (Some(s), s.word().to_owned()));
    view! {
        <nav class="segmented" aria-label="Show deliveries">
            {all
                .chain(states)
                .map(|(state, word)| {
                    let href = match state {
                        Some(s) => format!("{base}?show={}", s.key()),
                        None => base.clone(),
                    };
                    let here = (state == current).then_some("page");
                    view! {
                        <a href=href aria-current=here>
                            {word}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
    .into_any()
}

#[component]
fn DeliveryTable(
    deliveries: Vec<DeliveryView>,
    resend: ServerAction<ResendDelivery>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table table-cards" aria-label="Deliveries">
                <thead>
                    <tr>
                        <th>"Received"</th>
                        <th>"Event"</th>
                        <th>"Message"</th>
                        <th>"Status"</th>
                        <th>"Attempts"</th>
                        <th>
                            <span class="sr-only">"Send again"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {deliveries.into_iter().map(|d| delivery_row(d, resend)).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One notification: when it came, what it is about, where it stands, each attempt, and a
/// way to send it again.
fn delivery_row(d: DeliveryView, resend: ServerAction<ResendDelivery>) -> AnyView {
    let name = event_name(d.event_id);
    let next = (d.state == DeliveryState::Retrying).then_some(d.next_attempt_at);
    let trace = d.message.map(|id| {
        view! {
            <a class="link" href=format!("/messages/{id}")>
                "trace →"
            </a>
        }
    });
    view! {
        <tr>
            <td data-label="Received">
                <Time ms=d.created_at relative=true />
            </td>
            <td data-label="Event">
                <span class="font-medium">{d.summary.event.clone()}</span>
                <span class="block mono text-xs text-slate-500">{name.clone()}</span>
            </td>
            <td data-label="Message">
                <span class="block mono text-xs truncate max-w-48">
                    {d.summary.message_id.clone().unwrap_or_else(|| "—".into())}
                </span>
                <span class="mono text-xs">{d.summary.contact.clone()}</span>
                " "
                {trace}
            </td>
            <td data-label="Status">
                <span class=delivery_class(d.state)>{d.state.word()}</span>
                {next
                    .map(|at| {
                        view! {
                            <span class="block text-xs text-slate-500">
                                "next try " <Time ms=at />
                            </span>
                        }
                    })}
            </td>
            <td data-label="Attempts">
                <Attempts attempts=d.attempts payload=d.payload />
            </td>
            <td>
                <ActionForm action=resend>
                    <CsrfField />
                    <input type="hidden" name="delivery_id" value=d.id />
                    <button
                        type="submit"
                        class="btn-link text-emerald-700"
                        aria-label=format!("Send {name} again")
                    >
                        "Send again"
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
    .into_any()
}

/// The attempts, newest first: the receiver's status, latency and the start of its answer;
/// then the payload they sent.
#[component]
fn Attempts(attempts: Vec<AttemptView>, payload: String) -> impl IntoView {
    let last = attempts
        .first()
        .map_or_else(|| "not tried yet".to_owned(), AttemptView::summary);
    let count = rules::text::count(attempts.len() as u64, "attempt", "attempts");
    view! {
        <details>
            <summary class="cursor-pointer text-sm">{format!("{count} · {last}")}</summary>
            <ol class="text-xs space-y-2 mt-2">
                {attempts
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li>
                                <Time ms=a.at relative=true />
                                " · "
                                {a.summary()}
                                <span class="block mono text-slate-500 truncate max-w-64">
                                    {a.url.clone()}
                                </span>
                                {a
                                    .response_excerpt
                                    .filter(|b| !b.is_empty())
                                    .map(|b| view! { <pre class="json">{b}</pre> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p class="text-xs font-medium mt-2">"Payload sent"</p>
            <pre class="json">{payload}</pre>
        </details>
    }
    .into_any()
}
