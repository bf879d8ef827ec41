//! `/:tenant/financeiro/lancamentos`: the transactions list with filters and the totals of what is filtered, and a
//! quick-entry row for typing many entries without the mouse: Enter saves and puts the cursor back on the
//! description of a fresh row, keeping date, kind, category and account.

use leptos::prelude::*;
use uuid::Uuid;

use super::entry_form::{ENTRY_FIELDS, EntryDraft, EntryFields, outcome_of};
use super::row_dialogs::{DeleteDialog, EditDialog, RowDialog};
use super::shared::{FinanceTabs, account_options, category_options, signed_amount};
use crate::finance::{
    api::{CreateTransaction, SetTransactionPaid, list_accounts, list_categories, list_transactions},
    types::{Account, Category, Status, TransactionFilter, TransactionList},
};
use crate::i18n::{Text, format_brl, format_date, t, ts, use_locale};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, Card, EmptyState, ErrorAlert, FOCUS_RING, FormAlert, PageHeader, SelectField, SkeletonRows,
    StatCard, TextField, Tone, form_error, use_toaster,
};

const TITLE: Text = Text::new("Lançamentos", "Transactions");
const SUBTITLE: Text = Text::new(
    "Receitas e despesas por competência. Digite e tecle Enter para lançar o próximo.",
    "Income and expenses by competence date. Type and press Enter to add the next one.",
);
const FROM: Text = Text::new("De", "From");
const TO: Text = Text::new("Até", "To");
const ACCOUNT: Text = Text::new("Conta", "Account");
const CATEGORY: Text = Text::new("Categoria", "Category");
const STATUS: Text = Text::new("Situação", "Status");
const SEARCH: Text = Text::new("Buscar", "Search");
const ALL: Text = Text::new("Todas", "All");
const DATE: Text = Text::new("Competência", "Date");
const DESCRIPTION: Text = Text::new("Descrição", "Description");
const AMOUNT: Text = Text::new("Valor (R$)", "Amount (R$)");
const SAVE: Text = Text::new("Lançar", "Add");
const INCOME: Text = Text::new("Receitas", "Income");
const EXPENSES: Text = Text::new("Despesas", "Expenses");
const RESULT: Text = Text::new("Resultado", "Result");
const COUNT: Text = Text::new("Lançamentos", "Entries");
const EMPTY: Text = Text::new("Nenhum lançamento neste filtro", "No transactions match");
const EMPTY_TEXT: Text =
    Text::new("Mude o filtro ou lance o primeiro na linha acima.", "Change the filter or add one in the row above.");
const DELETE: Text = Text::new("Excluir", "Delete");
const EDIT: Text = Text::new("Editar", "Edit");
const ACTIONS: Text = Text::new("Ações", "Actions");
const MARK_PAID: Text = Text::new("Marcar pago", "Mark paid");
const MARK_PENDING: Text = Text::new("Voltar a pendente", "Mark pending");
const QUICK_ENTRY: Text = Text::new("Novo lançamento", "New transaction");

#[component]
pub fn TransactionsPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <Transactions />
        </Allowed>
    }
}

fn parse_uuid(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text).ok()
}

