//! The login page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::auth::Login;
use crate::components::{CsrfField, FormState, FormStatus, TextField};

const FORGOT_PASSWORD: &str =
    "Forgot your password? Your Tujenge contact (or your console admin) can set a new one for you.";

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let state = FormState::new(move || login.value().get());
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_default();
    // A full page load after logging in, so the page starts from the new session (role).
    #[cfg(feature = "hydrate")]
    {
        // The viewer's zone is known before the first console page: its times are local.
        Effect::new(|_| crate::components::form::remember_viewer_zone());
        let target = next.clone();
        Effect::new(move |_| {
            if matches!(login.value().get(), Some(Ok(()))) {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().set_href(rules::text::safe_next(&target));
                }
            }
        });
    }
    view! {
        <Title text="Log in · Tujenge" />
        <main class="min-h-screen grid place-items-center bg-slate-100 px-4">
            <div class="card w-full max-w-sm">
                <h1 class="page-title">"Tujenge console"</h1>
                <p class="text-sm text-slate-500 mb-6">"WhatsApp Business API gateway"</p>
                <ActionForm action=login attr:class="space-y-4">
                    <CsrfField />
                    <input type="hidden" name="next" value=next />
                    <TextField
                        label="Email"
                        name="email"
                        kind="email"
                        autocomplete="username"
                        required=true
                        errors=state.fields
                        check=rules::text::email
                    />
                    <TextField
                        label="Password"
                        name="password"
                        kind="password"
                        autocomplete="current-password"
                        required=true
                        errors=state.fields
                    />
                    <FormStatus state success="Logged in." />
                    <button type="submit" class="btn w-full" disabled=move || login.pending().get()>
                        "Log in"
                    </button>
                </ActionForm>
                <p class="hint mt-4">{FORGOT_PASSWORD}</p>
            </div>
        </main>
    }
    .into_any()
}
