//! The project's delivery log: each notification forwarded (or being forwarded) to the
//! partner, with every attempt; filter failed and dead ones, resend one or all since a date.

use leptos::prelude::*;
use rules::webhooks::deliveries::{AttemptView, DeliveryView};

use crate::api::webhooks::deliveries::{ResendDelivery, ResendFailed, list_deliveries};
use crate::components::message::delivery_class;
use crate::components::{CsrfField, EmptyState, FormState, FormStatus, Loading, PanelError, Time};

#[component]
pub fn DeliveryLog(project_id: i64) -> impl IntoView {
    let only = RwSignal::new(String::new());
    let resend = ServerAction::<ResendDelivery>::new();
    let resend_all = ServerAction::<ResendFailed>::new();
    let all_state = FormState::new(move || resend_all.value().get());
    let deliveries = Resource::new(
        move || {
            (
                only.get(),
                resend.version().get(),
                resend_all.version().get(),
            )
        },
        move |(only, _, _)| list_deliveries(project_id, only),
    );
    view! {
        <section aria-labelledby="deliveries-title" class="mb-8">
            <h2 id="deliveries-title" class="section-title">
                "Delivery log"
            </h2>
            <div class="filter-bar">
                <div class="field">
                    <label for="deliveries-only">"Show"</label>
                    <select
                        id="deliveries-only"
                        on:change=move |ev| only.set(event_target_value(&ev))
                    >
                        <option value="">"All notifications"</option>
                        <option value="failed">"Failing (being retried)"</option>
                        <option value="dead">"Dead (retries exhausted)"</option>
                    </select>
                </div>
                <details>
                    <summary class="link cursor-pointer">"Resend failed notifications…"</summary>
                    <ActionForm
                        action=resend_all
                        attr:class="inline-form mt-2"
                        attr:aria-label="Resend failed notifications"
                    >
                        <CsrfField />
                        <input type="hidden" name="project_id" value=project_id />
                        <div class="field">
                            <label for="resend-since">
                                "Every failed or dead notification since (UTC)"
                            </label>
                            <input id="resend-since" type="date" name="since" required=true />
                        </div>
                        <p class="hint max-w-xs">
                            "They are all sent to the webhook again; "
                            "the partner may receive some twice (same event id)."
                        </p>
                        <button type="submit" class="btn-small">
                            "Resend them"
                        </button>
                        <FormStatus state=all_state success="Queued to be sent again." />
                    </ActionForm>
                </details>
            </div>
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

#[component]
fn DeliveryTable(
    deliveries: Vec<DeliveryView>,
    resend: ServerAction<ResendDelivery>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th>"Received"</th>
                        <th>"Event"</th>
                        <th>"Status"</th>
                        <th>"Attempts"</th>
                        <th>"Last result"</th>
                        <th></th>
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

/// One notification: when it came, its status, each attempt, and a way to send it again.
fn delivery_row(d: DeliveryView, resend: ServerAction<ResendDelivery>) -> AnyView {
    let last = d
        .attempts
        .first()
        .map(|a| match (&a.error, a.http_status) {
            (Some(e), _) => e.clone(),
            (None, Some(s)) => format!("{s} in {} ms", a.latency_ms),
            (None, None) => "—".into(),
        })
        .unwrap_or_else(|| "not tried yet".into());
    let attempts = d.attempts.clone();
    view! {
        <tr>
            <td>
                <Time ms=d.created_at relative=true />
            </td>
            <td class="mono">{format!("evt_{} · {}", d.event_id, d.kind)}</td>
            <td>
                <span class=delivery_class(&d.status)>{d.status.clone()}</span>
            </td>
            <td>
                <details>
                    <summary class="cursor-pointer">{attempts.len()}</summary>
                    <ul class="text-xs space-y-1 mt-1">
                        {attempts.into_iter().map(attempt_item).collect_view()}
                    </ul>
                </details>
            </td>
            <td class="text-sm">{last}</td>
            <td>
                <ActionForm action=resend>
                    <CsrfField />
                    <input type="hidden" name="delivery_id" value=d.id />
                    <button
                        type="submit"
                        class="btn-link text-emerald-700"
                        aria-label=format!("Resend evt_{}", d.event_id)
                    >
                        "Resend"
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
    .into_any()
}

fn attempt_item(a: AttemptView) -> AnyView {
    let answer = a
        .http_status
        .map(|s| s.to_string())
        .unwrap_or_else(|| "no answer".into());
    view! {
        <li>
            <Time ms=a.at relative=true />
            " — "
            {answer}
            {format!(" · {} ms", a.latency_ms)}
            {a.error.map(|e| format!(" · {e}"))}
        </li>
    }
    .into_any()
}
