//! Finance pages, each a lazy route in its own chunk.

mod access;
mod accounts;
mod dre;
mod dre_cell;
mod entry_form;
pub(crate) mod forecast;
mod invoices;
mod overview;
mod recurring;
mod row_dialogs;
mod shared;
mod transactions;

pub use access::FinanceAccessCard;
pub use accounts::AccountsPage;
pub use dre::DrePage;
pub use dre_cell::DreCellPage;
pub use forecast::ForecastPage;
pub use invoices::InvoicesPage;
pub use overview::FinanceOverviewPage;
pub use recurring::RecurringPage;
pub use transactions::TransactionsPage;

crate::lazy_page!(
    /// Finance's home, in its own chunk.
    pub FinanceOverviewRoute => FinanceOverviewPage
);
crate::lazy_page!(
    /// The transactions list and quick entry.
    pub TransactionsRoute => TransactionsPage
);
crate::lazy_page!(
    /// Accounts, balances and transfers.
    pub AccountsRoute => AccountsPage
);
crate::lazy_page!(
    /// A credit card's invoices and paying them.
    pub InvoicesRoute => InvoicesPage
);
crate::lazy_page!(
    /// The income statement (DRE).
    pub DreRoute => DrePage
);
crate::lazy_page!(
    /// The transactions behind a DRE cell.
    pub DreCellRoute => DreCellPage
);
crate::lazy_page!(
    /// Recurring rules, their versions and edits from a date.
    pub RecurringRoute => RecurringPage
);
crate::lazy_page!(
    /// The cash-flow forecast.
    pub ForecastRoute => ForecastPage
);
