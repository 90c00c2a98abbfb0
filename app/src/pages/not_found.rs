//! The 404 page: says nothing about what exists.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text="Not found · Tujenge" />
        <div class="max-w-lg mx-auto mt-24 text-center">
            <h1 class="page-title">"Page not found"</h1>
            <p class="text-slate-600 mt-2">"There is nothing here, or it is not yours to see."</p>
            <a class="btn mt-6 inline-block" href="/">
                "Back to the overview"
            </a>
        </div>
    }
    .into_any()
}
