//! The template editor: every check runs in the browser as you type (the same
//! `rules::templates` code the server runs on save and the gateway on send), with
//! counters, the variables found, sample values and a live preview.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use rules::Role;
use rules::templates::library::{
    Category, Status, Template, TemplateInput, Translation, check_language,
};
use rules::templates::{NAME_MAX, labelled, lint};
use rules::text::char_len;

use super::delete::DeleteTemplatePanel;
use super::fields::{Edit, Languages, Samples, TranslationFields};
use super::preview::Bubble;
use super::status::meta_status;
use crate::api::templates::{DeleteTemplate, EditorStart, SaveTemplate, template_editor};
use crate::components::{Counter, ErrorNote, FormState, FormStatus, Loading, current_role};
use crate::error::AppError;

#[component]
pub fn TemplateEditorPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let project =
        use_query_map().with_untracked(|q| q.get("project").and_then(|v| v.parse::<i64>().ok()));
    let start = Resource::new(
        move || (id, project),
        |(id, project)| template_editor(id, project),
    );
    view! {
        <Title text="Template · Tujenge" />
        <a class="link text-sm" href="/templates">
            "← Templates"
        </a>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match start.await {
                    Ok(EditorStart { template, project_id, at_meta }) => {
                        view! { <Editor project_id template at_meta /> }.into_any()
                    }
                    Err(AppError::NotFound) => {
                        view! { <crate::pages::not_found::NotFoundPage /> }.into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Editor(project_id: i64, template: Option<Template>, at_meta: bool) -> impl IntoView {
    let can_edit = current_role() == Some(Role::Admin);
    // A new template shows no findings before anything is typed (or a save is tried).
    let touched = RwSignal::new(template.is_some());
    // The same route shows the template after its first save, so the id is a signal.
    let id = RwSignal::new(template.as_ref().map(|t| t.id));
    let input = template.map(|t| t.input).unwrap_or_else(|| TemplateInput {
        translations: vec![Translation::new("en")],
        ..TemplateInput::default()
    });
    // Meta's review of each language as last read or submitted.
    let reviewed = RwSignal::new(input.clone());
    let name = RwSignal::new(input.name);
    let category = RwSignal::new(input.category);
    let status = RwSignal::new(input.status);
    let reason = RwSignal::new(input.rejection_reason);
    let translations = RwSignal::new(input.translations);
    let selected = RwSignal::new(0usize);
    let current = Signal::derive(move || {
        translations.with(|ts| ts.get(selected.get()).cloned().unwrap_or_default())
    });
    let edit = move |f: &dyn Fn(&mut Translation)| {
        translations.update(|ts| {
            if let Some(t) = ts.get_mut(selected.get_untracked()) {
                f(t)
            }
        })
    };

    let save = ServerAction::<SaveTemplate>::new();
    let remove = ServerAction::<DeleteTemplate>::new();
    let state = FormState::new(move || save.value().get());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            reviewed.set(saved.input.clone());
            if id.get_untracked().is_none() {
                id.set(Some(saved.id));
                navigate(
                    &format!("/templates/{}", saved.id),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        }
    });
    let navigate = use_navigate();
    // One language deleted: the rest stays on screen; the whole template: back to the list.
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(Some(left))) => {
            selected.set(0);
            translations.set(left.input.translations.clone());
            reviewed.set(left.input);
        }
        Some(Ok(None)) => navigate(
            &format!("/templates?project={project_id}"),
            Default::default(),
        ),
        _ => {}
    });
    let submit = move |_| {
        let input = TemplateInput {
            name: name.get_untracked(),
            category: category.get_untracked(),
            status: status.get_untracked(),
            rejection_reason: reason.get_untracked(),
            translations: translations.get_untracked(),
        };
        let template = serde_json::to_string(&input).unwrap_or_default();
        save.dispatch(SaveTemplate {
            project_id,
            id: id.get_untracked(),
            template,
        });
    };
    // Findings of the translation on screen, as the server will judge it.
    let findings = Memo::new(move |_| {
        let t = current.get();
        let mut out: Vec<(String, String)> = lint(&t.draft(&name.get()))
            .into_iter()
            .map(|f| (f.field, f.message))
            .collect();
        if let Err(m) = check_language(&t.language) {
            out.push(("language".into(), m));
        }
        out
    });
    let message_for = move |field: &'static str| {
        move || {
            let live = touched
                .get()
                .then(|| {
                    findings.with(|f| f.iter().find(|(k, _)| k == field).map(|(_, m)| m.clone()))
                })
                .flatten();
            let key = if field == "name" {
                "name".to_owned()
            } else {
                format!("translations.{}.{field}", selected.get())
            };
            live.or_else(|| state.fields.with(|e| e.get(&key).map(str::to_owned)))
        }
    };
    // The form in parts, each type-erased: as one view its type overflowed the
    // compiler's query depth in the release build.
    let basics = view! {
        <div class="grid gap-4 sm:grid-cols-2">
            <div class="field">
                <label for="t-name">"Name"</label>
                <input
                    id="t-name"
                    class="mono"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    placeholder="order_update"
                />
                <Counter
                    count=Signal::derive(move || name.with(|n| char_len(n)))
                    max=NAME_MAX
                    id="name-counter"
                />
                <p class="field-error">{message_for("name")}</p>
            </div>
            <div class="field">
                <label for="t-category">"Category"</label>
                <select
                    id="t-category"
                    on:change=move |ev| {
                        category.set(Category::parse(&event_target_value(&ev)).unwrap_or_default())
                    }
                >
                    {Category::ALL
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option value=c.as_str() selected=move || category.get() == c>
                                    {c.as_str()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            {at_meta
                .then(|| {
                    view! {
                        <div class="field">
                            <span class="text-sm font-medium">"Status at Meta"</span>
                            <ul class="text-sm space-y-1" data-testid="meta-status">
                                {move || reviewed.with(meta_status)}
                            </ul>
                        </div>
                    }
                })}
            <Show when=move || !at_meta>
                <div class="field">
                    <label for="t-status">"Status at WhatsApp"</label>
                    <select
                        id="t-status"
                        on:change=move |ev| {
                            status.set(Status::parse(&event_target_value(&ev)).unwrap_or_default())
                        }
                    >
                        {Status::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.as_str() selected=move || status.get() == s>
                                        {s.as_str()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </Show>
            <Show when=move || !at_meta && status.get() == Status::Rejected>
                <div class="field">
                    <label for="t-reason">"Why it was rejected"</label>
                    <input
                        id="t-reason"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    />
                    <p class="field-error">
                        {move || {
                            state.fields.with(|e| e.get("rejection_reason").map(str::to_owned))
                        }}
                    </p>
                </div>
            </Show>
        </div>
    }
    .into_any();
    let findings_list = view! {
        <section aria-label="Findings">
            {move || {
                let list = findings.get();
                if !touched.get() {
                    view! {
                        <p class="text-sm text-slate-500">
                            "Each field is checked against WhatsApp's rules as you type."
                        </p>
                    }
                        .into_any()
                } else if list.is_empty() {
                    view! {
                        <p class="notice notice-ok text-sm">
                            "No findings: this translation fits WhatsApp's rules."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="findings">
                            {list
                                .into_iter()
                                .map(|(field, m)| view! { <li>{labelled(&field, &m)}</li> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
    .into_any();
    let actions = can_edit.then(|| {
        view! {
            <div class="flex flex-wrap gap-3 items-center">
                <button
                    type="submit"
                    class="btn"
                    disabled=move || save.pending().get() || !findings.with(Vec::is_empty)
                >
                    {if at_meta { "Submit to Meta" } else { "Save template" }}
                </button>
                <span class="text-sm text-slate-600" data-testid="save-blocked">
                    {move || {
                        findings
                            .with(|f| {
                                match f.len() {
                                    0 => None,
                                    1 => {
                                        Some(
                                            "Save is off until the finding above is fixed.".to_owned(),
                                        )
                                    }
                                    n => {
                                        Some(
                                            format!(
                                                "Save is off until the {n} findings above are fixed.",
                                            ),
                                        )
                                    }
                                }
                            })
                    }}
                </span>
            </div>
            {move || {
                id.get()
                    .map(|id| {
                        view! {
                            <DeleteTemplatePanel
                                id
                                name
                                language=Signal::derive(move || {
                                    current.with(|t| t.language.clone())
                                })
                                languages=Signal::derive(move || translations.with(Vec::len))
                                at_meta
                                remove
                            />
                        }
                    })
            }}
        }
        .into_any()
    });
    let edit_callback: Edit =
        Callback::new(move |f: Box<dyn Fn(&mut Translation) + Send + Sync>| edit(&*f));
    view! {
        <h1 class="page-title mt-2">
            {move || {
                if name.with(String::is_empty) { "New template".to_owned() } else { name.get() }
            }}
        </h1>
        <div class="grid gap-6 lg:grid-cols-[1fr_22rem]">
            <form
                class="card form-grid"
                aria-label="Template"
                on:input=move |_| touched.set(true)
                on:submit=move |ev| {
                    ev.prevent_default();
                    touched.set(true);
                    submit(());
                }
            >
                <fieldset disabled=!can_edit class="form-grid">
                    {basics}
                    <Languages translations selected can_edit />
                    <TranslationFields
                        current
                        edit=edit_callback
                        message_for=Callback::new(move |f: &'static str| message_for(f)())
                    />
                </fieldset>
                {findings_list}
                {actions}
                <FormStatus
                    state
                    success=if at_meta {
                        "Submitted to Meta: it shows as pending until Meta's review comes back."
                    } else {
                        "Template saved."
                    }
                />
            </form>
            <aside aria-label="Preview and samples" class="space-y-4">
                <Bubble translation=current />
                <Samples current edit=edit_callback />
            </aside>
        </div>
    }
    .into_any()
}
