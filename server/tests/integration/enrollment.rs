//! Enrollment's one state machine against real PostgreSQL: the edges, who may take them, the recorded history, the
//! seats of a class (never oversold, even under 50 concurrent approvals) and the database's own guard rails.

use app::{
    enrollment::{
        applications::{self, Actor},
        seats,
        types::ApplicationStatus::{self, *},
    },
    platform::{AppError, tenancy::TenantTx},
};
use server::test_support::{TestDatabase, create_tenant};
use sqlx::PgPool;
use uuid::Uuid;

/// A tenant with one staff person, a course, a period and a class of `capacity` seats.
struct School {
    pool: PgPool,
    tenant: Uuid,
    staff: Uuid,
    class: Uuid,
}

impl School {
    async fn open(database: &TestDatabase, capacity: i32) -> Self {
        Self::with_period(database, capacity, "current_date - 1", "current_date + 30").await
    }

    async fn with_period(database: &TestDatabase, capacity: i32, opens: &str, closes: &str) -> Self {
        let pool = database.app_pool().await;
        let tenant = create_tenant(&pool, "famath").await;
        let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
        let staff = person(&mut tx, "staff", "secretaria@famath.example").await;
        let course: Uuid = sqlx::query_scalar(
            "insert into courses (tenant_id, name, modality, duration_months) values ($1, 'Direito', 'presencial', 60)
             returning id",
        )
        .bind(tenant)
        .fetch_one(tx.conn())
        .await
        .unwrap();
        sqlx::query(&format!(
            "insert into enrollment_periods (tenant_id, term, opens_on, closes_on) values ($1, '2027.1', {opens}, {closes})"
        ))
        .bind(tenant)
        .execute(tx.conn())
        .await
        .unwrap();
        let class: Uuid = sqlx::query_scalar(
            "insert into classes (tenant_id, course_id, term, shift, capacity, enrollment_fee_cents, monthly_fee_cents)
             values ($1, $2, '2027.1', 'noturno', $3, 15000, 89900) returning id",
        )
        .bind(tenant)
        .bind(course)
        .bind(capacity)
        .fetch_one(tx.conn())
        .await
        .unwrap();
        tx.commit().await.unwrap();
        Self { pool, tenant, staff, class }
    }

    async fn tx(&self) -> TenantTx {
        TenantTx::begin(&self.pool, self.tenant).await.unwrap()
    }

    async fn student(&self, n: usize) -> Uuid {
        let mut tx = self.tx().await;
        let id = person(&mut tx, "student", &format!("aluno{n}@famath.example")).await;
        tx.commit().await.unwrap();
        id
    }

    /// A student's application walked (and committed) along `path` from its draft.
    async fn application(&self, student: Uuid, path: &[ApplicationStatus]) -> Uuid {
        let mut tx = self.tx().await;
        let id = applications::create_draft(&mut tx, student, self.class).await.unwrap();
        for to in path {
            let actor = match to {
                Submitted | Withdrawn => Actor::Student(student),
                _ => Actor::Staff(self.staff),
            };
            applications::transition(&mut tx, id, *to, actor, Some("motivo")).await.unwrap();
        }
        tx.commit().await.unwrap();
        id
    }

    async fn move_to(
        &self,
        id: Uuid,
        to: ApplicationStatus,
        actor: Actor,
        reason: Option<&str>,
    ) -> Result<(), AppError> {
        let mut tx = self.tx().await;
        applications::transition(&mut tx, id, to, actor, reason).await?;
        tx.commit().await.unwrap();
        Ok(())
    }

    async fn status(&self, id: Uuid) -> String {
        let mut tx = self.tx().await;
        sqlx::query_scalar("select status from applications where id = $1").bind(id).fetch_one(tx.conn()).await.unwrap()
    }

    async fn seats_left(&self) -> i32 {
        let mut tx = self.tx().await;
        seats::left(&mut tx, self.class).await.unwrap().unwrap()
    }

