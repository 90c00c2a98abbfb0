//! Stacked bar chart of messages per hour or day, drawn as SVG on the server so it reads
//! without JavaScript (each bar has a native tooltip, and the numbers are in a table
//! below it); once hydrated, pointing at a bar shows its values above the chart.

use leptos::prelude::*;
use rules::messages::stats::{Bucket, Range, nice_ceiling};
use rules::text::thousands;

use crate::components::{DataTable, viewer_zone};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 20.0;
// Labels are 10 drawing units on wide screens; on a phone the drawing shrinks to about
// half, so they are drawn at 20 units there (`text-[20px] sm:text-[10px]`) and still read.

/// (label, class, value) of each stacked part, bottom first.
fn parts(b: &Bucket) -> [(&'static str, &'static str, i64); 4] {
    [
        ("delivered or read", "fill-sky-500", b.delivered),
        ("pending", "fill-slate-300", b.pending),
        ("failed or refused", "fill-red-500", b.failed),
        ("received", "fill-emerald-500", b.received),
    ]
}

fn describe(b: &Bucket) -> String {
    let values = parts(b)
        .iter()
        .map(|(label, _, v)| format!("{v} {label}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{}: {values}", b.label)
}

#[component]
pub fn MessagesChart(buckets: Vec<Bucket>, range: Range) -> impl IntoView {
    let top = nice_ceiling(buckets.iter().map(Bucket::total).max().unwrap_or(0));
    let slot = (WIDTH - LEFT) / buckets.len().max(1) as f64;
    let scale = (HEIGHT - BOTTOM) / top as f64;
    let label_every = (buckets.len() / 8).max(1);
    let hovered = RwSignal::new(None::<String>);
    let summary = format!(
        "Messages per {}, stacked by outcome; highest bar {top}.",
        if range == Range::Day { "hour" } else { "day" }
    );
    let bars = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = LEFT + i as f64 * slot + slot * 0.15;
            let mut y = HEIGHT - BOTTOM;
            let text = describe(b);
            let rects = parts(b)
                .into_iter()
                .filter(|(_, _, v)| *v > 0)
                .map(|(_, class, v)| {
                    let h = v as f64 * scale;
                    y -= h;
                    view! {
                        <rect
                            x=format!("{x:.1}")
                            y=format!("{y:.1}")
                            width=format!("{:.1}", slot * 0.7)
                            height=format!("{h:.1}")
                            class=class
                        />
                    }
                })
                .collect_view();
            let label = (i % label_every == 0).then(|| {
                view! {
                    <text
                        x=format!("{:.1}", x + slot * 0.35)
                        y=format!("{}", HEIGHT - 5.0)
                        text-anchor="middle"
                        class="fill-slate-500 text-[20px] sm:text-[10px]"
                    >
                        {b.label.clone()}
                    </text>
                }
            });
            let hover_text = text.clone();
            view! {
                <g
                    class="bar"
                    on:mouseenter=move |_| hovered.set(Some(hover_text.clone()))
                    on:mouseleave=move |_| hovered.set(None)
                >
                    <title>{text}</title>
                    // A transparent full-height target so thin bars are easy to point at.
                    <rect
                        x=format!("{:.1}", LEFT + i as f64 * slot)
                        y="0"
                        width=format!("{slot:.1}")
                        height=format!("{}", HEIGHT - BOTTOM)
                        fill="transparent"
                    />
                    {rects}
                    {label}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <p class="text-sm text-slate-600 h-5" aria-live="polite" data-testid="chart-readout">
                {move || hovered.get().unwrap_or_else(|| "Point at a bar for its numbers.".into())}
            </p>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                class="w-full h-auto overflow-visible"
                role="img"
                aria-label=summary.clone()
            >
                <line x1=LEFT y1="0.5" x2=WIDTH y2="0.5" class="stroke-slate-200" />
                <line
                    x1=LEFT
                    y1=HEIGHT - BOTTOM
                    x2=WIDTH
                    y2=HEIGHT - BOTTOM
                    class="stroke-slate-300"
                />
                <text
                    x=LEFT - 6.0
                    y="10"
                    text-anchor="end"
                    class="fill-slate-500 text-[20px] sm:text-[10px]"
                >
                    {top}
                </text>
                <text
                    x=LEFT - 6.0
                    y=HEIGHT - BOTTOM
                    text-anchor="end"
                    class="fill-slate-500 text-[20px] sm:text-[10px]"
                >
                    "0"
                </text>
                {bars}
            </svg>
            <figcaption class="flex flex-wrap gap-4 text-xs text-slate-600 mt-1">
                {parts(&Bucket::default())
                    .into_iter()
                    .map(|(label, class, _)| {
                        view! {
                            <span class="flex items-center gap-1">
                                <svg width="10" height="10" aria-hidden="true">
                                    <rect width="10" height="10" class=class />
                                </svg>
                                {label}
                            </span>
                        }
                    })
                    .collect_view()}
                <span class="ml-auto">{format!("Times in {}", viewer_zone())}</span>
            </figcaption>
            <details class="mt-2">
                <summary class="text-sm">"Show as a table"</summary>
                <div class="mt-2 text-sm">
                    <DataTable headers=vec![
                        "From",
                        "Delivered or read",
                        "Pending",
                        "Failed or refused",
                        "Received",
                    ]>
                        {buckets
                            .iter()
                            .map(|b| {
                                view! {
                                    <tr>
                                        <td>{b.label.clone()}</td>
                                        <td>{thousands(b.delivered)}</td>
                                        <td>{thousands(b.pending)}</td>
                                        <td>{thousands(b.failed)}</td>
                                        <td>{thousands(b.received)}</td>
                                    </tr>
                                }
                                    .into_any()
                            })
                            .collect_view()}
                    </DataTable>
                </div>
            </details>
        </figure>
    }
    .into_any()
}
