use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of the audit log, as the owner reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// The person who acted; `None` for the system or somebody not signed in.
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    /// The details as compact JSON.
    pub details: String,
}

/// How each action code reads in the log (the code itself stays the stable, searchable key).
pub fn action_label(code: &str) -> Option<crate::i18n::Text> {
    use crate::i18n::Text;
    Some(match code {
        "auth.signed_in" => Text::new("Entrou", "Signed in"),
        "auth.sign_in_failed" => Text::new("Tentativa de entrada recusada", "Sign-in attempt refused"),
        "auth.password_changed" => Text::new("Trocou a senha", "Changed password"),
        "auth.reset_requested" => Text::new("Pediu link de nova senha", "Asked for a password link"),
        "auth.password_reset" => Text::new("Redefiniu a senha pelo link", "Reset password by link"),
        "tenant.signed_up" => Text::new("Criou a organização", "Created the organization"),
        "tenant.modules_changed" => Text::new("Mudou os módulos", "Changed modules"),
        "user.invited" => Text::new("Convidou uma pessoa", "Invited someone"),
        "user.invitation_accepted" => Text::new("Aceitou o convite", "Accepted the invitation"),
        "user.role_changed" => Text::new("Mudou o papel", "Changed role"),
        "user.deactivated" => Text::new("Desativou o acesso", "Deactivated access"),
        "user.reactivated" => Text::new("Reativou o acesso", "Reactivated access"),
        "job.retried" => Text::new("Mandou uma tarefa tentar de novo", "Retried a job"),
        "job.discarded" => Text::new("Descartou uma tarefa", "Discarded a job"),
        "live.demo" => Text::new("Enviou uma nota ao vivo", "Sent a live note"),
        _ => return None,
    })
}
