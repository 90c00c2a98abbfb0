//! The messages list: outbound and inbound messages across the projects the user may
//! see, filtered by what is in the URL (so a link opens the same view), newest first,
//! a page at a time by keyset, with a CSV export of exactly the filtered rows.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use rules::FieldErrors;
use rules::messages::log::{MessageFilter, MessagePage, PROBLEMS, TYPES};
use rules::messages::status::MessageStatus;

use crate::api::messages::log::list_messages;
use crate::api::projects::settings::list_projects;
use crate::components::{
    EmptyState, ErrorNote, Loading, MessageTable, SelectField, TextField, choices, viewer_zone,
    words,
};

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
                    Ok(MessagePage { exact: Some(id), .. }) => {
                        view! { <Redirect path=format!("/messages/{id}") /> }.into_any()
                    }
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

#[component]
fn FilterBar(
    filter: MessageFilter,
    errors: FieldErrors,
    projects: Vec<rules::projects::settings::Project>,
) -> impl IntoView {
    let errors = Signal::stored(errors);
    let text = |v: Option<String>| v.unwrap_or_default();
    // The input wants a minute: a whole date shows as its first ("from") or last ("to").
    let local = |typed: Option<String>, minute: &str| match typed {
        Some(t) if rules::time::is_date_only(&t) => format!("{t}T{minute}"),
        other => other.unwrap_or_default(),
    };
    let zone = viewer_zone();
    let projects = projects.into_iter().map(|p| (p.id.to_string(), p.name));
    let statuses = std::iter::once((PROBLEMS.to_owned(), "failed or refused".to_owned()))
        .chain(words(&MessageStatus::ALL.map(MessageStatus::as_str)));
    view! {
        <form
            method="get"
            action="/messages"
            class="filter-bar flex-wrap"
            aria-label="Filter messages"
        >
            <TextField
                label="Search"
                name="q"
                kind="search"
                value=text(filter.search)
                placeholder="message id, phone or text"
                errors
            />
            <SelectField
                label="Project"
                name="project"
                options=choices("All projects", projects)
                selected=filter.project_id.map(|id| id.to_string()).unwrap_or_default()
                errors
            />
            <SelectField
                label="Direction"
                name="direction"
                options=choices("Both", words(&["outbound", "inbound"]))
                selected=text(filter.direction)
                errors
            />
            <SelectField
                label="Status"
                name="status"
                options=choices("Any status", statuses)
                selected=text(filter.status)
                errors
            />
            <TextField
                label="Error code"
                name="code"
                inputmode="numeric"
                value=filter.code.map(|c| c.to_string()).unwrap_or_default()
                placeholder="470"
                errors
            />
            <SelectField
                label="Type"
                name="type"
                options=choices("Any type", words(&TYPES))
                selected=text(filter.message_type)
                errors
            />
            <TextField
                label=format!("From ({zone})")
                name="from"
                kind="datetime-local"
                value=local(filter.from, "00:00")
                errors
            />
            <TextField
                label=format!("To ({zone})")
                name="to"
                kind="datetime-local"
                value=local(filter.to, "23:59")
                errors
            />
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
