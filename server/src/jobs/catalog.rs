//! Every kind of job this process knows how to run, and the periodic tasks that enqueue work on a schedule.
//! The in-process worker and `server worker` both build their registry here, so they run the same things.

use std::time::Duration;

use crate::{
    config::Config,
    files::FileStore,
    http::AppState,
    mail::{ApplicationMailHandler, PasswordLinkMailHandler},
    webhooks::{AsaasEventHandler, ReconcileHandler, ZapiInboundHandler, enqueue_reconciliations},
};

use super::{
    Registry,
    crm_queue::{DrainQueueHandler, QUEUE_EVERY, enqueue_drains},
    finance_recurring::{RECURRING_EVERY, RecurringHandler, enqueue_recurring},
    payment_window::{PAYMENT_WINDOW_EVERY, PaymentWindowHandler, enqueue_payment_windows},
};

/// How often every tenant's pending charges are checked against Asaas.
pub const RECONCILE_EVERY: Duration = Duration::from_secs(10 * 60);

pub fn registry(config: &Config, state: &AppState) -> Registry {
    let integrations = &state.integrations;
    Registry::new()
        .register(AsaasEventHandler)
        .register(PasswordLinkMailHandler::new(state.context.mailer.clone(), state.context.public_url.clone()))
        .register(ApplicationMailHandler::new(state.context.mailer.clone(), state.context.public_url.clone()))
        .register(ReconcileHandler::new(integrations.payments.clone()))
        .register(ZapiInboundHandler { media: integrations.media.clone(), files: FileStore::from_config(config) })
        .register(RecurringHandler)
        .register(PaymentWindowHandler)
        .register(DrainQueueHandler)
        .every("asaas.reconcile", RECONCILE_EVERY, |pool| enqueue_reconciliations(pool, RECONCILE_EVERY))
        .every("finance.recurring", RECURRING_EVERY, enqueue_recurring)
        .every("enrollment.payment_window", PAYMENT_WINDOW_EVERY, enqueue_payment_windows)
        .every("crm.queue", QUEUE_EVERY, enqueue_drains)
}
