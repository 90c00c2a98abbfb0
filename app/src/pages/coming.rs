//! Areas whose data arrives with the gateway: honest empty states until then.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::EmptyState;

#[component]
pub fn MessagesPage() -> impl IntoView {
    view! {
        <Title text="Messages · Tujenge"/>
        <h1 class="page-title">"Messages"</h1>
        <EmptyState title="No messages yet">
            "Every message sent or received through the gateway will be listed here, with its status and error code."
        </EmptyState>
    }
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    view! {
        <Title text="Templates · Tujenge"/>
        <h1 class="page-title">"Templates"</h1>
        <EmptyState title="No templates yet">
            "Message templates for each project, with a live preview against WhatsApp's limits, will be managed here."
        </EmptyState>
    }
}
