//! What a form shows after its action ran (field errors, the server's words, success),
//! one banner on the page at a time, and what lists refetch on.

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use rules::FieldErrors;

use crate::error::AppError;

/// Which form on the page spoke last: only its result shows, so a page with several forms
/// never shows an old error beside a new success. Reference-counted: it outlives whichever
/// part of the page first provided it (a panel re-rendered after a refetch).
#[derive(Clone)]
struct LastForm(ArcRwSignal<usize>);

/// Each form's number on the page (any unique number will do).
static NEXT_FORM: AtomicUsize = AtomicUsize::new(1);

/// What a form shows after its action ran: field errors, a general message, success.
#[derive(Clone, Copy)]
pub struct FormState {
    pub fields: Signal<FieldErrors>,
    pub error: Signal<Option<AppError>>,
    pub succeeded: Signal<bool>,
}

impl FormState {
    /// `value` reads the action's last result, e.g. `move || action.value().get()`. The
    /// forms of one page share who spoke last.
    pub fn new<T: 'static>(
        value: impl Fn() -> Option<Result<T, AppError>> + Copy + Send + Sync + 'static,
    ) -> Self {
        let me = NEXT_FORM.fetch_add(1, Ordering::Relaxed);
        let LastForm(last) = use_context::<LastForm>().unwrap_or_else(|| {
            let last = LastForm(ArcRwSignal::new(0));
            provide_context(last.clone());
            last
        });
        let spoke = last.clone();
        Effect::new(move |_| {
            if value().is_some() {
                spoke.set(me);
            }
        });
        // Nobody yet (0): the page as rendered, a result without JavaScript among it.
        let shown = Signal::derive(move || [0, me].contains(&last.get()));
        let current = move || if shown.get() { value() } else { None };
        let error = move || current().and_then(Result::err);
        FormState {
            fields: Signal::derive(move || error().map(|e| e.fields()).unwrap_or_default()),
            error: Signal::derive(error),
            succeeded: Signal::derive(move || matches!(current(), Some(Ok(_)))),
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

/// The form's overall result, announced to screen readers: the server's own words (each
/// problem on its line when there are several), or the success message. A new result
/// replaces the last, so one banner shows at a time.
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
        <div role="status" aria-live="polite">
            {move || state.error.get().map(problem)}
            {move || {
                state
                    .succeeded
                    .get()
                    .then(|| view! { <p class="notice notice-ok">{success.get()}</p> })
            }}
        </div>
    }
    .into_any()
}
