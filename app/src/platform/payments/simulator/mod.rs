//! Development only: a backoffice page that drives the in-process fake Asaas — create a test charge, then mark it
//! paid, overdue or refunded. The fake then delivers the webhook exactly as Asaas would, so the whole path (intake,
//! job, state machine) runs and the page shows the payment's status on our side next to the provider's. With the
//! real Asaas configured the page says it is unavailable and the server functions refuse.

pub mod api;
pub mod page;
pub mod types;
