//! The development page's test payments: a charge created at the fake Asaas, marked paid from the backoffice, comes
//! back through the real webhook, job and state machine as a paid payment on our side.

use std::time::Duration;

use reqwest::StatusCode;
use server::{
    config::Config,
    database::seed,
    integrations::demo::connect_demo_tenants_to_fakes,
    jobs::{Registry, Worker, WorkerSettings},
    test_support::TestServer,
    webhooks::AsaasEventHandler,
};

use crate::browser::{Browser, DEMO_PASSWORD};

#[tokio::test]
async fn staff_create_a_test_charge_mark_it_paid_and_see_it_paid_on_our_side() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    connect_demo_tenants_to_fakes(&server.pool, &server.url, &server.integrations).await;
    let worker = Worker::new(
        server.pool.clone(),
        Registry::new().register(AsaasEventHandler),
        WorkerSettings { poll_interval: Duration::from_millis(100), ..WorkerSettings::default() },
    )
    .spawn();

    let mut staff = Browser::new(&server);
    staff.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let (status, body) = staff.call("payments/test/create", &[("billing", "PIX")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, listed) = staff.call("payments/test/list", &[]).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let charge = listed["charges"][0].clone();
    assert_eq!((charge["billing"].as_str(), charge["value_cents"].as_i64()), (Some("PIX"), Some(15_000)));
    assert!(charge["our_status"].is_null(), "no event yet: {charge}");

    let charge_id = charge["id"].as_str().unwrap().to_string();
    let (status, body) = staff.call("payments/test/simulate", &[("charge_id", &charge_id), ("outcome", "paid")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut ours = serde_json::Value::Null;
    for _ in 0..100 {
        let (_, listed) = staff.call("payments/test/list", &[]).await;
        ours = listed["charges"][0]["our_status"].clone();
        if ours == "RECEIVED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ours, "RECEIVED");

    // Another tenant's staff see only their own test charges.
    let mut other = Browser::new(&server);
    other.sign_in("credvale", "financeiro@credvale.example", DEMO_PASSWORD).await;
    let (status, listed) = other.call("payments/test/list", &[]).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["charges"].as_array().map(Vec::len), Some(0));
    // Students may not drive payments.
    let mut student = Browser::new(&server);
    student.sign_in("famath", "joao@famath.example", DEMO_PASSWORD).await;
    let (status, _) =
        student.call("payments/test/simulate", &[("charge_id", &charge_id), ("outcome", "refunded")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    worker.shutdown().await;
}

/// A signed-in page as the browser gets it: status and HTML.
async fn page(browser: &Browser, path: &str) -> (StatusCode, String) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", browser.base))
        .header("cookie", format!("atrium_session={}", browser.session.as_deref().unwrap_or_default()))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_test_payments_page_and_its_link_exist_only_while_payments_go_to_the_fake() {
    // With the fake Asaas (development default): the settings page links to the page, which answers.
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut staff = Browser::new(&server);
    staff.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let (status, settings) = page(&staff, "/famath/configuracoes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(settings.contains("settings-test-payments"), "the link is there with the fake");
    let (status, _) = page(&staff, "/famath/configuracoes/pagamentos-teste").await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await.unwrap();

    // With the real Asaas configured: no link, no page, no server functions.
    let config = Config::from_lookup(|name| (name == "ASAAS_BASE_URL").then(|| "http://127.0.0.1:9".into())).unwrap();
    let server = TestServer::start_with(config, |router| router).await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut staff = Browser::new(&server);
    staff.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let (status, settings) = page(&staff, "/famath/configuracoes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(settings.contains("settings-users") || settings.contains("settings-jobs"), "the settings page rendered");
    assert!(!settings.contains("settings-test-payments"), "no link to a page that does not exist");
    assert!(!settings.contains("pagamentos-teste"), "no link to a page that does not exist");
    let (status, _) = page(&staff, "/famath/configuracoes/pagamentos-teste").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for endpoint in ["payments/test/list", "payments/test/create"] {
        let (status, body) = staff.call(endpoint, &[("billing", "PIX")]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {body}");
    }
    server.stop().await.unwrap();
}
