//! "Idioma e formatos": how Atrium writes money, dates and times for this installation.

use chrono::{DateTime, NaiveDate};
use leptos::prelude::*;

use super::{Locale, format_brl, format_date, format_datetime_brasilia};
use crate::ui::{Badge, Card, PageHeader, Tone};

#[component]
pub fn FormatsPage() -> impl IntoView {
    // Fixed examples: the page renders the same on the server and in the browser (and the browser has no clock
    // chrono can read without extra bindings).
    let example_date = NaiveDate::from_ymd_opt(2026, 3, 7).map(format_date).unwrap_or_default();
    let example_instant = DateTime::from_timestamp(1_795_787_100, 0).map(format_datetime_brasilia).unwrap_or_default();
    let rows = [
        ("Idioma", format!("Português (Brasil) · {}", Locale::PtBr.tag())),
        ("Moeda", format_brl(123_456)),
        ("Valores negativos", format_brl(-4_990)),
        ("Datas", example_date),
        ("Data e hora (Brasília, UTC−3)", example_instant),
    ];
    view! {
        <PageHeader title="Idioma e formatos" subtitle="Como o Atrium escreve valores, datas e horários." />
        <Card>
            <dl class="divide-y divide-slate-100">
                {rows
                    .into_iter()
                    .map(|(label, example)| {
                        view! {
                            <div class="grid gap-1 py-3 sm:grid-cols-3 sm:gap-4">
                                <dt class="text-sm font-medium text-slate-600">{label}</dt>
                                <dd class="text-sm tabular-nums text-slate-900 sm:col-span-2">{example}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            <p class="mt-4 flex items-center gap-2 text-sm text-slate-600">
                <Badge tone=Tone::Info>"Em breve"</Badge>
                "Inglês como segundo idioma, escolhido por cada pessoa."
            </p>
        </Card>
    }
}
