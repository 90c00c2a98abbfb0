//! Form fields with labels, live checks (the same rule functions the server runs) and
//! the server's field errors underneath; the CSRF field every form carries.

use leptos::prelude::*;
use rules::FieldErrors;

/// A `<meta name=...>` of the page, read in the browser.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn page_meta(name: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("meta[name={name}]"))
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default()
}

/// The session's CSRF token: from the request on the server, from the page's
/// `<meta name="csrf-token">` in the browser, so both render the same value.
pub fn csrf_token() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::api::ctx::csrf_token()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        page_meta("csrf-token")
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        String::new()
    }
}

/// The logged-in user's role, known without waiting: from the request on the server, from
/// `<meta name="user-role">` in the browser (the page is reloaded at login). Pages use it
/// to show only the controls the role may use; the server checks every action anyway.
pub fn current_role() -> Option<rules::Role> {
    #[cfg(feature = "ssr")]
    {
        crate::api::ctx::current_role()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        rules::Role::parse(&page_meta("user-role")).ok()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

/// The viewer's time zone's name (`Africa/Dar_es_Salaam`; `UTC` until the browser has
/// said): from the request on the server, from `<meta name="viewer-zone">` in the
/// browser, so both render the same.
pub fn viewer_zone() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::api::ctx::zone().name().to_owned()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        page_meta("viewer-zone")
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        "UTC".to_owned()
    }
}

/// Tells the server the browser's time zone (a cookie), so typed times and charts are
/// read and drawn in it from the next page on.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub fn remember_viewer_zone() {
    use wasm_bindgen::JsCast;
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    let zone = js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string());
    let Some(zone) = zone.filter(|z| *z != page_meta("viewer-zone")) else {
        return;
    };
    let document = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok());
    if let Some(document) = document {
        let cookie = format!("tz={zone}; path=/; max-age=31536000; samesite=lax");
        let _ = document.set_cookie(&cookie);
    }
}

#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=csrf_token() /> }
}

/// The input's id: from its name, plus `scope` where the same form repeats on a page
/// (a row per user), so each label names its own input.
fn field_id(name: &str, scope: &str) -> String {
    let id = format!(
        "field-{}",
        name.replace(['[', ']'], "-").trim_end_matches('-')
    );
    if scope.is_empty() {
        id
    } else {
        format!("{id}-{scope}")
    }
}

/// A check run in the browser as the user types: `Err` holds the message to show.
pub type Check = fn(&str) -> Result<(), String>;

/// A labelled input. `check` runs while typing (hydrated) with the same rule the server
/// applies; `field` names the error key when it differs from the input's `name`.
#[component]
pub fn TextField(
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] field: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] check: Option<Check>,
    #[prop(optional, into)] scope: String,
    #[prop(optional, into)] errors: Signal<FieldErrors>,
) -> impl IntoView {
    let id = field_id(name, &scope);
    let key = if field.is_empty() { name } else { field };
    let typed = RwSignal::new(None::<String>);
    let message = move || {
        let live = typed.get().and_then(|v| check.and_then(|c| c(&v).err()));
        live.or_else(|| errors.with(|e| e.get(key).map(str::to_owned)))
    };
    let described = format!("{id}-msg");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                required=required
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=described.clone()
                on:input=move |ev| typed.set(Some(event_target_value(&ev)))
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p id=described class="field-error">
                {message}
            </p>
        </div>
    }
    .into_any()
}

/// A select's (value, text) pairs: `any` (the value "") first, then `values`.
pub fn choices(
    any: &str,
    values: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_owned()))
        .chain(values)
        .collect()
}

/// Words that are their own value and text.
pub fn words(values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.to_string(), v.to_string()))
        .collect()
}

/// A labelled select; `options` are (value, text) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] field: &'static str,
    #[prop(optional, into)] scope: String,
    #[prop(optional, into)] errors: Signal<FieldErrors>,
) -> impl IntoView {
    let id = field_id(name, &scope);
    let key = if field.is_empty() { name } else { field };
    let described = format!("{id}-msg");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=name aria-describedby=described.clone()>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! {
                            <option value=value selected=is_selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p id=described class="field-error">
                {move || errors.with(|e| e.get(key).map(str::to_owned))}
            </p>
        </div>
    }
    .into_any()
}
