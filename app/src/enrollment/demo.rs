//! Demo data for `make run`: a catalog (document kinds, courses, an open period for the next term and its classes)
//! and applications in every status, walked through the state machine so their timelines are real.

use chrono::{Datelike, Duration, Utc};
use uuid::Uuid;

use super::{
    applications::{self, Actor, Notify},
    demo_files, documents,
    store::{
        catalog::{self, ClassRow, CourseRow},
        wizard,
    },
    types::{ApplicationStatus::*, Modality, Shift},
    wizard_types::{GuardianForm, WizardStep},
};
use crate::platform::{
    auth::{Role, store as accounts},
    fields::Cpf,
    files::FileStorage,
    tenancy::TenantTx,
};

const DOCUMENT_KINDS: [&str; 6] = [
    "RG",
    "CPF",
    "Comprovante de residência",
    "Histórico escolar",
    "Certificado de conclusão do ensino médio",
    "Foto 3x4",
];

/// (name, modality, months, description, how many of the first document kinds it asks for)
const COURSES: [(&str, Modality, i32, &str, usize); 5] = [
    ("Administração", Modality::Presencial, 48, "Gestão, finanças, marketing e pessoas, com empresa júnior.", 4),
    ("Direito", Modality::Presencial, 60, "Formação jurídica com núcleo de prática e preparação para a OAB.", 5),
    ("Enfermagem", Modality::Presencial, 60, "Laboratórios de simulação e estágio em hospitais parceiros.", 6),
    ("Análise e Desenvolvimento de Sistemas", Modality::Ead, 30, "Tecnólogo: programação, dados e nuvem.", 3),
    ("Pedagogia", Modality::Semipresencial, 48, "Licenciatura com encontros presenciais quinzenais.", 4),
];

/// (course index, shift, capacity, enrollment fee, monthly fee, installments)
const CLASSES: [(usize, Shift, i32, i64, i64, i32); 6] = [
    (0, Shift::Noturno, 50, 15_000, 69_900, 3),
    (1, Shift::Matutino, 40, 20_000, 119_000, 3),
    (1, Shift::Noturno, 60, 20_000, 109_000, 3),
    (2, Shift::Integral, 30, 25_000, 135_000, 2),
    (3, Shift::Ead, 120, 9_900, 29_900, 1),
    (4, Shift::Noturno, 45, 12_000, 54_900, 3),
];

const CONTRACT_TITLE: &str = "Contrato de prestação de serviços educacionais";
const CONTRACT_BODY: &str = "1. A instituição oferece o curso escolhido na turma, no turno e no semestre indicados na \
inscrição.\n\n2. O(a) responsável financeiro(a) paga a taxa de matrícula e as mensalidades nos valores publicados no \
catálogo, até o dia 10 de cada mês.\n\n3. A matrícula só é confirmada após a aprovação dos documentos e o pagamento da \
taxa de matrícula.\n\n4. O(a) estudante pode desistir da inscrição a qualquer momento antes da confirmação da \
matrícula, sem custo.\n\n5. Os dados pessoais são tratados conforme a LGPD, apenas para a matrícula e a vida acadêmica.";

