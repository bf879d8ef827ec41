//! `/:tenant/configuracoes/plano`: the owner sees the plan, usage against each of its limits, and how to ask for
//! more (until billing exists, Atrium's support changes plans).

use leptos::prelude::*;

use crate::i18n::{Locale, Text, t, ts, use_locale};
use crate::platform::{
    auth::Role,
    layout::Allowed,
    plan_usage::{UsageLine, plan_usage},
};
use crate::ui::{Card, ErrorAlert, PageHeader, SkeletonRows, group_thousands};

const TITLE: Text = Text::new("Seu plano", "Your plan");
const SUBTITLE: Text = Text::new(
    "O que o seu plano permite e quanto a instituição usa hoje.",
    "What your plan allows and what you use today.",
);
const PLAN: Text = Text::new("Plano", "Plan");
const UNLIMITED: Text = Text::new("sem limite", "unlimited");
const MORE: Text = Text::new("Precisa de mais?", "Need more?");
const MORE_TEXT: Text = Text::new(
    "Fale com o suporte da Atrium e diga qual limite ficou pequeno: a equipe muda o seu plano e a mudança vale na hora, sem perder nenhum dado. Ao chegar a um limite, só o que seria acrescentado é recusado; tudo o que já existe continua aí.",
    "Contact Atrium's support and say which limit is too small: they change your plan and it takes effect at once, without losing any data. At a limit, only what would be added is refused; everything already there stays.",
);

#[component]
pub fn PlanPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Owner]>
            <PlanUsageView />
        </Allowed>
    }
}

#[component]
fn PlanUsageView() -> impl IntoView {
    let usage = Resource::new(|| (), |()| plan_usage());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <div class="grid gap-6 lg:grid-cols-3">
            <Card class="lg:col-span-2">
                <Suspense fallback=|| view! { <SkeletonRows rows=5 columns=2 /> }>
                    {move || Suspend::new(async move {
                        match usage.await {
                            Ok(usage) => view! {
                                <p class="text-sm text-slate-600">
                                    {t(PLAN)} " " <strong class="text-slate-900" data-testid="plan-name">{t(usage.plan.label())}</strong>
                                </p>
                                <ul class="mt-4 space-y-5" data-testid="plan-usage">
                                    {usage.lines.into_iter().map(|line| view! { <UsageBar line /> }).collect_view()}
                                </ul>
                            }
                            .into_any(),
                            Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </Card>
            <Card>
                <h2 class="text-sm font-semibold text-slate-700">{t(MORE)}</h2>
                <p class="mt-2 text-sm text-slate-600" data-testid="plan-more">{t(MORE_TEXT)}</p>
            </Card>
        </div>
    }
}

/// "3 de 5" and a bar (amber from 80 %, red when full); "1.234 · sem limite" without one.
#[component]
fn UsageBar(line: UsageLine) -> impl IntoView {
    let locale = use_locale();
    let number = move |value: i64| group_thousands(usize::try_from(value).unwrap_or(0), locale.get());
    let figure = move || match (line.allowed, locale.get()) {
        (Some(allowed), Locale::PtBr) => format!("{} de {}", number(line.used), number(allowed)),
        (Some(allowed), Locale::En) => format!("{} of {}", number(line.used), number(allowed)),
        (None, _) => format!("{} · {}", number(line.used), UNLIMITED.get(locale.get())),
    };
    let percent = line.percent();
    // A native <progress>, coloured through its pseudo-elements: a `style="width: …"` bar would be refused by our
    // Content Security Policy (no inline styles).
    let color = match percent {
        100.. => "[&::-webkit-progress-value]:bg-rose-600 [&::-moz-progress-bar]:bg-rose-600",
        80.. => "[&::-webkit-progress-value]:bg-amber-500 [&::-moz-progress-bar]:bg-amber-500",
        _ => "[&::-webkit-progress-value]:bg-indigo-600 [&::-moz-progress-bar]:bg-indigo-600",
    };
    view! {
        <li data-testid="usage-line" data-measure=format!("{:?}", line.measure)>
            <div class="flex items-baseline justify-between gap-4 text-sm">
                <span class="font-medium text-slate-900">{t(line.measure.label())}</span>
                <span class="tabular-nums text-slate-700" data-testid="usage-figure">{figure}</span>
            </div>
            {line.allowed.map(|_| view! {
                <progress
                    class=format!("mt-1 block h-2 w-full appearance-none overflow-hidden rounded-full bg-slate-100 [&::-webkit-progress-bar]:bg-slate-100 [&::-webkit-progress-value]:rounded-full {color}")
                    aria-label=ts(line.measure.label())
                    max="100"
                    value=percent
                ></progress>
            })}
            <p class="mt-1 text-xs text-slate-500">{t(line.measure.hint())}</p>
        </li>
    }
}
