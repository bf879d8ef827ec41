//! `/:tenant/financeiro/contas`: accounts with their exact balances, a new account, and transfers between
//! accounts (balances move, results never do).

use leptos::prelude::*;

use super::shared::{FinanceTabs, account_options};
use crate::finance::{
    api::{CreateAccount, CreateTransfer, list_accounts},
    types::{Account, AccountForm, AccountKind, TransferForm},
};
use crate::i18n::{Text, format_brl, format_date, t, ts, use_locale};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Button, Card, EmptyState, ErrorAlert, FormAlert, PageHeader, SelectField, SkeletonRows, TextField, field_error,
    form_error, use_toaster,
};

const TITLE: Text = Text::new("Contas", "Accounts");
const SUBTITLE: Text = Text::new(
    "Bancos, caixa e cartões, com o saldo de tudo o que já foi pago.",
    "Banks, cash and cards, with the balance of everything paid.",
);
const NAME: Text = Text::new("Nome", "Name");
const KIND: Text = Text::new("Tipo", "Kind");
const OPENING: Text = Text::new("Saldo inicial (R$)", "Opening balance (R$)");
const OPENING_DATE: Text = Text::new("Data do saldo inicial", "Opening date");
const CLOSING_DAY: Text = Text::new("Dia de fechamento", "Closing day");
const DUE_DAY: Text = Text::new("Dia de vencimento", "Due day");
const BALANCE: Text = Text::new("Saldo", "Balance");
const SINCE: Text = Text::new("Desde", "Since");
const CREATE: Text = Text::new("Criar conta", "Create account");
const NEW_ACCOUNT: Text = Text::new("Nova conta", "New account");
const TRANSFER: Text = Text::new("Transferência entre contas", "Transfer between accounts");
const TRANSFER_HINT: Text = Text::new(
    "Move saldo de uma conta para outra (ex.: pagar a fatura do cartão). Não é receita nem despesa.",
    "Moves money between accounts (e.g. paying the card's invoice). Neither income nor expense.",
);
const FROM: Text = Text::new("De", "From");
const TO: Text = Text::new("Para", "To");
const AMOUNT: Text = Text::new("Valor (R$)", "Amount (R$)");
const DATE: Text = Text::new("Data", "Date");
const DESCRIPTION: Text = Text::new("Descrição", "Description");
const SEND: Text = Text::new("Transferir", "Transfer");
const DONE: Text = Text::new("Transferência registrada.", "Transfer recorded.");
const EMPTY: Text = Text::new("Nenhuma conta ainda", "No accounts yet");
const EMPTY_TEXT: Text = Text::new("Crie a primeira conta ao lado.", "Create the first account alongside.");

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <Accounts />
        </Allowed>
    }
}

