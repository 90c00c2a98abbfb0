//! The Tujenge console: pages rendered on the server and hydrated in the browser, and
//! the server functions behind them.
//!
//! Pages, panels and forms end their view with `.into_any()` (and so do table rows built
//! in a loop): without that erasure, each view's full type nests every element inside it,
//! and in the release hydrate build (which keeps those types) the largest overflowed the
//! compiler's query depth. Small leaf components (badges, counters, copy buttons) keep
//! their types.

pub mod api;
pub mod components;
pub mod error;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use components::Layout;
use pages::accounts::{
    account::AccountPage, login::LoginPage, organizations::OrganizationsPage, users::UsersPage,
};
use pages::audit::AuditPage;
use pages::messages::error_codes::{ErrorCodePage, ErrorCodesPage};
use pages::messages::list::MessagesPage;
use pages::messages::overview::OverviewPage;
use pages::messages::trace::MessageTracePage;
use pages::meta_apps::MetaAppsPage;
use pages::not_found::NotFoundPage;
use pages::projects::{detail::ProjectPage, list::ProjectsPage, new::NewProjectPage};
use pages::templates::{editor::TemplateEditorPage, library::TemplatesPage};

pub use error::AppError;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <meta name="csrf-token" content=components::form::csrf_token() />
                <meta name="viewer-zone" content=components::form::viewer_zone() />
                <meta
                    name="user-role"
                    content=components::form::current_role().map(|r| r.as_str()).unwrap_or_default()
                />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts from this site, and inline only the
/// hydration script carrying this response's nonce (WebAssembly compiled by the browser);
/// styles, fonts and fetches from this site; images also as `data:` and `blob:` (the
/// profile photo and its preview); never framed.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/tujenge.css" />
        <Title text="Tujenge console" />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=Layout ssr=SsrMode::Async>
                    <Route path=path!("") view=OverviewPage ssr=SsrMode::Async />
                    <Route path=path!("/projects") view=ProjectsPage ssr=SsrMode::Async />
                    <Route path=path!("/projects/new") view=NewProjectPage ssr=SsrMode::Async />
                    <Route path=path!("/projects/:id") view=ProjectPage ssr=SsrMode::Async />
                    <Route path=path!("/projects/:id/:tab") view=ProjectPage ssr=SsrMode::Async />
                    <Route path=path!("/organizations") view=OrganizationsPage ssr=SsrMode::Async />
                    <Route path=path!("/users") view=UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/meta-apps") view=MetaAppsPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/messages") view=MessagesPage ssr=SsrMode::Async />
                    <Route path=path!("/messages/:id") view=MessageTracePage ssr=SsrMode::Async />
                    <Route path=path!("/error-codes") view=ErrorCodesPage ssr=SsrMode::Async />
                    <Route path=path!("/error-codes/:code") view=ErrorCodePage ssr=SsrMode::Async />
                    <Route path=path!("/templates") view=TemplatesPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/templates/:id")
                        view=TemplateEditorPage
                        ssr=SsrMode::Async
                    />
                </ParentRoute>
            </Routes>
        </Router>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Lets browser tests wait until event handlers are attached.
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__tujengeHydrated".into(), &true.into());
    }
}
