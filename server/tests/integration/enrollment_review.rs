//! Staff review applications: a list that filters, searches, counts and pages thousands of applications, an
//! application page (opening a submitted one takes it into review), document decisions with reason codes, and
//! the application's decision through the one state machine, every step audited.

use app::platform::tenancy::TenantTx;
use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};
use uuid::Uuid;

use crate::enrollment_documents::signed_in;

async fn famath(server: &TestServer) -> Uuid {
    sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&server.pool).await.unwrap()
}

async fn scalar(server: &TestServer, sql: &str) -> i64 {
    let mut tx = TenantTx::begin(&server.pool, famath(server).await).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(tx.conn()).await.unwrap()
}

#[tokio::test]
async fn staff_take_an_application_into_review_decide_its_documents_and_request_changes() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let caio: Uuid = {
        let mut tx = TenantTx::begin(&server.pool, famath(&server).await).await.unwrap();
        sqlx::query_scalar(
            "select a.id from applications a join users u on u.id = a.student_id where u.name = 'Caio Nogueira'",
        )
        .fetch_one(tx.conn())
        .await
        .unwrap()
    };
    let id = caio.to_string();
    let (status, review) = staff.call("enrollment/applications/review", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert_eq!(review["status"], "under_review", "opening a submitted application takes it into review");
    let last = review["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["to"].as_str(), last["actor"].as_str()), (Some("under_review"), Some("Carlos Lima")));
    let documents: Vec<String> = review["documents"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["document_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(documents.len(), 4, "Administração asks for four documents, all sent: {review}");

    let decide = |document: &str, approve: &str, reason: &str, text: &str| {
        [("application_id", id.clone()), ("document_id", document.to_string()), ("approve", approve.to_string())]
            .into_iter()
            .chain((!reason.is_empty()).then(|| ("reason", reason.to_string())))
            .chain([("text", text.to_string())])
            .collect::<Vec<_>>()
    };
    let borrowed = |form: &[(&'static str, String)]| -> Vec<(&'static str, String)> { form.to_vec() };
    for (form, expected) in [
        (decide(&documents[0], "false", "illegible", "A foto está tremida."), StatusCode::OK),
        (decide(&documents[1], "true", "", ""), StatusCode::OK),
        (decide(&documents[2], "false", "other", "  "), StatusCode::UNPROCESSABLE_ENTITY),
        (decide(&documents[2], "false", "", ""), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let form = borrowed(&form);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let (status, body) = staff.call("enrollment/documents/review", &pairs).await;
        assert_eq!(status, expected, "{pairs:?}: {body}");
    }
    let (_, review) = staff.call("enrollment/applications/review", &[("id", id.as_str())]).await;
    let item = &review["documents"]["items"][0];
    assert_eq!((item["status"].as_str(), item["reason"].as_str()), (Some("rejected"), Some("illegible")));
    assert_eq!(item["reason_text"], "A foto está tremida.");
    assert_eq!(review["documents"]["items"][1]["status"], "approved");
    assert_eq!(scalar(&server, "select count(*) from audit_log where action like 'enrollment.document.%ed'").await, 2);

    // The decision goes through the state machine: a reason is required to request changes.
    let (status, _) = staff
        .call("enrollment/applications/decide", &[("id", id.as_str()), ("to", "changes_requested"), ("reason", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let reason = "Envie o RG de novo, legível.";
    let (status, body) = staff
        .call("enrollment/applications/decide", &[("id", id.as_str()), ("to", "changes_requested"), ("reason", reason)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) =
        staff.call("enrollment/applications/decide", &[("id", id.as_str()), ("to", "enrolled"), ("reason", "")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "staff decide approve, changes or reject only");

    let mut consultant = signed_in(&server, "famath", "consultora@famath.example").await;
    let (status, _) = consultant.call("enrollment/applications/review", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_list_filters_searches_counts_and_pages_three_thousand_applications() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let tenant = famath(&server).await;
    // 3,000 applicants in Direito noturno, moved in bulk (the state machine's trigger still checks each edge):
    // those numbered …0 or …5 (600) stay drafts, the rest are submitted, those numbered …2 (300) under review.
    {
        let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
        let statements = [
            "insert into users (tenant_id, name, email, role)
             select $1, 'Aluno Carga ' || n, 'carga' || n || '@famath.example', 'student' from generate_series(1, 3000) n",
            "insert into student_profiles (tenant_id, user_id, cpf)
             select $1, id, lpad((90000000000 + row_number() over (order by email))::text, 11, '0')
               from users where email like 'carga%'",
            "insert into applications (tenant_id, class_id, student_id)
             select $1, (select c.id from classes c join courses k on k.id = c.course_id
                          where k.name = 'Direito' and c.shift = 'noturno'), id
               from users where email like 'carga%'",
            "update applications set status = 'submitted'
              where student_id in (select id from users where email like 'carga%' and name !~ '(^|[^0-9])[0-9]*[05]$')
                and status = 'draft'",
            "update applications set status = 'under_review'
              where student_id in (select id from users where email like 'carga%' and name ~ '[0-9]*[2]$')
                and status = 'submitted'",
        ];
        for sql in statements {
            sqlx::query(sql).bind(tenant).execute(tx.conn()).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    let direito_noturno = "select count(*) from applications a join classes c on c.id = a.class_id
                            join courses k on k.id = c.course_id where k.name = 'Direito' and c.shift = 'noturno'";
    let in_class = scalar(&server, direito_noturno).await;
    let class: Uuid = {
        let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
        sqlx::query_scalar(
            "select c.id from classes c join courses k on k.id = c.course_id where k.name = 'Direito' and c.shift = 'noturno'",
        )
        .fetch_one(tx.conn())
        .await
        .unwrap()
    };
    let class = class.to_string();
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;

    let started = std::time::Instant::now();
    let (status, list) = staff.call("enrollment/applications/list", &[("query[class]", class.as_str())]).await;
    let first_page = started.elapsed();
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], in_class);
    assert_eq!(list["rows"].as_array().unwrap().len(), 50);
    assert_eq!(list["pages"], (in_class + 49) / 50);
    let count_of = |list: &serde_json::Value, status: &str| {
        list["counts"].as_array().unwrap().iter().find(|c| c["status"] == status).unwrap()["count"].as_i64().unwrap()
    };
    let drafts = scalar(&server, &format!("{direito_noturno} and a.status = 'draft'")).await;
    let reviewing = scalar(&server, &format!("{direito_noturno} and a.status = 'under_review'")).await;
    assert_eq!(count_of(&list, "draft"), drafts);
    assert_eq!(count_of(&list, "under_review"), reviewing);
    assert!((600..=610).contains(&drafts) && (300..=310).contains(&reviewing), "{drafts} {reviewing}");

    // A status filter: its own total and pages; the last page holds the remainder; pages never overlap.
    let query = [("query[class]", class.as_str()), ("query[status]", "under_review"), ("query[page]", "7")];
    let (_, last) = staff.call("enrollment/applications/list", &query).await;
    assert_eq!(last["total"], reviewing);
    assert_eq!(last["page"], (reviewing + 49) / 50);
    assert_eq!(last["rows"].as_array().unwrap().len() as i64, reviewing - 50 * ((reviewing - 1) / 50));
    let query = [("query[class]", class.as_str()), ("query[status]", "under_review"), ("query[page]", "1")];
    let (_, first) = staff.call("enrollment/applications/list", &query).await;
    let ids = |list: &serde_json::Value| -> Vec<String> {
        list["rows"].as_array().unwrap().iter().map(|row| row["id"].as_str().unwrap().to_string()).collect()
    };
    assert!(ids(&first).iter().all(|id| !ids(&last).contains(id)));
    assert!(first["rows"].as_array().unwrap().iter().all(|row| row["status"] == "under_review"));

    // Search: a name's part, an e-mail, a CPF's start.
    let (_, found) = staff.call("enrollment/applications/list", &[("query[search]", "Aluno Carga 2999")]).await;
    assert_eq!(found["total"], 1, "{found}");
    let (_, found) = staff.call("enrollment/applications/list", &[("query[search]", "CARGA17@famath")]).await;
    assert_eq!(found["rows"][0]["email"], "carga17@famath.example");
    let (_, found) = staff.call("enrollment/applications/list", &[("query[search]", "900.000.000-1")]).await;
    assert_eq!(found["total"], 10, "CPFs 90000000010 to 90000000019: {found}");
    // A generous bound, not a benchmark: a sequential scan per keystroke would still pass, a runaway plan would not.
    assert!(first_page < std::time::Duration::from_secs(5), "first page of 3,000+ applications took {first_page:?}");
}

/// The pages over the API above: the list's counts, filters from the address and masked CPFs rendered on the
/// server; the application page with its documents in the viewer and the decisions the state machine allows;
/// a consultant refused.
#[tokio::test]
async fn staff_pages_list_with_counts_and_masked_cpfs_and_open_an_application_with_its_viewer() {
    use crate::enrollment_documents::fetch;

    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (joao, cpf): (Uuid, String) = {
        let mut tx = TenantTx::begin(&server.pool, famath(&server).await).await.unwrap();
        sqlx::query_as(
            "select a.id, p.cpf from applications a join users u on u.id = a.student_id
               join student_profiles p on p.user_id = u.id where u.name = 'João Pedro Alves'",
        )
        .fetch_one(tx.conn())
        .await
        .unwrap()
    };
    let submitted = scalar(&server, "select count(*) from applications where status = 'submitted'").await;
    assert!(submitted > 0);

    let response = fetch(&staff, "/famath/matriculas/inscricoes?situacao=submitted").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let at = html.find("status-chip-submitted").expect("a chip per status with applications");
    let tag = &html[html[..at].rfind("<a").unwrap()..at];
    assert!(tag.contains("aria-current=\"page\""), "the status in the address is the chosen chip: {tag}");
    let chip = &html[at..];
    let count = &chip[chip.find("status-count").expect("the chip's count")..];
    let count: String = count[count.find('>').unwrap() + 1..]
        .trim_start_matches("<!>")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(count, submitted.to_string(), "the chip counts the submitted applications: {:.300}", chip);
    let table = &html[html.find("applications-table").expect("the table")..];
    assert!(table.contains("João Pedro Alves") && table.contains(&format!("/famath/matriculas/inscricoes/{joao}")));
    assert!(!table.contains("Fernanda Lopes"), "an approved application is filtered out by the address");
    assert!(table.contains(&format!("***.{}.{}-**", &cpf[3..6], &cpf[6..9])), "CPF shown masked");
    assert!(!html.contains(&cpf) && !html.contains(&format!("{}.{}", &cpf[..3], &cpf[3..6])), "never the whole CPF");

    let response = fetch(&staff, &format!("/famath/matriculas/inscricoes/{joao}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!("/famath/portal/inscricao/{joao}/documentos/")), "the viewer shows a document");
    assert!(html.contains("document-frame") || html.contains("document-image"));
    for decision in ["decide-approve", "decide-changes", "decide-reject", "document-reject"] {
        assert!(html.contains(decision), "{decision}: opened, the application is under review");
    }
    assert_eq!(
        scalar(&server, &format!("select count(*) from applications where id = '{joao}' and status = 'under_review'"))
            .await,
        1
    );

    let consultant = signed_in(&server, "famath", "consultora@famath.example").await;
    for path in ["/famath/matriculas/inscricoes".to_string(), format!("/famath/matriculas/inscricoes/{joao}")] {
        let response = fetch(&consultant, &path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(!response.text().await.unwrap().contains("João Pedro Alves"), "{path}");
    }
}

/// The CSV export: the page's filters, every matching row, `;`-separated UTF-8 with a BOM, dates dd/mm/aaaa,
/// audited; a consultant and a student refused, another tenant's person not even told it exists.
#[tokio::test]
async fn staff_export_the_filtered_list_as_csv_audited_and_nobody_else_can() {
    use crate::enrollment_documents::fetch;

    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let cpf: String = {
        let mut tx = TenantTx::begin(&server.pool, famath(&server).await).await.unwrap();
        sqlx::query_scalar(
            "select p.cpf from student_profiles p join users u on u.id = p.user_id where u.name = 'João Pedro Alves'",
        )
        .fetch_one(tx.conn())
        .await
        .unwrap()
    };

    let response = fetch(&staff, "/famath/matriculas/inscricoes.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("\u{FEFF}Estudante;E-mail;CPF;Curso;Período;Turno;Situação;Enviada em;Última mudança\r\n"));
    let lines: Vec<&str> = csv.trim_end().split("\r\n").skip(1).collect();
    assert_eq!(lines.len() as i64, scalar(&server, "select count(*) from applications").await, "every row, not a page");
    let joao_line = lines.iter().find(|line| line.starts_with("João Pedro Alves;")).expect("João's row");
    let fields: Vec<&str> = joao_line.split(';').collect();
    assert_eq!((fields[2], fields[6]), (cpf.as_str(), "Enviada"), "{joao_line}");
    let is_date = |text: &str| {
        text.len() == 10
            && text.chars().enumerate().all(|(i, c)| if i == 2 || i == 5 { c == '/' } else { c.is_ascii_digit() })
    };
    assert!(is_date(fields[7]) && is_date(fields[8]), "dd/mm/aaaa: {joao_line}");

    let filtered = fetch(&staff, "/famath/matriculas/inscricoes.csv?situacao=submitted").await.text().await.unwrap();
    let submitted = scalar(&server, "select count(*) from applications where status = 'submitted'").await;
    assert_eq!(filtered.trim_end().split("\r\n").count() as i64, submitted + 1, "the status filter applies");
    assert_eq!(
        scalar(&server, "select count(*) from audit_log where action = 'enrollment.applications.exported'").await,
        2,
        "each export is audited"
    );
    let (actor, details): (String, serde_json::Value) = {
        let mut tx = TenantTx::begin(&server.pool, famath(&server).await).await.unwrap();
        sqlx::query_as(
            "select u.name, a.details from audit_log a join users u on u.id = a.actor_id
              where a.action = 'enrollment.applications.exported' order by a.at desc limit 1",
        )
        .fetch_one(tx.conn())
        .await
        .unwrap()
    };
    assert_eq!(
        (actor.as_str(), &details["filters"]["situacao"], &details["rows"]),
        ("Carlos Lima", &serde_json::json!("submitted"), &serde_json::json!(submitted))
    );

    for (tenant, email, expected) in [
        ("famath", "consultora@famath.example", StatusCode::FORBIDDEN),
        ("famath", "joao@famath.example", StatusCode::FORBIDDEN),
        ("credvale", "dono@credvale.example", StatusCode::NOT_FOUND),
    ] {
        let browser = signed_in(&server, tenant, email).await;
        let response = fetch(&browser, "/famath/matriculas/inscricoes.csv").await;
        assert_eq!(response.status(), expected, "{email}");
        assert!(!response.text().await.unwrap().contains("João Pedro"), "{email}");
    }
    let owner = signed_in(&server, "credvale", "dono@credvale.example").await;
    let response = fetch(&owner, "/credvale/matriculas/inscricoes.csv").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "enrollment is off for credvale");
    assert_eq!(
        scalar(&server, "select count(*) from audit_log where action = 'enrollment.applications.exported'").await,
        2,
        "refusals export nothing"
    );
}
