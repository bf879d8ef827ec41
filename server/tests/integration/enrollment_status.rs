//! The student's side after the wizard: the status page of their own application (its history told without
//! staff-internal details), withdrawing (which gives the seat back, and only while nothing ended the application),
//! and the e-mails of the moves that matter to the student, each a job enqueued with the move.

use app::{
    enrollment::{
        applications::{self, Actor},
        document_types::RejectionReason,
        documents::{self, Review},
        mail::{self, ApplicationMail},
        seats,
        types::ApplicationStatus::{self, *},
    },
    platform::tenancy::TenantTx,
};
use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};
use uuid::Uuid;

use crate::browser::Browser;
use crate::enrollment_documents::signed_in;

const KIND: &str = "enrollment.application_mail";

async fn famath_tx(server: &TestServer) -> TenantTx {
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&server.pool).await.unwrap();
    TenantTx::begin(&server.pool, tenant).await.unwrap()
}

/// The demo applicant `name`'s application, its class and the applicant's id and e-mail.
pub(crate) async fn applicant(server: &TestServer, name: &str) -> (Uuid, Uuid, Uuid, String) {
    let mut tx = famath_tx(server).await;
    sqlx::query_as(
        "select a.id, a.class_id, u.id, u.email from applications a join users u on u.id = a.student_id
          where u.name = $1",
    )
    .bind(name)
    .fetch_one(tx.conn())
    .await
    .unwrap()
}

/// Signs in as demo applicant `name` (the demo's applicants have no password: they get the demo student's).
pub(crate) async fn signed_in_as(server: &TestServer, admin: &sqlx::PgPool, name: &str) -> Browser {
    let email: String = sqlx::query_scalar(
        "update users set password_hash = (select password_hash from users where email = 'joao@famath.example')
          where name = $1 returning email",
    )
    .bind(name)
    .fetch_one(admin)
    .await
    .unwrap();
    signed_in(server, "famath", &email).await
}

async fn status_of(browser: &mut Browser, id: Uuid) -> (StatusCode, serde_json::Value) {
    browser.call("enrollment/status/mine", &[("id", id.to_string().as_str())]).await
}

