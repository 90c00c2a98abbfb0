//! A template's status in words: a badge (its meaning on hover), the legend of every
//! status, and Meta's review of each language.

use leptos::prelude::*;
use rules::templates::library::{Status, TemplateInput};

pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Approved => "badge badge-read",
        Status::Rejected => "badge badge-failed",
        Status::Submitted => "badge badge-pending",
        Status::Draft => "badge badge-sent",
        Status::Paused => "badge badge-failed",
        Status::Disabled => "badge badge-dead",
    }
}

/// A status as a badge, its meaning on hover.
pub fn status_badge(status: Status) -> impl IntoView {
    view! {
        <span class=status_class(status) title=status.meaning()>
            {status.label()}
        </span>
    }
}

/// What each status means for sending.
#[component]
pub fn StatusLegend() -> impl IntoView {
    view! {
        <details class="mt-4 text-sm">
            <summary class="link cursor-pointer">"What the statuses mean"</summary>
            <dl class="mt-2 grid gap-2 sm:grid-cols-[8rem_1fr]">
                {Status::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <dt>{status_badge(s)}</dt>
                            <dd>{s.meaning()}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
        </details>
    }
}

/// Meta's review of each language, in words.
pub fn meta_status(input: &TemplateInput) -> Vec<AnyView> {
    if input.translations.iter().all(|t| t.review.is_none()) {
        return vec![
            view! { <li>"Not submitted yet: submitting sends it to Meta's review."</li> }
                .into_any(),
        ];
    }
    input
        .translations
        .iter()
        .map(|t| {
            let (status, reason) = t.status(input);
            let reason = (!reason.is_empty() && reason != "NONE").then(|| format!(" ({reason})"));
            view! {
                <li>
                    <span class="mono">{t.language.clone()}</span>
                    " "
                    {status_badge(status)}
                    {reason}
                    " "
                    <span class="text-slate-600">{status.meaning()}</span>
                </li>
            }
            .into_any()
        })
        .collect()
}
