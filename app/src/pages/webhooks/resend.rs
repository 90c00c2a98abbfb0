//! Sending notifications again: one, its answer said at once ("evt_12 sent again — HTTP
//! 200 in 8 ms"); or every failed one since a day, after a confirmation that names how
//! many ("Resend 214 failed notifications?").

use leptos::prelude::*;
use rules::text::count;
use rules::webhooks::deliveries::{Resent, event_name};

use crate::api::webhooks::deliveries::{ResendDelivery, ResendFailed};
use crate::components::{CsrfField, ErrorNote, ResultArea, viewer_zone};

/// The answer to the latest "Send again" of a row.
#[component]
pub fn ResendOne(action: ServerAction<ResendDelivery>) -> impl IntoView {
    let answer = move || {
        action.value().get().map(|answer| match answer {
            Ok(d) => {
                let attempt = d.attempts.first().cloned().unwrap_or_default();
                let (class, words) = if attempt.succeeded() {
                    ("notice notice-ok", "sent again")
                } else {
                    ("notice notice-error", "sent again, and it failed")
                };
                let said = format!("{} {words} — {}", event_name(d.event_id), attempt.summary());
                view! {
                    <p class=class data-testid="resend-result">
                        {said}
                    </p>
                }
                .into_any()
            }
            Err(error) => view! { <ErrorNote error /> }.into_any(),
        })
    };
    view! { <ResultArea>{answer}</ResultArea> }
}

/// Every failed notification since a day: first how many, then, confirmed, all of them.
#[component]
pub fn ResendAll(project_id: i64, action: ServerAction<ResendFailed>) -> impl IntoView {
    let answer = move || action.value().get().and_then(Result::ok);
    let error = move || action.value().get().and_then(Result::err);
    view! {
        <details open=move || answer().is_some()>
            <summary class="link cursor-pointer">"Resend failed notifications…"</summary>
            <ActionForm
                action=action
                attr:class="inline-form mt-2"
                attr:aria-label="Resend failed notifications"
            >
                <CsrfField />
                <input type="hidden" name="project_id" value=project_id />
                <div class="field">
                    <label for="resend-since">
                        {format!("Failed or given up since ({})", viewer_zone())}
                    </label>
                    <input id="resend-since" type="date" name="since" required=true />
                </div>
                <button type="submit" class="btn-small">
                    "Count them"
                </button>
            </ActionForm>
            {move || error().map(|error| view! { <ErrorNote error /> })}
            {move || answer().map(|r| view! { <Confirmation project_id resent=r action /> })}
        </details>
    }
    .into_any()
}

/// What the count said: nothing to send, a question naming the count, or the count queued.
#[component]
fn Confirmation(project_id: i64, resent: Resent, action: ServerAction<ResendFailed>) -> AnyView {
    let notifications = count(resent.count, "failed notification", "failed notifications");
    if resent.queued {
        let said = format!("{notifications} queued to be sent again.");
        return view! { <p class="notice notice-ok">{said}</p> }.into_any();
    }
    if resent.count == 0 {
        return view! { <p class="notice">"No failed notifications since that day."</p> }
            .into_any();
    }
    view! {
        <ActionForm action=action attr:class="notice mt-2" attr:aria-label="Confirm the resend">
            <CsrfField />
            <input type="hidden" name="project_id" value=project_id />
            <input type="hidden" name="since" value=resent.day.clone() />
            <input type="hidden" name="confirm" value="yes" />
            <p>{format!("Resend {notifications}?")}</p>
            <p class="hint">
                "Each goes to the webhook again with its own event id; "
                "the partner may receive some twice."
            </p>
            <button type="submit" class="btn-small mt-2">
                {format!("Resend {}", rules::text::thousands(resent.count as i64))}
            </button>
        </ActionForm>
    }
    .into_any()
}
