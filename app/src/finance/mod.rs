//! Finance: accounts, categories, transactions, recurring rules, DRE, forecast and statement import.

pub mod pages;
