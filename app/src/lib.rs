//! The Tujenge console: pages rendered on the server and hydrated in the browser, and
//! the server functions behind them.

pub mod api;
pub mod components;
pub mod error;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use components::Layout;
use pages::{audit::AuditPage, coming, login::LoginPage, not_found::NotFoundPage, organizations::OrganizationsPage, overview::OverviewPage, projects, users::UsersPage};

pub use error::AppError;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="csrf-token" content=components::form::csrf_token()/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/tujenge.css"/>
        <Title text="Tujenge console"/>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage/>
                <ParentRoute path=path!("") view=Layout>
                    <Route path=path!("") view=OverviewPage/>
                    <Route path=path!("/projects") view=projects::ProjectsPage/>
                    <Route path=path!("/projects/new") view=projects::NewProjectPage/>
                    <Route path=path!("/projects/:id") view=projects::ProjectPage/>
                    <Route path=path!("/organizations") view=OrganizationsPage/>
                    <Route path=path!("/users") view=UsersPage/>
                    <Route path=path!("/audit") view=AuditPage/>
                    <Route path=path!("/messages") view=coming::MessagesPage/>
                    <Route path=path!("/error-codes") view=coming::ErrorCodesPage/>
                    <Route path=path!("/templates") view=coming::TemplatesPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
