mod overview;

pub use overview::FinanceOverviewPage;
