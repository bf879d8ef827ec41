//! CRM, part 1: the lead service's rules (version conflicts, a phone attaching to its open lead, positions that
//! never rewrite a column) and who reads what through the server functions.

use app::crm::{
    leads::{self, Actor, Created, Move, NewLead},
    types::{Product, Source},
};
use app::platform::{auth::Role, fields::Phone, tenancy::TenantTx};
use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};
use uuid::Uuid;

use crate::browser::{Browser, DEMO_PASSWORD};

pub(crate) async fn seeded() -> TestServer {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    server
}

pub(crate) async fn signed_in(server: &TestServer, tenant: &str, email: &str) -> Browser {
    let mut browser = Browser::new(server);
    let (status, body) = browser.sign_in(tenant, email, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{email}: {body}");
    browser
}

pub(crate) async fn books(server: &TestServer, slug: &str) -> TenantTx {
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = $1").bind(slug).fetch_one(&server.pool).await.unwrap();
    TenantTx::begin(&server.pool, tenant).await.unwrap()
}

async fn user(tx: &mut TenantTx, email: &str) -> Actor {
    let (user_id, role): (Uuid, String) =
        sqlx::query_as("select id, role from users where email = $1").bind(email).fetch_one(tx.conn()).await.unwrap();
    Actor { user_id, role: Role::from_code(&role).unwrap() }
}

fn new_lead(phone: &str) -> NewLead {
    NewLead {
        name: "Maria Souza".into(),
        phone: Phone::parse(phone).unwrap(),
        email: None,
        product: Product::Vehicle,
        value_cents: Some(8_500_000),
        down_payment_cents: None,
        monthly_income_cents: None,
        source: Source::WebForm,
        owner_id: None,
    }
}

/// (stage, position, version) of a lead.
async fn place(tx: &mut TenantTx, id: Uuid) -> (Uuid, i64, i64) {
    sqlx::query_as("select stage_id, position, version from crm_leads where id = $1")
        .bind(id)
        .fetch_one(tx.conn())
        .await
        .unwrap()
}

/// The open stages of a product's pipeline, in order.
async fn stages(tx: &mut TenantTx, product: Product) -> Vec<Uuid> {
    sqlx::query_scalar(
        "select s.id from crm_stages s join crm_pipelines p on p.id = s.pipeline_id
          where p.product = $1 and s.outcome is null order by s.position",
    )
    .bind(product.code())
    .fetch_all(tx.conn())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_demo_has_both_pipelines_and_about_sixty_leads_some_of_them_stale() {
    let server = seeded().await;
    let mut tx = books(&server, "credvale").await;
    let (pipelines, leads, stale): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from crm_pipelines), (select count(*) from crm_leads),
                (select count(*) from crm_leads l join crm_stages s on s.id = l.stage_id
                  where l.last_activity_at < now() - make_interval(days => s.stale_after_days))",
    )
    .fetch_one(tx.conn())
    .await
    .unwrap();
    assert_eq!((pipelines, leads), (2, 60));
    assert!((3..30).contains(&stale), "{stale} stale leads");
}

