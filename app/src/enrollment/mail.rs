//! The e-mails a student gets when their application moves in a way that matters to them: submitted, changes
//! requested (with the reasons), approved, rejected. `applications::transition` enqueues an `ApplicationMail` job
//! in the transaction of the move, so the e-mail exists exactly when the move commits; the server's worker
//! composes it (`compose`) and sends it.
//!
//! The payload keeps the reasons as they were at the move (the decision text and the refused documents): a
//! document the student sends again before the job runs does not change what staff asked.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{status_types::RefusedDocument, store::status as store, types::ApplicationStatus};
use crate::platform::{
    AppError,
    auth::Mail,
    jobs::{self, Job},
    tenancy::TenantTx,
};

/// Job: tell the student of application `application_id` that it moved to `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationMail {
    pub application_id: Uuid,
    pub status: ApplicationStatus,
    /// What staff wrote to the student (changes requested, rejected).
    #[serde(default)]
    pub reason: String,
    /// The documents to send again (changes requested).
    #[serde(default)]
    pub refused: Vec<RefusedDocument>,
    /// Set for a reminder about the charge rather than a move (`status` is then where the application stands).
    #[serde(default)]
    pub reminder: Option<Reminder>,
}

/// A reminder the payment reactions send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reminder {
    /// The charge passed its due date unpaid (Asaas' OVERDUE): once per charge.
    Overdue { charge_id: String, due_date: Option<chrono::NaiveDate> },
    /// The same, to the financial guardian who pays, when that is someone else with an e-mail of their own.
    OverdueToGuardian { charge_id: String, due_date: Option<chrono::NaiveDate> },
}

impl Job for ApplicationMail {
    const KIND: &'static str = "enrollment.application_mail";
}

/// Whether a move to `status` is worth an e-mail to the student.
pub fn tells_student(status: ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    matches!(status, Submitted | ChangesRequested | Approved | Rejected | PaymentExpired)
}

/// Enqueues the e-mail about application `id`'s move to `status` (nothing for moves the student need not hear of).
pub async fn enqueue(tx: &mut TenantTx, id: Uuid, status: ApplicationStatus, reason: &str) -> Result<(), AppError> {
    if !tells_student(status) {
        return Ok(());
    }
    let refused =
        if status == ApplicationStatus::ChangesRequested { super::status::refused(tx, id).await? } else { Vec::new() };
    let job = ApplicationMail { application_id: id, status, reason: reason.to_string(), refused, reminder: None };
    jobs::enqueue(tx, &job, jobs::EnqueueOptions::default()).await?;
    Ok(())
}

/// Enqueues the reminder that charge `charge_id` of application `id` is overdue, once per charge (the job's key):
/// a redelivered OVERDUE, or one seen again by reconciliation, sends nothing more. The student always gets it; the
/// financial guardian too when someone else pays (their own job and key, so each is sent once). Answers whether the
/// student's reminder is new.
// WhatsApp: when the agent lands, the same moment sends its message (a job keyed the same way, per channel).
pub async fn enqueue_overdue(
    tx: &mut TenantTx,
    id: Uuid,
    charge_id: &str,
    due_date: Option<chrono::NaiveDate>,
) -> Result<bool, AppError> {
    let reminder = |reminder| ApplicationMail {
        application_id: id,
        status: ApplicationStatus::AwaitingPayment,
        reason: String::new(),
        refused: Vec::new(),
        reminder: Some(reminder),
    };
    let student = reminder(Reminder::Overdue { charge_id: charge_id.to_owned(), due_date });
    let enqueued = jobs::enqueue(tx, &student, jobs::EnqueueOptions::key(format!("overdue:{charge_id}"))).await?;
    if store::mail_facts(tx, id).await?.is_some_and(|facts| facts.paying_guardian().is_some()) {
        let guardian = reminder(Reminder::OverdueToGuardian { charge_id: charge_id.to_owned(), due_date });
        jobs::enqueue(tx, &guardian, jobs::EnqueueOptions::key(format!("overdue-guardian:{charge_id}"))).await?;
    }
    Ok(matches!(enqueued, jobs::Enqueued::New(_)))
}

/// " (vencimento dd/mm/aaaa)" after "venceu sem pagamento", when the due date is known.
fn due_note(due_date: Option<chrono::NaiveDate>) -> String {
    due_date.map(|day| format!(" (vencimento {})", crate::i18n::format_date(day))).unwrap_or_default()
}

/// The status page the e-mail links to.
pub fn status_url(public_url: &str, tenant_slug: &str, application_id: Uuid) -> String {
    format!("{}{}", public_url.trim_end_matches('/'), super::links::status_path(tenant_slug, application_id))
}