#[component]
fn Accounts() -> impl IntoView {
    let accounts = Resource::new(|| (), |()| list_accounts());
    let reload = Callback::new(move |()| accounts.refetch());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <FinanceTabs current="/contas" />
        <div class="grid gap-4 lg:grid-cols-3">
            <div class="lg:col-span-2">
                <Suspense fallback=|| view! { <SkeletonRows rows=3 columns=3 /> }>
                    {move || Suspend::new(async move {
                        match accounts.await {
                            Ok(list) => view! { <AccountsTable accounts=list /> }.into_any(),
                            Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
            <div class="space-y-4">
                <Card>
                    <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=1 /> }>
                        {move || Suspend::new(async move {
                            accounts.await.ok().map(|list| view! { <TransferFormView accounts=list reload /> })
                        })}
                    </Suspense>
                </Card>
                <Card><NewAccountForm reload /></Card>
            </div>
        </div>
    }
}

#[component]
fn AccountsTable(accounts: Vec<Account>) -> impl IntoView {
    if accounts.is_empty() {
        return view! { <EmptyState title=ts(EMPTY) description=ts(EMPTY_TEXT) /> }.into_any();
    }
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="accounts-table">
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=th>{t(NAME)}</th>
                        <th scope="col" class=th>{t(KIND)}</th>
                        <th scope="col" class=th>{t(SINCE)}</th>
                        <th scope="col" class=format!("{th} text-right")>{t(BALANCE)}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {accounts.into_iter().map(|account| {
                        let tone = if account.balance_cents < 0 { "text-rose-700" } else { "text-slate-900" };
                        let card = account.closing_day.zip(account.due_day).map(|(closing, due)| {
                            format!("fecha dia {closing}, vence dia {due}")
                        });
                        view! {
                            <tr data-testid="account-row" data-name=account.name.clone()>
                                <td class="px-3 py-2">
                                    <p class="font-medium text-slate-900">{account.name.clone()}</p>
                                    {card.map(|card| view! { <p class="text-xs text-slate-500">{card}</p> })}
                                </td>
                                <td class="px-3 py-2 text-slate-600">{t(account.kind.label())}</td>
                                <td class="px-3 py-2 tabular-nums text-slate-600">{format_date(account.opening_date)}</td>
                                <td class=format!("whitespace-nowrap px-3 py-2 text-right font-semibold tabular-nums {tone}") data-testid="account-balance">
                                    {format_brl(account.balance_cents)}
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

#[component]
fn TransferFormView(accounts: Vec<Account>, reload: Callback<()>) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let action = ServerAction::<CreateTransfer>::new();
    let result = action.value();
    let toaster = use_toaster();
    let options = account_options(&accounts);
    let choices = Signal::derive(move || options.clone());
    Effect::new(move || {
        let list = choices.get();
        if from.get_untracked().is_empty() {
            from.set(list.first().map(|choice| choice.0.clone()).unwrap_or_default());
        }
        if to.get_untracked().is_empty() {
            to.set(list.get(1).map(|choice| choice.0.clone()).unwrap_or_default());
        }
    });
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            amount.set(String::new());
            description.set(String::new());
            if let Some(toaster) = toaster {
                toaster.success(crate::i18n::t_now(DONE));
            }
            reload.run(());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(CreateTransfer {
            form: TransferForm {
                from_account_id: from.get_untracked(),
                to_account_id: to.get_untracked(),
                amount: amount.get_untracked(),
                date: date.get_untracked(),
                description: description.get_untracked(),
            },
        });
    };
    view! {
        <form class="space-y-3" on:submit=submit novalidate data-testid="transfer-form">
            <h2 class="text-sm font-semibold text-slate-700">{t(TRANSFER)}</h2>
            <p class="text-xs text-slate-500">{t(TRANSFER_HINT)}</p>
            <SelectField label=ts(FROM) name="from_account_id" options=choices value=from error=field_error(result, "from_account_id") test_id="transfer-from" />
            <SelectField label=ts(TO) name="to_account_id" options=choices value=to error=field_error(result, "to_account_id") test_id="transfer-to" />
            <TextField label=ts(AMOUNT) name="transfer-amount" value=amount error=field_error(result, "amount") autocomplete="off" test_id="transfer-amount" />
            <TextField label=ts(DATE) name="transfer-date" input_type="date" value=date error=field_error(result, "date") test_id="transfer-date" />
            <TextField label=ts(DESCRIPTION) name="transfer-description" value=description test_id="transfer-description" />
            <FormAlert message=form_error(result, &["from_account_id", "to_account_id", "amount", "date"]) />
            <Button button_type="submit" busy=action.pending() test_id="transfer-send">{t(SEND)}</Button>
        </form>
    }
}

#[component]
fn NewAccountForm(reload: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(AccountKind::Bank.code().to_string());
    let opening = RwSignal::new(String::new());
    let opening_date = RwSignal::new(String::new());
    let closing_day = RwSignal::new(String::new());
    let due_day = RwSignal::new(String::new());
    let action = ServerAction::<CreateAccount>::new();
    let result = action.value();
    let locale = use_locale();
    let kinds = Signal::derive(move || {
        AccountKind::ALL
            .into_iter()
            .map(|kind| (kind.code().to_string(), kind.label().get(locale.get()).into()))
            .collect()
    });
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            name.set(String::new());
            opening.set(String::new());
            reload.run(());
        }
    });
    let is_card = move || kind.get() == AccountKind::CreditCard.code();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(CreateAccount {
            form: AccountForm {
                name: name.get_untracked(),
                kind: kind.get_untracked(),
                opening_balance: opening.get_untracked(),
                opening_date: opening_date.get_untracked(),
                closing_day: closing_day.get_untracked(),
                due_day: due_day.get_untracked(),
            },
        });
    };
    view! {
        <form class="space-y-3" on:submit=submit novalidate data-testid="account-form">
            <h2 class="text-sm font-semibold text-slate-700">{t(NEW_ACCOUNT)}</h2>
            <TextField label=ts(NAME) name="account-name" value=name error=field_error(result, "name") autocomplete="off" test_id="account-name" />
            <SelectField label=ts(KIND) name="account-kind" options=kinds value=kind test_id="account-kind" />
            <TextField label=ts(OPENING) name="opening_balance" value=opening error=field_error(result, "opening_balance") autocomplete="off" />
            <TextField label=ts(OPENING_DATE) name="opening_date" input_type="date" value=opening_date error=field_error(result, "opening_date") />
            <Show when=is_card>
                <div class="grid grid-cols-2 gap-2">
                    <TextField label=ts(CLOSING_DAY) name="closing_day" input_type="number" value=closing_day error=field_error(result, "closing_day") />
                    <TextField label=ts(DUE_DAY) name="due_day" input_type="number" value=due_day error=field_error(result, "due_day") />
                </div>
            </Show>
            <FormAlert message=form_error(result, &["name", "opening_balance", "opening_date", "closing_day", "due_day"]) />
            <Button button_type="submit" busy=action.pending() test_id="account-create">{t(CREATE)}</Button>
        </form>
    }
}
