//! What a form shows after its action ran (field errors, the server's words, success),
//! and what lists refetch on.

use leptos::prelude::*;
use rules::FieldErrors;

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
