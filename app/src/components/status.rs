//! Loading, empty and error states, worded for the person looking at the page.

use leptos::prelude::*;

use crate::error::AppError;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="text-slate-500 text-sm">"Loading…"</p> }
}

/// What the page is for and the next step, when there is nothing to list yet.
#[component]
pub fn EmptyState(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="empty-state">
            <p class="font-medium text-slate-700">{title}</p>
            <div class="text-sm text-slate-500">{children()}</div>
        </div>
    }
}

#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let login = matches!(error, AppError::Unauthenticated);
    view! {
        <div class="notice notice-error" role="alert">
            <p>{error.to_string()}</p>
            {login
                .then(|| {
                    view! {
                        <a class="link" href="/login" rel="external">
                            "Log in again"
                        </a>
                    }
                })}
        </div>
    }
}

/// A panel's error: nothing for "not found" (the page itself says so), the note otherwise.
#[component]
pub fn PanelError(error: AppError) -> impl IntoView {
    (error != AppError::NotFound).then(|| view! { <ErrorNote error /> })
}
