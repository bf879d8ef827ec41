//! Wire types for enrollment: the application statuses of the one state machine, course modalities and shifts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Text;

/// One step of an application's history: who moved it, when, from where to where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `None` for the creation of the draft.
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    /// The person who acted; `None` when the system did (a payment, an expiry).
    pub actor: Option<String>,
    pub reason: String,
}

/// Where an application stands. The edges between statuses live in `ApplicationStatus::can_go_to` (mirrored by the
/// `enrollment_transitions` table, which the database enforces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Draft,
    Submitted,
    UnderReview,
    ChangesRequested,
    Approved,
    AwaitingPayment,
    /// The payment window ended without a payment: the seat went back to the class (a late payment takes one again
    /// if any is free).
    PaymentExpired,
    Enrolled,
    Rejected,
    Cancelled,
    Withdrawn,
}

impl ApplicationStatus {
    pub const ALL: [Self; 11] = [
        Self::Draft,
        Self::Submitted,
        Self::UnderReview,
        Self::ChangesRequested,
        Self::Approved,
        Self::AwaitingPayment,
        Self::PaymentExpired,
        Self::Enrolled,
        Self::Rejected,
        Self::Cancelled,
        Self::Withdrawn,
    ];

    /// The code stored in `applications.status`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::UnderReview => "under_review",
            Self::ChangesRequested => "changes_requested",
            Self::Approved => "approved",
            Self::AwaitingPayment => "awaiting_payment",
            Self::PaymentExpired => "payment_expired",
            Self::Enrolled => "enrolled",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Draft => Text::new("Rascunho", "Draft"),
            Self::Submitted => Text::new("Enviada", "Submitted"),
            Self::UnderReview => Text::new("Em análise", "Under review"),
            Self::ChangesRequested => Text::new("Correções pedidas", "Changes requested"),
            Self::Approved => Text::new("Aprovada", "Approved"),
            Self::AwaitingPayment => Text::new("Aguardando pagamento", "Awaiting payment"),
            Self::PaymentExpired => Text::new("Prazo de pagamento encerrado", "Payment window ended"),
            Self::Enrolled => Text::new("Matriculado", "Enrolled"),
            Self::Rejected => Text::new("Indeferida", "Rejected"),
            Self::Cancelled => Text::new("Cancelada", "Cancelled"),
            Self::Withdrawn => Text::new("Desistência", "Withdrawn"),
        }
    }

    /// The end of the road for the student; only a refund or a lost chargeback still cancels an enrollment.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Enrolled | Self::Rejected | Self::Cancelled | Self::Withdrawn)
    }

    /// An application in one of these holds a seat of its class.
    pub fn holds_seat(self) -> bool {
        matches!(self, Self::Approved | Self::AwaitingPayment | Self::Enrolled)
    }

    /// The edges of the state machine: draft → submitted → under_review → (changes_requested ↔ submitted) →
    /// approved → awaiting_payment → enrolled; awaiting_payment ↔ payment_expired (the window ended; a late payment
    /// takes a seat again); rejected, cancelled and withdrawn end it, and a refund or a confirmed chargeback cancels
    /// an enrollment (enrolled → cancelled).
    pub fn can_go_to(self, to: Self) -> bool {
        use ApplicationStatus::*;
        match (self, to) {
            (Draft, Submitted) | (Submitted, UnderReview) | (ChangesRequested, Submitted) => true,
            (UnderReview, ChangesRequested | Approved | Rejected) => true,
            (Approved, AwaitingPayment) | (AwaitingPayment, Enrolled) => true,
            (AwaitingPayment, PaymentExpired) | (PaymentExpired, AwaitingPayment) | (Enrolled, Cancelled) => true,
            (from, Withdrawn | Cancelled) => !from.is_final(),
            _ => false,
        }
    }
}

/// How a course is taught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    Presencial,
    Ead,
    Semipresencial,
}

impl Modality {
    pub const ALL: [Self; 3] = [Self::Presencial, Self::Ead, Self::Semipresencial];

    pub fn code(self) -> &'static str {
        match self {
            Self::Presencial => "presencial",
            Self::Ead => "ead",
            Self::Semipresencial => "semipresencial",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|modality| modality.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Presencial => Text::new("Presencial", "On campus"),
            Self::Ead => Text::new("EAD", "Online"),
            Self::Semipresencial => Text::new("Semipresencial", "Blended"),
        }
    }
}

/// When a class meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    Matutino,
    Vespertino,
    Noturno,
    Integral,
    Ead,
}

impl Shift {
    pub const ALL: [Self; 5] = [Self::Matutino, Self::Vespertino, Self::Noturno, Self::Integral, Self::Ead];

    pub fn code(self) -> &'static str {
        match self {
            Self::Matutino => "matutino",
            Self::Vespertino => "vespertino",
            Self::Noturno => "noturno",
            Self::Integral => "integral",
            Self::Ead => "ead",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|shift| shift.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Matutino => Text::new("Manhã", "Morning"),
            Self::Vespertino => Text::new("Tarde", "Afternoon"),
            Self::Noturno => Text::new("Noite", "Evening"),
            Self::Integral => Text::new("Integral", "Full day"),
            Self::Ead => Text::new("EAD (flexível)", "Online (flexible)"),
        }
    }
}

/// A document the institution may ask applicants for (RG, CPF, histórico escolar…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentKind {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub id: Uuid,
    pub name: String,
    pub modality: Modality,
    pub duration_months: i32,
    pub description: String,
    /// The documents its applicants must send.
    pub document_kind_ids: Vec<Uuid>,
}

