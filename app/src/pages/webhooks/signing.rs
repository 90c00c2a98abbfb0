//! The signature panel: how deliveries are signed, the active secrets (`••••` and the last
//! four, with their dates; the old one with when it stops), and for those who configure
//! the project a new secret, shown once, with the overlap during which the old one still
//! signs.

use leptos::prelude::*;
use rules::webhooks::signing::{Overlap, SecretView, SigningView};

use crate::api::webhooks::config::RotateSigningSecret;
use crate::components::{CsrfField, FormState, FormStatus, OneTimeSecret, Time};

#[component]
pub fn Signing(
    project_id: i64,
    signing: SigningView,
    can_edit: bool,
    rotate: ServerAction<RotateSigningSecret>,
) -> impl IntoView {
    let state = FormState::new(move || rotate.value().get());
    let signed = signing.current.is_some();
    view! {
        <div class="card max-w-3xl mb-4" aria-labelledby="signing-title" role="region">
            <h3 id="signing-title" class="font-medium">
                "Signature"
            </h3>
            {if signed {
                view! {
                    <p class="text-sm mt-1">
                        "Deliveries carry "
                        <code class="mono">
                            "X-Tujenge-Signature: sha256=HMAC(secret, \"{timestamp}.{body}\")"
                        </code> " and " <code class="mono">"X-Tujenge-Timestamp"</code>
                        ": check both and refuse old timestamps. While an old secret overlaps, "
                        "the header holds both signatures, the new one first: "
                        <code class="mono">"sha256=<new>,sha256=<old>"</code>
                        ". Accept the delivery if either matches."
                    </p>
                    <ul class="text-sm mt-2 space-y-1" aria-label="Active signing secrets">
                        {signing.current.map(|s| secret_item(s, "current"))}
                        {signing.previous.map(|s| secret_item(s, "old"))}
                    </ul>
                }
                    .into_any()
            } else {
                view! {
                    <p class="text-sm mt-1">
                        "Deliveries are not signed. With a signing secret your receiver "
                        "can tell our calls from anyone else's."
                    </p>
                }
                    .into_any()
            }}
            {can_edit.then(|| view! { <RotateForm project_id signed rotate /> })}
            <FormStatus state success="Signing secret created." />
            {move || {
                rotate
                    .value()
                    .get()
                    .and_then(Result::ok)
                    .map(|secret| {
                        view! {
                            <OneTimeSecret
                                secret
                                what="signing secret"
                                testid="new-signing-secret"
                            />
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

/// One active secret: masked, when it was made, and when an old one stops signing.
fn secret_item(secret: SecretView, which: &'static str) -> AnyView {
    view! {
        <li>
            <span class="mono">{secret.masked}</span>
            {format!(" · {which}")}
            {secret
                .created_at
                .map(|at| {
                    view! {
                        " · made "
                        <Time ms=at />
                    }
                })}
            {secret
                .expires_at
                .map(|at| {
                    view! {
                        " · stops signing "
                        <Time ms=at />
                    }
                })}
        </li>
    }
    .into_any()
}

/// A first secret, or a new one with the overlap chosen.
#[component]
fn RotateForm(
    project_id: i64,
    signed: bool,
    rotate: ServerAction<RotateSigningSecret>,
) -> impl IntoView {
    let form = move |label: &'static str| {
        view! {
            <ActionForm action=rotate attr:class="mt-2 space-y-2">
                <CsrfField />
                <input type="hidden" name="project_id" value=project_id />
                {signed
                    .then(|| {
                        view! {
                            <fieldset class="text-sm space-y-1">
                                <legend class="font-medium">"The current secret"</legend>
                                {Overlap::ALL
                                    .into_iter()
                                    .map(|o| {
                                        view! {
                                            <label class="checkbox">
                                                <input
                                                    type="radio"
                                                    name="overlap"
                                                    value=o.key()
                                                    checked=o == Overlap::Day
                                                />
                                                {format!(" {}", o.label())}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })}
                <button
                    type="submit"
                    class=if signed { "btn-danger" } else { "btn-small" }
                    disabled=move || rotate.pending().get()
                >
                    {label}
                </button>
            </ActionForm>
        }
    };
    if signed {
        view! {
            <details class="mt-2">
                <summary class="link cursor-pointer">"Rotate the signing secret…"</summary>
                <p class="text-sm mt-2">
                    "A new secret is made and shown once. Deliveries are signed with it at once; "
                    "during the overlap they carry the old secret's signature too, so you can "
                    "deploy the new secret first. When the overlap ends only the new one signs."
                </p>
                {form("Rotate the signing secret")}
            </details>
        }
        .into_any()
    } else {
        form("Create a signing secret").into_any()
    }
}
