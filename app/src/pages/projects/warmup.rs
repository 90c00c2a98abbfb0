//! A Cloud number's warm-up plan on its health panel: the cap that holds today and why,
//! and for admins the plan's daily caps and first day (checked as typed).

use leptos::prelude::*;
use rules::projects::warmup::{WarmUp, parse_caps};
use rules::text::thousands;

use crate::api::projects::health::{ClearWarmup, SetWarmup};
use crate::components::{CsrfField, FormState, FormStatus, TextField};

/// What holds today, in words.
pub fn cap_words(cap: Option<&(i64, String)>, reached: i64) -> String {
    match cap {
        Some((cap, why)) => format!(
            "{} of {} new conversations started in the last 24 h ({why}); beyond it the \
             gateway holds template messages to new customers back.",
            thousands(reached),
            thousands(*cap)
        ),
        None => "No cap here on new conversations: Meta's messaging limit applies.".into(),
    }
}

#[component]
pub fn WarmUpForm(
    project_id: i64,
    plan: Option<WarmUp>,
    set: ServerAction<SetWarmup>,
    clear: ServerAction<ClearWarmup>,
) -> impl IntoView {
    let state = FormState::new(move || set.value().get());
    let caps = plan.as_ref().map(WarmUp::caps_text).unwrap_or_default();
    let starts = plan
        .as_ref()
        .map(|p| rules::time::format_utc(p.starts_at)[..10].to_owned())
        .unwrap_or_default();
    let has_plan = plan.is_some();
    view! {
        <details class="mt-4">
            <summary class="link text-sm cursor-pointer">
                {if has_plan { "Change the warm-up plan" } else { "Set a warm-up plan" }}
            </summary>
            <ActionForm action=set attr:class="form-grid mt-3" attr:aria-label="Warm-up plan">
                <CsrfField />
                <input type="hidden" name="project_id" value=project_id />
                <TextField
                    label="Daily caps on new conversations, one step a day"
                    name="caps"
                    value=caps
                    hint="Such as 250, 500, 1000, 2000: the last step holds after."
                    check=|v| parse_caps(v).map(|_| ())
                    errors=state.fields
                />
                <TextField
                    label="First day (UTC)"
                    name="starts_at"
                    kind="date"
                    value=starts
                    field="starts_at"
                    hint="Empty: today."
                    errors=state.fields
                />
                <button
                    type="submit"
                    class="btn btn-small justify-self-start"
                    disabled=move || set.pending().get()
                >
                    "Save the plan"
                </button>
                <FormStatus state success="Warm-up plan saved: the gateway holds to it now." />
            </ActionForm>
            {has_plan
                .then(|| {
                    view! {
                        <ActionForm action=clear attr:class="mt-2">
                            <CsrfField />
                            <input type="hidden" name="project_id" value=project_id />
                            <button type="submit" class="btn-small">
                                "End the warm-up plan"
                            </button>
                        </ActionForm>
                    }
                })}
        </details>
    }
    .into_any()
}