#[tokio::test]
async fn a_move_based_on_a_version_that_moved_on_is_refused_and_changes_nothing() {
    let server = seeded().await;
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (status, board) = staff.call("crm/board", &[]).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let card = &board["cards"][0];
    let (id, version) = (card["id"].as_str().unwrap().to_string(), card["version"].as_i64().unwrap());
    let stage = board["stages"][2]["id"].as_str().unwrap().to_string();
    let other_stage = board["stages"][3]["id"].as_str().unwrap().to_string();

    let (status, moved) =
        staff.call("crm/leads/move", &[("id", &id), ("stage_id", &stage), ("version", &version.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["version"].as_i64(), Some(version + 1));
    assert_eq!(moved["stage_id"].as_str(), Some(stage.as_str()));

    // A second screen still showing the old version tries to move the card elsewhere.
    let (status, refused) = staff
        .call("crm/leads/move", &[("id", &id), ("stage_id", &other_stage), ("version", &version.to_string())])
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("antes de você"), "{refused}");
    let mut tx = books(&server, "famath").await;
    let (now_in, _, now_version) = place(&mut tx, id.parse().unwrap()).await;
    assert_eq!((now_in.to_string(), now_version), (stage, version + 1));
}

#[tokio::test]
async fn a_move_is_announced_on_its_board_only_when_it_commits() {
    let server = seeded().await;
    let mut tx = books(&server, "famath").await;
    let staff = user(&mut tx, "secretaria@famath.example").await;
    let created = leads::create(&mut tx, None, &new_lead("(83) 98888-0001")).await.unwrap();
    let (stage, _, version) = place(&mut tx, created.id()).await;
    let topic: String = sqlx::query_scalar("select 'board:' || pipeline_id from crm_leads where id = $1")
        .bind(created.id())
        .fetch_one(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let seq = || async {
        let mut tx = books(&server, "famath").await;
        sqlx::query_scalar::<_, i64>("select seq from live_topics where topic = $1")
            .bind(&topic)
            .fetch_one(tx.conn())
            .await
            .unwrap()
    };
    let before = seq().await;
    let mut tx = books(&server, "famath").await;
    leads::move_lead(&mut tx, staff, created.id(), Move { stage_id: stage, after: None, version }).await.unwrap();
    drop(tx); // rolled back
    assert_eq!(seq().await, before);
    let mut tx = books(&server, "famath").await;
    leads::move_lead(&mut tx, staff, created.id(), Move { stage_id: stage, after: None, version }).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(seq().await, before + 1);
}

#[tokio::test]
async fn a_phone_already_open_in_the_tenant_attaches_to_its_lead_and_a_closed_one_opens_a_new_lead() {
    let server = seeded().await;
    let mut tx = books(&server, "famath").await;
    let first = leads::create(&mut tx, None, &new_lead("(83) 98888-1234")).await.unwrap();
    let mut again = new_lead("+55 83 98888-1234");
    again.email = Some("maria@example.com".into());
    let second = leads::create(&mut tx, None, &again).await.unwrap();
    assert!(matches!(first, Created::New(_)), "{first:?}");
    assert_eq!(second, Created::Attached(first.id()));
    let (leads_with_phone, email, attached): (i64, Option<String>, i64) = sqlx::query_as(
        "select count(*), max(email), (select count(*) from crm_lead_events where lead_id = $1 and kind = 'attached')
           from crm_leads where phone = '+5583988881234'",
    )
    .bind(first.id())
    .fetch_one(tx.conn())
    .await
    .unwrap();
    assert_eq!((leads_with_phone, email.as_deref(), attached), (1, Some("maria@example.com"), 1));

    // Once the lead is lost, the same phone starts a new one.
    let staff = user(&mut tx, "secretaria@famath.example").await;
    let lost: Uuid = sqlx::query_scalar(
        "select s.id from crm_stages s join crm_leads l on l.pipeline_id = s.pipeline_id
          where l.id = $1 and s.outcome = 'lost'",
    )
    .bind(first.id())
    .fetch_one(tx.conn())
    .await
    .unwrap();
    let (_, _, version) = place(&mut tx, first.id()).await;
    leads::move_lead(&mut tx, staff, first.id(), Move { stage_id: lost, after: None, version }).await.unwrap();
    let third = leads::create(&mut tx, None, &new_lead("83988881234")).await.unwrap();
    assert!(matches!(third, Created::New(id) if id != first.id()), "{third:?}");
}

#[tokio::test]
async fn a_card_lands_between_its_neighbours_and_a_crowded_spot_renumbers_only_its_own_column() {
    let server = seeded().await;
    let mut tx = books(&server, "famath").await;
    let staff = user(&mut tx, "secretaria@famath.example").await;
    let open = stages(&mut tx, Product::RealEstate).await;
    let column: Vec<(Uuid, i64)> =
        sqlx::query_as("select id, position from crm_leads where stage_id = $1 order by position, id")
            .bind(open[0])
            .fetch_all(tx.conn())
            .await
            .unwrap();
    assert!(column.len() >= 3, "{column:?}");
    let other_column: Vec<(Uuid, i64)> =
        sqlx::query_as("select id, position from crm_leads where stage_id = $1 order by position, id")
            .bind(open[1])
            .fetch_all(tx.conn())
            .await
            .unwrap();
    let (above, below) = (column[0], column[1]);
    let third_column = column_of(&mut tx, open[2]).await;

    // One card from elsewhere lands between the first two, its neighbours untouched.
    let mover = other_column[0].0;
    let (_, _, version) = place(&mut tx, mover).await;
    leads::move_lead(&mut tx, staff, mover, Move { stage_id: open[0], after: Some(above.0), version }).await.unwrap();
    let (stage, position, _) = place(&mut tx, mover).await;
    assert_eq!(stage, open[0]);
    assert!(above.1 < position && position < below.1, "{} < {position} < {}", above.1, below.1);
    assert_eq!(place(&mut tx, below.0).await.1, below.1, "a move writes only the moved card");

    // Moving cards into the same spot again and again runs out of room; the column is renumbered, in order.
    let movers: Vec<Uuid> =
        other_column.iter().skip(1).map(|(id, _)| *id).chain(column[2..].iter().map(|c| c.0)).collect();
    for round in 0..25 {
        let mover = movers[round % movers.len()];
        let (_, _, version) = place(&mut tx, mover).await;
        leads::move_lead(&mut tx, staff, mover, Move { stage_id: open[0], after: Some(above.0), version })
            .await
            .unwrap();
        let order: Vec<Uuid> =
            sqlx::query_scalar("select id from crm_leads where stage_id = $1 order by position, id limit 2")
                .bind(open[0])
                .fetch_all(tx.conn())
                .await
                .unwrap();
        assert_eq!(order, vec![above.0, mover], "round {round}");
    }
    let positions: Vec<i64> =
        sqlx::query_scalar("select position from crm_leads where stage_id = $1 order by position")
            .bind(open[0])
            .fetch_all(tx.conn())
            .await
            .unwrap();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "distinct positions: {positions:?}");
    assert_eq!(column_of(&mut tx, open[2]).await, third_column, "another column is never rewritten");
}

async fn column_of(tx: &mut TenantTx, stage: Uuid) -> Vec<(Uuid, i64)> {
    sqlx::query_as("select id, position from crm_leads where stage_id = $1 order by position, id")
        .bind(stage)
        .fetch_all(tx.conn())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_move_to_an_archived_stage_is_refused() {
    let server = seeded().await;
    let mut tx = books(&server, "famath").await;
    let staff = user(&mut tx, "secretaria@famath.example").await;
    let created = leads::create(&mut tx, None, &new_lead("(83) 98888-0002")).await.unwrap();
    let open = stages(&mut tx, Product::Vehicle).await;
    sqlx::query("update crm_stages set archived = true where id = $1").bind(open[2]).execute(tx.conn()).await.unwrap();
    let (_, _, version) = place(&mut tx, created.id()).await;
    let refused = leads::move_lead(&mut tx, staff, created.id(), Move { stage_id: open[2], after: None, version })
        .await
        .unwrap_err();
    assert!(matches!(refused, app::platform::AppError::Conflict { .. }), "{refused:?}");
}

/// A second consultant in famath, signed in with the demo password.
async fn second_consultant(server: &TestServer) -> Browser {
    let mut tx = books(server, "famath").await;
    sqlx::query(
        "insert into users (tenant_id, name, email, role, password_hash)
         select tenant_id, 'Rui Barros', 'rui@famath.example', 'consultant', password_hash from users
          where email = 'consultora@famath.example'",
    )
    .execute(tx.conn())
    .await
    .unwrap();
    tx.commit().await.unwrap();
    signed_in(server, "famath", "rui@famath.example").await
}

#[tokio::test]
async fn a_consultant_reads_only_the_shared_fields_of_another_consultants_lead_through_every_function() {
    let server = seeded().await;
    let mut rui = second_consultant(&server).await;
    let mut tx = books(&server, "famath").await;
    let marina = user(&mut tx, "consultora@famath.example").await;
    let (id, phone, version, stage): (Uuid, String, i64, Uuid) =
        sqlx::query_as("select id, phone, version, stage_id from crm_leads where owner_id = $1 limit 1")
            .bind(marina.user_id)
            .fetch_one(tx.conn())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    let (id, version, stage) = (id.to_string(), version.to_string(), stage.to_string());

    let (status, board) = rui.call("crm/board", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, view) = rui.call("crm/leads/get", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["details"], serde_json::Value::Null, "{view}");
    assert_eq!(view["card"]["id"].as_str(), Some(id.as_str()));
    let form = [
        ("id", id.as_str()),
        ("version", version.as_str()),
        ("form[name]", "Outro Nome"),
        ("form[phone]", "(83) 97777-0000"),
    ];
    let refusals = [
        rui.call("crm/leads/move", &[("id", &id), ("stage_id", &stage), ("version", &version)]).await,
        rui.call("crm/leads/update", &form).await,
        rui.call("crm/leads/note", &[("id", &id), ("body", "oi")]).await,
        rui.call("crm/leads/assign", &[("id", &id), ("owner_id", &marina.user_id.to_string())]).await,
    ];
    for (status, body) in &refusals {
        assert_eq!(*status, StatusCode::FORBIDDEN, "{body}");
    }
    let national = &phone[3..];
    for body in [&board, &view].into_iter().chain(refusals.iter().map(|(_, body)| body)) {
        assert!(!body.to_string().contains(national), "the phone leaked: {body}");
    }

    // Marina herself, and staff, read the details.
    for email in ["consultora@famath.example", "secretaria@famath.example"] {
        let mut browser = signed_in(&server, "famath", email).await;
        let (status, view) = browser.call("crm/leads/get", &[("id", &id)]).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert_eq!(view["details"]["phone"].as_str(), Some(phone.as_str()), "{email}");
    }
}

#[tokio::test]
async fn a_consultant_takes_an_unassigned_lead_but_cannot_give_it_away_and_students_are_refused() {
    let server = seeded().await;
    let mut rui = second_consultant(&server).await;
    let mut tx = books(&server, "famath").await;
    let created = leads::create(&mut tx, None, &new_lead("(83) 98888-0003")).await.unwrap();
    let marina = user(&mut tx, "consultora@famath.example").await;
    tx.commit().await.unwrap();
    let id = created.id().to_string();
    let rui_id: Uuid = {
        let mut tx = books(&server, "famath").await;
        user(&mut tx, "rui@famath.example").await.user_id
    };
    let (status, body) = rui.call("crm/leads/assign", &[("id", &id), ("owner_id", &marina.user_id.to_string())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, view) = rui.call("crm/leads/assign", &[("id", &id), ("owner_id", &rui_id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["details"]["phone"].as_str(), Some("+5583988880003"));
    let (status, view) = rui.call("crm/leads/note", &[("id", &id), ("body", "Ligar amanhã às 10h")]).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["details"]["notes"][0]["body"].as_str(), Some("Ligar amanhã às 10h"));
    assert_eq!(view["details"]["timeline"][0]["kind"].as_str(), Some("note"));

    let mut student = signed_in(&server, "famath", "joao@famath.example").await;
    for (endpoint, form) in [("crm/board", vec![]), ("crm/leads/get", vec![("id", id.as_str())])] {
        assert_eq!(student.call(endpoint, &form).await.0, StatusCode::FORBIDDEN, "{endpoint}");
    }
}

#[tokio::test]
async fn another_tenants_lead_is_not_found_and_its_board_not_shown() {
    let server = seeded().await;
    let mut tx = books(&server, "credvale").await;
    let (id, pipeline): (Uuid, Uuid) =
        sqlx::query_as("select id, pipeline_id from crm_leads limit 1").fetch_one(tx.conn()).await.unwrap();
    tx.commit().await.unwrap();
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (status, _) = staff.call("crm/leads/get", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = staff.call("crm/board", &[("filter[pipeline]", &pipeline.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_drawer_validates_its_fields_and_an_edit_on_a_stale_version_is_refused() {
    let server = seeded().await;
    let mut tx = books(&server, "famath").await;
    let created = leads::create(&mut tx, None, &new_lead("(83) 98888-0004")).await.unwrap();
    tx.commit().await.unwrap();
    let id = created.id().to_string();
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let edit = |version: &'static str, phone: &'static str, value: &'static str| {
        vec![
            ("id", id.clone()),
            ("version", version.to_string()),
            ("form[name]", "Maria Souza".to_string()),
            ("form[phone]", phone.to_string()),
            ("form[value]", value.to_string()),
        ]
    };
    let call = |form: Vec<(&'static str, String)>| form;
    for (form, field) in [(edit("1", "123", ""), "phone"), (edit("1", "(83) 98888-0004", "-5"), "value")] {
        let form = call(form);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let (status, body) = staff.call("crm/leads/update", &pairs).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["field"].as_str(), Some(field), "{body}");
    }
    let form = edit("1", "(83) 98888-0004", "92.000,00");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(key, value)| (*key, value.as_str())).collect();
    let (status, view) = staff.call("crm/leads/update", &pairs).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["card"]["value_cents"].as_i64(), Some(9_200_000));
    let (status, body) = staff.call("crm/leads/update", &pairs).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

fn public_form<'a>(phone: &'a str, consent: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("tenant", "credvale"),
        ("form[name]", "Joana Prado"),
        ("form[phone]", phone),
        ("form[product]", "vehicle"),
        ("form[value]", "85.000,00"),
        ("form[consent]", consent),
    ]
}

#[tokio::test]
async fn the_public_form_creates_a_lead_attaches_a_known_phone_asks_for_consent_and_is_rate_limited() {
    let server = seeded().await;
    let mut visitor = Browser::new(&server);
    let (status, body) = visitor.call("crm/public/lead", &public_form("(83) 98765-4321", "false")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"].as_str(), Some("consent"));

    let (status, body) = visitor.call("crm/public/lead", &public_form("(83) 98765-4321", "true")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = visitor.call("crm/public/lead", &public_form("+55 83 98765-4321", "true")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut tx = books(&server, "credvale").await;
    let (count, source, owner, announced): (i64, String, Option<Uuid>, i64) = sqlx::query_as(
        "select count(*), max(l.source), max(l.owner_id::text)::uuid,
                (select max(seq) from live_topics t where t.topic = 'board:' || max(l.pipeline_id::text))
           from crm_leads l where l.phone = '+5583987654321'",
    )
    .fetch_one(tx.conn())
    .await
    .unwrap();
    assert_eq!((count, source.as_str(), owner), (1, "web_form", None));
    assert_eq!(announced, 2, "created, then attached, each announced on the board");
    tx.commit().await.unwrap();

    // Ten a hour from one address; the eleventh is refused and writes nothing.
    for index in 2..10 {
        let phone = format!("(83) 98765-43{index:02}");
        let (status, body) = visitor.call("crm/public/lead", &public_form(&phone, "true")).await;
        assert_eq!(status, StatusCode::OK, "{index}: {body}");
    }
    let (status, body) = visitor.call("crm/public/lead", &public_form("(83) 98765-4399", "true")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let mut tx = books(&server, "credvale").await;
    let refused: i64 = sqlx::query_scalar("select count(*) from crm_leads where phone = '+5583987654399'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    assert_eq!(refused, 0);
}

async fn count(server: &TestServer, sql: &str, bind: Option<Uuid>) -> i64 {
    let mut tx = books(server, "famath").await;
    sqlx::query_scalar(sql).bind(bind).fetch_one(tx.conn()).await.unwrap()
}

#[tokio::test]
async fn staff_export_the_filtered_board_as_csv_audited_and_consultants_are_refused() {
    use crate::enrollment_documents::fetch;
    let server = seeded().await;
    let mut tx = books(&server, "famath").await;
    let marina = user(&mut tx, "consultora@famath.example").await;
    let vehicle: Uuid = sqlx::query_scalar("select id from crm_pipelines where product = 'vehicle'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    // One of Marina's vehicle leads with values that test the CSV's quoting and decimal comma.
    sqlx::query(
        "update crm_leads set name = 'Souza; Zélia', value_cents = 12345678, down_payment_cents = 5,
                monthly_income_cents = null, cpf = '52998224725', email = 'zelia@example.com'
          where id = (select l.id from crm_leads l join crm_stages s on s.id = l.stage_id
                       where l.pipeline_id = $1 and l.owner_id = $2 and not s.archived order by l.id limit 1)",
    )
    .bind(vehicle)
    .bind(marina.user_id)
    .execute(tx.conn())
    .await
    .unwrap();
    tx.commit().await.unwrap();
    const EXPORTED: &str = "select count(*) from audit_log where action = 'crm.leads.exported' and $1::uuid is null";

    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let response = fetch(&staff, "/famath/crm/leads.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let csv = response.text().await.unwrap();
    assert!(
        csv.starts_with(
            "\u{FEFF}Nome;Telefone;E-mail;CPF;Funil;Etapa;Responsável;Valor;Entrada;Renda mensal;Origem;Score;Criado em\r\n"
        ),
        "{csv}"
    );
    let first_pipeline = count(
        &server,
        "select count(*) from crm_leads l join crm_stages s on s.id = l.stage_id join crm_pipelines p
           on p.id = l.pipeline_id where p.product = 'real_estate' and not s.archived and $1::uuid is null",
        None,
    )
    .await;
    assert_eq!(
        csv.trim_end().split("\r\n").count() as i64,
        first_pipeline + 1,
        "the board's first pipeline, every lead"
    );

    // The board's filters: pipeline, consultant and text.
    let path = format!("/famath/crm/leads.csv?funil={vehicle}&consultor={}&busca=z", marina.user_id);
    let filtered = fetch(&staff, &path).await.text().await.unwrap();
    let expected = count(
        &server,
        "select count(*) from crm_leads l join crm_stages s on s.id = l.stage_id join crm_pipelines p
           on p.id = l.pipeline_id where p.product = 'vehicle' and not s.archived and l.owner_id = $1
            and position('z' in lower(l.name)) > 0",
        Some(marina.user_id),
    )
    .await;
    let lines: Vec<&str> = filtered.trim_end().split("\r\n").skip(1).collect();
    assert_eq!(lines.len() as i64, expected, "{filtered}");
    let zelia = lines.iter().find(|line| line.starts_with("\"Souza; Zélia\";")).expect("Zélia's row, quoted");
    let fields: Vec<&str> = zelia["\"Souza; Zélia\";".len()..].split(';').collect();
    assert_eq!(
        (fields[1], fields[2], fields[5], fields[6], fields[7], fields[8]),
        ("zelia@example.com", "52998224725", "Marina Costa", "123456,78", "0,05", ""),
        "{zelia}"
    );
    assert!(fields[0].starts_with("'+55"), "a phone is never read as a formula: {zelia}");

    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    assert_eq!(fetch(&owner, "/famath/crm/leads.csv").await.status(), StatusCode::OK);
    assert_eq!(count(&server, EXPORTED, None).await, 3, "each export is audited");
    let (actor, details): (String, serde_json::Value) = {
        let mut tx = books(&server, "famath").await;
        sqlx::query_as(
            "select u.name, a.details from audit_log a join users u on u.id = a.actor_id
              where a.action = 'crm.leads.exported' and a.details -> 'filters' ? 'busca'",
        )
        .fetch_one(tx.conn())
        .await
        .unwrap()
    };
    assert_eq!(actor, "Carlos Lima");
    assert_eq!(details["filters"]["busca"], "z");
    assert_eq!(details["filters"]["consultor"], marina.user_id.to_string());
    assert_eq!(details["rows"], expected);

    for (tenant, email, expected) in [
        ("famath", "consultora@famath.example", StatusCode::FORBIDDEN),
        ("famath", "joao@famath.example", StatusCode::FORBIDDEN),
        ("credvale", "dono@credvale.example", StatusCode::NOT_FOUND),
    ] {
        let browser = signed_in(&server, tenant, email).await;
        let response = fetch(&browser, "/famath/crm/leads.csv").await;
        assert_eq!(response.status(), expected, "{email}");
        assert!(!response.text().await.unwrap().contains("Zélia"), "{email}");
    }
    assert_eq!(count(&server, EXPORTED, None).await, 3, "refusals export nothing");
}