/// Seeds the enrollment demo of the tenant `tx` is scoped to, if the tenant has enrollment on. Its applicants are
/// students without a password (only the tenant's demo student signs in).
pub async fn seed(tx: &mut TenantTx, files: &dyn FileStorage) -> Result<(), sqlx::Error> {
    let tenant_id = tx.tenant_id();
    let (enabled, slug): (bool, String) = sqlx::query_as("select enrollment_enabled, slug from tenants where id = $1")
        .bind(tenant_id)
        .fetch_one(tx.conn())
        .await?;
    let staff: Option<Uuid> =
        sqlx::query_scalar("select id from users where role = 'staff' order by created_at limit 1")
            .fetch_optional(tx.conn())
            .await?;
    let (true, Some(staff)) = (enabled, staff) else { return Ok(()) };

    let mut kinds = Vec::new();
    for name in DOCUMENT_KINDS {
        kinds.push(catalog::insert_document_kind(tx, name).await?);
    }
    let today = Utc::now().date_naive();
    let (this_term, next_term) = if today.month() <= 6 {
        (format!("{}.1", today.year()), format!("{}.2", today.year()))
    } else {
        (format!("{}.2", today.year()), format!("{}.1", today.year() + 1))
    };
    let this_opened = today - Duration::days(200);
    catalog::save_period(tx, None, &this_term, this_opened, this_opened + Duration::days(60)).await?;
    catalog::save_period(tx, None, &next_term, today - Duration::days(10), today + Duration::days(50)).await?;

    let mut courses = Vec::new();
    for (name, modality, duration_months, description, documents) in COURSES {
        let row = CourseRow { name, modality, duration_months, description, document_kind_ids: &kinds[..documents] };
        courses.extend(catalog::save_course(tx, None, &row).await?);
    }
    let mut classes = Vec::new();
    for (course, shift, capacity, enrollment_fee_cents, monthly_fee_cents, max_installments) in CLASSES {
        let row = ClassRow {
            course_id: courses[course],
            term: &next_term,
            shift,
            capacity,
            enrollment_fee_cents,
            monthly_fee_cents,
            max_installments,
        };
        classes.extend(catalog::save_class(tx, None, &row).await?);
    }

    let contract = wizard::insert_contract(tx, 1, CONTRACT_TITLE, CONTRACT_BODY).await?;

    let signed_in_student: Option<Uuid> =
        sqlx::query_scalar("select id from users where role = 'student' order by created_at limit 1")
            .fetch_optional(tx.conn())
            .await?;
    let staff = Actor::Staff(staff);
    let reason = |text: &str| Some(text.to_string());
    // (applicant, class index, the path from the draft with the reasons staff gave)
    let applicants = [
        ("Beatriz Ramos", 2, vec![]),
        ("Caio Nogueira", 0, vec![(Submitted, None)]),
        ("Daniela Ferreira", 3, vec![(Submitted, None), (UnderReview, None)]),
        (
            "Eduardo Matos",
            1,
            vec![
                (Submitted, None),
                (UnderReview, None),
                (ChangesRequested, reason("RG ilegível: envie uma foto nítida, frente e verso.")),
            ],
        ),
        ("Fernanda Lopes", 2, vec![(Submitted, None), (UnderReview, None), (Approved, None)]),
        ("Gustavo Pires", 4, vec![(Submitted, None), (UnderReview, None), (Approved, None), (AwaitingPayment, None)]),
        (
            "Helena Duarte",
            5,
            vec![(Submitted, None), (UnderReview, None), (Approved, None), (AwaitingPayment, None), (Enrolled, None)],
        ),
        (
            "Igor Batista",
            3,
            vec![
                (Submitted, None),
                (UnderReview, None),
                (Rejected, reason("Histórico escolar incompleto: falta o 3º ano.")),
            ],
        ),
        ("Juliana Castro", 0, vec![(Submitted, None), (Cancelled, reason("Inscrição duplicada."))]),
        ("Kléber Souza", 1, vec![(Submitted, None), (Withdrawn, None)]),
        (
            "Larissa Mendes",
            0,
            vec![(Submitted, None), (UnderReview, None), (Approved, None), (AwaitingPayment, None), (Enrolled, None)],
        ),
        (
            "Mateus Rocha",
            1,
            vec![(Submitted, None), (UnderReview, None), (Approved, None), (AwaitingPayment, None), (Enrolled, None)],
        ),
    ];
    for (n, (name, class, path)) in applicants.into_iter().enumerate() {
        let email = format!("candidato{n}@{slug}.example");
        let account = accounts::NewAccount { name, email: &email, role: Role::Student, password_hash: None };
        let student = accounts::insert(tx.conn(), tenant_id, &account).await?;
        // Distinct nine-digit bases, far from the demo student's 123.456.789-09.
        let base = format!("{:09}", 301_000_000 + n * 10_103);
        let cpf = Cpf::completing(&base).map_err(|_| sqlx::Error::Protocol(format!("demo CPF {base}")))?;
        insert_profile(tx, student, cpf.digits(), n).await?;
        walk(tx, files, (name, student), (classes[class], contract), staff, &path).await?;
    }
    if let Some(student) = signed_in_student {
        // The demo student signs in: a profile with a verified e-mail, so the portal lets them apply.
        insert_profile(tx, student, "12345678909", 99).await?;
        walk(tx, files, ("João Pedro Alves", student), (classes[2], contract), staff, &[(Submitted, None)]).await?;
    }
    Ok(())
}

/// Streets of João Pessoa for the demo's addresses.
const STREETS: [(&str, &str); 4] = [
    ("Avenida Epitácio Pessoa", "Tambaú"),
    ("Rua das Trincheiras", "Centro"),
    ("Avenida Cabo Branco", "Cabo Branco"),
    ("Rua Infante Dom Henrique", "Tambaú"),
];

