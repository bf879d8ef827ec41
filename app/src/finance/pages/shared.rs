//! Bits the finance pages share: option lists for selects, money and dates as people read them.

use leptos::prelude::*;

use crate::finance::types::{Account, Category, EntryKind};
use crate::i18n::{Text, format_brl, use_locale};

pub const NAV_OVERVIEW: Text = Text::new("Resumo", "Overview");
pub const NAV_TRANSACTIONS: Text = Text::new("Lançamentos", "Transactions");
pub const NAV_ACCOUNTS: Text = Text::new("Contas", "Accounts");
pub const NAV_INVOICES: Text = Text::new("Faturas", "Invoices");
pub const NAV_RECURRING: Text = Text::new("Recorrentes", "Recurring");
pub const NAV_FORECAST: Text = Text::new("Previsão", "Forecast");
pub const NAV_DRE: Text = Text::new("DRE", "Income statement");

/// Tabs between the finance pages.
#[component]
pub fn FinanceTabs(current: &'static str) -> impl IntoView {
    let slug = crate::platform::layout::use_viewer().map(|viewer| viewer.tenant.slug).unwrap_or_default();
    let tabs = [
        ("", NAV_OVERVIEW),
        ("/lancamentos", NAV_TRANSACTIONS),
        ("/contas", NAV_ACCOUNTS),
        ("/faturas", NAV_INVOICES),
        ("/recorrentes", NAV_RECURRING),
        ("/previsao", NAV_FORECAST),
        ("/dre", NAV_DRE),
    ];
    view! {
        <nav class="mb-4 flex gap-1 overflow-x-auto border-b border-slate-200 text-sm" data-testid="finance-tabs">
            {tabs
                .into_iter()
                .map(|(segment, label)| {
                    let active = segment == current;
                    let class = if active {
                        "border-b-2 border-indigo-600 px-3 py-2 font-semibold text-indigo-700"
                    } else {
                        "border-b-2 border-transparent px-3 py-2 text-slate-600 hover:text-slate-900"
                    };
                    view! {
                        <a href=format!("/{slug}/financeiro{segment}") class=class aria-current=active.then_some("page")>
                            {crate::i18n::t(label)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

pub fn account_options(accounts: &[Account]) -> Vec<(String, String)> {
    accounts.iter().map(|account| (account.id.to_string(), account.name.clone())).collect()
}

/// Leaf categories of `kind` (those with a DRE line), named under their parent.
pub fn category_options(categories: &[Category], kind: Option<EntryKind>) -> Vec<(String, String)> {
    categories
        .iter()
        .filter(|category| kind.is_none_or(|kind| category.kind == kind) && category.dre_line.is_some())
        .map(|category| (category.id.to_string(), category.name.clone()))
        .collect()
}

pub fn kind_options() -> Signal<Vec<(String, String)>> {
    let locale = use_locale();
    Signal::derive(move || {
        EntryKind::ALL
            .into_iter()
            .map(|kind| (kind.code().to_string(), kind.label().get(locale.get()).into()))
            .collect()
    })
}

/// Income in green, expenses in rose with a minus sign.
pub fn signed_amount(kind: EntryKind, cents: i64) -> impl IntoView {
    let class = match kind {
        EntryKind::Income => "tabular-nums text-emerald-700",
        EntryKind::Expense => "tabular-nums text-rose-700",
    };
    view! { <span class=class>{format_brl(kind.signed(cents))}</span> }
}