#[tokio::test]
async fn a_student_sees_only_their_own_application_with_its_history_in_their_words() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let (eduardo_application, ..) = applicant(&server, "Eduardo Matos").await;
    let (joao_application, ..) = applicant(&server, "João Pedro Alves").await;
    let mut eduardo = signed_in_as(&server, &admin, "Eduardo Matos").await;

    let (status, view) = status_of(&mut eduardo, eduardo_application).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "changes_requested");
    let reason = "RG ilegível: envie uma foto nítida, frente e verso.";
    assert_eq!(view["decision"], reason, "what staff asked, for the student to read");
    let timeline = view["timeline"].as_array().unwrap();
    let steps: Vec<(&str, &str)> =
        timeline.iter().map(|event| (event["to"].as_str().unwrap(), event["by"].as_str().unwrap())).collect();
    assert_eq!(
        steps,
        [("changes_requested", "institution"), ("under_review", "institution"), ("submitted", "you"), ("draft", "you")],
        "newest first, who in the student's words"
    );
    assert_eq!(timeline[0]["reason"], reason);
    let when = timeline[0]["when"].as_str().unwrap();
    assert!(when.len() == 16 && when.as_bytes()[2] == b'/' && when.as_bytes()[13] == b':', "dd/mm/aaaa hh:mm: {when}");
    assert!(!view.to_string().contains("Carlos Lima"), "no staff names: {view}");

    // Someone else's application, or an id that does not exist, is not found.
    for other in [joao_application, Uuid::now_v7()] {
        assert_eq!(status_of(&mut eduardo, other).await.0, StatusCode::NOT_FOUND);
    }
    // The page itself, rendered on the server for the student.
    let session = eduardo.session.clone().unwrap();
    let page = reqwest::Client::new()
        .get(format!("{}/famath/portal/inscricao/{eduardo_application}", server.url))
        .header("cookie", format!("atrium_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for expected in ["Direito", "Correções pedidas", "Histórico", reason, "Desistir da inscrição"] {
        assert!(html.contains(expected), "{expected:?} on the page");
    }

    // A student of another tenant asks for it by id: invisible there.
    sqlx::query("update tenants set enrollment_enabled = true where slug = 'credvale'").execute(&admin).await.unwrap();
    let mut larissa = signed_in(&server, "credvale", "larissa@credvale.example").await;
    let mut answer = (StatusCode::OK, serde_json::Value::Null);
    for _ in 0..50 {
        // The tenant directory hears of the module turned on through LISTEN/NOTIFY: give it a moment.
        answer = status_of(&mut larissa, eduardo_application).await;
        if answer.0 != StatusCode::FORBIDDEN {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(answer.0, StatusCode::NOT_FOUND, "{}", answer.1);
}

#[tokio::test]
async fn withdrawing_gives_the_seat_back_and_is_refused_once_the_application_ended() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let (fernanda_application, class, ..) = applicant(&server, "Fernanda Lopes").await;
    let (igor_application, ..) = applicant(&server, "Igor Batista").await;
    let before = seats_left(&server, class).await;

    // Another student cannot withdraw it.
    let mut joao = signed_in(&server, "famath", "joao@famath.example").await;
    let id = fernanda_application.to_string();
    let (status, _) = joao.call("enrollment/status/withdraw", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let mut fernanda = signed_in_as(&server, &admin, "Fernanda Lopes").await;
    let (status, body) =
        fernanda.call("enrollment/status/withdraw", &[("id", id.as_str()), ("reason", "Mudei de cidade.")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(seats_left(&server, class).await, before + 1, "the approved application's seat is free again");
    let (_, view) = status_of(&mut fernanda, fernanda_application).await;
    assert_eq!(view["status"], "withdrawn");
    let last = &view["timeline"][0];
    assert_eq!((last["to"].as_str(), last["by"].as_str()), (Some("withdrawn"), Some("you")));
    assert_eq!(last["reason"], "Mudei de cidade.");

    // Withdrawn ends it, as rejected does: nothing moves it any more.
    let (status, body) = fernanda.call("enrollment/status/withdraw", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let mut igor = signed_in_as(&server, &admin, "Igor Batista").await;
    let (status, body) =
        igor.call("enrollment/status/withdraw", &[("id", igor_application.to_string().as_str())]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(seats_left(&server, class).await, before + 1);
}

async fn seats_left(server: &TestServer, class: Uuid) -> i32 {
    let mut tx = famath_tx(server).await;
    seats::left(&mut tx, class).await.unwrap().unwrap()
}

async fn mail_job_count(server: &TestServer) -> i64 {
    let mut tx = famath_tx(server).await;
    sqlx::query_scalar("select count(*) from jobs where kind = $1").bind(KIND).fetch_one(tx.conn()).await.unwrap()
}

/// The application-mail jobs of application `id`, oldest first.
async fn mail_jobs(server: &TestServer, id: Uuid) -> Vec<ApplicationMail> {
    let mut tx = famath_tx(server).await;
    let payloads: Vec<serde_json::Value> = sqlx::query_scalar(
        "select payload from jobs where kind = $1 and payload->>'application_id' = $2 order by created_at, id",
    )
    .bind(KIND)
    .bind(id.to_string())
    .fetch_all(tx.conn())
    .await
    .unwrap();
    payloads.into_iter().map(|payload| serde_json::from_value(payload).unwrap()).collect()
}

async fn move_to(server: &TestServer, id: Uuid, to: ApplicationStatus, actor: Actor, reason: Option<&str>) {
    let mut tx = famath_tx(server).await;
    applications::transition(&mut tx, id, to, actor, reason).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn each_move_that_matters_to_the_student_enqueues_one_e_mail_with_the_reasons_and_seeding_none() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    assert_eq!(mail_job_count(&server).await, 0, "the demo's made-up applicants are not e-mailed");
    let staff: Uuid = {
        let mut tx = famath_tx(&server).await;
        sqlx::query_scalar("select id from users where email = 'secretaria@famath.example'")
            .fetch_one(tx.conn())
            .await
            .unwrap()
    };
    let staff = Actor::Staff(staff);

    // Eduardo resubmits after changes were requested: the receipt.
    let (eduardo, _, eduardo_id, eduardo_email) = applicant(&server, "Eduardo Matos").await;
    move_to(&server, eduardo, Submitted, Actor::Student(eduardo_id), None).await;
    let jobs = mail_jobs(&server, eduardo).await;
    assert_eq!(jobs.iter().map(|job| job.status).collect::<Vec<_>>(), [Submitted]);

    // Caio: taken into review (no e-mail), one document refused, changes requested.
    let (caio, _, _, caio_email) = applicant(&server, "Caio Nogueira").await;
    move_to(&server, caio, UnderReview, staff, None).await;
    assert!(mail_jobs(&server, caio).await.is_empty(), "going into review is not worth an e-mail");
    {
        let mut tx = famath_tx(&server).await;
        let checklist = documents::checklist(&mut tx, caio).await.unwrap();
        let document = checklist.items[0].document_id.unwrap();
        let Actor::Staff(person) = staff else { unreachable!() };
        let refusal = Review::Reject { reason: RejectionReason::Illegible, text: "A foto está tremida.".into() };
        documents::review(&mut tx, person, caio, document, &refusal).await.unwrap();
        tx.commit().await.unwrap();
    }
    let decision = "Envie o RG de novo, legível.";
    move_to(&server, caio, ChangesRequested, staff, Some(decision)).await;
    let jobs = mail_jobs(&server, caio).await;
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].status, jobs[0].reason.as_str()), (ChangesRequested, decision));
    assert_eq!(jobs[0].refused.len(), 1, "the refused document travels with the e-mail");

    // Daniela (in review) approved; Eduardo rejected.
    let (daniela, _, _, daniela_email) = applicant(&server, "Daniela Ferreira").await;
    move_to(&server, daniela, Approved, staff, None).await;
    move_to(&server, eduardo, UnderReview, staff, None).await;
    move_to(&server, eduardo, Rejected, staff, Some("Histórico escolar incompleto.")).await;
    assert_eq!(mail_jobs(&server, daniela).await.iter().map(|job| job.status).collect::<Vec<_>>(), [Approved]);
    assert_eq!(
        mail_jobs(&server, eduardo).await.iter().map(|job| job.status).collect::<Vec<_>>(),
        [Submitted, Rejected]
    );
    assert_eq!(mail_job_count(&server).await, 4, "one job per move that matters, none for the others");

    // The worker writes and sends them: to the student, in pt-BR, with the reasons and the status page's link.
    let _worker = server.mail_worker();
    let mails = server.wait_for_mails(4).await;
    assert_eq!(mails.len(), 4);
    let to = |email: &str| mails.iter().filter(|mail| mail.to == email).cloned().collect::<Vec<_>>();
    let caio_mail = &to(&caio_email)[0];
    assert!(caio_mail.subject.starts_with("Sua inscrição precisa de correções"), "{}", caio_mail.subject);
    for expected in [decision, "Ilegível", "A foto está tremida.", &format!("/famath/portal/inscricao/{caio}")] {
        assert!(caio_mail.body.contains(expected), "{expected:?} in {}", caio_mail.body);
    }
    assert!(to(&daniela_email)[0].subject.starts_with("Sua inscrição foi aprovada"));
    let eduardo_mails: Vec<String> = to(&eduardo_email).into_iter().map(|mail| mail.body).collect();
    assert_eq!(eduardo_mails.len(), 2);
    assert!(
        eduardo_mails.iter().any(|body| body.contains("Motivo: Histórico escolar incompleto.")),
        "{eduardo_mails:?}"
    );
    assert_eq!(
        mail::status_url("http://x/", "famath", caio),
        format!("http://x/famath/portal/inscricao/{caio}"),
        "the link is the student's status page"
    );
}

#[tokio::test]
async fn every_demo_applicant_has_a_profile_with_a_valid_cpf_that_staff_review_shows() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut tx = famath_tx(&server).await;
    let profiles: Vec<(String, Option<String>, bool)> = sqlx::query_as(
        "select u.name, p.cpf, p.phone is not null and p.street is not null and p.city is not null
           from users u left join student_profiles p on p.tenant_id = u.tenant_id and p.user_id = u.id
          where u.role = 'student'",
    )
    .fetch_all(tx.conn())
    .await
    .unwrap();
    assert_eq!(profiles.len(), 13, "twelve applicants and the demo student");
    for (name, cpf, contact) in &profiles {
        let cpf = cpf.as_deref().unwrap_or_else(|| panic!("{name} has no profile"));
        assert!(app::platform::fields::Cpf::parse(cpf).is_ok(), "{name}: {cpf} has wrong check digits");
        assert!(contact, "{name}: phone and address");
    }
    drop(tx);
    let (caio, ..) = applicant(&server, "Caio Nogueira").await;
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (status, review) = staff.call("enrollment/applications/review", &[("id", caio.to_string().as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    let shown = review["cpf"].as_str().unwrap_or_default().chars().filter(char::is_ascii_digit).count();
    assert_eq!(shown, 11, "staff review shows the applicant's CPF: {review}");
}

#[tokio::test]
async fn a_demo_applicant_asked_for_changes_can_send_the_application_again() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let (id, _, student, _) = applicant(&server, "Eduardo Matos").await;
    let mut tx = famath_tx(&server).await;
    let accepted: bool = sqlx::query_scalar(
        "select contract_id is not null and contract_accepted_at is not null and guardian_is_student
           from applications where id = $1",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await
    .unwrap();
    assert!(accepted, "a submitted demo application went through the guardian and contract steps");
    let sent = app::enrollment::wizard::submit(&mut tx, student, id).await;
    assert!(sent.is_ok(), "the demo's changes-requested application could not be sent again: {sent:?}");
    let status: String = sqlx::query_scalar("select status from applications where id = $1")
        .bind(id)
        .fetch_one(tx.conn())
        .await
        .unwrap();
    assert_eq!(status, "submitted");
}
