//! The enrollment dashboard: funnel per course, seats left per class, the money of enrollment charges (read
//! through `platform::payments::totals_by_reference_prefix`) and the payment flags that need staff.

pub mod api;
pub mod types;
mod view;

pub use view::EnrollmentDashboardView;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
mod store;
