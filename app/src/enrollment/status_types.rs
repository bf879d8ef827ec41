//! Wire types of the student's status page: where their application stands, what to do next, and its history told
//! to the student (who acted is "you" or "the institution", never a staff member's name; reasons only where staff
//! wrote them for the student).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{document_types::RejectionReason, types::ApplicationStatus, wizard_types::WizardStep};
use crate::i18n::Text;

/// Who took a step of the application, as the student is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    You,
    Institution,
    System,
}

impl Who {
    pub fn label(self) -> Text {
        match self {
            Self::You => Text::new("Você", "You"),
            Self::Institution => Text::new("Secretaria", "Admissions office"),
            Self::System => Text::new("Sistema", "System"),
        }
    }
}

/// One step of the application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEvent {
    /// dd/mm/aaaa hh:mm, Brasília time (made on the server: the browser bundle has no clock or time zones).
    pub when: String,
    pub to: ApplicationStatus,
    pub by: Who,
    /// Empty when there is none, or when it was not written for the student.
    pub reason: String,
}

/// A document the institution refused: what to send again and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedDocument {
    pub kind_name: String,
    pub reason: Option<RejectionReason>,
    pub reason_text: String,
}

/// `/:tenant/portal/inscricao/:id`: one of the student's own applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationStatusView {
    pub id: Uuid,
    pub course_name: String,
    pub term: String,
    pub status: ApplicationStatus,
    /// The last wizard step completed: a draft resumes at the next one.
    pub completed: WizardStep,
    /// The latest reason staff gave the student (changes requested, rejected, cancelled).
    pub decision: Option<String>,
    /// Documents to send again (changes requested).
    pub refused: Vec<RefusedDocument>,
    /// Newest first.
    pub timeline: Vec<StatusEvent>,
}

impl ApplicationStatusView {
    /// The student may still give up: nothing has ended the application.
    pub fn can_withdraw(&self) -> bool {
        self.status.can_go_to(ApplicationStatus::Withdrawn)
    }
}

/// Whether the reason given for a move to `to` was written for the student to read: staff must explain requests
/// for changes, rejections and cancellations to the student; the student's own withdrawal is theirs. Anything
/// else staff typed (a note when approving) stays with staff.
pub fn reason_is_for_student(to: ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    matches!(to, ChangesRequested | Rejected | Cancelled | Withdrawn | PaymentExpired)
}

/// What the status means for the student, in their words.
pub fn explanation(status: ApplicationStatus) -> Text {
    use ApplicationStatus::*;
    match status {
        Draft => Text::new(
            "Sua inscrição ainda não foi enviada. Continue de onde parou: seus dados ficam salvos a cada etapa.",
            "Your application was not sent yet. Continue where you stopped: each step is saved.",
        ),
        Submitted => Text::new(
            "Recebemos sua inscrição. A secretaria vai analisar seus dados e documentos; avisaremos por e-mail.",
            "We received your application. The office will review it; we will let you know by e-mail.",
        ),
        UnderReview => Text::new(
            "A secretaria está analisando sua inscrição. Não é preciso fazer nada agora: avisaremos por e-mail.",
            "The office is reviewing your application. Nothing to do now: we will let you know by e-mail.",
        ),
        ChangesRequested => Text::new(
            "A secretaria pediu correções. Veja os motivos abaixo, envie de novo o que foi recusado e reenvie a \
             inscrição.",
            "The office asked for changes. See why below, send again what was refused and resubmit.",
        ),
        Approved => Text::new(
            "Sua inscrição foi aprovada e sua vaga está reservada. O próximo passo é o pagamento da matrícula.",
            "Your application was approved and your seat is reserved. Payment of the enrollment fee comes next.",
        ),
        AwaitingPayment => Text::new(
            "Sua vaga está reservada. Falta o pagamento da taxa de matrícula para confirmar.",
            "Your seat is reserved. The enrollment fee is all that is left to confirm it.",
        ),
        PaymentExpired => Text::new(
            "Prazo de pagamento encerrado: a vaga reservada para você foi liberada. Se você ainda pagar a cobrança, a \
             matrícula é confirmada se houver vaga na turma; se não houver, a secretaria entra em contato.",
            "The payment window ended: the seat held for you was released. If you still pay the charge, the \
             enrollment is confirmed if the class has a seat; if not, the office will contact you.",
        ),
        Enrolled => Text::new("Matrícula confirmada. Bem-vindo(a)!", "Enrollment confirmed. Welcome!"),
        Rejected => Text::new(
            "Sua inscrição não foi aprovada. Veja o motivo abaixo; você pode se inscrever em outra turma.",
            "Your application was not approved. See why below; you may apply to another class.",
        ),
        Cancelled => Text::new("Esta inscrição foi cancelada pela instituição.", "The institution cancelled it."),
        Withdrawn => Text::new("Você desistiu desta inscrição.", "You withdrew this application."),
    }
}
