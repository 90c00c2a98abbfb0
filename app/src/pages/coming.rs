//! Areas whose data arrives with the gateway: honest empty states until then.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::EmptyState;

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
