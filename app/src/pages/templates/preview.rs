//! The template as the customer will see it: a WhatsApp chat bubble with the sample
//! values filled in and WhatsApp's formatting (*bold*, _italic_, ~strike~, ```mono```).

use leptos::prelude::*;
use rules::templates::library::Translation;
use rules::templates::{ButtonKind, Header, fill, runs};

fn formatted(text: &str) -> impl IntoView + use<> {
    runs(text)
        .into_iter()
        .map(|r| {
            let mut class = Vec::new();
            if r.bold {
                class.push("font-semibold")
            }
            if r.italic {
                class.push("italic")
            }
            if r.strike {
                class.push("line-through")
            }
            if r.mono {
                class.push("font-mono text-[13px]")
            }
            view! { <span class=class.join(" ")>{r.text}</span> }
        })
        .collect_view()
}

#[component]
pub fn Bubble(#[prop(into)] translation: Signal<Translation>) -> impl IntoView {
    let t = move || translation.get();
    view! {
        <div class="bubble-frame" aria-label="Preview" role="figure">
            <div class="bubble" data-testid="preview">
                {move || match t().header {
                    Some(Header::Text(text)) => {
                        view! {
                            <p class="font-semibold mb-1" data-testid="preview-header">
                                {formatted(&fill(&text, &[t().header_sample]))}
                            </p>
                        }
                            .into_any()
                    }
                    Some(Header::Media(kind)) => {
                        view! { <div class="bubble-media">{kind.to_uppercase()}</div> }.into_any()
                    }
                    None => ().into_any(),
                }}
                <p class="whitespace-pre-wrap break-words" data-testid="preview-body">
                    {move || formatted(&fill(&t().body, &t().samples))}
                </p>
                {move || {
                    (!t().footer.is_empty())
                        .then(|| view! { <p class="text-xs text-slate-500 mt-1">{t().footer}</p> })
                }}
                <p class="text-[10px] text-slate-400 text-right">"12:00"</p>
            </div>
            {move || {
                t()
                    .buttons
                    .into_iter()
                    .map(|b| {
                        let icon = match b.kind {
                            ButtonKind::Url => "↗ ",
                            ButtonKind::Phone => "✆ ",
                            ButtonKind::QuickReply => "",
                        };
                        view! { <div class="bubble-button">{format!("{icon}{}", b.text)}</div> }
                    })
                    .collect_view()
            }}
        </div>
    }
    .into_any()
}
