//! The console shell: navigation for what the role may use, the one-time flash message,
//! and the page.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use rules::Role;

use super::CsrfField;
use crate::api::accounts::auth::{Logout, SignedInUser, me, take_flash};

/// Navigation entries and the roles that see them.
const NAV: &[(&str, &str, &[Role])] = &[
    ("/", "Overview", &Role::ALL),
    ("/projects", "Projects", &Role::ALL),
    ("/messages", "Messages", &Role::ALL),
    ("/error-codes", "Error codes", &Role::ALL),
    ("/templates", "Templates", &Role::ALL),
    (
        "/organizations",
        "Organizations",
        &[Role::Admin, Role::Support],
    ),
    ("/users", "Users", &[Role::Admin, Role::Support]),
    ("/meta-apps", "Meta apps", &[Role::Admin]),
    ("/audit", "Audit log", &[Role::Admin]),
];

#[component]
pub fn Layout() -> impl IntoView {
    let me = Resource::new(|| (), |_| me());
    let flash = Resource::new(|| (), |_| take_flash());
    let logout = ServerAction::<Logout>::new();
    let menu = NodeRef::<leptos::html::Input>::new();
    let content = NodeRef::<leptos::html::Main>::new();
    // Hydrated, the router would take the link over; focus the content as the browser does.
    let skip = move |ev: leptos::ev::MouseEvent| {
        if let Some(main) = content.get() {
            ev.prevent_default();
            let _ = main.focus();
        }
    };
    // On a phone the menu folds away. Before hydration (or without JavaScript) a checkbox
    // and its label open it; hydrated, a real button with `aria-expanded` does, driving
    // the same checkbox (which the CSS reads).
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        hydrated.set(true);
        #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
        crate::components::form::remember_viewer_zone();
    });
    let open = RwSignal::new(false);
    let set_open = move |value: bool| {
        open.set(value);
        if let Some(toggle) = menu.get() {
            toggle.set_checked(value);
        }
    };
    // Following a link folds the phone menu again (the page changes without a reload).
    let fold = move |_| set_open(false);
    let acted = super::ActedIn::provide();
    view! {
        <a href="#content" class="skip-link" on:click=skip>
            "Skip to content"
        </a>
        <div class="min-h-screen md:flex">
            <header class="sidebar">
                <div class="flex items-center justify-between">
                    <a href="/" class="brand">
                        "Tujenge"
                    </a>
                    <label for="menu-toggle" class="menu-button" class:hidden=hydrated>
                        "Menu"
                    </label>
                    <button
                        type="button"
                        class="menu-button"
                        class:hidden=move || !hydrated.get()
                        aria-expanded=move || open.get().to_string()
                        aria-controls="site-menu"
                        on:click=move |_| set_open(!open.get_untracked())
                    >
                        "Menu"
                    </button>
                </div>
                <input
                    type="checkbox"
                    id="menu-toggle"
                    class="peer sr-only md:hidden"
                    node_ref=menu
                    tabindex=move || hydrated.get().then_some("-1")
                    aria-hidden=move || hydrated.get().then_some("true")
                />
                <div class="menu" id="site-menu">
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let user = me.await.ok().flatten();
                            let role = user.as_ref().map(|u| u.role);
                            view! {
                                <nav aria-label="Main" on:click=fold>
                                    <ul>{nav_entries(role)}</ul>
                                </nav>
                                {user.map(|u| whoami(u, logout))}
                            }
                        })}
                    </Suspense>
                </div>
            </header>
            <main
                id="content"
                class="content"
                tabindex="-1"
                node_ref=content
                on:submit=move |ev| acted.record(&ev)
                on:click=move |ev| acted.record(&ev)
            >
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        flash
                            .await
                            .ok()
                            .flatten()
                            .map(|m| {
                                view! {
                                    <p class="notice notice-ok" role="status">
                                        {m}
                                    </p>
                                }
                            })
                    })}
                </Suspense>
                <Outlet />
            </main>
        </div>
    }
    .into_any()
}

/// The navigation entries `role` may use (none before the user is known).
fn nav_entries(role: Option<Role>) -> AnyView {
    NAV.iter()
        .filter(|(_, _, roles)| role.is_some_and(|r| roles.contains(&r)))
        .map(|(href, text, _)| {
            view! {
                <li>
                    <A href=*href exact=*href == "/">
                        {*text}
                    </A>
                </li>
            }
        })
        .collect_view()
        .into_any()
}

/// Who is logged in, with the way out.
fn whoami(user: SignedInUser, logout: ServerAction<Logout>) -> AnyView {
    view! {
        <div class="whoami">
            <p class="truncate">
                <a
                    href="/account"
                    class="hover:underline"
                    title=format!("Your account: {}", user.email)
                >
                    {user.email.clone()}
                </a>
            </p>
            <p class="text-xs text-slate-400">{user.role.label()}</p>
            <ActionForm action=logout>
                <CsrfField />
                <button type="submit" class="btn-link">
                    "Log out"
                </button>
            </ActionForm>
        </div>
    }
    .into_any()
}
