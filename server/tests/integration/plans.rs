//! Plans and limits beyond finance: the people a plan allows (owner, staff and consultants; students never count;
//! a pending invitation holds its seat).

use app::platform::{
    AppError,
    auth::{self, Role},
    tenancy::TenantTx,
    users::{
        InviteForm,
        invite::{self, Inviter},
    },
};
use reqwest::StatusCode;
use server::test_support::{TestDatabase, create_tenant};

use crate::browser::{Browser, DEMO_PASSWORD};
use crate::finance::seeded;

fn person(name: &str, role: Role) -> InviteForm {
    let email = format!("{}@alfa.example", name.to_lowercase().replace(' ', "."));
    InviteForm { name: name.into(), email, role }
}

fn assert_people_limit(error: &AppError) {
    match error {
        AppError::LimitReached { message } => assert!(
            message.contains("Essencial") && message.contains("5 pessoas") && message.contains("Profissional"),
            "{message}"
        ),
        other => panic!("a people limit error: {other:?}"),
    }
}

#[tokio::test]
async fn two_invitations_racing_for_the_plans_last_seat_let_exactly_one_in() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "alfa").await; // starter: 5 people
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let owner = auth::store::NewAccount {
        name: "Dona Alfa",
        email: "dona@alfa.example",
        role: Role::Owner,
        password_hash: None,
    };
    let owner_id = auth::store::insert(tx.conn(), tenant, &owner).await.unwrap();
    let inviter = Inviter { user_id: owner_id, name: "Dona Alfa" };
    // Three pending invitations and a student: four people counted (the student is not).
    for (name, role) in [("Bia Lima", Role::Staff), ("Caio Reis", Role::Consultant), ("Duda Melo", Role::Staff)] {
        invite::invite(&mut tx, &inviter, &person(name, role)).await.unwrap();
    }
    invite::invite(&mut tx, &inviter, &person("Enzo Aluno", Role::Student)).await.unwrap();
    tx.commit().await.unwrap();

    // Both transactions are open and past their own count before either commits.
    let racer = |name: &'static str| {
        let pool = pool.clone();
        async move {
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            let inviter = Inviter { user_id: owner_id, name: "Dona Alfa" };
            let outcome = invite::invite(&mut tx, &inviter, &person(name, Role::Staff)).await;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            if outcome.is_ok() {
                tx.commit().await.unwrap();
            }
            outcome
        }
    };
    let (first, second) = tokio::join!(racer("Fabi Quinta"), racer("Gabi Sexta"));
    let refused: Vec<_> = [&first, &second].into_iter().filter_map(|outcome| outcome.as_ref().err()).collect();
    assert_eq!(refused.len(), 1, "exactly one of two racing invitations fits: {first:?} {second:?}");
    assert_people_limit(refused[0]);

    // Full: one more staff is refused, a student still gets in.
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let refused = invite::invite(&mut tx, &inviter, &person("Hugo Extra", Role::Consultant)).await.unwrap_err();
    assert_people_limit(&refused);
    invite::invite(&mut tx, &inviter, &person("Iara Aluna", Role::Student)).await.unwrap();
    let counted: i64 = app::platform::plans::count_people(tx.conn()).await.unwrap();
    assert_eq!(counted, 5);
}