/// An enrollment period: a term's applications are submitted between `opens_on` and `closes_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodSummary {
    pub id: Uuid,
    pub term: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub id: Uuid,
    pub course_id: Uuid,
    pub course_name: String,
    pub term: String,
    pub shift: Shift,
    pub capacity: i32,
    pub seats_left: i32,
    pub enrollment_fee_cents: i64,
    pub monthly_fee_cents: i64,
    pub max_installments: i32,
}

/// Everything the backoffice's catalog pages show: small (tens of rows), so loaded at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The server's date (São Paulo): whether a period is open is decided with it, the same on both sides.
    pub today: chrono::NaiveDate,
    pub document_kinds: Vec<DocumentKind>,
    pub courses: Vec<CourseSummary>,
    pub periods: Vec<PeriodSummary>,
    pub classes: Vec<ClassSummary>,
}

/// A class open for applications today, as the public catalog shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenClass {
    pub id: Uuid,
    pub course_name: String,
    pub modality: Modality,
    pub duration_months: i32,
    pub description: String,
    pub term: String,
    pub shift: Shift,
    /// Zero or less when the class is full.
    pub seats_left: i32,
    pub enrollment_fee_cents: i64,
    pub monthly_fee_cents: i64,
    pub max_installments: i32,
    /// The enrollment period of its term.
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

impl OpenClass {
    /// Few enough seats left to say so ("Últimas vagas").
    pub fn last_seats(&self) -> bool {
        self.seats_left > 0 && self.seats_left <= 5
    }
}

/// `/:tenant/cursos`: what a prospective student sees before signing up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCatalog {
    pub tenant_name: String,
    /// A student of this tenant is signed in: "Inscrever-se" goes straight to the application.
    pub signed_in_student: bool,
    pub classes: Vec<OpenClass>,
}

/// A course as typed in its form; `id` absent to create. Numbers arrive as typed, so errors can name the field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseForm {
    pub id: Option<Uuid>,
    pub name: String,
    pub modality: String,
    pub duration_months: String,
    pub description: String,
    #[serde(default)]
    pub document_kind_ids: Vec<Uuid>,
}

/// Dates as the date input gives them (`aaaa-mm-dd`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodForm {
    pub id: Option<Uuid>,
    pub term: String,
    pub opens_on: String,
    pub closes_on: String,
}

/// Fees in reais as typed (`1.234,56`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassForm {
    pub id: Option<Uuid>,
    pub course_id: String,
    pub term: String,
    pub shift: String,
    pub capacity: String,
    pub enrollment_fee: String,
    pub monthly_fee: String,
    pub max_installments: String,
}

const AMOUNT_INVALID: Text =
    Text::new("Informe um valor em reais, como 1.234,56.", "Enter an amount in reais, like 1.234,56.");

/// Cents from an amount in reais as a person types it: `1.234,56`, `R$ 1234,5`, `890`. Refuses negatives,
/// more than two decimals and anything that is not a number.
pub fn parse_brl_cents(input: &str) -> Result<i64, Text> {
    let cleaned: String =
        input.trim().trim_start_matches("R$").chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    let (whole, fraction) = cleaned.split_once(',').unwrap_or((&cleaned, ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 || whole.len() > 12 {
        return Err(AMOUNT_INVALID);
    }
    let reais: i64 = whole.parse().map_err(|_| AMOUNT_INVALID)?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| AMOUNT_INVALID)?;
    Ok(reais * 100 + cents)
}

/// Reais as a form shows them for editing (`1234,56`).
pub fn cents_for_input(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::ApplicationStatus::{self, *};

    #[test]
    fn the_happy_path_is_one_chain_and_the_final_statuses_lead_nowhere() {
        let path = [Draft, Submitted, UnderReview, ChangesRequested, Submitted, UnderReview, Approved];
        for pair in path.windows(2) {
            assert!(pair[0].can_go_to(pair[1]), "{:?} → {:?}", pair[0], pair[1]);
        }
        assert!(Approved.can_go_to(AwaitingPayment) && AwaitingPayment.can_go_to(Enrolled));
        // Final for the student; only a refund or a lost chargeback (the system, not staff) undoes an enrollment.
        for from in ApplicationStatus::ALL.into_iter().filter(|status| status.is_final()) {
            let undo = |to: &ApplicationStatus| from == Enrolled && *to == Cancelled;
            assert!(
                ApplicationStatus::ALL.iter().all(|to| undo(to) || !from.can_go_to(*to)),
                "{from:?} leads somewhere"
            );
        }
        assert!(Enrolled.can_go_to(Cancelled));
        assert!(AwaitingPayment.can_go_to(PaymentExpired) && PaymentExpired.can_go_to(AwaitingPayment));
        assert!(!PaymentExpired.can_go_to(Enrolled), "a late payment takes a seat again first");
        for skip in [(Draft, Approved), (Submitted, Approved), (ChangesRequested, Approved), (Approved, Enrolled)] {
            assert!(!skip.0.can_go_to(skip.1), "{skip:?}");
        }
    }

    #[test]
    fn amounts_in_reais_become_cents() {
        use super::parse_brl_cents as parse;
        assert_eq!(parse("1.234,56"), Ok(123_456));
        assert_eq!(parse("R$ 899,9"), Ok(89_990));
        assert_eq!(parse("150"), Ok(15_000));
        assert_eq!(parse(" 0,05 "), Ok(5));
        for bad in ["", "-10", "1,234", "abc", "12,3x", ",50"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(super::cents_for_input(123_456), "1234,56");
    }

    #[test]
    fn codes_round_trip() {
        for status in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::from_code(status.code()), Some(status));
        }
    }
}
