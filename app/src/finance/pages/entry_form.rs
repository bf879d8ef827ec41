//! The fields of one transaction as people type them, shared by the quick-entry row and the edit dialog so both
//! read, validate and show errors the same way.

use leptos::prelude::*;

use super::shared::{account_options, category_options, kind_options};
use crate::finance::types::{Account, Category, EntryKind, Status, Transaction, TransactionForm};
use crate::i18n::{Text, format_brl, ts, use_locale};
use crate::platform::AppError;
use crate::ui::{SelectField, TextField, field_error};

const KIND: Text = Text::new("Tipo", "Kind");
const DATE: Text = Text::new("Competência", "Date");
const DESCRIPTION: Text = Text::new("Descrição", "Description");
const AMOUNT: Text = Text::new("Valor (R$)", "Amount (R$)");
const CATEGORY: Text = Text::new("Categoria", "Category");
const ACCOUNT: Text = Text::new("Conta", "Account");
const STATUS: Text = Text::new("Situação", "Status");
const COUNTERPART: Text = Text::new("Contraparte", "Counterpart");

/// The fields the forms send, as they are validated on the server (field errors name them).
pub const ENTRY_FIELDS: &[&str] = &["competence_date", "description", "amount", "category_id", "account_id"];

/// One entry being typed: a signal per field.
#[derive(Debug, Clone, Copy)]
pub struct EntryDraft {
    pub kind: RwSignal<String>,
    /// Empty means today (decided by the server: the browser has no clock chrono can read).
    pub date: RwSignal<String>,
    pub description: RwSignal<String>,
    pub amount: RwSignal<String>,
    pub account: RwSignal<String>,
    pub category: RwSignal<String>,
    pub status: RwSignal<String>,
    pub counterpart: RwSignal<String>,
}

impl EntryDraft {
    /// A fresh expense, paid today.
    pub fn new() -> Self {
        Self::with(EntryKind::Expense, String::new(), String::new(), String::new(), String::new(), String::new())
    }

    fn with(
        kind: EntryKind,
        date: String,
        description: String,
        amount: String,
        account: String,
        category: String,
    ) -> Self {
        Self {
            kind: RwSignal::new(kind.code().to_string()),
            date: RwSignal::new(date),
            description: RwSignal::new(description),
            amount: RwSignal::new(amount),
            account: RwSignal::new(account),
            category: RwSignal::new(category),
            status: RwSignal::new(status_code(Status::Paid).to_string()),
            counterpart: RwSignal::new(String::new()),
        }
    }

    /// A saved transaction, ready to edit.
    pub fn of(row: &Transaction) -> Self {
        let draft = Self::with(
            row.kind,
            iso(row.competence_date),
            row.description.clone(),
            format_brl(row.amount_cents).trim_start_matches("R$ ").to_string(),
            row.account_id.to_string(),
            row.category_id.to_string(),
        );
        draft.status.set(status_code(row.status()).to_string());
        draft.counterpart.set(row.counterpart.clone().unwrap_or_default());
        draft
    }

    /// The form to send. `due_date` and `paid_on` empty follow the competence date (the server's rule).
    pub fn form(&self, due_date: String, paid_on: String) -> TransactionForm {
        TransactionForm {
            kind: self.kind.get_untracked(),
            description: self.description.get_untracked(),
            amount: self.amount.get_untracked(),
            competence_date: self.date.get_untracked(),
            due_date,
            account_id: self.account.get_untracked(),
            category_id: self.category.get_untracked(),
            counterpart: self.counterpart.get_untracked(),
            status: self.status.get_untracked(),
            paid_on,
        }
    }
}

impl Default for EntryDraft {
    fn default() -> Self {
        Self::new()
    }
}

pub fn iso(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn status_code(status: Status) -> &'static str {
    match status {
        Status::Paid => "paid",
        Status::Pending => "pending",
    }
}

/// The last answer of a form's action, reduced to what the fields need (its error).
pub type Outcome = Signal<Option<Result<(), AppError>>>;

/// The fields of `draft`; `prefix` keeps ids and test ids apart when two entry forms share the page (`qe-amount`,
/// `edit-amount`). The category list follows the kind, and a valid account and category stay selected.
#[component]
pub fn EntryFields(
    draft: EntryDraft,
    accounts: Vec<Account>,
    categories: Vec<Category>,
    outcome: Outcome,
    prefix: &'static str,
    /// The counterpart field (the edit dialog has room for it; the quick-entry row does not).
    #[prop(optional)]
    with_counterpart: bool,
) -> impl IntoView {
    let locale = use_locale();
    let account_list = account_options(&accounts);
    let account_choices = Signal::derive(move || account_list.clone());
    let kind = draft.kind;
    let category_choices = Signal::derive(move || category_options(&categories, EntryKind::from_code(&kind.get())));
    keep_valid_choice(account_choices, draft.account);
    keep_valid_choice(category_choices, draft.category);
    let status_choices = Signal::derive(move || {
        [Status::Paid, Status::Pending]
            .into_iter()
            .map(|status| (status_code(status).to_string(), status.label().get(locale.get()).to_string()))
            .collect()
    });
    let name = |field: &str| format!("{prefix}-{field}");
    view! {
        <SelectField label=ts(KIND) name=name("kind") options=kind_options() value=draft.kind test_id=name("kind") />
        <TextField label=ts(DATE) name=name("date") input_type="date" value=draft.date error=field_error(outcome, "competence_date") test_id=name("date") />
        <div class="sm:col-span-2">
            <TextField label=ts(DESCRIPTION) name=name("description") value=draft.description error=field_error(outcome, "description") autocomplete="off" test_id=name("description") />
        </div>
        <TextField label=ts(AMOUNT) name=name("amount") value=draft.amount error=field_error(outcome, "amount") autocomplete="off" test_id=name("amount") />
        <SelectField label=ts(CATEGORY) name=name("category") options=category_choices value=draft.category error=field_error(outcome, "category_id") test_id=name("category") />
        <SelectField label=ts(ACCOUNT) name=name("account") options=account_choices value=draft.account error=field_error(outcome, "account_id") test_id=name("account") />
        <SelectField label=ts(STATUS) name=name("status") options=status_choices value=draft.status test_id=name("status") />
        {with_counterpart.then(|| view! {
            <div class="sm:col-span-2">
                <TextField label=ts(COUNTERPART) name=name("counterpart") value=draft.counterpart autocomplete="off" test_id=name("counterpart") />
            </div>
        })}
    }
}

/// Keeps `chosen` on one of `choices` as the lists load and change (the kind switches the categories).
fn keep_valid_choice(choices: Signal<Vec<(String, String)>>, chosen: RwSignal<String>) {
    Effect::new(move || {
        let choices = choices.get();
        if !choices.iter().any(|(id, _)| *id == chosen.get_untracked()) {
            chosen.set(choices.first().map(|choice| choice.0.clone()).unwrap_or_default());
        }
    });
}

/// An action's answer as an `Outcome`.
pub fn outcome_of<T: Clone + Send + Sync + 'static>(
    value: impl With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Outcome {
    Signal::derive(move || {
        value.with(|value| value.as_ref().map(|result| result.as_ref().map(|_| ()).map_err(Clone::clone)))
    })
}
