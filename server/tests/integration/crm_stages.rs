//! CRM stage setup (`/:tenant/crm/etapas`): the owner adds, renames, reorders, archives stages and marks them won
//! or lost; each change is audited and heard on the board's topic; nobody else may touch them.

use reqwest::StatusCode;
use serde_json::Value;
use server::test_support::TestServer;
use uuid::Uuid;

use crate::browser::Browser;
use crate::crm::{books, seeded, signed_in};

const OWNER: &str = "dona@famath.example";

/// The owner's setup of the real-estate pipeline: (pipeline id, stages as the page shows them).
async fn real_estate(owner: &mut Browser) -> (String, Vec<Value>) {
    let (status, setup) = owner.call("crm/setup", &[]).await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let pipeline = setup["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["pipeline"]["product"] == "real_estate")
        .unwrap()
        .clone();
    (pipeline["pipeline"]["id"].as_str().unwrap().to_string(), pipeline["stages"].as_array().unwrap().clone())
}

fn names(stages: &[Value]) -> Vec<&str> {
    stages.iter().map(|stage| stage["name"].as_str().unwrap()).collect()
}

fn id_of<'a>(stages: &'a [Value], name: &str) -> &'a str {
    stages.iter().find(|stage| stage["name"] == name).unwrap()["id"].as_str().unwrap()
}

/// The board topic's sequence number: it goes up once per event its watchers hear.
async fn board_seq(server: &TestServer, pipeline: &str) -> i64 {
    let mut tx = books(server, "famath").await;
    sqlx::query_scalar("select coalesce((select seq from live_topics where topic = 'board:' || $1), 0)")
        .bind(pipeline)
        .fetch_one(tx.conn())
        .await
        .unwrap()
}

async fn audited(server: &TestServer, action: &str) -> i64 {
    let mut tx = books(server, "famath").await;
    sqlx::query_scalar("select count(*) from audit_log where action = $1")
        .bind(action)
        .fetch_one(tx.conn())
        .await
        .unwrap()
}

fn stage_form<'a>(id: &'a str, name: &'a str, outcome: &'a str, stale: &'a str) -> [(&'static str, &'a str); 4] {
    [("id", id), ("form[name]", name), ("form[outcome]", outcome), ("form[stale_after_days]", stale)]
}

#[tokio::test]
async fn the_owner_adds_a_stage_before_the_won_and_lost_ones_audited_and_heard_on_the_board() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", OWNER).await;
    let (pipeline, before) = real_estate(&mut owner).await;
    let seq = board_seq(&server, &pipeline).await;

    let (status, added) =
        owner.call("crm/stages/add", &[("pipeline", &pipeline), ("name", "  Visita agendada ")]).await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let (_, after) = real_estate(&mut owner).await;
    let mut expected = names(&before);
    expected.insert(expected.len() - 2, "Visita agendada");
    assert_eq!(names(&after), expected);
    assert_eq!(board_seq(&server, &pipeline).await, seq + 1, "the board's watchers hear of it");
    assert_eq!(audited(&server, "crm.stage_added").await, 1);

    let (status, board) = owner.call("crm/board", &[("filter[pipeline]", &pipeline)]).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    assert!(board["stages"].as_array().unwrap().iter().any(|stage| stage["name"] == "Visita agendada"), "{board}");

    let (status, refused) = owner.call("crm/stages/add", &[("pipeline", &pipeline), ("name", "   ")]).await;
    assert_eq!((status, refused["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")), "{refused}");
}

