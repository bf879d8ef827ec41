//! Pieces the enrollment pages share.

mod catalog_tabs;
mod email_banner;
mod my_applications;
mod payment_rules;
mod status_tone;
mod wizard_steps;

pub use catalog_tabs::{CatalogTab, CatalogTabs};
pub use email_banner::EmailBanner;
pub use my_applications::MyApplications;
pub use payment_rules::PaymentRules;
pub use status_tone::status_tone;
pub use wizard_steps::WizardSteps;
