//! `/:tenant/financeiro/recorrentes`: recurring rules. A new rule at the top; each rule with its version history, an
//! "edit from a date" form that previews which occurrences change and which stay before saving, and ending from a
//! date (only future unpaid occurrences go).

use leptos::prelude::*;
use uuid::Uuid;

use super::entry_form::{Outcome, outcome_of};
use super::shared::{FinanceTabs, account_options, category_options, kind_options};
use crate::finance::{
    recurring_api::{CreateRule, EditRule, EndRule, PreviewRule, list_rules},
    recurring_types::{Frequency, PreviewRow, Rule, RuleVersion, RulesPage, VersionForm},
    types::{Account, Category, EntryKind},
};
use crate::i18n::{Text, format_brl, format_date, t, ts, use_locale};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, Card, Cell, Column, DataTable, EmptyState, ErrorAlert, FOCUS_RING, FormAlert, PageHeader,
    SelectField, SkeletonRows, TextField, Tone, field_error, form_error,
};

const TITLE: Text = Text::new("Recorrentes", "Recurring");
const SUBTITLE: Text = Text::new(
    "Aluguel, folha, assinaturas: lançados como pendentes até 13 meses à frente. Mudanças valem a partir de uma data.",
    "Rent, payroll, subscriptions: booked as pending up to 13 months ahead. Changes apply from a date.",
);
const NEW_RULE: Text = Text::new("Nova regra", "New rule");
const NAME: Text = Text::new("Nome", "Name");
const KIND: Text = Text::new("Tipo", "Kind");
const FROM: Text = Text::new("A partir de", "From");
const AMOUNT: Text = Text::new("Valor (R$)", "Amount (R$)");
const CATEGORY: Text = Text::new("Categoria", "Category");
const ACCOUNT: Text = Text::new("Conta", "Account");
const FREQUENCY: Text = Text::new("Frequência", "Frequency");
const EVERY: Text = Text::new("A cada (meses)", "Every (months)");
const DAY: Text = Text::new("Dia (semanal: 1 = seg … 7 = dom)", "Day (weekly: 1 = Mon … 7 = Sun)");
const BUSINESS: Text = Text::new("Fim de semana ou feriado: próximo dia útil", "Weekend or holiday: next business day");
const CREATE: Text = Text::new("Criar regra", "Create rule");
const CREATED: Text = Text::new("Regra criada e lançamentos gerados.", "Rule created and entries booked.");
const EMPTY: Text = Text::new("Nenhuma regra recorrente", "No recurring rules");
const EMPTY_TEXT: Text = Text::new("Crie a primeira acima.", "Create the first one above.");
const HISTORY: Text = Text::new("Versões", "Versions");
const VALID: Text = Text::new("Vigência", "Valid");
const ONGOING: Text = Text::new("em vigor", "current");
const ENDED: Text = Text::new("Encerrada em", "Ended on");
const EDIT_FROM: Text = Text::new("Alterar a partir de uma data", "Change from a date");
const PREVIEW: Text = Text::new("Pré-visualizar", "Preview");
const SAVE: Text = Text::new("Salvar a partir desta data", "Save from this date");
const SAVED: Text = Text::new("Regra alterada.", "Rule changed.");
const END: Text = Text::new("Encerrar a partir de", "End from");
const END_BUTTON: Text = Text::new("Encerrar", "End");
const ENDED_DONE: Text = Text::new("Regra encerrada.", "Rule ended.");
const DATE: Text = Text::new("Data", "Date");
const BEFORE: Text = Text::new("Hoje", "Now");
const AFTER: Text = Text::new("Depois", "After");
const CHANGE: Text = Text::new("Situação", "Status");

const VERSION_FIELDS: &[&str] =
    &["name", "kind", "from", "amount", "category_id", "account_id", "frequency", "day", "end_from"];

#[component]
pub fn RecurringPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <Recurring />
        </Allowed>
    }
}

