//! How a message's status and error codes look everywhere in the console.

use leptos::prelude::*;
use rules::messages::log::MessageListRow;
use rules::webhooks::deliveries::DeliveryState;

use super::{DataTable, Time};

/// The same colours everywhere: sent grey, delivered blue, read green, failed red.
pub fn status_class(status: &str) -> &'static str {
    match status {
        "delivered" => "badge badge-delivered",
        "read" | "received" => "badge badge-read",
        "failed" | "refused" => "badge badge-failed",
        "accepted" | "pending" => "badge badge-pending",
        _ => "badge badge-sent",
    }
}

/// A forwarding to the partner's webhook: delivered green, queued grey, retrying amber,
/// given up dark red.
pub fn delivery_class(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Delivered => "badge badge-read",
        DeliveryState::Queued => "badge badge-sent",
        DeliveryState::Retrying => "badge badge-pending",
        DeliveryState::GivenUp => "badge badge-dead",
    }
}

#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    view! { <span class=status_class(&status)>{status.clone()}</span> }
}

/// Each code links to its explanation.
#[component]
pub fn CodeLinks(#[prop(into)] codes: String) -> impl IntoView {
    rules::messages::log::codes(&codes)
        .into_iter()
        .map(|c| {
            view! {
                <a
                    class="link mono mr-1"
                    href=format!("/error-codes/{c}")
                    title=rules::error_codes::find(c).map(|e| e.title)
                >
                    {c}
                </a>
            }
        })
        .collect_view()
}

/// What a failure's codes mean, in words from the catalog: the most specific code's (Meta's
/// own on a Cloud number) title, likely cause and what to do.
#[component]
pub fn CodeExplained(#[prop(into)] codes: String) -> impl IntoView {
    let entry = rules::messages::log::codes(&codes)
        .into_iter()
        .rev()
        .find_map(rules::error_codes::find);
    entry.map(|e| {
        view! {
            <p class="text-sm text-slate-600" data-testid="code-explained">
                <strong>{e.title}</strong>
                ". "
                {e.causes}
                " What to do: "
                {e.fix}
            </p>
        }
        .into_any()
    })
}

/// A failure in a line of words for a list: Meta's own (or the gateway's) reason, else the
/// catalog's title of the most specific code; at most two lines, the whole on the trace.
#[component]
fn FailureWords(codes: String, reason: Option<String>) -> impl IntoView {
    let words = reason.or_else(|| {
        rules::messages::log::codes(&codes)
            .into_iter()
            .rev()
            .find_map(rules::error_codes::find)
            .map(|e| e.title.to_owned())
    });
    words.map(|w| {
        let whole = w.clone();
        view! {
            <span class="block text-xs text-slate-600 line-clamp-2 max-w-xs" title=whole>
                {w}
            </span>
        }
    })
}

/// Messages as a table, newest first; the time links to the message's trace. Rows and
/// the table are type-erased (`into_any`): their full view types nest deeply enough to
/// overflow the compiler's query depth in the release (hydrate) build.
#[component]
pub fn MessageTable(
    rows: Vec<MessageListRow>,
    #[prop(optional)] show_project: bool,
) -> impl IntoView {
    let headers = ["When"]
        .into_iter()
        .chain(show_project.then_some("Project"))
        .chain([
            "Direction",
            "Recipient / sender",
            "Type",
            "Status",
            "Error codes",
        ])
        .collect();
    view! {
        <DataTable headers label="Messages" cards=true>
            {rows
                .into_iter()
                .map(|m| {
                    view! {
                        <tr>
                            <td data-label="When">
                                <a
                                    class="link"
                                    href=format!("/messages/{}", m.id)
                                    aria-label=format!("Trace of message {}", m.id)
                                >
                                    <Time ms=m.created_at relative=true />
                                </a>
                            </td>
                            {show_project
                                .then(|| {
                                    let href = format!("/projects/{}", m.project_id);
                                    view! {
                                        <td data-label="Project">
                                            <a class="link" href=href>
                                                {m.project_name.clone()}
                                            </a>
                                        </td>
                                    }
                                })}
                            <td data-label="Direction">{m.direction}</td>
                            <td data-label="To / from" class="mono">
                                {m.contact}
                            </td>
                            <td data-label="Type">{m.message_type}</td>
                            <td data-label="Status">
                                <StatusBadge status=m.status />
                            </td>
                            <td data-label="Error codes">
                                <CodeLinks codes=m.error_codes.clone() />
                                <FailureWords codes=m.error_codes reason=m.reason />
                            </td>
                        </tr>
                    }
                        .into_any()
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}
