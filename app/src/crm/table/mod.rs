//! The CRM's leads table (`/:tenant/crm/leads`): every lead of the tenant in a dense, server-rendered table —
//! filters, search, sort and page in the address; 100 rows a page; the board's visibility rules.

pub mod api;
pub mod query;
pub mod types;

#[cfg(feature = "ssr")]
pub mod store;
