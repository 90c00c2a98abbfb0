//! The messages list: outbound and inbound messages across the projects the user may
//! see, filtered by what is in the URL (so a link opens the same view), newest first,
//! a page at a time by keyset, with a CSV export of exactly the filtered rows.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rules::FieldErrors;
use rules::messages::log::{MessageFilter, MessagePage, PROBLEMS, TYPES};
use rules::messages::status::MessageStatus;

use crate::api::messages::log::list_messages;
use crate::api::projects::settings::list_projects;
use crate::components::{EmptyState, ErrorNote, Loading, MessageTable};

#[component]
pub fn MessagesPage() -> impl IntoView {
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        query.with(|q| MessageFilter::from_query(|k| q.get(k).unwrap_or_default()))
    });
    let page = Resource::new(move || parsed.get().0, list_messages);
    let projects = Resource::new(|| (), |_| list_projects());
    view! {
        <Title text="Messages · Tujenge" />
        <div class="page-head">
            <h1 class="page-title">"Messages"</h1>
            <a
                class="btn btn-small"
                href=move || parsed.with(|(f, _)| f.href("/export/messages", None))
                download="messages.csv"
            >
                "Export CSV"
            </a>
        </div>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let projects = projects.await.unwrap_or_default();
                let (filter, errors) = parsed.get_untracked();
                view! { <FilterBar filter errors projects /> }
            })}
        </Suspense>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) if p.rows.is_empty() => {
                        view! {
                            <EmptyState title="No messages match">
                                "Messages sent through the gateway and customers' replies "
                                "are listed here. Widen the filters, or "
                                <a class="link" href="/messages">
                                    "clear them"
                                </a>"."
                            </EmptyState>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        view! { <MessagePageView page=p filter=parsed.get_untracked().0 /> }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

fn options(values: &[&'static str], selected: Option<&str>) -> impl IntoView {
    values
        .iter()
        .map(|v| {
            view! {
                <option value=*v selected=selected == Some(*v)>
                    {*v}
                </option>
            }
        })
        .collect_view()
}

#[component]
fn FilterBar(
    filter: MessageFilter,
    errors: FieldErrors,
    projects: Vec<rules::projects::settings::Project>,
) -> impl IntoView {
    let text = |v: Option<String>| v.unwrap_or_default();
    let error = move |field: &str| {
        errors.get(field).map(|m| {
            view! {
                <p class="field-error" role="alert">
                    {m.to_owned()}
                </p>
            }
        })
    };
    let time = |ms: Option<i64>| ms.map(rules::time::minute_input).unwrap_or_default();
    view! {
        <form
            method="get"
            action="/messages"
            class="filter-bar flex-wrap"
            aria-label="Filter messages"
        >
            <div class="field">
                <label for="f-project">"Project"</label>
                <select id="f-project" name="project">
                    <option value="">"All projects"</option>
                    {projects
                        .into_iter()
                        .map(|p| {
                            view! {
                                <option
                                    value=p.id.to_string()
                                    selected=filter.project_id == Some(p.id)
                                >
                                    {p.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-direction">"Direction"</label>
                <select id="f-direction" name="direction">
                    <option value="">"Both"</option>
                    {options(&["outbound", "inbound"], filter.direction.as_deref())}
                </select>
                {error("direction")}
            </div>
            <div class="field">
                <label for="f-status">"Status"</label>
                <select id="f-status" name="status">
                    <option value="">"Any status"</option>
                    <option value=PROBLEMS selected=filter.status.as_deref() == Some(PROBLEMS)>
                        "failed or refused"
                    </option>
                    {options(
                        &MessageStatus::ALL.map(MessageStatus::as_str),
                        filter.status.as_deref(),
                    )}
                </select>
                {error("status")}
            </div>
            <div class="field">
                <label for="f-code">"Error code"</label>
                <input
                    id="f-code"
                    name="code"
                    inputmode="numeric"
                    size="7"
                    value=filter.code.map(|c| c.to_string()).unwrap_or_default()
                    placeholder="470"
                />
                {error("code")}
            </div>
            <div class="field">
                <label for="f-type">"Type"</label>
                <select id="f-type" name="type">
                    <option value="">"Any type"</option>
                    {options(&TYPES, filter.message_type.as_deref())}
                </select>
                {error("type")}
            </div>
            <div class="field">
                <label for="f-phone">"Phone number"</label>
                <input
                    id="f-phone"
                    name="phone"
                    inputmode="tel"
                    size="14"
                    value=text(filter.phone)
                    placeholder="255712345678"
                />
                {error("phone")}
            </div>
            <div class="field">
                <label for="f-from">"From (UTC)"</label>
                <input id="f-from" type="datetime-local" name="from" value=time(filter.from_ms) />
                {error("from")}
            </div>
            <div class="field">
                <label for="f-to">"To (UTC)"</label>
                <input id="f-to" type="datetime-local" name="to" value=time(filter.to_ms) />
                {error("to")}
            </div>
            <div class="field">
                <label for="f-q">"Text in the body"</label>
                <input
                    id="f-q"
                    name="q"
                    type="search"
                    value=text(filter.text)
                    placeholder="order #1234"
                />
            </div>
            <button type="submit" class="btn">
                "Filter"
            </button>
            // A full load, so the bar shows the cleared filters too.
            <a class="link text-sm self-center" href="/messages" rel="external">
                "Clear"
            </a>
        </form>
    }
    .into_any()
}

#[component]
fn MessagePageView(page: MessagePage, filter: MessageFilter) -> impl IntoView {
    let next = page.next.map(|c| filter.href("/messages", Some(c)));
    let first = filter
        .cursor
        .is_some()
        .then(|| filter.href("/messages", None));
    view! {
        <MessageTable rows=page.rows show_project=true />
        <nav class="flex gap-6 mt-4" aria-label="Pages">
            {first
                .map(|href| {
                    view! {
                        <a class="link" href=href>
                            "← Newest"
                        </a>
                    }
                })}
            {next
                .map(|href| {
                    view! {
                        <a class="link" href=href rel="next">
                            "Older messages →"
                        </a>
                    }
                })}
        </nav>
    }
    .into_any()
}
