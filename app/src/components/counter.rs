//! Character counters against WhatsApp's limits: grey, amber from 90%, red past the limit.

use leptos::prelude::*;

/// "n / max" and its class.
pub fn counter(n: usize, max: usize) -> (String, &'static str) {
    let class = if n > max {
        "counter counter-over"
    } else if n * 10 >= max * 9 {
        "counter counter-near"
    } else {
        "counter"
    };
    (format!("{n} / {max}"), class)
}

/// A live counter of `count` characters out of `max`.
#[component]
pub fn Counter(
    #[prop(into)] count: Signal<usize>,
    max: usize,
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    let state = move || counter(count.get(), max);
    view! {
        <p id=(!id.is_empty()).then_some(id) class=move || state().1 aria-live="polite">
            {move || state().0}
        </p>
    }
}
