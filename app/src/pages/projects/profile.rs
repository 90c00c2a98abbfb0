//! The business profile form: live character counters against WhatsApp's limits (amber
//! near, red past), the list of business categories, two websites, and the "about" text.
//! The save button says why it is disabled.

use leptos::prelude::*;
use rules::projects::profile::{self, ProfileView};

use super::photo::PhotoPanel;
use crate::api::projects::profile::{SaveAbout, SaveProfile, get_profile};
use crate::components::{CsrfField, FormState, FormStatus, Loading, PanelError, successes};

#[component]
pub fn ProfilePanel(project_id: i64, can_edit: bool) -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let about = ServerAction::<SaveAbout>::new();
    let saved = (
        successes(move || save.value().get()),
        successes(move || about.value().get()),
    );
    let current = Resource::new(
        move || (saved.0.get(), saved.1.get()),
        move |_| get_profile(project_id),
    );
    view! {
        <section aria-labelledby="profile-title" class="mb-8">
            <h2 id="profile-title" class="section-title">
                "Business profile"
            </h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match current.await {
                        Ok(view) => {
                            view! { <ProfileForms project_id view can_edit save about /> }
                                .into_any()
                        }
                        Err(e) => view! { <PanelError error=e /> }.into_any(),
                    }
                })}
            </Transition>
            // Beside the forms, not inside their Suspend: resources and Suspense boundaries
            // created after an await would get different ids on the server and in the browser.
            <PhotoPanel project_id can_edit />
        </section>
    }
    .into_any()
}

#[component]
fn Counted(
    label: &'static str,
    name: &'static str,
    max: usize,
    value: RwSignal<String>,
    #[prop(optional)] multiline: bool,
    can_edit: bool,
    errors: Signal<rules::FieldErrors>,
    field: &'static str,
) -> impl IntoView {
    let id = format!("profile-{field}");
    let message = move || {
        let over = value.with(|v| rules::text::max_chars(v, max).err());
        over.or_else(|| errors.with(|e| e.get(field).map(str::to_owned)))
    };
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=name
                rows="4"
                disabled=!can_edit
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            >
                {value.get_untracked()}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=name
                value=value.get_untracked()
                disabled=!can_edit
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            <crate::components::Counter
                count=Signal::derive(move || value.with(|v| rules::text::char_len(v)))
                max
            />
            <p class="field-error">{message}</p>
        </div>
    }
    .into_any()
}

#[component]
fn ProfileForms(
    project_id: i64,
    view: ProfileView,
    can_edit: bool,
    save: ServerAction<SaveProfile>,
    about: ServerAction<SaveAbout>,
) -> impl IntoView {
    let saved = FormState::new(move || save.value().get());
    let about_saved = FormState::new(move || about.value().get());
    let p = view.profile;
    let address = RwSignal::new(p.address.clone());
    let description = RwSignal::new(p.description.clone());
    let email = RwSignal::new(p.email.clone());
    let website_0 = RwSignal::new(p.websites.first().cloned().unwrap_or_default());
    let website_1 = RwSignal::new(p.websites.get(1).cloned().unwrap_or_default());
    let about_text = RwSignal::new(view.about.clone());
    // Why the save button is disabled, if it is.
    let blocked = move || {
        let draft = profile::BusinessProfile {
            address: address.get(),
            description: description.get(),
            email: email.get(),
            vertical: String::new(),
            websites: vec![website_0.get(), website_1.get()],
        };
        profile::check(&draft)
            .0
            .first()
            .map(|e| format!("Save is disabled: {} — {}", e.field, e.message))
    };
    let about_blocked = move || about_text.with(|t| profile::check_about(t).err());
    let vertical = p.vertical.clone();
    view! {
        <ActionForm
            action=save
            attr:class="card form-grid max-w-3xl mb-4"
            attr:aria-label="Business profile"
        >
            <CsrfField />
            <input type="hidden" name="project_id" value=project_id />
            <Counted
                label="Description"
                name="profile[description]"
                field="description"
                max=profile::DESCRIPTION_MAX
                value=description
                multiline=true
                can_edit
                errors=saved.fields
            />
            <Counted
                label="Address"
                name="profile[address]"
                field="address"
                max=profile::ADDRESS_MAX
                value=address
                can_edit
                errors=saved.fields
            />
            <Counted
                label="Email"
                name="profile[email]"
                field="email"
                max=profile::EMAIL_MAX
                value=email
                can_edit
                errors=saved.fields
            />
            <div class="field">
                <label for="profile-vertical">"Business category"</label>
                <select id="profile-vertical" name="profile[vertical]" disabled=!can_edit>
                    {profile::VERTICALS
                        .iter()
                        .map(|v| {
                            view! {
                                <option value=*v selected=*v == vertical>
                                    {profile::vertical_label(v)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <Counted
                label="Website 1"
                name="profile[websites][0]"
                field="websites.0"
                max=profile::WEBSITE_MAX
                value=website_0
                can_edit
                errors=saved.fields
            />
            <Counted
                label="Website 2"
                name="profile[websites][1]"
                field="websites.1"
                max=profile::WEBSITE_MAX
                value=website_1
                can_edit
                errors=saved.fields
            />
            <FormStatus state=saved success="Business profile saved." />
            {can_edit
                .then(|| {
                    view! {
                        <p class="hint" role="status">
                            {blocked}
                        </p>
                        <button
                            type="submit"
                            class="btn"
                            disabled=move || save.pending().get() || blocked().is_some()
                        >
                            "Save profile"
                        </button>
                    }
                })}
        </ActionForm>
        <ActionForm
            action=about
            attr:class="card form-grid max-w-3xl mb-4"
            attr:aria-label="About text"
        >
            <CsrfField />
            <input type="hidden" name="project_id" value=project_id />
            <Counted
                label="About"
                name="about"
                field="about"
                max=profile::ABOUT_MAX
                value=about_text
                can_edit
                errors=about_saved.fields
            />
            <FormStatus state=about_saved success="About text saved." />
            {can_edit
                .then(|| {
                    view! {
                        <button
                            type="submit"
                            class="btn"
                            disabled=move || about.pending().get() || about_blocked().is_some()
                        >
                            "Save about text"
                        </button>
                    }
                })}
        </ActionForm>
    }
    .into_any()
}
