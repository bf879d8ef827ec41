//! Paths of the student's side of enrollment, in one place: the catalog, sign-up, the wizard and the status page
//! link to each other.

use uuid::Uuid;

/// Where "Inscrever-se" on class `class_id` leads: the wizard for a signed-in student, sign-up for anyone else
/// (which continues into the wizard with the class chosen).
pub fn apply_path(slug: &str, class_id: Uuid, signed_in_student: bool) -> String {
    if signed_in_student {
        format!("/{slug}/portal/inscricao/nova?turma={class_id}")
    } else {
        format!("/{slug}/cadastro-aluno?turma={class_id}")
    }
}

/// The student's status page of application `application_id`.
pub fn status_path(slug: &str, application_id: Uuid) -> String {
    format!("/{slug}/portal/inscricao/{application_id}")
}

/// The student's payment page of application `application_id` (approved: pay the enrollment fee).
pub fn payment_path(slug: &str, application_id: Uuid) -> String {
    format!("/{slug}/portal/inscricao/{application_id}/pagamento")
}

/// The comprovante de matrícula of an enrolled application.
pub fn certificate_path(slug: &str, application_id: Uuid) -> String {
    format!("/{slug}/portal/inscricao/{application_id}/comprovante")
}
