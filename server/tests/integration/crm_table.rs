//! The CRM's leads table (`/:tenant/crm/leads`): server-rendered HTML with no script at all, 100 rows a page,
//! sorting, filters, search and paging from the address, and the board's visibility rules for consultants.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::crm::{books, seeded, signed_in};
use crate::enrollment_documents::fetch;

/// 150 more leads in famath's real-estate pipeline (210 in all with the demo's 60), an hour apart, unassigned,
/// from WhatsApp, so the table has three pages.
async fn more_leads(server: &server::test_support::TestServer) {
    let mut tx = books(server, "famath").await;
    sqlx::query(
        "insert into crm_leads (tenant_id, pipeline_id, stage_id, name, phone, source, value_cents, position, created_at)
         select current_tenant_id(), s.pipeline_id, s.id, 'Tabela Teste ' || lpad(n::text, 3, '0'),
                '+55839' || lpad(n::text, 8, '0'), 'whatsapp', n * 100000, n * 1048576,
                now() - make_interval(hours => n)
           from generate_series(1, 150) n,
                (select s.id, s.pipeline_id from crm_stages s join crm_pipelines p on p.id = s.pipeline_id
                  where p.product = 'real_estate' order by s.position limit 1) s",
    )
    .execute(tx.conn())
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn page(browser: &crate::browser::Browser, path: &str) -> String {
    let response = fetch(browser, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

/// The rows of the page: (lead id, name), in order.
fn rows(html: &str) -> Vec<(Uuid, String)> {
    html.split("data-testid=\"lead-row\"")
        .skip(1)
        .map(|row| {
            let id = &row[row.find("lead=").expect("a link to the lead") + 5..];
            let id: Uuid = id[..36].parse().expect("an id");
            let name = &row[row.find("\">").expect("the link's text") + 2..];
            (id, name[..name.find("</a>").expect("the name")].to_string())
        })
        .collect()
}

/// No wasm, no module script, no viewer JSON and no resource data: the only scripts are the plain pages' small
/// inline script (`app/src/shell/enhance.js`) and the two empty bootstrap lines leptos_axum always appends
/// (`__RESOLVED_RESOURCES=[];…` — empty because nothing is serialized for a page that will never hydrate — and
/// `__INCOMPLETE_CHUNKS=[];`).
fn assert_plain(html: &str) {
    assert!(html.contains("data-hydrated=\"none\""));
    assert!(!html.contains("modulepreload") && !html.contains("<script type=\"module\""), "no wasm");
    assert!(!html.contains("atrium-viewer"), "no viewer JSON");
    let scripts: Vec<&str> = html
        .match_indices("<script")
        .map(|(at, _)| &html[at..at + html[at..].find("</script>").expect("a closed script")])
        .collect();
    assert!(scripts.len() <= 3, "{scripts:?}");
    let enhance = include_str!("../../../app/src/shell/enhance.js");
    for script in &scripts {
        let body = &script[script.find('>').expect("a tag") + 1..];
        assert!(
            body.starts_with("__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];")
                || body == "__INCOMPLETE_CHUNKS=[];"
                || (body.starts_with("(() => {") && body.lines().all(|line| enhance.contains(line))),
            "only the page's small script and Leptos' empty bootstrap: {script}"
        );
    }
}

/// "Página 1 de 3 · 210 leads".
fn summary(html: &str) -> String {
    let at = html.find("data-testid=\"leads-summary\"").expect("the pager's summary");
    let text = &html[at..];
    text[text.find('>').unwrap() + 1..text.find("</p>").unwrap()].replace("<!>", "")
}

async fn scalar(server: &server::test_support::TestServer, sql: &str) -> i64 {
    let mut tx = books(server, "famath").await;
    sqlx::query_scalar(sql).fetch_one(tx.conn()).await.unwrap()
}

async fn names(server: &server::test_support::TestServer, sql: &str) -> Vec<String> {
    let mut tx = books(server, "famath").await;
    sqlx::query_scalar(sql).fetch_all(tx.conn()).await.unwrap()
}

#[tokio::test]
async fn the_leads_table_is_plain_html_and_sorts_filters_searches_and_pages_from_the_address() {
    let server = seeded().await;
    more_leads(&server).await;
    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let total = scalar(&server, "select count(*) from crm_leads").await;
    assert_eq!(total, 210);

    let html = page(&staff, "/famath/crm/leads").await;
    assert_plain(&html);
    assert!(html.contains("data-testid=\"leads-board-link\""), "back to the board");
    let first = rows(&html);
    assert_eq!(first.len(), 100);
    assert_eq!(summary(&html), "Página 1 de 3 · 210 leads");
    let newest = names(&server, "select name from crm_leads order by created_at desc, id desc limit 100").await;
    assert_eq!(first.iter().map(|(_, name)| name.clone()).collect::<Vec<_>>(), newest, "newest first by default");

    // Pages: no lead twice, none missed; past the end shows the last page.
    let second = rows(&page(&staff, "/famath/crm/leads?pagina=2").await);
    let third_html = page(&staff, "/famath/crm/leads?pagina=3").await;
    let third = rows(&third_html);
    assert_eq!((second.len(), third.len()), (100, 10));
    let mut ids: Vec<Uuid> = first.iter().chain(&second).chain(&third).map(|(id, _)| *id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 210);
    assert!(third_html.contains("aria-disabled=\"true\" data-testid=\"leads-next\""), "no page after the last");
    assert_eq!(summary(&page(&staff, "/famath/crm/leads?pagina=40").await), "Página 3 de 3 · 210 leads");

    // Sorting by each column, both ways, as the database orders them.
    for (address, sql) in [
        ("ordem=nome", "order by name collate \"und-x-icu\", id"),
        ("ordem=nome&dir=desc", "order by name collate \"und-x-icu\" desc, id desc"),
        ("ordem=valor", "order by value_cents desc nulls last, id desc"),
        ("ordem=valor&dir=asc", "order by value_cents nulls last, id"),
        ("ordem=atividade&dir=asc", "order by last_activity_at, id"),
        ("dir=asc", "order by created_at, id"),
    ] {
        let html = page(&staff, &format!("/famath/crm/leads?{address}")).await;
        let shown: Vec<String> = rows(&html).into_iter().map(|(_, name)| name).collect();
        let expected = names(&server, &format!("select name from crm_leads {sql} limit 100")).await;
        assert_eq!(shown, expected, "{address}");
    }
    let by_stage = page(&staff, "/famath/crm/leads?ordem=etapa").await;
    assert!(by_stage.contains("aria-sort=\"ascending\""), "the sorted column says so");
    assert!(by_stage.contains("href=\"/famath/crm/leads?ordem=etapa&amp;dir=desc\""), "a click turns it around");

    // Filters and search, each with its count.
    let unassigned = scalar(&server, "select count(*) from crm_leads where owner_id is null").await;
    let html = page(&staff, "/famath/crm/leads?consultor=nenhum&pagina=2").await;
    assert_eq!(summary(&html), format!("Página 2 de 2 · {unassigned} leads"));
    assert_eq!(rows(&html).len() as i64, unassigned - 100);
    let whatsapp_vehicle = scalar(
        &server,
        "select count(*) from crm_leads l join crm_pipelines p on p.id = l.pipeline_id
          where l.source = 'whatsapp' and p.product = 'vehicle'",
    )
    .await;
    let vehicle: Uuid = {
        let mut tx = books(&server, "famath").await;
        sqlx::query_scalar("select id from crm_pipelines where product = 'vehicle'").fetch_one(tx.conn()).await.unwrap()
    };
    let html = page(&staff, &format!("/famath/crm/leads?funil={vehicle}&origem=whatsapp")).await;
    assert!(whatsapp_vehicle > 0);
    assert_eq!(rows(&html).len() as i64, whatsapp_vehicle);
    assert!(!html.contains("Tabela Teste"), "the other pipeline's leads are filtered out");
    let (stage, in_stage): (Uuid, i64) = {
        let mut tx = books(&server, "famath").await;
        sqlx::query_as("select stage_id, count(*) from crm_leads group by stage_id order by count(*) desc limit 1")
            .fetch_one(tx.conn())
            .await
            .unwrap()
    };
    let html = page(&staff, &format!("/famath/crm/leads?etapa={stage}")).await;
    assert!(summary(&html).ends_with(&format!("· {in_stage} leads")), "{}", summary(&html));
    let chip = &html[html.find(&format!("stage-chip-{stage}")).expect("the stage's chip")..];
    assert!(chip[..chip.find("</a>").unwrap()].contains(&format!(">{in_stage}<")), "the chip counts the stage");

    let html = page(&staff, "/famath/crm/leads?busca=teste%20042").await;
    assert_eq!(rows(&html).into_iter().map(|(_, name)| name).collect::<Vec<_>>(), ["Tabela Teste 042"]);
    let html = page(&staff, "/famath/crm/leads?busca=839%200000%200077").await;
    assert_eq!(rows(&html).into_iter().map(|(_, name)| name).collect::<Vec<_>>(), ["Tabela Teste 077"], "by phone");
    let html = page(&staff, "/famath/crm/leads?busca=ningu%C3%A9m%20assim").await;
    assert!(rows(&html).is_empty());
    assert!(html.contains("Nenhum lead encontrado"), "the empty state");
}

#[tokio::test]
async fn a_consultant_sees_every_lead_but_the_phone_and_email_of_their_own_only_and_cannot_search_others_by_them() {
    let server = seeded().await;
    let mut tx = books(&server, "famath").await;
    let (own, other): ((String, String), (String, String)) = {
        let pick = |role: &'static str| {
            format!(
                "select l.name, l.phone from crm_leads l join users u on u.id = l.owner_id
                  where u.role = '{role}' order by l.created_at desc limit 1"
            )
        };
        (
            sqlx::query_as(&pick("consultant")).fetch_one(tx.conn()).await.unwrap(),
            sqlx::query_as(&pick("staff")).fetch_one(tx.conn()).await.unwrap(),
        )
    };
    sqlx::query("update crm_leads set email = 'segredo@exemplo.com' where phone = $1")
        .bind(&other.1)
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let marina = signed_in(&server, "famath", "consultora@famath.example").await;

    let html = page(&marina, "/famath/crm/leads").await;
    assert_plain(&html);
    assert_eq!(rows(&html).len(), 60, "every lead of the tenant, shared fields");
    assert!(html.contains(&other.0), "another's lead is listed");
    assert!(html.contains(&app::i18n::format_phone(&own.1)), "her own lead's phone");
    let others_phone = app::i18n::format_phone(&other.1);
    assert!(!html.contains(&others_phone[5..]) && !html.contains(&other.1[5..]), "never another's phone");
    assert!(!html.contains("segredo@"), "nor e-mail");
    assert!(html.contains(">restrito</span>"));

    for search in [&other.1[5..], "segredo"] {
        let html = page(&marina, &format!("/famath/crm/leads?busca={search}")).await;
        assert!(rows(&html).is_empty(), "{search}: another's lead is not found by its private fields");
    }
    let html = page(&marina, &format!("/famath/crm/leads?busca={}", &own.1[5..])).await;
    assert_eq!(rows(&html).into_iter().map(|(_, name)| name).collect::<Vec<_>>(), std::slice::from_ref(&own.0));

    // Staff find it by the same fields; a student is refused.
    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let html = page(&staff, "/famath/crm/leads?busca=segredo").await;
    assert_eq!(rows(&html).into_iter().map(|(_, name)| name).collect::<Vec<_>>(), std::slice::from_ref(&other.0));
    assert!(html.contains("segredo@exemplo.com"));
    let student = signed_in(&server, "famath", "joao@famath.example").await;
    let response = fetch(&student, "/famath/crm/leads").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(!response.text().await.unwrap().contains(&other.0));
}
