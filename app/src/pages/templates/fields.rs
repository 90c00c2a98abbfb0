//! The fields of one translation in the template editor: languages, header, body,
//! footer, buttons and sample values. Each edit goes through `Edit`, so the editor holds
//! the one copy of the template and the preview follows every keystroke.

use leptos::prelude::*;
use rules::templates::library::Translation;
use rules::templates::{BODY_MAX, FOOTER_MAX, HEADER_MAX, Header, fill, variables};

use super::buttons::Buttons;
use rules::text::char_len;

use crate::components::Counter;

/// One tab per language, and a way to add one.
#[component]
pub fn Languages(
    translations: RwSignal<Vec<Translation>>,
    selected: RwSignal<usize>,
    can_edit: bool,
) -> impl IntoView {
    let added = RwSignal::new(String::new());
    // A language Meta holds is deleted there ("Delete only …"), not dropped from the form.
    let removable = move || {
        let not_at_meta = |t: &Translation| t.review.as_ref().is_none_or(|r| r.meta_id.is_empty());
        translations.with(|ts| ts.len() > 1 && ts.get(selected.get()).is_some_and(not_at_meta))
    };
    view! {
        <div>
            <div class="tabs" role="tablist" aria-label="Languages">
                {move || {
                    translations
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, t)| {
                            view! {
                                <button
                                    type="button"
                                    role="tab"
                                    aria-selected=move || (selected.get() == i).to_string()
                                    on:click=move |_| selected.set(i)
                                >
                                    {if t.language.is_empty() {
                                        "(language)".to_owned()
                                    } else {
                                        t.language
                                    }}
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
            {can_edit
                .then(|| {
                    view! {
                        <div class="row-form">
                            <div class="field">
                                <label for="t-add-language">"Add a translation"</label>
                                <input
                                    id="t-add-language"
                                    size="8"
                                    placeholder="sw"
                                    prop:value=move || added.get()
                                    on:input=move |ev| added.set(event_target_value(&ev))
                                />
                            </div>
                            <button
                                type="button"
                                class="btn-small"
                                on:click=move |_| {
                                    let language = added.get_untracked().trim().to_owned();
                                    if language.is_empty() {
                                        return;
                                    }
                                    translations
                                        .update(|ts| {
                                            let copy = ts
                                                .first()
                                                .map(|t| Translation {
                                                    language: language.clone(),
                                                    ..t.clone()
                                                })
                                                .unwrap_or_else(|| Translation::new(&language));
                                            ts.push(copy);
                                        });
                                    selected.set(translations.with_untracked(Vec::len) - 1);
                                    added.set(String::new());
                                }
                            >
                                "Add"
                            </button>
                            <Show when=removable>
                                <button
                                    type="button"
                                    class="link text-sm"
                                    on:click=move |_| {
                                        translations
                                            .update(|ts| {
                                                if ts.len() > 1 {
                                                    ts.remove(selected.get_untracked());
                                                }
                                            });
                                        selected.set(0);
                                    }
                                >
                                    "Remove this translation"
                                </button>
                            </Show>
                        </div>
                    }
                })}
        </div>
    }
    .into_any()
}

/// The sample value of variable `{{n}}`.
fn sample_field(n: usize, current: Signal<Translation>, edit: Edit) -> AnyView {
    let value = move || current.with(|t| t.samples.get(n - 1).cloned().unwrap_or_default());
    let set = move |ev| {
        let v = event_target_value(&ev);
        edit.run(Box::new(move |t| {
            if t.samples.len() < n {
                t.samples.resize(n, String::new());
            }
            t.samples[n - 1] = v.clone();
        }))
    };
    view! {
        <div class="field mb-2">
            <label for=format!("t-sample-{n}")>{format!("Sample for {{{{{n}}}}}")}</label>
            <input id=format!("t-sample-{n}") prop:value=value on:input=set />
        </div>
    }
    .into_any()
}

pub type Edit = Callback<Box<dyn Fn(&mut Translation) + Send + Sync>>;

fn header_kind(t: &Translation) -> &'static str {
    match &t.header {
        None => "none",
        Some(Header::Text(_)) => "text",
        Some(Header::Media(kind)) => match kind.as_str() {
            "video" => "video",
            "document" => "document",
            _ => "image",
        },
    }
}

#[component]
pub fn TranslationFields(
    current: Signal<Translation>,
    edit: Edit,
    message_for: Callback<&'static str, Option<String>>,
) -> impl IntoView {
    let header_text = move || match current.get().header {
        Some(Header::Text(t)) => Some(t),
        _ => None,
    };
    let found = move || current.with(|t| variables(&t.body));
    view! {
        <div class="grid gap-4 sm:grid-cols-2">
            <div class="field">
                <label for="t-language">"Language code"</label>
                <input
                    id="t-language"
                    class="mono"
                    prop:value=move || current.get().language
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit.run(Box::new(move |t| t.language = v.clone()))
                    }
                />
                <p class="field-error">{move || message_for.run("language")}</p>
            </div>
            <div class="field">
                <label for="t-header-kind">"Header"</label>
                <select
                    id="t-header-kind"
                    on:change=move |ev| {
                        let kind = event_target_value(&ev);
                        edit.run(
                            Box::new(move |t| {
                                t.header = match kind.as_str() {
                                    "none" => None,
                                    "text" => Some(Header::Text(String::new())),
                                    media => Some(Header::Media(media.to_owned())),
                                };
                            }),
                        )
                    }
                >
                    {["none", "text", "image", "video", "document"]
                        .into_iter()
                        .map(|k| {
                            view! {
                                <option value=k selected=move || header_kind(&current.get()) == k>
                                    {k}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </div>
        <Show when=move || header_text().is_some()>
            <div class="field">
                <label for="t-header">"Header text"</label>
                <input
                    id="t-header"
                    prop:value=move || header_text().unwrap_or_default()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit.run(Box::new(move |t| t.header = Some(Header::Text(v.clone()))))
                    }
                />
                <Counter
                    count=Signal::derive(move || header_text().map(|h| char_len(&h)).unwrap_or(0))
                    max=HEADER_MAX
                />
                <p class="field-error">{move || message_for.run("header")}</p>
            </div>
        </Show>
        <div class="field">
            <label for="t-body">"Body"</label>
            <textarea
                id="t-body"
                rows="6"
                prop:value=move || current.get().body
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    edit.run(Box::new(move |t| t.body = v.clone()))
                }
            ></textarea>
            <Counter
                count=Signal::derive(move || current.with(|t| char_len(&t.body)))
                max=BODY_MAX
                id="body-counter"
            />
            <p class="hint">
                {move || match found().len() {
                    0 => {
                        "No variables. Use {{1}}, {{2}}, … for values filled in per message."
                            .to_owned()
                    }
                    n => {
                        format!(
                            "{}: {}",
                            rules::text::count(n as u64, "variable", "variables"),
                            found()
                                .iter()
                                .map(|v| format!("{{{{{v}}}}}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    }
                }}
            </p>
            <p class="field-error" data-testid="body-error">
                {move || message_for.run("body")}
            </p>
        </div>
        <div class="field">
            <label for="t-footer">"Footer"</label>
            <input
                id="t-footer"
                prop:value=move || current.get().footer
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    edit.run(Box::new(move |t| t.footer = v.clone()))
                }
            />
            <Counter
                count=Signal::derive(move || current.with(|t| char_len(&t.footer)))
                max=FOOTER_MAX
            />
            <p class="field-error">{move || message_for.run("footer")}</p>
        </div>
        <Buttons current edit />
        <p class="field-error">{move || message_for.run("buttons")}</p>
    }
    .into_any()
}

/// One input per variable; the preview and the filled length follow as you type.
#[component]
pub fn Samples(current: Signal<Translation>, edit: Edit) -> impl IntoView {
    // A memo: the inputs are rebuilt only when the number of variables changes, so typing
    // a sample keeps its focus.
    let count = Memo::new(move |_| {
        current.with(|t| variables(&t.body).into_iter().max().unwrap_or(0) as usize)
    });
    let filled = move || current.with(|t| char_len(&fill(&t.body, &t.samples)));
    let header_has_variable = Memo::new(move |_| {
        current.with(|t| matches!(&t.header, Some(Header::Text(h)) if !variables(h).is_empty()))
    });
    view! {
        <section class="card" aria-label="Sample values">
            <h2 class="section-title mt-0">"Sample values"</h2>
            <Show when=move || header_has_variable.get()>
                <div class="field mb-2">
                    <label for="t-header-sample">"Sample for the header's {{1}}"</label>
                    <input
                        id="t-header-sample"
                        prop:value=move || current.with(|t| t.header_sample.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            edit.run(Box::new(move |t| t.header_sample = v.clone()))
                        }
                    />
                </div>
            </Show>
            {move || {
                if count.get() == 0 {
                    view! { <p class="text-sm text-slate-600">"The body has no variables."</p> }
                        .into_any()
                } else {
                    (1..=count.get())
                        .map(|n| sample_field(n, current, edit))
                        .collect_view()
                        .into_any()
                }
            }}
            <div class="text-sm flex items-baseline gap-2">
                "Filled body:"<Counter count=Signal::derive(filled) max=BODY_MAX />
            </div>
        </section>
    }
    .into_any()
}
