//! What came back for a message, on its trace: each status notification (with its codes
//! explained in words) and each attempt to forward it to the partner's webhook.

use leptos::prelude::*;
use rules::messages::log::MessageTrace;
use rules::webhooks::deliveries::{AttemptView, DeliveryState, DeliveryView, event_name};

use crate::components::message::delivery_class;
use crate::components::{CodeExplained, CodeLinks, StatusBadge, Time};

#[component]
pub fn Statuses(trace: MessageTrace) -> impl IntoView {
    view! {
        <section class="card mb-4" aria-labelledby="t-statuses">
            <h2 id="t-statuses" class="section-title mt-0">
                "Status notifications"
            </h2>
            {if trace.statuses.is_empty() {
                view! { <p class="text-sm text-slate-500">"None received for this message."</p> }
                    .into_any()
            } else {
                view! {
                    <ol class="space-y-1">
                        {trace
                            .statuses
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <li>
                                        <Time ms=s.at />
                                        " "
                                        <StatusBadge status=s.status />
                                        " "
                                        <CodeLinks codes=s.error_codes.clone() />
                                        " "
                                        <span class="text-sm">{s.detail.unwrap_or_default()}</span>
                                        <CodeExplained codes=s.error_codes />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
pub fn Forwarding(deliveries: Vec<DeliveryView>) -> impl IntoView {
    view! {
        <section class="card mb-4" aria-labelledby="t-forwarding">
            <h2 id="t-forwarding" class="section-title mt-0">
                "Forwarding to the partner's webhook"
            </h2>
            {if deliveries.is_empty() {
                view! {
                    <p class="text-sm text-slate-500">"Nothing to forward yet for this message."</p>
                }
                    .into_any()
            } else {
                deliveries
                    .into_iter()
                    .map(|d| {
                        view! {
                            <h3 class="font-semibold mt-3">
                                {format!("{} · {} ", d.summary.event, event_name(d.event_id))}
                                <span class=delivery_class(d.state)>{d.state.word()}</span>
                                {(d.state == DeliveryState::Retrying)
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="text-sm font-normal">
                                                "next try "<Time ms=d.next_attempt_at />
                                            </span>
                                        }
                                    })}
                            </h3>
                            {if d.attempts.is_empty() {
                                view! { <p class="text-sm">"Not attempted yet."</p> }.into_any()
                            } else {
                                attempts_table(d.attempts).into_any()
                            }}
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
    .into_any()
}

fn attempts_table(attempts: Vec<AttemptView>) -> AnyView {
    view! {
        <div class="scroll-x">
            <table class="table" aria-label="Forwarding attempts">
                <thead>
                    <tr>
                        <th>"When"</th>
                        <th>"URL"</th>
                        <th>"Result"</th>
                        <th>"Latency"</th>
                    </tr>
                </thead>
                <tbody>{attempts.into_iter().map(attempt_row).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One attempt to forward: when, where, what came back, how long it took.
fn attempt_row(a: AttemptView) -> AnyView {
    let result = match (a.http_status, a.error) {
        (Some(s), _) if (200..300).contains(&s) => format!("HTTP {s}"),
        (Some(s), e) => format!("HTTP {s} {}", e.unwrap_or_default()),
        (None, e) => e.unwrap_or_else(|| "no answer".into()),
    };
    view! {
        <tr>
            <td>
                <Time ms=a.at />
            </td>
            <td class="mono text-xs">{a.url}</td>
            <td>{result}</td>
            <td>{format!("{} ms", a.latency_ms)}</td>
        </tr>
    }
    .into_any()
}
