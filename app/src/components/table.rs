//! The console's tables and lists: one scaffold for a table (its box that scrolls on a
//! phone, the header row, the body) and one for what a loaded list shows (the rows, an
//! empty state, or the error), so every page reads the same.

use leptos::prelude::*;

use super::{EmptyState, ErrorNote};
use crate::error::AppError;

/// A table in its scrolling box: `headers` name the columns, `children` are the rows.
/// `label` names it for screen readers; `cards` lays rows out as labelled cards on a
/// phone (each cell then needs its `data-label`).
#[component]
pub fn DataTable(
    headers: Vec<&'static str>,
    #[prop(optional)] label: &'static str,
    #[prop(optional)] cards: bool,
    children: Children,
) -> impl IntoView {
    let class = if cards { "table table-cards" } else { "table" };
    view! {
        <div class="table-wrap">
            <table class=class aria-label=(!label.is_empty()).then_some(label)>
                <thead>
                    <tr>{headers.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// What a loaded list shows: `table` for its rows, an empty state (`empty` as its title,
/// `hint` under it) when there are none, or the error.
pub fn listing<T>(
    loaded: Result<Vec<T>, AppError>,
    empty: &'static str,
    hint: &'static str,
    table: impl FnOnce(Vec<T>) -> AnyView,
) -> AnyView {
    match loaded {
        Ok(rows) if rows.is_empty() => {
            view! { <EmptyState title=empty>{hint}</EmptyState> }.into_any()
        }
        Ok(rows) => table(rows),
        Err(error) => view! { <ErrorNote error /> }.into_any(),
    }
}
