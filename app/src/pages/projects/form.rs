//! The project form's fields, shared by "new" and "edit".

use leptos::prelude::*;
use rules::FieldErrors;
use rules::accounts::Organization;
use rules::cloud::MetaAppView;
use rules::projects::settings::{Project, UpstreamKind};

use crate::components::{SelectField, TextField};

const UPSTREAM_URL_HINT: &str = "Where the WhatsApp Business API client for this number answers, \
                                 for example https://wa-client.internal:9090.";

fn phone_check(v: &str) -> Result<(), String> {
    rules::phone::normalize_e164(v).map(|_| ())
}

#[component]
pub fn ProjectFields(
    organizations: Vec<Organization>,
    meta_apps: Vec<MetaAppView>,
    project: Option<Project>,
    #[prop(into)] errors: Signal<FieldErrors>,
) -> impl IntoView {
    let editing = project.is_some();
    let p = project.unwrap_or_else(|| Project {
        id: 0,
        organization_id: 0,
        organization_name: String::new(),
        name: String::new(),
        phone_number: String::new(),
        upstream_url: String::new(),
        upstream_username: String::new(),
        notes: String::new(),
        enforce_24h_window: true,
        redact_bodies: false,
        // What a new provider sets up today: Meta retired the On-Premises client.
        kind: UpstreamKind::Cloud,
        cloud: None,
        created_at: 0,
        updated_at: 0,
    });
    let options = organizations
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect::<Vec<_>>();
    let password_hint = if editing {
        "Stored encrypted (••••). Leave empty to keep it."
    } else {
        "Stored encrypted; it is never shown again."
    };
    view! {
        <SelectField
            label="Organization"
            name="input[organization_id]"
            field="organization_id"
            options
            selected=p.organization_id.to_string()
            errors
        />
        <TextField
            label="Display name"
            name="input[name]"
            field="name"
            value=p.name
            required=true
            errors
        />
        <TextField
            label="WhatsApp phone number"
            name="input[phone_number]"
            field="phone_number"
            value=p.phone_number
            hint="Digits with the country code, no leading 0 or +, for example 255712345678."
            required=true
            check=phone_check
            errors
        />
        <UpstreamKindChoice kind=p.kind errors />
        <CloudFields meta_apps project=p.cloud.clone() editing errors />
        <div class="onprem-only form-grid">
            <TextField
                label="Upstream base URL"
                name="input[upstream_url]"
                field="upstream_url"
                kind="url"
                value=p.upstream_url
                hint=UPSTREAM_URL_HINT
                check=rules::text::http_url
                errors
            />
            <TextField
                label="Upstream admin username"
                name="input[upstream_username]"
                field="upstream_username"
                value=p.upstream_username
                errors
            />
            <TextField
                label="Upstream admin password"
                name="input[upstream_password]"
                field="upstream_password"
                kind="password"
                autocomplete="new-password"
                hint=password_hint
                errors
            />
        </div>
        <div class="field">
            <label for="field-input-notes">"Notes"</label>
            <textarea id="field-input-notes" name="input[notes]" rows="3">
                {p.notes}
            </textarea>
            <p class="field-error">{move || errors.with(|e| e.get("notes").map(str::to_owned))}</p>
        </div>
        <fieldset class="field">
            <legend class="text-sm font-medium text-slate-700">"Gateway"</legend>
            <label class="checkbox">
                <input
                    type="checkbox"
                    name="input[enforce_24h_window]"
                    value="true"
                    checked=p.enforce_24h_window
                />
                " Refuse free-form messages to contacts silent for 24 hours "
                "(send a template instead)"
            </label>
            <label class="checkbox">
                <input
                    type="checkbox"
                    name="input[redact_bodies]"
                    value="true"
                    checked=p.redact_bodies
                />
                " Redact message text in the message log"
            </label>
        </fieldset>
    }
    .into_any()
}

/// Which kind of client the number runs on; the form shows that kind's fields.
#[component]
fn UpstreamKindChoice(
    kind: UpstreamKind,
    #[prop(into)] errors: Signal<FieldErrors>,
) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend class="text-sm font-medium text-slate-700">"The number runs on"</legend>
            {UpstreamKind::ALL
                .into_iter()
                .map(|k| {
                    view! {
                        <label class="checkbox">
                            <input
                                type="radio"
                                name="input[kind]"
                                value=k.as_str()
                                checked=k == kind
                            />
                            " "
                            {k.label()}
                        </label>
                    }
                })
                .collect_view()}
            <p class="hint">
                "Meta ended the On-Premises API on 2025-10-23: new numbers run on the Cloud API. "
                "Moving a project keeps its API keys, webhook, message log and templates."
            </p>
            <p class="field-error">{move || errors.with(|e| e.get("kind").map(str::to_owned))}</p>
        </fieldset>
    }
    .into_any()
}

/// A Cloud number: the Meta app it is called through, its ids at Meta and the token.
#[component]
fn CloudFields(
    meta_apps: Vec<MetaAppView>,
    project: Option<rules::projects::settings::CloudView>,
    editing: bool,
    #[prop(into)] errors: Signal<FieldErrors>,
) -> impl IntoView {
    let cloud = project.unwrap_or_default();
    let no_apps = meta_apps.is_empty();
    let options = meta_apps
        .into_iter()
        .map(|a| (a.app_id.clone(), format!("{} ({})", a.name, a.app_id)))
        .collect::<Vec<_>>();
    let token_hint = if editing && !cloud.token_hint.is_empty() {
        "Stored encrypted (shown above as •••• and its last 4). Leave empty to keep it."
    } else {
        "A system user's token with whatsapp_business_messaging and \
         whatsapp_business_management; stored encrypted, never shown again."
    };
    view! {
        <div class="cloud-only form-grid">
            {no_apps
                .then(|| {
                    view! {
                        <p class="notice notice-error">
                            "No Meta app is registered yet. " <a class="link" href="/meta-apps">
                                "Register the provider's Meta app"
                            </a> " first."
                        </p>
                    }
                })}
            <SelectField
                label="Meta app"
                name="input[cloud][meta_app]"
                field="meta_app"
                options
                selected=cloud.meta_app
                errors
            />
            <TextField
                label="Phone number id"
                name="input[cloud][phone_number_id]"
                field="phone_number_id"
                value=cloud.phone_number_id
                hint="Meta's id of the number (WhatsApp Manager → Phone numbers), not the number itself."
                errors
            />
            <TextField
                label="WhatsApp Business Account id"
                name="input[cloud][waba_id]"
                field="waba_id"
                value=cloud.waba_id
                errors
            />
            <TextField
                label="Access token"
                name="input[cloud][access_token]"
                field="access_token"
                kind="password"
                autocomplete="off"
                hint=token_hint
                errors
            />
        </div>
    }
    .into_any()
}
