//! Your account: who you are, and a new password (the current one first; other sessions
//! end, this one goes on).

use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::accounts::auth::me;
use crate::api::accounts::users::ChangePassword;
use crate::components::{CsrfField, FormState, FormStatus, Loading, TextField};

const NEW_PASSWORD_HINT: &str =
    "At least 12 characters. A few unrelated words are easy to remember and hard to guess.";

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| me());
    let change = ServerAction::<ChangePassword>::new();
    let state = FormState::new(move || change.value().get());
    // A changed password leaves no trace in the form.
    let form = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if state.succeeded.get() {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    view! {
        <Title text="Your account · Tujenge" />
        <h1 class="page-title">"Your account"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                me.await
                    .ok()
                    .flatten()
                    .map(|u| {
                        view! {
                            <dl class="summary card max-w-2xl">
                                <div>
                                    <dt>"Email"</dt>
                                    <dd class="mono">{u.email}</dd>
                                </div>
                                <div>
                                    <dt>"Role"</dt>
                                    <dd>{u.role.label()}</dd>
                                </div>
                            </dl>
                        }
                    })
            })}
        </Suspense>
        <h2 class="section-title">"Change your password"</h2>
        <ActionForm action=change node_ref=form attr:class="card form-grid max-w-2xl">
            <CsrfField />
            <TextField
                label="Current password"
                name="current_password"
                kind="password"
                autocomplete="current-password"
                required=true
                errors=state.fields
            />
            <TextField
                label="New password"
                name="new_password"
                kind="password"
                autocomplete="new-password"
                hint=NEW_PASSWORD_HINT
                required=true
                check=rules::text::password_strength
                errors=state.fields
            />
            <TextField
                label="New password again"
                name="repeat_password"
                kind="password"
                autocomplete="new-password"
                required=true
                errors=state.fields
            />
            <p class="hint">
                "Your other sessions (other browsers, other devices) end when it changes."
            </p>
            <FormStatus state success="Password changed. Your other sessions have ended." />
            <button type="submit" class="btn" disabled=move || change.pending().get()>
                "Change password"
            </button>
        </ActionForm>
    }
    .into_any()
}