#[tokio::test]
async fn the_owner_renames_sets_the_stale_days_and_reorders_a_stage() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", OWNER).await;
    let (pipeline, before) = real_estate(&mut owner).await;
    let second = id_of(&before, "Em qualificação").to_string();
    let seq = board_seq(&server, &pipeline).await;

    let (status, saved) = owner.call("crm/stages/save", &stage_form(&second, "Qualificação", "", "10")).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, moved) = owner.call("crm/stages/shift", &[("id", &second), ("shift", "left")]).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    // At the left end already: nothing moves, nothing is refused.
    let (status, _) = owner.call("crm/stages/shift", &[("id", &second), ("shift", "left")]).await;
    assert_eq!(status, StatusCode::OK);

    let (_, after) = real_estate(&mut owner).await;
    assert_eq!(&names(&after)[..2], ["Qualificação", "Novos"]);
    assert_eq!(after[0]["stale_after_days"], 10);
    assert_eq!(board_seq(&server, &pipeline).await, seq + 2, "a save and a move, each heard");
    assert_eq!(audited(&server, "crm.stage_moved").await, 1);
    assert_eq!(audited(&server, "crm.stage_saved").await, 1);

    let (status, refused) = owner.call("crm/stages/save", &stage_form(&second, "Qualificação", "", "400")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["field"], "stale_after_days");
    let (status, refused) = owner.call("crm/stages/save", &stage_form(&second, "Qualificação", "maybe", "")).await;
    assert_eq!((status, refused["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("outcome")), "{refused}");
}

#[tokio::test]
async fn a_stage_with_open_leads_is_not_archived_and_the_owner_is_told_how_many() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", OWNER).await;
    let (pipeline, stages) = real_estate(&mut owner).await;
    let busy = stages.iter().find(|stage| stage["open_leads"].as_i64().unwrap() > 0).unwrap();
    let count = busy["open_leads"].as_i64().unwrap();

    let (status, refused) = owner.call("crm/stages/archive", &[("id", busy["id"].as_str().unwrap())]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains(&format!("{count} lead(s) em aberto")), "{refused}");

    // An empty stage goes: off the board and out of the setup; a move into it is refused from then on.
    let (_, added) = owner.call("crm/stages/add", &[("pipeline", &pipeline), ("name", "Temporária")]).await;
    let added = added.as_str().unwrap().to_string();
    let (status, archived) = owner.call("crm/stages/archive", &[("id", &added)]).await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    let (_, after) = real_estate(&mut owner).await;
    assert_eq!(names(&after), names(&stages));
    let (_, board) = owner.call("crm/board", &[("filter[pipeline]", &pipeline)]).await;
    assert!(!board["stages"].as_array().unwrap().iter().any(|stage| stage["id"] == added.as_str()), "{board}");
    assert_eq!(audited(&server, "crm.stage_archived").await, 1);
    let (status, _) = owner.call("crm/stages/archive", &[("id", &added)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already archived");
}

#[tokio::test]
async fn an_outcome_changes_only_on_an_empty_stage_and_a_pipeline_keeps_one_open_stage() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", OWNER).await;
    let (pipeline, stages) = real_estate(&mut owner).await;
    let busy = stages.iter().find(|stage| stage["outcome"].is_null() && stage["open_leads"].as_i64().unwrap() > 0);
    let busy = busy.unwrap()["id"].as_str().unwrap();
    let (status, refused) = owner.call("crm/stages/save", &stage_form(busy, "Com leads", "won", "")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("antes de mudar o resultado"), "{refused}");

    // An empty new stage may be marked lost, and back.
    let (_, added) = owner.call("crm/stages/add", &[("pipeline", &pipeline), ("name", "Desistência")]).await;
    let added = added.as_str().unwrap().to_string();
    let (status, saved) = owner.call("crm/stages/save", &stage_form(&added, "Desistência", "lost", "")).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, after) = real_estate(&mut owner).await;
    assert_eq!(after.iter().find(|stage| stage["id"] == added.as_str()).unwrap()["outcome"], "lost");

    // Empty every open stage but one (straight in the database), then that last one may be neither archived nor
    // marked won: new leads would have nowhere to land.
    let open: Vec<&str> =
        stages.iter().filter(|stage| stage["outcome"].is_null()).map(|stage| stage["id"].as_str().unwrap()).collect();
    let mut tx = books(&server, "famath").await;
    let last = Uuid::parse_str(open[0]).unwrap();
    let others: Vec<Uuid> = open[1..].iter().map(|id| Uuid::parse_str(id).unwrap()).collect();
    sqlx::query("update crm_leads set stage_id = $1 where stage_id = any($2)")
        .bind(last)
        .bind(&others)
        .execute(tx.conn())
        .await
        .unwrap();
    sqlx::query("update crm_stages set archived = true where id = any($1)")
        .bind(&others)
        .execute(tx.conn())
        .await
        .unwrap();
    sqlx::query("update crm_leads set stage_id = $2 where stage_id = $1")
        .bind(last)
        .bind(Uuid::parse_str(&added).unwrap())
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (status, refused) = owner.call("crm/stages/archive", &[("id", open[0])]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("ao menos uma etapa em aberto"), "{refused}");
    let (status, refused) = owner.call("crm/stages/save", &stage_form(open[0], "Novos", "won", "")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("ao menos uma etapa em aberto"), "{refused}");
}

#[tokio::test]
async fn only_the_owner_sets_up_stages_staff_and_consultants_get_403() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", OWNER).await;
    let (pipeline, stages) = real_estate(&mut owner).await;
    let stage = stages[0]["id"].as_str().unwrap();
    for email in ["secretaria@famath.example", "consultora@famath.example"] {
        let mut other = signed_in(&server, "famath", email).await;
        let calls: [(&str, Vec<(&str, &str)>); 5] = [
            ("crm/setup", vec![]),
            ("crm/stages/add", vec![("pipeline", &pipeline), ("name", "Intrusa")]),
            ("crm/stages/save", stage_form(stage, "Intrusa", "", "").to_vec()),
            ("crm/stages/shift", vec![("id", stage), ("shift", "right")]),
            ("crm/stages/archive", vec![("id", stage)]),
        ];
        for (endpoint, form) in calls {
            let (status, body) = other.call(endpoint, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{email} {endpoint}: {body}");
        }
    }
    let (_, after) = real_estate(&mut owner).await;
    assert_eq!(after, stages, "nothing changed");
}
