//! What the jobs page shows (wire types, both targets).

use serde::{Deserialize, Serialize};

/// One kind of job in the tenant's queue, by state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindDepth {
    pub kind: String,
    /// Ready to run now.
    pub ready: i64,
    /// Waiting for a later run time (scheduled, or backing off before a retry).
    pub scheduled: i64,
    pub running: i64,
    /// Failed at least once and waiting for another try.
    pub retrying: i64,
    pub dead: i64,
}

/// A job that gave up: shown with what it carried and why it failed, so a person can retry or discard it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadJob {
    pub id: uuid::Uuid,
    pub kind: String,
    /// The payload as indented JSON.
    pub payload: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A job that failed and will be tried again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryingJob {
    pub id: uuid::Uuid,
    pub kind: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub run_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct JobsOverview {
    pub kinds: Vec<KindDepth>,
    pub retrying: Vec<RetryingJob>,
    pub dead: Vec<DeadJob>,
}

/// A kind in words, for people; unknown kinds are shown by their code.
pub fn kind_label(kind: &str) -> Option<crate::i18n::Text> {
    use crate::i18n::Text;
    Some(match kind {
        "asaas.payment_event" => Text::new("Evento de pagamento (Asaas)", "Payment event (Asaas)"),
        "auth.password_link_mail" => Text::new("E-mail com link de senha", "Password link e-mail"),
        "enrollment.application_mail" => Text::new("E-mail de inscrição ao estudante", "Application e-mail to student"),
        "asaas.reconcile" => Text::new("Conciliação de pagamentos", "Payment reconciliation"),
        "zapi.inbound_message" => Text::new("Mensagem recebida (WhatsApp)", "Message received (WhatsApp)"),
        "zapi.status" => Text::new("Status de mensagem (WhatsApp)", "Message status (WhatsApp)"),
        "finance.recurring" => Text::new("Lançamentos recorrentes", "Recurring entries"),
        "enrollment.payment_window" => Text::new("Prazo de pagamento das matrículas", "Enrollment payment windows"),
        _ => return None,
    })
}
