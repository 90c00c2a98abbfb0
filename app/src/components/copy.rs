//! A copy button for ids, numbers and secrets (works once hydrated), and the box that
//! shows a new secret once.

use leptos::prelude::*;

#[component]
pub fn CopyButton(
    #[prop(into)] text: String,
    #[prop(optional)] what: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let label = if what.is_empty() {
        "Copy".to_owned()
    } else {
        format!("Copy {what}")
    };
    view! {
        <button
            type="button"
            class="btn-quiet ml-2"
            aria-label=label
            on:click=move |_| {
                #[cfg(feature = "hydrate")]
                if let Some(window) = web_sys::window() {
                    let _ = window.navigator().clipboard().write_text(&text);
                }
                let _ = &text;
                copied.set(true);
            }
        >
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}

/// A new secret (API key, signing secret), shown once: highlighted, with a copy button and
/// a plain warning. `what` names it ("key"); `testid` lets tests read it.
#[component]
pub fn OneTimeSecret(secret: String, what: &'static str, testid: &'static str) -> impl IntoView {
    view! {
        <div class="notice notice-warn" role="status">
            <p class="font-medium">
                {format!("Copy this {what} now. It will not be shown again.")}
            </p>
            <div class="flex items-center gap-2 mt-2">
                <code class="mono break-all" data-testid=testid>
                    {secret.clone()}
                </code>
                <CopyButton text=secret what=what />
            </div>
        </div>
    }
}
