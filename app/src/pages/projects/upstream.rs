//! The project's connection to its upstream: can the gateway log in, the button that sets
//! the inbound URL as the upstream's callback, and the latest messages.

use leptos::prelude::*;
use rules::projects::settings::UpstreamKind;

use crate::api::messages::log::recent_messages;
use crate::api::projects::upstream::{SetUpstreamCallback, UpstreamCheck, upstream_status};
use crate::components::{CsrfField, EmptyState, FormState, FormStatus, MessageTable, PanelError};

#[component]
pub fn UpstreamStatus(project_id: i64, is_admin: bool) -> impl IntoView {
    let set = ServerAction::<SetUpstreamCallback>::new();
    let status = Resource::new(move || project_id, upstream_status);
    view! {
        <section class="card mb-6" aria-label="Upstream connection">
            <Suspense fallback=|| {
                view! {
                    <p class="text-sm text-slate-500">"Checking the upstream connection…"</p>
                }
            }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(check) => check_view(check, project_id, is_admin, set),
                        Err(e) => view! { <PanelError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

/// The check's answer in words, and for an On-Premises client (admins) the button that
/// points its callback URL here.
fn check_view(
    check: UpstreamCheck,
    project_id: i64,
    is_admin: bool,
    set: ServerAction<SetUpstreamCallback>,
) -> AnyView {
    let cloud = check.kind == UpstreamKind::Cloud;
    let (badge, words) = match (&check.problem, cloud) {
        (None, true) => (
            "connected",
            "Meta answers for this number with its access token.".to_owned(),
        ),
        (None, false) => (
            "connected",
            "The gateway can log in to this project's WhatsApp client.".to_owned(),
        ),
        (Some(why), _) => ("not connected", why.clone()),
    };
    let class = if check.problem.is_none() {
        "badge badge-read"
    } else {
        "badge badge-failed"
    };
    let set_state = FormState::new(move || set.value().get());
    let button = (is_admin && !cloud).then(|| {
        view! {
            <ActionForm action=set attr:class="mt-3">
                <CsrfField />
                <input type="hidden" name="id" value=project_id />
                <button type="submit" class="btn-small" disabled=move || set.pending().get()>
                    "Set the inbound URL on the upstream"
                </button>
                <FormStatus
                    state=set_state
                    success="The upstream now sends its notifications here."
                />
            </ActionForm>
        }
    });
    view! {
        <p>
            <span class=class>{badge}</span>
            " "
            {words}
        </p>
        {button}
    }
    .into_any()
}

#[component]
pub fn RecentMessages(project_id: i64) -> impl IntoView {
    let messages = Resource::new(move || project_id, recent_messages);
    view! {
        <section aria-labelledby="recent-title" class="mb-8">
            <div class="page-head">
                <h2 id="recent-title" class="section-title">
                    "Latest messages"
                </h2>
                <a class="link text-sm" href=format!("/messages?project={project_id}")>
                    "All messages of this project →"
                </a>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match messages.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <EmptyState title="No messages yet">
                                    "Messages sent with this project's API keys, "
                                    "and customers' replies, appear here."
                                </EmptyState>
                            }
                                .into_any()
                        }
                        Ok(list) => view! { <MessageTable rows=list /> }.into_any(),
                        Err(e) => view! { <PanelError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
