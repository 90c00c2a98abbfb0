//! What a form shows after its action ran (field errors, the server's words, success),
//! one banner on a page at a time, and what lists refetch on.

use std::sync::atomic::{AtomicU64, Ordering};

use leptos::prelude::*;
use leptos::web_sys::{Element, Event};
use rules::FieldErrors;
use wasm_bindgen::JsCast;

use crate::error::AppError;

/// What a form shows after its action ran: field errors, a general message, success.
#[derive(Clone, Copy)]
pub struct FormState {
    pub fields: Signal<FieldErrors>,
    pub error: Signal<Option<AppError>>,
    pub succeeded: Signal<bool>,
}

impl FormState {
    /// `value` reads the action's last result, e.g. `move || action.value().get()`.
    pub fn new<T: 'static>(
        value: impl Fn() -> Option<Result<T, AppError>> + Copy + Send + Sync + 'static,
    ) -> Self {
        let error = move || value().and_then(Result::err);
        FormState {
            fields: Signal::derive(move || error().map(|e| e.fields()).unwrap_or_default()),
            error: Signal::derive(error),
            succeeded: Signal::derive(move || matches!(value(), Some(Ok(_)))),
        }
    }
}

/// How many times an action succeeded (`value` as for [`FormState::new`]): what a list
/// beside the form refetches on, so a refused submission leaves the form as it was typed.
pub fn successes<T: 'static>(
    value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> Memo<usize> {
    Memo::new(move |before: Option<&usize>| {
        let before = before.copied().unwrap_or(0);
        if matches!(value(), Some(Ok(_))) {
            before + 1
        } else {
            before
        }
    })
}

/// Where the user acted last on the page (the smallest part around the form submitted or
/// the button pressed that holds a form's banner, marked `data-acted` with the act's
/// moment): only the banners inside it, and those that appeared since, show. The shell
/// keeps it for every page and sets it from the events themselves; banners only read it.
#[derive(Clone, Copy)]
pub struct ActedIn(RwSignal<Option<u64>>);

/// Acts and banners in the order they happened (a banner newer than the last act shows).
static MOMENTS: AtomicU64 = AtomicU64::new(1);

fn moment() -> u64 {
    MOMENTS.fetch_add(1, Ordering::Relaxed)
}

impl ActedIn {
    pub fn provide() -> ActedIn {
        let acted = ActedIn(RwSignal::new(None));
        provide_context(acted);
        acted
    }

    /// For the shell's `submit` and `click` handlers (a click counts on a button only).
    pub fn record(self, event: &Event) {
        let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
        let start = match (target, event.type_().as_str()) {
            (Some(target), "click") => target.closest("button").ok().flatten(),
            (target, _) => target,
        };
        let mut scope = start;
        while let Some(part) = scope {
            if part.query_selector(".form-status").ok().flatten().is_some() {
                let at = moment();
                let _ = part.set_attribute("data-acted", &at.to_string());
                self.0.set(Some(at));
                return;
            }
            scope = part.parent_element();
        }
    }
}

/// Where an action's result shows, announced to screen readers. It gives way once the
/// user acts elsewhere on the page (see [`ActedIn`]), so one banner shows at a time.
#[component]
pub fn ResultArea(children: ChildrenFn) -> impl IntoView {
    let acted = use_context::<ActedIn>();
    let born = moment();
    let me = NodeRef::<leptos::html::Div>::new();
    // A memo: a click elsewhere that leaves the result shown does not render (and so
    // announce) it again.
    let shown = Memo::new(move |_| {
        let Some(at) = acted.and_then(|a| a.0.get()) else {
            return true;
        };
        let inside = |div: leptos::web_sys::HtmlDivElement| {
            let part = div.closest(&format!("[data-acted=\"{at}\"]"));
            part.ok().flatten().is_some()
        };
        born > at || me.get().is_none_or(inside)
    });
    view! {
        <div role="status" aria-live="polite" class="form-status" node_ref=me>
            {move || shown.get().then(|| children())}
        </div>
    }
    .into_any()
}

/// The form's overall result: the server's own words (each problem on its line when
/// there are several), or the success message; a new result replaces the last.
#[component]
pub fn FormStatus(state: FormState, #[prop(into)] success: Signal<String>) -> impl IntoView {
    let problem = move |error: AppError| match error {
        AppError::Invalid(fields) if fields.0.len() > 1 => view! {
            <div class="notice notice-error">
                <ul class="list-disc pl-5">
                    {fields.0.into_iter().map(|f| view! { <li>{f.message}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any(),
        error => view! { <p class="notice notice-error">{error.to_string()}</p> }.into_any(),
    };
    view! {
        <ResultArea>
            {move || state.error.get().map(problem)}
            {move || {
                state
                    .succeeded
                    .get()
                    .then(|| view! { <p class="notice notice-ok">{success.get()}</p> })
            }}
        </ResultArea>
    }
    .into_any()
}