/// Writes the e-mail of `job`; `None` when there is no one to send it to any more (the account was deactivated).
pub async fn compose(tx: &mut TenantTx, job: &ApplicationMail, public_url: &str) -> Result<Option<Mail>, sqlx::Error> {
    let Some(facts) = store::mail_facts(tx, job.application_id).await? else { return Ok(None) };
    if !facts.active {
        return Ok(None);
    }
    let link = status_url(public_url, &facts.tenant_slug, job.application_id);
    let course = format!("{} ({})", facts.course_name, facts.term);
    if let Some(Reminder::Overdue { due_date, .. }) = &job.reminder {
        let due = due_note(*due_date);
        return Ok(Some(Mail {
            to: facts.email,
            subject: format!("Pagamento da matrícula em atraso · {}", facts.tenant_name),
            body: format!(
                "Olá, {}.\n\nA cobrança da matrícula em {course} venceu sem pagamento{due}. Sua vaga continua \
                 reservada por pouco tempo: pague o quanto antes (PIX ou boleto) pelo portal. Se já pagou, \
                 desconsidere este aviso.\n{link}",
                facts.student_name
            ),
        }));
    }
    if let Some(Reminder::OverdueToGuardian { due_date, .. }) = &job.reminder {
        let Some((guardian, email)) = facts.paying_guardian() else { return Ok(None) };
        let due = due_note(*due_date);
        // The guardian has no account: the charge's own page (PIX or boleto, no sign-in) is where they pay.
        let pay = match store::open_charge_link(tx, job.application_id).await? {
            Some(url) => format!("Pague pelo link da cobrança (PIX ou boleto):\n{url}"),
            None => format!("{} pode abrir a cobrança pelo portal do aluno.", facts.student_name),
        };
        let greeting =
            if guardian.trim().is_empty() { "Olá".to_string() } else { format!("Olá, {}", guardian.trim()) };
        return Ok(Some(Mail {
            to: email.to_string(),
            subject: format!("Pagamento da matrícula em atraso · {}", facts.tenant_name),
            body: format!(
                "{greeting}.\n\nVocê é o responsável financeiro pela matrícula de {} em {course}, e a cobrança venceu \
                 sem pagamento{due}. A vaga continua reservada por pouco tempo. {pay}\n\nSe já pagou, desconsidere \
                 este aviso.",
                facts.student_name
            ),
        }));
    }
    let (subject, middle) = match job.status {
        ApplicationStatus::PaymentExpired => (
            "Prazo de pagamento encerrado",
            format!(
                "O prazo para pagar a matrícula em {course} terminou sem pagamento, e a vaga reservada para você foi \
                 liberada. Se você ainda pagar a cobrança, a matrícula é confirmada se houver vaga na turma; se não \
                 houver, a secretaria entra em contato. Acompanhe pelo portal:"
            ),
        ),
        ApplicationStatus::ChangesRequested => {
            let mut text =
                format!("A secretaria analisou sua inscrição em {course} e pediu correções antes de continuar.\n\n");
            if !job.reason.is_empty() {
                text.push_str(&format!("O que a secretaria escreveu:\n{}\n\n", job.reason));
            }
            if !job.refused.is_empty() {
                text.push_str("Documentos para enviar de novo:\n");
                for document in &job.refused {
                    let why = document.reason.map(|reason| reason.label().pt).unwrap_or_default();
                    let detail = if document.reason_text.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", document.reason_text)
                    };
                    text.push_str(&format!("- {}: {why}{detail}\n", document.kind_name));
                }
                text.push('\n');
            }
            text.push_str("Corrija o que foi pedido e envie a inscrição de novo pelo portal:");
            ("Sua inscrição precisa de correções", text)
        }
        ApplicationStatus::Approved => (
            "Sua inscrição foi aprovada",
            format!(
                "Boa notícia: sua inscrição em {course} foi aprovada e sua vaga está reservada.\nO próximo passo é o \
                 pagamento da matrícula. Acompanhe pelo portal:"
            ),
        ),
        ApplicationStatus::Rejected => {
            let why = if job.reason.is_empty() { String::new() } else { format!("\n\nMotivo: {}", job.reason) };
            (
                "Sua inscrição não foi aprovada",
                format!(
                    "Sua inscrição em {course} não foi aprovada.{why}\n\nVocê pode se inscrever em outra turma. Veja \
                     os detalhes no portal:"
                ),
            )
        }
        // Submitted (and anything else enqueued by an older build): the receipt.
        _ => (
            "Recebemos sua inscrição",
            format!(
                "Recebemos sua inscrição em {course}. A secretaria vai analisar seus dados e documentos, e você \
                 recebe um e-mail quando houver novidade. Acompanhe pelo portal:"
            ),
        ),
    };
    Ok(Some(Mail {
        to: facts.email,
        subject: format!("{subject} · {}", facts.tenant_name),
        body: format!("Olá, {}.\n\n{middle}\n{link}", facts.student_name),
    }))
}
