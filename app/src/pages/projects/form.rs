//! The project form's fields, shared by "new" and "edit".

use leptos::prelude::*;
use rules::FieldErrors;
use rules::accounts::Organization;
use rules::projects::settings::Project;

use crate::components::{SelectField, TextField};

const UPSTREAM_URL_HINT: &str = "Where the WhatsApp Business API client for this number answers, \
                                 for example https://wa-client.internal:9090.";

fn phone_check(v: &str) -> Result<(), String> {
    rules::phone::normalize_e164(v).map(|_| ())
}

#[component]
pub fn ProjectFields(
    organizations: Vec<Organization>,
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
        <TextField
            label="Upstream base URL"
            name="input[upstream_url]"
            field="upstream_url"
            kind="url"
            value=p.upstream_url
            hint=UPSTREAM_URL_HINT
            required=true
            check=rules::text::http_url
            errors
        />
        <TextField
            label="Upstream admin username"
            name="input[upstream_username]"
            field="upstream_username"
            value=p.upstream_username
            required=true
            errors
        />
        <TextField
            label="Upstream admin password"
            name="input[upstream_password]"
            field="upstream_password"
            kind="password"
            autocomplete="new-password"
            hint=password_hint
            required=!editing
            errors
        />
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
