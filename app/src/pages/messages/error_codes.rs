//! The error-code catalog: searchable list, and one page per code with what happened, the
//! likely cause, what to do, and how often it was hit in the user's projects.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use rules::error_codes::{self, ErrorCode};

use crate::api::messages::error_codes::error_code_counts;
use crate::components::{DataTable, ErrorNote, listing};

fn kind_badge(code: &ErrorCode) -> &'static str {
    match code.kind {
        error_codes::Kind::Retry => "badge badge-pending",
        error_codes::Kind::Fix => "badge badge-failed",
        error_codes::Kind::Config => "badge badge-sent",
        error_codes::Kind::Template => "badge badge-delivered",
    }
}

#[component]
pub fn ErrorCodesPage() -> impl IntoView {
    let query = use_query_map()
        .with_untracked(|q| q.get("q"))
        .unwrap_or_default();
    let found = error_codes::search(&query);
    view! {
        <Title text="Error codes · Tujenge" />
        <h1 class="page-title">"Error codes"</h1>
        <form method="get" action="/error-codes" class="filter-bar" role="search">
            <div class="field grow">
                <label for="error-search">"Search codes, titles and fixes"</label>
                <input
                    id="error-search"
                    name="q"
                    value=query.clone()
                    placeholder="470, template, latitude…"
                />
            </div>
            <button type="submit" class="btn">
                "Search"
            </button>
        </form>
        {listing(
            Ok(found),
            "No code matches",
            "Try a number such as 470, or a word such as template.",
            |found| {
                view! {
                    <DataTable headers=vec![
                        "Code",
                        "Title",
                        "Kind",
                        "From",
                        "What to do",
                    ]>
                        {found
                            .into_iter()
                            .map(|e| {
                                let href = format!("/error-codes/{}", e.code);
                                view! {
                                    <tr>
                                        <td class="mono">
                                            <a class="link" href=href>
                                                {e.code}
                                            </a>
                                        </td>
                                        <td>{e.title}</td>
                                        <td>
                                            <span class=kind_badge(e)>{e.kind.label()}</span>
                                        </td>
                                        <td>{e.source}</td>
                                        <td class="text-sm">{e.fix}</td>
                                    </tr>
                                }
                                    .into_any()
                            })
                            .collect_view()}
                    </DataTable>
                }
                    .into_any()
            },
        )}
    }
    .into_any()
}

fn source_words(source: &str) -> &'static str {
    match source {
        "gateway" => "the gateway, before the upstream",
        "cloud" => "Meta's WhatsApp Cloud API",
        _ => "an On-Premises WhatsApp client",
    }
}

/// The same error on the other API: a Cloud code's On-Premises twin (what partners are
/// answered with), or an On-Premises code's Cloud equivalents.
#[component]
fn Twins(code: u32) -> impl IntoView {
    let twin = error_codes::onprem_twin(code);
    let equivalents = error_codes::cloud_twins(code);
    let link = |c: u32| {
        view! {
            <a class="link mono" href=format!("/error-codes/{c}")>
                {c}
            </a>
            " "
        }
    };
    view! {
        {twin
            .map(|t| {
                view! {
                    <p class="text-sm mb-3">
                        "Partners on the seed's API get its On-Premises twin: " {link(t)}
                    </p>
                }
            })}
        {(!equivalents.is_empty())
            .then(|| {
                view! {
                    <p class="text-sm mb-3">
                        "On the Cloud API the same error is: "
                        {equivalents.into_iter().map(link).collect_view()}
                    </p>
                }
            })}
    }
    .into_any()
}

#[component]
pub fn ErrorCodePage() -> impl IntoView {
    let code =
        use_params_map().with_untracked(|p| p.get("code").and_then(|c| c.parse::<u32>().ok()));
    let entries: Vec<&'static ErrorCode> = code
        .map(|c| error_codes::catalog().filter(|e| e.code == c).collect())
        .unwrap_or_default();
    let Some(code) = code.filter(|_| !entries.is_empty()) else {
        return view! { <crate::pages::not_found::NotFoundPage /> }.into_any();
    };
    let counts = Resource::new(move || code, error_code_counts);
    let title = format!("Error {} · Tujenge", entries[0].code);
    view! {
        <Title text=title />
        <a class="link text-sm" href="/error-codes">
            "← All error codes"
        </a>
        {entries
            .into_iter()
            .map(|e| {
                view! {
                    <article class="card max-w-3xl mt-4" aria-labelledby=format!("code-{}", e.code)>
                        <h1 id=format!("code-{}", e.code) class="page-title">
                            {format!("{} — {}", e.code, e.title)}
                        </h1>
                        <p class="mb-4">
                            <span class=kind_badge(e)>{e.kind.label()}</span>
                            " "
                            <span class="text-sm text-slate-500">
                                {format!("answered by {}", source_words(e.source))}
                            </span>
                        </p>
                        <Twins code=e.code />
                        <h2 class="section-title mt-0">"What happened"</h2>
                        <p>{e.meaning}</p>
                        <h2 class="section-title">"Likely cause"</h2>
                        <p>{e.causes}</p>
                        <h2 class="section-title">"What to do"</h2>
                        <p>{e.fix}</p>
                    </article>
                }
            })
            .collect_view()}
        <section class="card max-w-3xl mt-4" aria-label="How often">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match counts.await {
                        Ok(counts) => {
                            view! {
                                <p>
                                    "In your projects: " <a class="link" href=counts.href(code, 1)>
                                        {format!(
                                            "{} in the last 24 hours",
                                            rules::text::count(
                                                counts.last_day as u64,
                                                "message",
                                                "messages",
                                            ),
                                        )}
                                    </a> ", " <a class="link" href=counts.href(code, 7)>
                                        {format!(
                                            "{} in the last 7 days",
                                            rules::text::thousands(counts.last_week),
                                        )}
                                    </a> "."
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