    /// capacity − (approved + awaiting_payment + enrolled), counted from the applications themselves.
    async fn seats_left_counted(&self) -> i64 {
        let mut tx = self.tx().await;
        sqlx::query_scalar(
            "select c.capacity - (select count(*) from applications a where a.class_id = c.id
                                    and a.status in ('approved', 'awaiting_payment', 'enrolled'))
               from classes c where c.id = $1",
        )
        .bind(self.class)
        .fetch_one(tx.conn())
        .await
        .unwrap()
    }
}

async fn person(tx: &mut TenantTx, role: &str, email: &str) -> Uuid {
    let tenant = tx.tenant_id();
    sqlx::query_scalar(
        "insert into users (tenant_id, name, email, role) values ($1, 'Pessoa Teste', $2, $3) returning id",
    )
    .bind(tenant)
    .bind(email)
    .bind(role)
    .fetch_one(tx.conn())
    .await
    .unwrap()
}

fn is_class_full(error: &AppError) -> bool {
    matches!(error, AppError::Conflict { message } if message.to_lowercase().contains("turma lotada"))
}

#[tokio::test]
async fn fifty_concurrent_approvals_on_a_class_of_ten_seats_approve_exactly_ten() {
    let database = TestDatabase::create().await;
    let school = School::open(&database, 10).await;
    let mut ids = Vec::new();
    for n in 0..50 {
        let student = school.student(n).await;
        ids.push(school.application(student, &[Submitted, UnderReview]).await);
    }
    // Its own pool, wide enough that many approvals are in flight at once.
    let pool = server::database::runtime_pool(&database.app_url, 20).await.unwrap();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(ids.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for id in ids {
        let (pool, start, tenant, staff) = (pool.clone(), start.clone(), school.tenant, school.staff);
        tasks.spawn(async move {
            start.wait().await;
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            let approved = applications::transition(&mut tx, id, Approved, Actor::Staff(staff), None).await;
            if approved.is_ok() {
                tx.commit().await.unwrap();
            }
            approved.map(|_| ())
        });
    }
    let (mut approved, mut full, mut other) = (0, 0, Vec::new());
    while let Some(outcome) = tasks.join_next().await {
        match outcome.unwrap() {
            Ok(()) => approved += 1,
            Err(error) if is_class_full(&error) => full += 1,
            Err(error) => other.push(error),
        }
    }
    assert_eq!((approved, full), (10, 40), "other errors: {other:?}");
    assert_eq!(school.seats_left().await, 0);
    assert_eq!(school.seats_left_counted().await, 0);
}

#[tokio::test]
async fn seats_are_reserved_at_approval_and_released_by_rejection_withdrawal_and_cancellation() {
    let database = TestDatabase::create().await;
    let school = School::open(&database, 3).await;
    let students = [school.student(1).await, school.student(2).await, school.student(3).await];
    let mut ids = Vec::new();
    for student in students {
        ids.push(school.application(student, &[Submitted, UnderReview, Approved]).await);
    }
    assert_eq!(school.seats_left().await, 0);
    let fourth = school.student(4).await;
    let waiting = school.application(fourth, &[Submitted, UnderReview]).await;
    let refused = school.move_to(waiting, Approved, Actor::Staff(school.staff), None).await.unwrap_err();
    assert!(is_class_full(&refused), "{refused:?}");
    assert_eq!(school.status(waiting).await, "under_review", "a refused approval changes nothing");

    school.move_to(ids[0], Withdrawn, Actor::Student(students[0]), None).await.unwrap();
    assert_eq!(school.seats_left().await, 1, "withdrawal gives the seat back");
    school.move_to(waiting, Approved, Actor::Staff(school.staff), None).await.unwrap();
    school.move_to(ids[1], AwaitingPayment, Actor::Staff(school.staff), None).await.unwrap();
    assert_eq!(school.seats_left().await, 0, "awaiting payment still holds its seat");
    school.move_to(ids[1], Cancelled, Actor::Staff(school.staff), Some("Pagamento não realizado")).await.unwrap();
    assert_eq!(school.seats_left().await, 1, "cancellation gives the seat back");
    assert_eq!(school.seats_left_counted().await, 1);

    // A rejection before approval holds no seat, so it releases none.
    let fifth = school.student(5).await;
    let rejected = school.application(fifth, &[Submitted, UnderReview, Rejected]).await;
    assert_eq!(school.status(rejected).await, "rejected");
    assert_eq!(school.seats_left().await, 1);
}

#[tokio::test]
async fn the_machine_refuses_edges_it_does_not_have_and_actors_who_may_not_take_them() {
    let database = TestDatabase::create().await;
    let school = School::open(&database, 5).await;
    let student = school.student(1).await;
    let other = school.student(2).await;
    let id = school.application(student, &[]).await;
    let staff = Actor::Staff(school.staff);

    let skip = school.move_to(id, Approved, staff, None).await.unwrap_err();
    assert!(matches!(skip, AppError::Conflict { .. }), "draft → approved: {skip:?}");
    let approve_own = school.move_to(id, Submitted, Actor::Student(other), None).await.unwrap_err();
    assert_eq!(approve_own, AppError::NotFound, "another student's application is not theirs to see");
    let staff_submits = school.move_to(id, Submitted, staff, None).await.unwrap_err();
    assert_eq!(staff_submits, AppError::Forbidden);
    school.move_to(id, Submitted, Actor::Student(student), None).await.unwrap();
    school.move_to(id, UnderReview, staff, None).await.unwrap();
    let self_approval = school.move_to(id, Approved, Actor::Student(student), None).await.unwrap_err();
    assert_eq!(self_approval, AppError::Forbidden);
    let silent = school.move_to(id, Rejected, staff, Some("   ")).await.unwrap_err();
    assert!(matches!(&silent, AppError::Validation { field, .. } if field == "reason"), "{silent:?}");
    school.move_to(id, Approved, staff, None).await.unwrap();
    school.move_to(id, AwaitingPayment, staff, None).await.unwrap();
    let unpaid = school.move_to(id, Enrolled, Actor::System, None).await.unwrap_err();
    assert!(matches!(unpaid, AppError::Conflict { .. }), "enrolled needs a paid charge: {unpaid:?}");
    assert_eq!(school.status(id).await, "awaiting_payment");
    let missing = school.move_to(Uuid::now_v7(), Submitted, staff, None).await.unwrap_err();
    assert_eq!(missing, AppError::NotFound);
}

#[tokio::test]
async fn every_transition_is_recorded_with_who_when_and_why_and_staff_moves_are_audited() {
    let database = TestDatabase::create().await;
    let school = School::open(&database, 5).await;
    let student = school.student(1).await;
    let staff = Actor::Staff(school.staff);
    let id = school.application(student, &[Submitted, UnderReview]).await;
    school.move_to(id, ChangesRequested, staff, Some("RG ilegível")).await.unwrap();
    school.move_to(id, Submitted, Actor::Student(student), None).await.unwrap();
    school.move_to(id, UnderReview, staff, None).await.unwrap();
    school.move_to(id, Approved, staff, None).await.unwrap();

    let mut tx = school.tx().await;
    let timeline = applications::timeline(&mut tx, id).await.unwrap();
    let steps: Vec<_> = timeline.iter().map(|entry| (entry.from, entry.to)).collect();
    assert_eq!(
        steps,
        vec![
            (None, Draft),
            (Some(Draft), Submitted),
            (Some(Submitted), UnderReview),
            (Some(UnderReview), ChangesRequested),
            (Some(ChangesRequested), Submitted),
            (Some(Submitted), UnderReview),
            (Some(UnderReview), Approved),
        ]
    );
    assert_eq!(timeline[3].reason, "RG ilegível");
    assert!(timeline.iter().all(|entry| entry.actor.as_deref() == Some("Pessoa Teste")));
    assert!(timeline.windows(2).all(|pair| pair[0].at <= pair[1].at));
    let audited: Vec<String> =
        sqlx::query_scalar("select action from audit_log where subject = $1 and actor_id = $2 order by at, id")
            .bind(id.to_string())
            .bind(school.staff)
            .fetch_all(tx.conn())
            .await
            .unwrap();
    assert_eq!(
        audited,
        [
            "enrollment.application.under_review",
            "enrollment.application.changes_requested",
            "enrollment.application.under_review",
            "enrollment.application.approved",
        ]
    );
}

#[tokio::test]
async fn submitting_is_refused_outside_the_enrollment_period() {
    let database = TestDatabase::create().await;
    let school = School::with_period(&database, 5, "current_date + 10", "current_date + 20").await;
    let student = school.student(1).await;
    let id = school.application(student, &[]).await;
    let early = school.move_to(id, Submitted, Actor::Student(student), None).await.unwrap_err();
    assert!(matches!(early, AppError::Conflict { .. }), "{early:?}");
    assert_eq!(school.status(id).await, "draft");
}

#[tokio::test]
async fn the_database_refuses_what_the_machine_would_refuse_even_past_the_service() {
    let database = TestDatabase::create().await;
    let school = School::open(&database, 1).await;
    let first = school.student(1).await;
    let second = school.student(2).await;
    let id = school.application(first, &[Submitted, UnderReview, Approved]).await;
    let other = school.application(second, &[Submitted, UnderReview]).await;

    // The edges in the database are exactly the machine's.
    let mut tx = school.tx().await;
    let mut listed: Vec<(String, String)> =
        sqlx::query_as("select from_status, to_status from enrollment_transitions").fetch_all(tx.conn()).await.unwrap();
    listed.sort();
    let mut machine: Vec<(String, String)> = ApplicationStatus::ALL
        .iter()
        .flat_map(|from| ApplicationStatus::ALL.iter().map(move |to| (*from, *to)))
        .filter(|(from, to)| from.can_go_to(*to))
        .map(|(from, to)| (from.code().to_string(), to.code().to_string()))
        .collect();
    machine.sort();
    assert_eq!(listed, machine);
    drop(tx);

    let raw = |statement: &'static str, id: Uuid| {
        let school_pool = school.pool.clone();
        let tenant = school.tenant;
        async move {
            let mut tx = TenantTx::begin(&school_pool, tenant).await.unwrap();
            let outcome = sqlx::query(statement).bind(id).execute(tx.conn()).await;
            let constraint = outcome
                .as_ref()
                .err()
                .and_then(|e| e.as_database_error())
                .and_then(|e| e.constraint().map(String::from));
            (outcome.is_ok(), constraint)
        }
    };
    let refused = |constraint: &str| (false, Some(constraint.to_string()));
    assert_eq!(
        raw("update applications set status = 'draft' where id = $1", id).await,
        refused("applications_transition_allowed")
    );
    assert_eq!(
        raw("update applications set status = 'enrolled' where id = $1", id).await,
        refused("applications_transition_allowed")
    );
    assert_eq!(
        raw("update applications set status = 'awaiting_payment' where id = $1", other).await,
        refused("applications_transition_allowed")
    );
    // The one seat is taken: an approval written straight to the table is refused by the capacity check.
    assert_eq!(
        raw("update applications set status = 'approved' where id = $1", other).await,
        refused("classes_seats_within_capacity")
    );
    school.move_to(id, AwaitingPayment, Actor::Staff(school.staff), None).await.unwrap();
    assert_eq!(
        raw("update applications set status = 'enrolled' where id = $1", id).await,
        refused("applications_enrolled_needs_payment")
    );
    // History is append-only, and names only listed edges.
    assert!(!raw("delete from application_events where application_id = $1", id).await.0);
    assert!(!raw("update application_events set reason = 'x' where application_id = $1", id).await.0);
    let invented = raw(
        "insert into application_events (tenant_id, application_id, from_status, to_status, actor_kind)
         select tenant_id, id, 'draft', 'enrolled', 'system' from applications where id = $1",
        id,
    );
    assert_eq!(invented.await, refused("application_events_transition_fkey"));
}
