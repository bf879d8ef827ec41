mod overview;

pub use overview::FinanceOverviewPage;

crate::lazy_page!(
    /// Finance's home, in its own chunk.
    pub FinanceOverviewRoute => FinanceOverviewPage
);
