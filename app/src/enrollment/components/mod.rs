//! Pieces the enrollment pages share.

mod catalog_tabs;

pub use catalog_tabs::{CatalogTab, CatalogTabs};