#[tokio::test]
async fn a_starter_owner_at_the_people_limit_is_told_which_plan_lifts_it_and_cannot_promote_a_student() {
    let server = seeded().await;
    let mut owner = Browser::new(&server);
    owner.sign_in("credvale", "dono@credvale.example", DEMO_PASSWORD).await; // starter: owner, staff, consultant
    for (name, email) in [("Rita Gomes", "rita@credvale.example"), ("Saulo Dias", "saulo@credvale.example")] {
        let (status, body) =
            owner.call("users/invite", &[("form[name]", name), ("form[email]", email), ("form[role]", "staff")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = owner
        .call(
            "users/invite",
            &[("form[name]", "Tiago Luz"), ("form[email]", "tiago@credvale.example"), ("form[role]", "consultant")],
        )
        .await;
    assert_ne!(status, StatusCode::OK);
    let text = body.to_string();
    assert!(text.contains("Seu plano Essencial permite até 5 pessoas") && text.contains("Profissional"), "{text}");

    // The student made staff would take a seat too; deactivating someone frees one.
    let (_, users) = owner.call("users/list", &[]).await;
    let id_of = |email: &str| {
        users.as_array().unwrap().iter().find(|user| user["email"] == email).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (larissa, rita) = (id_of("larissa@credvale.example"), id_of("rita@credvale.example"));
    let (status, body) = owner.call("users/role", &[("user_id", &larissa), ("role", "staff")]).await;
    assert_ne!(status, StatusCode::OK, "{body}");
    assert!(body.to_string().contains("Essencial"), "{body}");
    let (status, _) = owner.call("users/active", &[("user_id", &rita), ("active", "false")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = owner.call("users/role", &[("user_id", &larissa), ("role", "staff")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // And Rita, reactivated, would be the sixth.
    let (status, _) = owner.call("users/active", &[("user_id", &rita), ("active", "true")]).await;
    assert_ne!(status, StatusCode::OK);
    server.stop().await.unwrap();
}

/// `server set-plan` as an operator runs it, against a configured database.
fn set_plan(database: &TestDatabase, args: &[&str]) -> std::process::Output {
    let home = std::env::temp_dir().join(format!("atrium-set-plan-{}", database.name));
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("set-plan")
        .args(args)
        .env("ATRIUM_HOME", &home)
        .env("DATABASE_URL", &database.app_url)
        .env("DATABASE_OWNER_URL", &database.owner_url)
        .env("ATRIUM_ENV", "development")
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_operator_moves_a_tenant_to_another_plan_audited_and_unknown_names_are_refused_clearly() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "alfa").await;

    let unknown_plan = set_plan(&database, &["alfa", "gold"]);
    assert!(!unknown_plan.status.success());
    let stderr = String::from_utf8_lossy(&unknown_plan.stderr);
    assert!(stderr.contains("unknown plan 'gold'") && stderr.contains("starter, professional, enterprise"), "{stderr}");
    let unknown_tenant = set_plan(&database, &["beta", "professional"]);
    assert!(!unknown_tenant.status.success());
    assert!(String::from_utf8_lossy(&unknown_tenant.stderr).contains("no tenant with the address 'beta'"));
    assert!(!set_plan(&database, &["alfa"]).status.success(), "both arguments are required");

    let moved = set_plan(&database, &["alfa", "professional"]);
    assert!(moved.status.success(), "{}", String::from_utf8_lossy(&moved.stderr));
    assert!(String::from_utf8_lossy(&moved.stdout).contains("alfa: plan starter -> professional"));
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let plan: String = sqlx::query_scalar("select plan from tenants").fetch_one(tx.conn()).await.unwrap();
    assert_eq!(plan, "professional");
    let audited: (Option<uuid::Uuid>, serde_json::Value) =
        sqlx::query_as("select actor_id, details from audit_log where action = 'tenant.plan_changed'")
            .fetch_one(tx.conn())
            .await
            .unwrap();
    assert_eq!(audited, (None, serde_json::json!({ "from": "starter", "to": "professional", "by": "operator" })));
}

#[tokio::test]
async fn the_owner_sees_usage_against_each_limit_of_the_plan_and_staff_cannot() {
    let server = seeded().await;
    let mut owner = Browser::new(&server);
    owner.sign_in("credvale", "dono@credvale.example", DEMO_PASSWORD).await;
    let (status, usage) = owner.call("plans/usage", &[]).await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    assert_eq!(usage["plan"], "starter");
    let line = |usage: &serde_json::Value, measure: &str| {
        usage["lines"].as_array().unwrap().iter().find(|line| line["measure"] == measure).unwrap().clone()
    };
    // Owner, staff and consultant; the student does not count.
    assert_eq!(line(&usage, "People"), serde_json::json!({ "measure": "People", "used": 3, "allowed": 5 }));
    let accounts = line(&usage, "FinanceAccounts");
    assert_eq!(accounts["allowed"], 3);
    assert!(accounts["used"].as_i64().unwrap() >= 1, "{accounts}");
    assert_eq!(
        line(&usage, "DreHistoryMonths"),
        serde_json::json!({ "measure": "DreHistoryMonths", "used": 12, "allowed": 12 })
    );
    assert_eq!(line(&usage, "AiTokensThisMonth")["allowed"], 200_000);
    assert!(line(&usage, "TransactionsThisMonth")["used"].as_i64().unwrap() > 0, "the demo books this month");

    let mut staff = Browser::new(&server);
    staff.sign_in("credvale", "financeiro@credvale.example", DEMO_PASSWORD).await;
    assert_eq!(staff.call("plans/usage", &[]).await.0, StatusCode::FORBIDDEN);

    // The operator's change shows at once.
    let plan = server::operator::parse_plan("professional").unwrap();
    server::operator::set_plan(&server.pool, "credvale", plan).await.unwrap();
    let (_, usage) = owner.call("plans/usage", &[]).await;
    assert_eq!(usage["plan"], "professional");
    assert_eq!(line(&usage, "People")["allowed"], 50);
    server.stop().await.unwrap();
}

async fn page(server: &server::test_support::TestServer, browser: &Browser, path: &str) -> (StatusCode, String) {
    let session = browser.session.clone().expect("signed in");
    let response = reqwest::Client::new()
        .get(format!("{}{path}", server.url))
        .header("cookie", format!("atrium_session={session}"))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_plan_page_and_the_finance_switches_render_for_the_owner_only() {
    let server = seeded().await;
    let mut owner = Browser::new(&server);
    owner.sign_in("credvale", "dono@credvale.example", DEMO_PASSWORD).await;
    let (status, html) = page(&server, &owner, "/credvale/configuracoes/plano").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Seu plano") && html.contains("3 de 5") && html.contains("Fale com o suporte"), "{html}");
    let (_, settings) = page(&server, &owner, "/credvale/configuracoes").await;
    assert!(settings.contains("/credvale/configuracoes/plano"), "settings link to the plan page");
    let (_, users) = page(&server, &owner, "/credvale/configuracoes/usuarios").await;
    assert!(users.contains("Acesso ao financeiro") && users.contains(r#"data-email="financeiro@credvale.example""#));

    let mut staff = Browser::new(&server);
    staff.sign_in("credvale", "financeiro@credvale.example", DEMO_PASSWORD).await;
    let (_, html) = page(&server, &staff, "/credvale/configuracoes/plano").await;
    assert!(!html.contains("3 de 5"), "staff never sees the plan's usage");
    server.stop().await.unwrap();
}
