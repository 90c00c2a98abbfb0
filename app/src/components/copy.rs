//! A copy button for ids, numbers and secrets (works once hydrated).

use leptos::prelude::*;

#[component]
pub fn CopyButton(#[prop(into)] text: String, #[prop(optional)] what: &'static str) -> impl IntoView {
    let copied = RwSignal::new(false);
    let label = if what.is_empty() { "Copy".to_owned() } else { format!("Copy {what}") };
    view! {
        <button type="button" class="btn-quiet ml-2" aria-label=label on:click=move |_| {
            #[cfg(feature = "hydrate")]
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&text);
            }
            let _ = &text;
            copied.set(true);
        }>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
    }
}
