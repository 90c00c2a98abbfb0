//! How a message's status and error codes look everywhere in the console.

use leptos::prelude::*;

/// The same colours everywhere: sent grey, delivered blue, read green, failed red.
pub fn status_class(status: &str) -> &'static str {
    match status {
        "delivered" => "badge badge-delivered",
        "read" | "received" => "badge badge-read",
        "failed" | "refused" | "dead" => "badge badge-failed",
        "accepted" | "pending" => "badge badge-pending",
        _ => "badge badge-sent",
    }
}

#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    view! { <span class=status_class(&status)>{status.clone()}</span> }
}

/// Each code links to its explanation.
#[component]
pub fn CodeLinks(#[prop(into)] codes: String) -> impl IntoView {
    rules::messages::codes(&codes)
        .into_iter()
        .map(|c| view! { <a class="link mono mr-1" href=format!("/error-codes/{c}") title=rules::errors::find(c).map(|e| e.title)>{c}</a> })
        .collect_view()
}
