//! A point in time: rendered in UTC on the server, switched in the browser to the
//! viewer's time zone, or with `relative` (lists) to "3 min ago"; the exact time, local
//! and UTC, on hover.

use leptos::prelude::*;

#[component]
pub fn Time(ms: i64, #[prop(optional)] relative: bool) -> impl IntoView {
    let utc = rules::time::format_utc(ms);
    // Server and browser start from the same text, so hydration matches; the browser then
    // switches to what depends on the viewer (zone, clock).
    let text = RwSignal::new(utc.clone());
    let title = RwSignal::new(utc);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        let local = String::from(date.to_locale_string("default", &js_sys::Object::new()));
        title.set(format!("{local} · {}", rules::time::format_utc(ms)));
        text.set(if relative {
            rules::time::ago(ms, clock::now().get())
        } else {
            local
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = relative;
    view! {
        <time datetime=rules::time::iso_utc(ms) title=move || title.get()>
            {move || text.get()}
        </time>
    }
}

/// One clock for every relative time on the page, ticking each 30 s, so "just now" grows
/// into "5 min ago" on a page left open.
#[cfg(feature = "hydrate")]
mod clock {
    use leptos::prelude::*;

    thread_local! {
        static NOW: ArcRwSignal<i64> = {
            let now = ArcRwSignal::new(js_sys::Date::now() as i64);
            let tick = now.clone();
            let every = std::time::Duration::from_secs(30);
            set_interval(move || tick.set(js_sys::Date::now() as i64), every);
            now
        };
    }

    pub fn now() -> ArcRwSignal<i64> {
        NOW.with(ArcRwSignal::clone)
    }
}