/// The profile of demo applicant number `n`: CPF, phone, birth date and address, e-mail verified (staff review
/// shows them; the wizard reads them).
async fn insert_profile(tx: &mut TenantTx, student: Uuid, cpf: &str, n: usize) -> Result<(), sqlx::Error> {
    let (street, district) = STREETS[n % STREETS.len()];
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "insert into student_profiles (tenant_id, user_id, cpf, phone, birth_date, postal_code, street, street_number,
                                       district, city, state, email_verified_at)
         values ($1, $2, $3, $4, make_date(2000 + $5 % 7, 1 + $5 % 12, 1 + $5 % 28), '58038000', $6, $7, $8,
                 'João Pessoa', 'PB', now())",
    )
    .bind(tenant_id)
    .bind(student)
    .bind(cpf)
    .bind(format!("+55839880{:05}", 1000 + n))
    .bind(i32::try_from(n).unwrap_or_default())
    .bind(street)
    .bind((100 + n * 37).to_string())
    .bind(district)
    .execute(tx.conn())
    .await
    .map(|_| ())
}

async fn walk(
    tx: &mut TenantTx,
    files: &dyn FileStorage,
    (name, student): (&str, Uuid),
    (class, contract): (Uuid, Uuid),
    staff: Actor,
    path: &[(super::types::ApplicationStatus, Option<String>)],
) -> Result<(), sqlx::Error> {
    let id = applications::create_draft(tx, student, class).await.map_err(demo_error)?;
    // A draft has some of its documents; anything submitted has them all and went through every step, as the
    // wizard demands (so a student asked for changes can send it again).
    let share = if path.is_empty() { 2 } else { usize::MAX };
    upload_documents(tx, files, (name, student), id, share).await?;
    if !path.is_empty() {
        let own_guardian = GuardianForm { is_student: true, ..GuardianForm::default() };
        wizard::save_guardian(tx, id, &own_guardian).await?;
        wizard::accept_contract(tx, id, contract, DEMO_CLIENT).await?;
        wizard::complete_step(tx, id, WizardStep::Contract.code()).await?;
    }
    for (to, reason) in path {
        let actor = match to {
            Submitted | Withdrawn => Actor::Student(student),
            Enrolled => {
                // Part 2 records the paid charge; the demo stands in for it, so the enrolled status shows too.
                sqlx::query("update applications set paid_at = now() where id = $1")
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
                Actor::System
            }
            _ => staff,
        };
        // Made-up applicants: nobody is e-mailed.
        applications::transition_notifying(tx, id, *to, actor, reason.as_deref(), Notify::Nobody)
            .await
            .map_err(demo_error)?;
    }
    Ok(())
}

/// Uploads the first `share` documents the application's course asks for, as its student would: PNG photos of
/// identity documents, PDFs of the rest.
async fn upload_documents(
    tx: &mut TenantTx,
    files: &dyn FileStorage,
    (name, student): (&str, Uuid),
    application_id: Uuid,
    share: usize,
) -> Result<(), sqlx::Error> {
    let checklist = documents::checklist(tx, application_id).await.map_err(demo_error)?;
    for (n, item) in checklist.items.iter().take(share).enumerate() {
        let photo = ["RG", "CPF", "Foto 3x4"].contains(&item.kind_name.as_str());
        let (file_name, bytes) = if photo {
            let shade = u8::try_from(n * 30 % 120).unwrap_or(0);
            (format!("{}.png", item.kind_name), demo_files::png(240, 150, [120 + shade, 170, 230 - shade]))
        } else {
            let lines = [item.kind_name.as_str(), name, "Documento de demonstração"];
            (format!("{}.pdf", item.kind_name), demo_files::pdf(&lines))
        };
        let upload = documents::Upload {
            student,
            application_id,
            kind_id: item.kind_id,
            original_name: &file_name,
            bytes: &bytes,
        };
        documents::upload(tx, files, &upload).await.map_err(demo_error)?;
    }
    Ok(())
}

/// The address the demo's contract acceptances were "made" from (a documentation address, RFC 5737).
const DEMO_CLIENT: &str = "192.0.2.10";

fn demo_error(error: crate::platform::AppError) -> sqlx::Error {
    sqlx::Error::Protocol(format!("enrollment demo: {error}"))
}
