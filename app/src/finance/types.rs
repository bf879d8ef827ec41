//! Finance wire types: what the pages and server functions exchange. Money is integer cents (BRL).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Bank,
    Cash,
    CreditCard,
}

impl AccountKind {
    pub const ALL: [Self; 3] = [Self::Bank, Self::Cash, Self::CreditCard];

    pub fn code(self) -> &'static str {
        match self {
            Self::Bank => "bank",
            Self::Cash => "cash",
            Self::CreditCard => "credit_card",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Bank => Text::new("Conta bancária", "Bank account"),
            Self::Cash => Text::new("Caixa", "Cash"),
            Self::CreditCard => Text::new("Cartão de crédito", "Credit card"),
        }
    }
}

/// Income or expense. Transfers are not a kind: they live apart and never count as either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Income,
    Expense,
}

impl EntryKind {
    pub const ALL: [Self; 2] = [Self::Income, Self::Expense];

    pub fn code(self) -> &'static str {
        match self {
            Self::Income => "income",
            Self::Expense => "expense",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Income => Text::new("Receita", "Income"),
            Self::Expense => Text::new("Despesa", "Expense"),
        }
    }

    /// The amount as it moves results and balances: income adds, expense subtracts.
    pub fn signed(self, cents: i64) -> i64 {
        match self {
            Self::Income => cents,
            Self::Expense => -cents,
        }
    }
}

/// Paid (cash moved, on `paid_on`) or pending (due on `due_date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Paid,
    Pending,
}

impl Status {
    pub fn label(self) -> Text {
        match self {
            Self::Paid => Text::new("Pago", "Paid"),
            Self::Pending => Text::new("Pendente", "Pending"),
        }
    }
}

/// What caused an entry booked by another module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Enrollment,
    Crm,
    Import,
    Recurring,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Self::Enrollment => "enrollment",
            Self::Crm => "crm",
            Self::Import => "import",
            Self::Recurring => "recurring",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: Uuid,
    pub name: String,
    pub kind: AccountKind,
    pub opening_balance_cents: i64,
    pub opening_date: NaiveDate,
    pub closing_day: Option<i16>,
    pub due_day: Option<i16>,
    /// Opening balance plus every paid movement (transactions and transfers).
    pub balance_cents: i64,
}

/// An account as typed in its form; amounts and dates are parsed on the server (field errors name the input).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountForm {
    pub name: String,
    pub kind: String,
    pub opening_balance: String,
    pub opening_date: String,
    #[serde(default)]
    pub closing_day: String,
    #[serde(default)]
    pub due_day: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub kind: EntryKind,
    /// The DRE line a leaf feeds (`receita_bruta`, `pessoal`, …); part 2 draws the DRE from it.
    pub dre_line: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: Uuid,
    pub account_id: Uuid,
    pub account: String,
    pub category_id: Uuid,
    pub category: String,
    pub kind: EntryKind,
    pub amount_cents: i64,
    pub competence_date: NaiveDate,
    pub due_date: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub description: String,
    pub counterpart: Option<String>,
    pub source: Option<String>,
}

impl Transaction {
    pub fn status(&self) -> Status {
        if self.paid_on.is_some() { Status::Paid } else { Status::Pending }
    }
}

/// A transaction as typed (the quick-entry row and the edit form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionForm {
    pub kind: String,
    pub description: String,
    pub amount: String,
    pub competence_date: String,
    /// Empty: the competence date.
    #[serde(default)]
    pub due_date: String,
    pub account_id: String,
    pub category_id: String,
    #[serde(default)]
    pub counterpart: String,
    /// `paid` or `pending`.
    pub status: String,
    /// When paid; empty: the due date.
    #[serde(default)]
    pub paid_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionFilter {
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub account_id: Option<Uuid>,
    #[serde(default)]
    pub category_id: Option<Uuid>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub text: Option<String>,
}

/// Totals of everything the filter matches (not only the page shown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub income_cents: i64,
    pub expense_cents: i64,
    pub count: i64,
}

impl Totals {
    pub fn result_cents(&self) -> i64 {
        self.income_cents - self.expense_cents
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionList {
    pub rows: Vec<Transaction>,
    pub totals: Totals,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferForm {
    pub from_account_id: String,
    pub to_account_id: String,
    pub amount: String,
    pub date: String,
    #[serde(default)]
    pub description: String,
}

/// A staff member and whether the owner granted them finance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinancePerson {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub finance_access: bool,
}

/// Where a card's invoice stands: still taking purchases, closed and waiting to be paid, or paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Open,
    Closed,
    Paid,
}

impl InvoiceStatus {
    pub fn label(self) -> Text {
        match self {
            Self::Open => Text::new("Aberta", "Open"),
            Self::Closed => Text::new("Fechada", "Closed"),
            Self::Paid => Text::new("Paga", "Paid"),
        }
    }
}

/// A purchase (positive) or a refund (negative) on a card's invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceItem {
    pub id: Uuid,
    pub date: NaiveDate,
    pub description: String,
    pub category: String,
    pub amount_cents: i64,
}

/// One invoice (fatura) of a credit card: one payable on its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub closing_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total_cents: i64,
    /// Paid so far by transfers to the card marked for this invoice.
    pub paid_cents: i64,
    pub status: InvoiceStatus,
    pub items: Vec<InvoiceItem>,
}

impl Invoice {
    pub fn remaining_cents(&self) -> i64 {
        (self.total_cents - self.paid_cents).max(0)
    }
}

/// A card's invoices, newest first, with what the page needs to switch cards and pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardInvoices {
    /// The card shown (`None`: the tenant has no card).
    pub card: Option<Account>,
    pub cards: Vec<Account>,
    /// Accounts an invoice can be paid from (banks and cash).
    pub payers: Vec<Account>,
    pub invoices: Vec<Invoice>,
}

/// One month of the books on the competence basis, and whether the accountant closed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSummary {
    /// The first day of the month.
    pub month: NaiveDate,
    pub income_cents: i64,
    pub expense_cents: i64,
    pub closed: bool,
}

/// Finance's home: what is in the accounts, this month's result, what is to be received and paid, the last
/// twelve months (and whether the viewer may close them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceSummary {
    /// Banks and cash (what can be spent now).
    pub cash_cents: i64,
    pub receivable_cents: i64,
    /// Pending expenses plus what the cards owe (their invoices not yet paid).
    pub payable_cents: i64,
    /// Newest first; the first is the current month.
    pub months: Vec<MonthSummary>,
    /// The owner closes and reopens months.
    pub can_close: bool,
    /// Pending expenses due from today to seven days ahead (overdue ones too), soonest first.
    pub due_soon: Vec<Transaction>,
    /// This month's DRE on the competence basis (one column).
    pub breakdown: Vec<super::dre_types::DreRow>,
    /// The first negative day of the next three months' forecast, if any.
    pub warning: Option<super::forecast_types::NegativeWarning>,
}
