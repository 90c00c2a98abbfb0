//! A point in time: rendered in UTC on the server, switched to the viewer's time zone in
//! the browser, with UTC on hover.

use leptos::prelude::*;

#[component]
pub fn Time(ms: i64) -> impl IntoView {
    let utc = rules::time::format_utc(ms);
    let text = RwSignal::new(utc.clone());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        let options = js_sys::Object::new();
        text.set(String::from(date.to_locale_string("default", &options)));
    });
    view! {
        <time datetime=rules::time::iso_utc(ms) title=utc>{move || text.get()}</time>
    }
}