#[component]
fn Transactions() -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let account = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let filter = Memo::new(move |_| TransactionFilter {
        from: crate::finance::fields::parse_date(&from.get()).ok(),
        to: crate::finance::fields::parse_date(&to.get()).ok(),
        account_id: parse_uuid(&account.get()),
        category_id: parse_uuid(&category.get()),
        status: match status.get().as_str() {
            "paid" => Some(Status::Paid),
            "pending" => Some(Status::Pending),
            _ => None,
        },
        text: Some(text.get()).filter(|text| !text.trim().is_empty()),
    });
    let list = Resource::new(move || (filter.get(), version.get()), |(filter, _)| list_transactions(filter));
    // The choices load once, before the selects render, so the server and the browser draw the same options.
    let lists = Resource::new(
        || (),
        |()| async { Ok::<_, crate::platform::AppError>((list_accounts().await?, list_categories().await?)) },
    );
    let reload = Callback::new(move |()| version.update(|version| *version += 1));
    let (edit, remove) = (RowDialog::new(), RowDialog::new());
    let locale = use_locale();
    let with_all = move |options: Vec<(String, String)>| {
        let mut all = vec![(String::new(), ALL.get(locale.get()).to_string())];
        all.extend(options);
        all
    };
    let status_choices = Signal::derive(move || {
        with_all(vec![
            ("paid".into(), Status::Paid.label().get(locale.get()).into()),
            ("pending".into(), Status::Pending.label().get(locale.get()).into()),
        ])
    });
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <FinanceTabs current="/lancamentos" />
        <Suspense fallback=|| view! { <SkeletonRows rows=2 columns=6 /> }>
            {move || Suspend::new(async move {
                match lists.await {
                    Ok((accounts, categories)) => {
                        let account_choices = Signal::derive({
                            let options = account_options(&accounts);
                            move || with_all(options.clone())
                        });
                        let category_choices = Signal::derive({
                            let options = category_options(&categories, None);
                            move || with_all(options.clone())
                        });
                        view! {
                            <div class="mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="filters">
                                <TextField label=ts(FROM) name="from" input_type="date" value=from />
                                <TextField label=ts(TO) name="to" input_type="date" value=to />
                                <SelectField label=ts(ACCOUNT) name="filter-account" options=account_choices value=account />
                                <SelectField label=ts(CATEGORY) name="filter-category" options=category_choices value=category />
                                <SelectField label=ts(STATUS) name="filter-status" options=status_choices value=status />
                                <TextField label=ts(SEARCH) name="search" input_type="search" value=text test_id="filter-text" />
                            </div>
                            <EditDialog dialog=edit accounts=accounts.clone() categories=categories.clone() reload />
                            <QuickEntry accounts categories reload />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
        <Transition fallback=|| view! { <SkeletonRows rows=1 columns=4 /> }>
            {move || list.get().map(|answer| match answer {
                Ok(list) => view! { <TotalsRow list /> }.into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
        <Transition fallback=|| view! { <SkeletonRows rows=6 columns=6 /> }>
            {move || list.get().map(|answer| match answer {
                Ok(list) => view! { <TransactionsTable list reload edit remove /> }.into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
        <DeleteDialog dialog=remove reload />
    }
}

#[component]
fn TotalsRow(list: TransactionList) -> impl IntoView {
    let totals = list.totals;
    view! {
        <div class="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="totals">
            <div data-testid="total-income"><StatCard label=ts(INCOME) value=format_brl(totals.income_cents) /></div>
            <div data-testid="total-expense"><StatCard label=ts(EXPENSES) value=format_brl(totals.expense_cents) /></div>
            <div data-testid="total-result"><StatCard label=ts(RESULT) value=format_brl(totals.result_cents()) /></div>
            <div data-testid="total-count"><StatCard label=ts(COUNT) value=totals.count.to_string() /></div>
        </div>
    }
}

#[component]
fn QuickEntry(accounts: Vec<Account>, categories: Vec<Category>, reload: Callback<()>) -> impl IntoView {
    let draft = EntryDraft::new();
    let action = ServerAction::<CreateTransaction>::new();
    let outcome = outcome_of(action.value());
    Effect::new(move || {
        if let Some(Ok(())) = outcome.get() {
            draft.description.set(String::new());
            draft.amount.set(String::new());
            reload.run(());
            focus_description();
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(CreateTransaction { form: draft.form(String::new(), String::new()) });
    };
    view! {
        <Card class="mb-4">
            <h2 class="mb-3 text-sm font-semibold text-slate-700">{t(QUICK_ENTRY)}</h2>
            <form on:submit=submit novalidate data-testid="quick-entry">
                <div class="grid items-start gap-2 sm:grid-cols-4 lg:grid-cols-8">
                    <EntryFields draft accounts categories outcome prefix="qe" />
                </div>
                <div class="mt-3 flex items-center justify-between gap-3">
                    <FormAlert message=form_error(outcome, ENTRY_FIELDS) />
                    <Button button_type="submit" busy=action.pending() test_id="qe-save">{t(SAVE)}</Button>
                </div>
            </form>
        </Card>
    }
}

/// Puts the cursor on the quick-entry description, ready for the next entry.
fn focus_description() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(input) = document()
            .get_element_by_id("field-qe-description")
            .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        {
            let _ = input.focus();
        }
    }
}

#[component]
fn TransactionsTable(list: TransactionList, reload: Callback<()>, edit: RowDialog, remove: RowDialog) -> impl IntoView {
    if list.rows.is_empty() {
        return view! { <EmptyState title=ts(EMPTY) description=ts(EMPTY_TEXT) /> }.into_any();
    }
    let set_paid = ServerAction::<SetTransactionPaid>::new();
    let toaster = use_toaster();
    let locale = use_locale();
    Effect::new(move || match set_paid.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(error)) => {
            if let Some(toaster) = toaster {
                toaster.error(error.user_message(locale.get_untracked()));
            }
        }
        None => {}
    });
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
    let button = format!("rounded-md px-2 py-1 text-xs font-semibold text-slate-600 hover:bg-slate-100 {FOCUS_RING}");
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="transactions-table">
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=th>{t(DATE)}</th>
                        <th scope="col" class=th>{t(DESCRIPTION)}</th>
                        <th scope="col" class=th>{t(CATEGORY)}</th>
                        <th scope="col" class=th>{t(ACCOUNT)}</th>
                        <th scope="col" class=format!("{th} text-right")>{t(AMOUNT)}</th>
                        <th scope="col" class=th>{t(STATUS)}</th>
                        <th scope="col" class=th><span class="sr-only">{t(ACTIONS)}</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {list.rows.into_iter().map(|row| {
                        let id = row.id;
                        let (for_edit, for_delete) = (row.clone(), row.clone());
                        let status = row.status();
                        let (tone, toggle) = match status {
                            Status::Paid => (Tone::Success, MARK_PENDING),
                            Status::Pending => (Tone::Warning, MARK_PAID),
                        };
                        let paid_on = match status {
                            Status::Paid => String::new(),
                            Status::Pending => row.due_date.format("%Y-%m-%d").to_string(),
                        };
                        let button = button.clone();
                        let delete_button = format!("rounded-md px-2 py-1 text-xs font-semibold text-rose-700 hover:bg-rose-50 {FOCUS_RING}");
                        view! {
                            <tr data-testid="transaction-row">
                                <td class="whitespace-nowrap px-3 py-2 tabular-nums text-slate-600">{format_date(row.competence_date)}</td>
                                <td class="px-3 py-2">
                                    <p class="font-medium text-slate-900">{row.description.clone()}</p>
                                    {row.counterpart.clone().map(|counterpart| view! { <p class="text-xs text-slate-500">{counterpart}</p> })}
                                </td>
                                <td class="px-3 py-2 text-slate-600">{row.category.clone()}</td>
                                <td class="px-3 py-2 text-slate-600">{row.account.clone()}</td>
                                <td class="whitespace-nowrap px-3 py-2 text-right">{signed_amount(row.kind, row.amount_cents)}</td>
                                <td class="px-3 py-2"><Badge tone>{t(status.label())}</Badge></td>
                                <td class="whitespace-nowrap px-3 py-2 text-right">
                                    <button type="button" class=button.clone() data-testid="toggle-paid" on:click=move |_| {
                                        set_paid.dispatch(SetTransactionPaid { id, paid_on: paid_on.clone() });
                                    }>{t(toggle)}</button>
                                    <button type="button" class=button data-testid="edit-transaction" on:click=move |_| {
                                        edit.show(for_edit.clone());
                                    }>{t(EDIT)}</button>
                                    <button type="button" class=delete_button data-testid="delete-transaction" on:click=move |_| {
                                        remove.show(for_delete.clone());
                                    }>{t(DELETE)}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
