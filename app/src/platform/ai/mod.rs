//! The language model on a tenant's behalf (ssr only): prompt templates with versions, the monthly token budget
//! per tenant, and a ledger of every call. Features (the WhatsApp agent, the lead qualifier) call `complete` or
//! `complete_json` with the `LanguageModel` from the server context; they never talk to a client directly, so no
//! call escapes the budget or the ledger.

pub mod budget;
pub mod service;
pub mod store;
pub mod template;

pub use budget::{MonthlyUsage, plan_monthly_tokens};
pub use service::{CallOptions, Validate, complete, complete_json};
pub use store::Outcome;
pub use template::{PromptTemplate, PromptVars, TemplateError};
