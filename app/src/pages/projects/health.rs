//! A Cloud number's health as Meta sees it, on the project's overview: verified name,
//! quality, messaging limit (and the customers reached against it), throughput, account
//! status, what to do when it needs attention, and the timeline of changes; and the home
//! overview's list of numbers that need someone now.

use leptos::prelude::*;
use rules::projects::health::{HealthView, NumberHealth, meaning};
use rules::text::thousands;

use super::warmup::{WarmUpForm, cap_words};
use crate::api::projects::health::{
    CheckNumberHealth, ClearWarmup, SetWarmup, needs_attention, project_health,
};
use crate::components::{CsrfField, PanelError, Time, successes};

fn quality_class(rating: &str) -> &'static str {
    match rating {
        "GREEN" => "badge badge-read",
        "YELLOW" => "badge badge-pending",
        "RED" => "badge badge-failed",
        _ => "badge badge-sent",
    }
}

fn or_unknown(value: &str) -> String {
    if value.is_empty() {
        "—".into()
    } else {
        value.to_owned()
    }
}

#[component]
pub fn NumberHealthPanel(project_id: i64, is_staff: bool, is_admin: bool) -> impl IntoView {
    let check = ServerAction::<CheckNumberHealth>::new();
    let set = ServerAction::<SetWarmup>::new();
    let clear = ServerAction::<ClearWarmup>::new();
    let actions = Actions {
        check,
        set,
        clear,
        is_staff,
        is_admin,
    };
    let saved = (
        successes(move || check.value().get()),
        successes(move || set.value().get()),
        successes(move || clear.value().get()),
    );
    let health = Resource::new(
        move || {
            let versions = (saved.0.get(), saved.1.get(), saved.2.get());
            (project_id, versions)
        },
        |(id, _)| project_health(id),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match health.await {
                    Ok(Some(v)) => health_card(v, project_id, actions),
                    Ok(None) => ().into_any(),
                    Err(e) => {
                        view! {
                            <section class="card mb-6" aria-label="Number health">
                                <PanelError error=e />
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// The panel's forms, and who may use them.
#[derive(Clone, Copy)]
struct Actions {
    check: ServerAction<CheckNumberHealth>,
    set: ServerAction<SetWarmup>,
    clear: ServerAction<ClearWarmup>,
    is_staff: bool,
    is_admin: bool,
}

fn health_card(v: HealthView, project_id: i64, actions: Actions) -> AnyView {
    let check = actions.check;
    let button = actions.is_staff.then(|| {
        view! {
            <ActionForm action=check attr:aria-label="Check the number at Meta">
                <CsrfField />
                <input type="hidden" name="project_id" value=project_id />
                <button type="submit" class="btn-small" disabled=move || check.pending().get()>
                    {move || if check.pending().get() { "Checking…" } else { "Check now" }}
                </button>
            </ActionForm>
        }
    });
    let error = move || {
        check
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <PanelError error=e /> })
    };
    let body = match v.health {
        None => view! {
            <p class="text-sm text-slate-600">
                "Not read from Meta yet: it is read every few minutes, or press Check now."
            </p>
        }
        .into_any(),
        Some(h) => health_rows(&h, v.reached_24h),
    };
    let cap = cap_words(v.cap.as_ref(), v.reached_24h);
    let plan = v.warmup.clone();
    let warmup = v.warmup.map(|p| {
        format!(
            "Warm-up plan: {} new conversations a day, one step a day from {} (UTC).",
            p.caps_text(),
            &rules::time::format_utc(p.starts_at)[..10]
        )
    });
    let form = actions.is_admin.then(|| {
        view! { <WarmUpForm project_id plan set=actions.set clear=actions.clear /> }
    });
    view! {
        <section class="card mb-6" aria-label="Number health">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 class="section-title mt-0 mb-0">"The number at Meta"</h2>
                {button}
            </div>
            {error}
            {body}
            <p class="text-sm mt-3" data-testid="conversation-cap">
                {cap}
            </p>
            {warmup.map(|w| view! { <p class="text-sm">{w}</p> })}
            {form}
            <Timeline changes=v.changes />
        </section>
    }
    .into_any()
}

fn health_rows(h: &NumberHealth, reached: i64) -> AnyView {
    let attention = h.attention().map(|(what, todo)| {
        view! {
            <p class="notice notice-error" role="alert">
                <strong>{what}</strong>
                " "
                {todo}
            </p>
        }
    });
    let limit = match h.daily_limit() {
        Some(limit) => format!(
            "{}: {} of {} customers reached with templates in the last 24 h",
            or_unknown(&h.messaging_limit),
            thousands(reached),
            thousands(limit)
        ),
        None => format!(
            "{}: {} customers reached with templates in the last 24 h",
            or_unknown(&h.messaging_limit),
            thousands(reached)
        ),
    };
    view! {
        {attention}
        <dl class="summary mt-3">
            <dt>"Verified name"</dt>
            <dd>
                {or_unknown(&h.verified_name)} " "
                <span class="text-sm text-slate-600">
                    {format!("({}) ", or_unknown(&h.name_status))}
                    {meaning("name status", &h.name_status)}
                </span>
            </dd>
            <dt>"Quality rating"</dt>
            <dd>
                <span class=quality_class(&h.quality_rating)>{or_unknown(&h.quality_rating)}</span>
                " "
                <span class="text-sm text-slate-600">
                    {meaning("quality rating", &h.quality_rating)}
                </span>
            </dd>
            <dt>"Messaging limit"</dt>
            <dd>{limit}</dd>
            <dt>"Throughput"</dt>
            <dd>
                {or_unknown(&h.throughput)} " "
                <span class="text-sm text-slate-600">{meaning("throughput", &h.throughput)}</span>
            </dd>
            <dt>"Account status"</dt>
            <dd>
                {or_unknown(&h.account_status)} " "
                <span class="text-sm text-slate-600">
                    {meaning("account status", &h.account_status)}
                </span>
            </dd>
            <dt>"Read from Meta"</dt>
            <dd>
                <Time ms=h.checked_at relative=true />
            </dd>
        </dl>
    }
    .into_any()
}

#[component]
fn Timeline(changes: Vec<rules::projects::health::HealthChange>) -> impl IntoView {
    let items = if changes.is_empty() {
        view! { <p class="text-sm text-slate-600">"No change seen yet."</p> }.into_any()
    } else {
        view! {
            <ol class="text-sm space-y-1" aria-label="Changes">
                {changes
                    .into_iter()
                    .map(|c| {
                        let what = if c.before.is_empty() && !c.after.is_empty() {
                            format!(" · {}: {} ({})", c.field, c.after, c.source)
                        } else {
                            format!(
                                " · {}: {} → {} ({})",
                                c.field,
                                or_unknown(&c.before),
                                or_unknown(&c.after),
                                c.source,
                            )
                        };
                        view! {
                            <li>
                                <Time ms=c.at />
                                {what}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <h3 class="font-medium mt-4 mb-1">"Changes"</h3>
        {items}
    }
}

/// The home overview's list of numbers that need someone now (nothing when all are well).
#[component]
pub fn NeedsAttention() -> impl IntoView {
    let items = Resource::new(|| (), |_| needs_attention());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let items = items.await.unwrap_or_default();
                (!items.is_empty())
                    .then(|| {
                        view! {
                            <section class="card mb-6" aria-label="Needs attention">
                                <h2 class="section-title mt-0">"Needs attention"</h2>
                                <ul class="space-y-2">
                                    {items
                                        .into_iter()
                                        .map(|a| {
                                            view! {
                                                <li>
                                                    <a
                                                        class="link font-medium"
                                                        href=format!("/projects/{}", a.project_id)
                                                    >
                                                        {a.project_name}
                                                    </a>
                                                    {format!(": {}. ", a.what)}
                                                    <span class="text-sm text-slate-600">{a.todo}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}
