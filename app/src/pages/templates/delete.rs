//! The editor's "Delete…": the whole template, or, when it has several languages, only the
//! one on screen; each button follows words that say what it does, at Meta for a Cloud
//! number.

use leptos::prelude::*;

use crate::api::templates::DeleteTemplate;
use crate::components::{FormState, FormStatus};

#[component]
pub fn DeleteTemplatePanel(
    id: i64,
    name: RwSignal<String>,
    /// The language on screen, and how many the template has.
    language: Signal<String>,
    languages: Signal<usize>,
    at_meta: bool,
    remove: ServerAction<DeleteTemplate>,
) -> impl IntoView {
    let state = FormState::new(move || remove.value().get());
    let one_language = move || {
        view! {
            <p class="text-sm my-2">
                {move || language_warning(&name.get(), &language.get(), at_meta)}
            </p>
            <button
                type="button"
                class="btn-danger"
                data-testid="delete-language"
                on:click=move |_| {
                    remove
                        .dispatch(DeleteTemplate {
                            id,
                            language: Some(language.get_untracked()),
                        });
                }
            >
                {move || format!("Delete only {}", language.get())}
            </button>
        }
    };
    view! {
        <details>
            <summary class="link text-sm cursor-pointer">"Delete…"</summary>
            <Show when=move || { languages.get() > 1 }>{one_language}</Show>
            <p class="text-sm my-2">{move || delete_warning(&name.get(), at_meta)}</p>
            <button
                type="button"
                class="btn-danger"
                on:click=move |_| {
                    remove
                        .dispatch(DeleteTemplate {
                            id,
                            language: None,
                        });
                }
            >
                {move || format!("Delete {}", name.get())}
            </button>
            <FormStatus state success="Deleted." />
        </details>
    }
    .into_any()
}

fn language_warning(name: &str, language: &str, at_meta: bool) -> String {
    if at_meta {
        format!(
            "Deleting only the {language} translation deletes it at Meta for every number on \
             this WhatsApp account; {name}'s other languages keep being sent, and messages \
             asking for {language} fail from then on."
        )
    } else {
        format!(
            "Deleting only the {language} translation keeps {name}'s other languages; the \
             gateway refuses messages asking for {language} from then on."
        )
    }
}

fn delete_warning(name: &str, at_meta: bool) -> String {
    if at_meta {
        format!(
            "Deleting {name} deletes it at Meta, every language, for every number on this \
             WhatsApp account; messages using it fail from then on, and Meta keeps the name \
             from being used again for 30 days."
        )
    } else {
        format!(
            "Deleting {name} removes every translation; the gateway stops checking messages \
             against it. WhatsApp keeps its own copy."
        )
    }
}
