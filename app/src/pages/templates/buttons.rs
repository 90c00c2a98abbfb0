//! A translation's buttons in the template editor: kind, label, and where a URL or phone
//! button leads (Meta needs it when the template is submitted).

use leptos::prelude::*;
use rules::templates::library::Translation;
use rules::templates::{Button, ButtonKind};

use super::fields::Edit;

/// Where a URL button opens, or the number a phone button calls (Meta needs them).
fn target_input(i: usize, b: &Button, edit: Edit) -> Option<AnyView> {
    let (what, placeholder) = match b.kind {
        ButtonKind::Url => ("address", "https://shop.example/orders"),
        ButtonKind::Phone => ("phone number", "255712345678"),
        ButtonKind::QuickReply => return None,
    };
    let view = view! {
        <input
            aria-label=format!("Button {} {what}", i + 1)
            placeholder=placeholder
            value=b.target.clone()
            on:change=move |ev| {
                let v = event_target_value(&ev);
                edit.run(
                    Box::new(move |t| {
                        if let Some(b) = t.buttons.get_mut(i) {
                            b.target = v.clone();
                        }
                    }),
                )
            }
        />
    };
    Some(view.into_any())
}

#[component]
pub fn Buttons(current: Signal<Translation>, edit: Edit) -> impl IntoView {
    let kinds = [
        (ButtonKind::QuickReply, "quick reply"),
        (ButtonKind::Url, "URL"),
        (ButtonKind::Phone, "phone"),
    ];
    view! {
        <fieldset class="field">
            <legend class="text-sm font-medium">"Buttons"</legend>
            {move || {
                current
                    .get()
                    .buttons
                    .into_iter()
                    .enumerate()
                    .map(|(i, b)| {
                        view! {
                            <div class="row-form mb-2">
                                <select
                                    aria-label=format!("Button {} kind", i + 1)
                                    on:change=move |ev| {
                                        let kind = match event_target_value(&ev).as_str() {
                                            "URL" => ButtonKind::Url,
                                            "phone" => ButtonKind::Phone,
                                            _ => ButtonKind::QuickReply,
                                        };
                                        edit.run(
                                            Box::new(move |t| {
                                                if let Some(b) = t.buttons.get_mut(i) {
                                                    b.kind = kind;
                                                }
                                            }),
                                        )
                                    }
                                >
                                    {kinds
                                        .into_iter()
                                        .map(|(k, label)| {
                                            view! {
                                                <option value=label selected=b.kind == k>
                                                    {label}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <input
                                    aria-label=format!("Button {} text", i + 1)
                                    value=b.text.clone()
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        edit.run(
                                            Box::new(move |t| {
                                                if let Some(b) = t.buttons.get_mut(i) {
                                                    b.text = v.clone();
                                                }
                                            }),
                                        )
                                    }
                                />
                                {target_input(i, &b, edit)}
                                <button
                                    type="button"
                                    class="link text-sm"
                                    on:click=move |_| {
                                        edit.run(
                                            Box::new(move |t| {
                                                if i < t.buttons.len() {
                                                    t.buttons.remove(i);
                                                }
                                            }),
                                        )
                                    }
                                >
                                    "Remove"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button
                type="button"
                class="btn-small self-start"
                on:click=move |_| {
                    edit.run(
                        Box::new(|t| { t.buttons.push(Button::new(ButtonKind::QuickReply, "")) }),
                    )
                }
            >
                "Add button"
            </button>
        </fieldset>
    }
    .into_any()
}
