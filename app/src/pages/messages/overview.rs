//! The home page: the numbers that need attention (with what to do), then per project and
//! overall, messages per hour or day by outcome, the failure rate, top error codes and
//! webhook delivery health. The range and project are
//! in the URL; charts are SVG drawn on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rules::messages::log::MessageFilter;
use rules::messages::stats::{FailingEndpoint, Overview, ProjectSummary, Range, failure_rate};
use rules::text::thousands;

use crate::api::messages::stats::overview_stats;
use crate::components::chart::MessagesChart;
use crate::components::{CodeLinks, DataTable, EmptyState, ErrorNote, Loading};
use crate::pages::projects::health::NeedsAttention;

fn overview_href(range: Range, project: Option<i64>) -> String {
    let project = project.map(|p| p.to_string()).unwrap_or_default();
    format!(
        "/?{}",
        rules::text::query_string([("range", range.as_str()), ("project", project.as_str())])
    )
}

fn rate_text(rate: Option<f64>) -> String {
    rate.map(|r| format!("{r:.1}%"))
        .unwrap_or_else(|| "—".into())
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        query.with(|q| {
            (
                q.get("range").unwrap_or_default(),
                q.get("project").and_then(|p| p.parse::<i64>().ok()),
            )
        })
    };
    let stats = Resource::new(key, |(range, project)| overview_stats(range, project));
    view! {
        <Title text="Overview · Tujenge" />
        <h1 class="page-title">"Overview"</h1>
        <NeedsAttention />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(o) if o.projects.is_empty() => {
                        view! {
                            <EmptyState title="No projects yet">
                                "A project connects one WhatsApp phone number "
                                "to its upstream API client. " <a class="link" href="/projects">
                                    "Go to projects"
                                </a>
                            </EmptyState>
                        }
                            .into_any()
                    }
                    Ok(o) => view! { <Dashboard overview=o /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Dashboard(overview: Overview) -> impl IntoView {
    let Overview {
        range,
        project_id,
        buckets,
        totals,
        top_codes,
        limits,
        projects,
        queue_depth,
        failing,
    } = overview;
    let scope = project_id
        .and_then(|id| projects.iter().find(|p| p.project_id == id))
        .map(|p| p.project_name.clone());
    // Links to the rows behind the numbers: the same project and range on the messages page.
    let behind = MessageFilter {
        project_id,
        since_hours: Some(range.buckets().0 * range.buckets().1 / rules::time::HOUR_MS),
        ..MessageFilter::default()
    };
    let rows_href = behind.href("/messages", None);
    let messages_href = move |code: u32| {
        MessageFilter {
            code: Some(code),
            ..behind.clone()
        }
        .href("/messages", None)
    };
    let limits_href = messages_href.clone();
    view! {
        <nav class="flex flex-wrap items-center gap-2 mb-4" aria-label="Range and project">
            {Range::ALL
                .into_iter()
                .map(|r| {
                    view! {
                        <a
                            class=if r == range { "btn-small" } else { "btn-quiet" }
                            href=overview_href(r, project_id)
                            aria-current=(r == range).then_some("true")
                        >
                            {r.as_str()}
                        </a>
                    }
                })
                .collect_view()}
            <span class="text-sm text-slate-600 ml-2">{range.label()}</span>
            {scope
                .map(|name| {
                    view! {
                        <span class="text-sm ml-auto">
                            {format!("Project: {name} · ")}
                            <a class="link" href=overview_href(range, None)>
                                "all projects"
                            </a>
                        </span>
                    }
                })}
        </nav>
        <section class="grid grid-cols-2 gap-4 sm:grid-cols-5 mb-6" aria-label="Totals">
            <div class="stat">
                <p class="stat-label">"Sent"</p>
                <p class="stat-value">{thousands(totals.outbound())}</p>
            </div>
            <div class="stat">
                <p class="stat-label">"Delivered or read"</p>
                <p class="stat-value">{thousands(totals.delivered)}</p>
            </div>
            <div class="stat">
                <p class="stat-label">"Failure rate"</p>
                <p class="stat-value" data-testid="failure-rate">
                    {rate_text(failure_rate(&totals))}
                </p>
            </div>
            <div class="stat">
                <p class="stat-label">"Received"</p>
                <p class="stat-value">{thousands(totals.received)}</p>
            </div>
            <div class="stat">
                <p class="stat-label">"Webhook queue"</p>
                <p class="stat-value">{thousands(queue_depth)}</p>
            </div>
        </section>
        <section class="card mb-6" aria-labelledby="chart-title">
            <div class="page-head mb-2">
                <h2 id="chart-title" class="section-title my-0">
                    {format!("How did messages end? {}", range.label())}
                </h2>
                <a class="link text-sm" href=rows_href>
                    "The messages behind it →"
                </a>
            </div>
            <MessagesChart buckets range />
        </section>
        <div class="grid gap-6 md:grid-cols-2">
            <section class="min-w-0" aria-labelledby="codes-title">
                <h2 id="codes-title" class="section-title mt-0">
                    "Top error codes"
                </h2>
                {if top_codes.is_empty() {
                    view! { <p class="text-sm text-slate-600">"No errors in this range."</p> }
                        .into_any()
                } else {
                    view! {
                        <DataTable headers=vec![
                            "Code",
                            "What it is",
                            "Messages",
                        ]>
                            {top_codes
                                .into_iter()
                                .map(|(code, n)| code_row(code, n, messages_href(code)))
                                .collect_view()}
                        </DataTable>
                    }
                        .into_any()
                }}
            </section>
            <section class="min-w-0" aria-labelledby="webhooks-title">
                <h2 id="webhooks-title" class="section-title mt-0">
                    "Webhook delivery health"
                </h2>
                {if failing.is_empty() {
                    let healthy = format!(
                        "All endpoints healthy; {} waiting to be forwarded.",
                        rules::text::count(queue_depth as u64, "notification", "notifications"),
                    );
                    view! { <p class="text-sm text-slate-600">{healthy}</p> }.into_any()
                } else {
                    let headers = vec!["Project", "Endpoint", "Retrying", "Given up", "Last error"];
                    view! {
                        <DataTable headers>
                            {failing.into_iter().map(failing_row).collect_view()}
                        </DataTable>
                    }
                        .into_any()
                }}
            </section>
        </div>
        <section class="mb-6" aria-labelledby="limits-title">
            <h2 id="limits-title" class="section-title">
                "Meta holding numbers back"
            </h2>
            <p class="text-sm text-slate-600 mb-2">
                "Answers that mean Meta limits or blocks a number. A retry does not help: \
                 each needs a change in how the number sends."
            </p>
            <DataTable
                headers=vec!["Code", "What it is", "What to do", "Messages"]
                label="Meta holding numbers back"
            >
                {limits
                    .into_iter()
                    .map(|(code, n)| limit_row(code, n, limits_href(code)))
                    .collect_view()}
            </DataTable>
        </section>
        <section aria-labelledby="projects-title">
            <h2 id="projects-title" class="section-title">
                "Projects"
            </h2>
            <DataTable headers=vec![
                "Project",
                "Sent",
                "Failed or refused",
                "Failure rate",
                "Received",
                "",
            ]>{projects.into_iter().map(|p| project_row(p, range)).collect_view()}</DataTable>
        </section>
    }
    .into_any()
}

/// A top error code: what it is, and how many messages had it (linked to them).
fn code_row(code: u32, n: i64, messages_href: String) -> AnyView {
    let title = rules::error_codes::find(code)
        .map(|e| e.title)
        .unwrap_or("Unknown code");
    view! {
        <tr>
            <td>
                <CodeLinks codes=code.to_string() />
            </td>
            <td class="text-sm">{title}</td>
            <td>
                <a class="link" href=messages_href>
                    {thousands(n)}
                </a>
            </td>
        </tr>
    }
    .into_any()
}

/// One of Meta's limits: what it is and what to do (the catalog's words), and how many
/// messages met it (linked to them when any did).
fn limit_row(code: u32, n: i64, messages_href: String) -> AnyView {
    let entry = rules::error_codes::find(code);
    let (title, meaning, fix) = entry.map_or(("", "", ""), |e| (e.title, e.meaning, e.fix));
    view! {
        <tr>
            <td>
                <CodeLinks codes=code.to_string() />
            </td>
            <td class="text-sm">
                <strong>{title}</strong>
                <span class="block text-slate-600">{meaning}</span>
            </td>
            <td class="text-sm">{fix}</td>
            <td>
                {if n == 0 {
                    view! { <span class="text-slate-600">"none"</span> }.into_any()
                } else {
                    view! {
                        <a class="link font-semibold" href=messages_href>
                            {rules::text::count(n.max(0) as u64, "message", "messages")}
                        </a>
                    }
                        .into_any()
                }}
            </td>
        </tr>
    }
    .into_any()
}

/// A webhook with retries waiting or deliveries given up, linked to its delivery log.
fn failing_row(f: FailingEndpoint) -> AnyView {
    let deliveries = format!("/projects/{}/webhook#deliveries-title", f.project_id);
    let shown = |state: &str| format!("/projects/{}/webhook?show={state}", f.project_id);
    let (retrying, given_up) = (shown("retrying"), shown("given-up"));
    view! {
        <tr>
            <td>
                <a class="link" href=deliveries>
                    {f.project_name}
                </a>
            </td>
            <td class="mono text-xs break-all">{f.url}</td>
            <td>
                <a class="link" href=retrying>
                    {f.retrying}
                </a>
            </td>
            <td>
                <a class="link" href=given_up>
                    {f.dead}
                </a>
            </td>
            <td class="text-sm">{f.last_error.unwrap_or_default()}</td>
        </tr>
    }
    .into_any()
}

/// One project's numbers in the range, with links to its overview, settings and messages.
fn project_row(p: ProjectSummary, range: Range) -> AnyView {
    view! {
        <tr>
            <td>
                <a class="link" href=overview_href(range, Some(p.project_id))>
                    {p.project_name}
                </a>
            </td>
            <td>{thousands(p.totals.outbound())}</td>
            <td>{thousands(p.totals.failed)}</td>
            <td>{rate_text(failure_rate(&p.totals))}</td>
            <td>{thousands(p.totals.received)}</td>
            <td class="text-sm">
                <a class="link" href=format!("/projects/{}", p.project_id)>
                    "Settings"
                </a>
                " · "
                <a class="link" href=format!("/messages?project={}", p.project_id)>
                    "Messages"
                </a>
            </td>
        </tr>
    }
    .into_any()
}