#[component]
fn Recurring() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || version.get(), |_| list_rules());
    let reload = Callback::new(move |()| version.update(|version| *version += 1));
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <FinanceTabs current="/recorrentes" />
        <Transition fallback=|| view! { <SkeletonRows rows=4 columns=4 /> }>
            {move || page.get().map(|answer| match answer {
                Ok(page) => view! { <Rules page reload /> }.into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Rules(page: RulesPage, reload: Callback<()>) -> AnyView {
    let RulesPage { rules, accounts, categories } = page;
    let cards = if rules.is_empty() {
        view! { <EmptyState title=ts(EMPTY) description=ts(EMPTY_TEXT) /> }.into_any()
    } else {
        rules
            .into_iter()
            .map(|rule| view! { <RuleCard rule accounts=accounts.clone() categories=categories.clone() reload /> })
            .collect_view()
            .into_any()
    };
    view! {
        <NewRule accounts=accounts.clone() categories=categories.clone() reload />
        <div class="mt-6 space-y-4" data-testid="rules">{cards}</div>
    }
    .into_any()
}

/// A version's inputs as signals, shared by the new-rule and the edit forms.
#[derive(Clone, Copy)]
struct Draft {
    from: RwSignal<String>,
    amount: RwSignal<String>,
    category: RwSignal<String>,
    account: RwSignal<String>,
    frequency: RwSignal<String>,
    every: RwSignal<String>,
    day: RwSignal<String>,
    business_days: RwSignal<bool>,
}

impl Draft {
    fn new(version: Option<&RuleVersion>) -> Self {
        let text = |value: String| RwSignal::new(value);
        Self {
            from: text(String::new()),
            amount: text(version.map(|v| cents_text(v.amount_cents)).unwrap_or_default()),
            category: text(version.map(|v| v.category_id.to_string()).unwrap_or_default()),
            account: text(version.map(|v| v.account_id.to_string()).unwrap_or_default()),
            frequency: text(version.map_or("monthly", |v| v.schedule.frequency.code()).to_string()),
            every: text(version.map_or(1, |v| v.schedule.frequency.every_months()).to_string()),
            day: text(version.map_or(10, |v| v.schedule.day).to_string()),
            business_days: RwSignal::new(version.is_some_and(|v| v.schedule.business_days)),
        }
    }

    fn form(&self) -> VersionForm {
        VersionForm {
            from: self.from.get_untracked(),
            amount: self.amount.get_untracked(),
            category_id: self.category.get_untracked(),
            account_id: self.account.get_untracked(),
            frequency: self.frequency.get_untracked(),
            every_months: self.every.get_untracked(),
            day: self.day.get_untracked(),
            business_days: self.business_days.get_untracked().then(|| "on".to_string()),
        }
    }
}

/// Cents as the amount field reads them (`1234,56`; integers only).
fn cents_text(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

#[component]
fn VersionFields(
    draft: Draft,
    accounts: Vec<Account>,
    categories: Vec<Category>,
    #[prop(into)] kind: Signal<String>,
    outcome: Outcome,
    prefix: &'static str,
) -> AnyView {
    let locale = use_locale();
    let account_list = account_options(&accounts);
    let accounts = Signal::derive(move || account_list.clone());
    let categories = Signal::derive(move || category_options(&categories, EntryKind::from_code(&kind.get())));
    let frequencies = Signal::derive(move || {
        [Frequency::Monthly, Frequency::Weekly, Frequency::Yearly, Frequency::EveryMonths(2)]
            .into_iter()
            .map(|frequency| (frequency.code().to_string(), frequency.label().get(locale.get()).to_string()))
            .collect()
    });
    let name = move |field: &str| format!("{prefix}-{field}");
    view! {
        <TextField label=ts(FROM) name=name("from") input_type="date" value=draft.from error=field_error(outcome, "from") test_id=name("from") />
        <TextField label=ts(AMOUNT) name=name("amount") value=draft.amount error=field_error(outcome, "amount") autocomplete="off" test_id=name("amount") />
        <SelectField label=ts(CATEGORY) name=name("category") options=categories value=draft.category placeholder=ts(CATEGORY) error=field_error(outcome, "category_id") test_id=name("category") />
        <SelectField label=ts(ACCOUNT) name=name("account") options=accounts value=draft.account placeholder=ts(ACCOUNT) error=field_error(outcome, "account_id") test_id=name("account") />
        <SelectField label=ts(FREQUENCY) name=name("frequency") options=frequencies value=draft.frequency error=field_error(outcome, "frequency") test_id=name("frequency") />
        <Show when=move || draft.frequency.get() == "months">
            <TextField label=ts(EVERY) name=name("every") input_type="number" value=draft.every test_id=name("every") />
        </Show>
        <TextField label=ts(DAY) name=name("day") input_type="number" value=draft.day error=field_error(outcome, "day") test_id=name("day") />
        <label class="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
            <input type="checkbox" data-testid=name("business-days") prop:checked=move || draft.business_days.get()
                on:change=move |event| draft.business_days.set(event_target_checked(&event))
                class=format!("h-4 w-4 rounded border-slate-300 text-indigo-600 {FOCUS_RING}") />
            {t(BUSINESS)}
        </label>
    }
    .into_any()
}

#[component]
fn NewRule(accounts: Vec<Account>, categories: Vec<Category>, reload: Callback<()>) -> AnyView {
    let draft = Draft::new(None);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("expense".to_string());
    let action = ServerAction::<CreateRule>::new();
    let outcome = outcome_of(action.value());
    let toaster = crate::ui::use_toaster();
    Effect::new(move || {
        if let Some(Ok(_)) = action.value().get() {
            if let Some(toaster) = toaster {
                toaster.success(crate::i18n::t_now(CREATED));
            }
            name.set(String::new());
            reload.run(());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(CreateRule { name: name.get_untracked(), kind: kind.get_untracked(), form: draft.form() });
    };
    view! {
        <Card>
            <h2 class="mb-3 text-sm font-semibold text-slate-700">{t(NEW_RULE)}</h2>
            <form on:submit=submit class="grid items-start gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="new-rule">
                <TextField label=ts(NAME) name="rule-name" value=name error=field_error(action.value(), "name") test_id="rule-name" />
                <SelectField label=ts(KIND) name="rule-kind" options=kind_options() value=kind test_id="rule-kind" />
                <VersionFields draft accounts categories kind outcome prefix="new" />
                <div class="sm:col-span-2 lg:col-span-4">
                    <FormAlert message=form_error(action.value(), VERSION_FIELDS) />
                    <Button button_type="submit" busy=action.pending() test_id="rule-create">{t(CREATE)}</Button>
                </div>
            </form>
        </Card>
    }
    .into_any()
}

#[component]
fn RuleCard(rule: Rule, accounts: Vec<Account>, categories: Vec<Category>, reload: Callback<()>) -> AnyView {
    let current = rule.versions.last().cloned();
    let history_columns = vec![
        Column::text("valid", VALID).not_sortable(),
        Column::number("amount", AMOUNT).not_sortable(),
        Column::text("frequency", FREQUENCY).not_sortable(),
        Column::number("day", DAY).not_sortable(),
    ];
    let locale = use_locale();
    let versions = rule.versions.clone();
    let history = Signal::derive(move || {
        versions
            .iter()
            .rev()
            .map(|version| {
                let until = version.valid_to.map_or_else(|| ONGOING.get(locale.get()).to_string(), format_date);
                vec![
                    Cell::text(format!("{} – {until}", format_date(version.valid_from))),
                    Cell::brl(version.amount_cents),
                    Cell::text(version.schedule.frequency.label().get(locale.get())),
                    Cell::number(version.schedule.day.to_string(), i64::from(version.schedule.day)),
                ]
            })
            .collect::<Vec<_>>()
    });
    let kind = rule.kind;
    let open = rule.ended_on.is_none();
    view! {
        <Card>
            <div class="mb-3 flex flex-wrap items-center gap-2" data-testid="rule" data-rule=rule.name.clone()>
                <h2 class="text-base font-semibold text-slate-900">{rule.name.clone()}</h2>
                <Badge tone=if kind == EntryKind::Income { Tone::Success } else { Tone::Neutral }>{t(kind.label())}</Badge>
                {current.as_ref().map(|version| view! {
                    <span class="text-sm tabular-nums text-slate-600">{format_brl(version.amount_cents)}</span>
                })}
                {rule.ended_on.map(|ended| view! {
                    <Badge tone=Tone::Warning>{t(ENDED)}" "{format_date(ended)}</Badge>
                })}
            </div>
            <h3 class="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t(HISTORY)}</h3>
            <DataTable columns=history_columns rows=history caption=ts(HISTORY) test_id="rule-versions" />
            {open.then(|| view! {
                <EditFrom rule_id=rule.id kind current accounts categories reload />
                <EndFrom rule_id=rule.id reload />
            })}
        </Card>
    }
    .into_any()
}

#[component]
fn EditFrom(
    rule_id: Uuid,
    kind: EntryKind,
    current: Option<RuleVersion>,
    accounts: Vec<Account>,
    categories: Vec<Category>,
    reload: Callback<()>,
) -> AnyView {
    let draft = Draft::new(current.as_ref());
    let preview = ServerAction::<PreviewRule>::new();
    let save = ServerAction::<EditRule>::new();
    let preview_outcome = outcome_of(preview.value());
    let save_outcome = outcome_of(save.value());
    // Field errors from whichever was asked last.
    let outcome: Outcome = Signal::derive(move || save_outcome.get().or_else(|| preview_outcome.get()));
    let toaster = crate::ui::use_toaster();
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            if let Some(toaster) = toaster {
                toaster.success(crate::i18n::t_now(SAVED));
            }
            reload.run(());
        }
    });
    let rows = Signal::derive(move || match preview.value().get() {
        Some(Ok(rows)) => preview_cells(&rows),
        _ => Vec::new(),
    });
    let kind_code = Signal::stored(kind.code().to_string());
    view! {
        <details class="mt-4 rounded-lg border border-slate-200 p-3" data-testid="edit-from">
            <summary class=format!("cursor-pointer text-sm font-semibold text-indigo-700 {FOCUS_RING}")>{t(EDIT_FROM)}</summary>
            <div class="mt-3 grid items-start gap-3 sm:grid-cols-2 lg:grid-cols-4">
                <VersionFields draft accounts categories kind=kind_code outcome prefix="edit" />
            </div>
            <FormAlert message=form_error(save.value(), VERSION_FIELDS) />
            <div class="mt-3 flex gap-2">
                <Button test_id="rule-preview" busy=preview.pending()
                    on_click=Callback::new(move |()| { preview.dispatch(PreviewRule { rule_id, form: draft.form() }); })>
                    {t(PREVIEW)}
                </Button>
                <Button test_id="rule-save" busy=save.pending()
                    on_click=Callback::new(move |()| { save.dispatch(EditRule { rule_id, form: draft.form() }); })>
                    {t(SAVE)}
                </Button>
            </div>
            <Show when=move || !rows.with(Vec::is_empty)>
                <div class="mt-3">
                    <DataTable columns=preview_columns() rows page_size=24 caption=ts(PREVIEW) test_id="rule-preview-rows" />
                </div>
            </Show>
        </details>
    }
    .into_any()
}

fn preview_columns() -> Vec<Column> {
    vec![
        Column::text("date", DATE).not_sortable(),
        Column::number("before", BEFORE).not_sortable(),
        Column::number("after", AFTER).not_sortable(),
        Column::text("change", CHANGE).not_sortable(),
    ]
}

fn preview_cells(rows: &[PreviewRow]) -> Vec<Vec<Cell>> {
    let locale = crate::i18n::use_locale().get_untracked();
    let amount = |side: Option<(chrono::NaiveDate, i64)>| match side {
        Some((due, cents)) => Cell::number(format!("{} · {}", format_brl(cents), format_date(due)), cents),
        None => Cell::number("—", 0),
    };
    rows.iter()
        .map(|row| {
            let tone = match row.change {
                crate::finance::recurring_types::PreviewChange::Changes
                | crate::finance::recurring_types::PreviewChange::New
                | crate::finance::recurring_types::PreviewChange::Removed => Tone::Warning,
                _ => Tone::Neutral,
            };
            vec![
                Cell::text(format_date(row.date)),
                amount(row.before),
                amount(row.after),
                Cell::text(row.change.label().get(locale)).badge(tone),
            ]
        })
        .collect()
}

#[component]
fn EndFrom(rule_id: Uuid, reload: Callback<()>) -> AnyView {
    let from = RwSignal::new(String::new());
    let action = ServerAction::<EndRule>::new();
    let toaster = crate::ui::use_toaster();
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            if let Some(toaster) = toaster {
                toaster.success(crate::i18n::t_now(ENDED_DONE));
            }
            reload.run(());
        }
    });
    view! {
        <div class="mt-3 flex flex-wrap items-end gap-2" data-testid="end-from">
            <TextField label=ts(END) name="end-from" input_type="date" value=from error=field_error(action.value(), "end_from") test_id="rule-end-date" />
            <Button test_id="rule-end" busy=action.pending()
                on_click=Callback::new(move |()| { action.dispatch(EndRule { rule_id, from: from.get_untracked() }); })>
                {t(END_BUTTON)}
            </Button>
        </div>
    }
    .into_any()
}
