//! The CRM's form embedded in the tenant's own site: only `/:tenant/simular/embed` may be framed, only by the
//! site the owner configured; only the embed form's submit accepts that site as Origin.

use reqwest::StatusCode;
use server::test_support::TestServer;

use crate::browser::Browser;
use crate::crm::{books, seeded, signed_in};

const SITE: &str = "https://loja.famath.example";

/// (Content-Security-Policy, X-Frame-Options) of a page.
async fn framing(server: &TestServer, path: &str) -> (String, Option<String>) {
    let response = reqwest::get(format!("{}{path}", server.url)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let header = |name: &str| response.headers().get(name).map(|value| value.to_str().unwrap().to_string());
    (header("content-security-policy").unwrap(), header("x-frame-options"))
}

fn ancestors(csp: &str) -> &str {
    csp.split(';').map(str::trim).find_map(|directive| directive.strip_prefix("frame-ancestors ")).unwrap()
}

fn lead(phone: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("tenant", "famath"),
        ("form[name]", "Joana Prado"),
        ("form[phone]", phone),
        ("form[product]", "vehicle"),
        ("form[consent]", "true"),
    ]
}

async fn configure(server: &TestServer, origin: &str) -> serde_json::Value {
    let mut owner = signed_in(server, "famath", "dona@famath.example").await;
    let (status, saved) = owner.call("crm/embed/save", &[("site_origin", origin)]).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    saved
}

async fn leads_with_phone(server: &TestServer, e164: &str) -> i64 {
    let mut tx = books(server, "famath").await;
    sqlx::query_scalar("select count(*) from crm_leads where phone = $1").bind(e164).fetch_one(tx.conn()).await.unwrap()
}

#[tokio::test]
async fn only_the_embed_route_may_be_framed_and_only_by_the_configured_site() {
    let server = seeded().await;
    // Nothing configured: the embed route is no more framable than any other.
    let (csp, frame_options) = framing(&server, "/famath/simular/embed").await;
    assert_eq!((ancestors(&csp), frame_options.as_deref()), ("'none'", Some("DENY")));

    configure(&server, "https://Loja.Famath.example/").await;
    let (csp, frame_options) = framing(&server, "/famath/simular/embed").await;
    assert_eq!((ancestors(&csp), frame_options), (SITE, None), "{csp}");
    assert!(csp.contains("script-src 'self' 'nonce-"), "the rest of the policy stays: {csp}");
    for path in ["/famath/simular", "/famath/entrar", "/credvale/simular/embed", "/"] {
        let (csp, frame_options) = framing(&server, path).await;
        assert_eq!((ancestors(&csp), frame_options.as_deref()), ("'none'", Some("DENY")), "{path}");
    }
}

#[tokio::test]
async fn the_embed_submit_accepts_the_configured_site_and_no_other_and_the_normal_form_accepts_neither() {
    let server = seeded().await;
    let mut from_site = Browser::new(&server);
    from_site.origin = SITE.to_string();
    let (status, body) = from_site.call("crm/public/embed_lead", &lead("(83) 97777-0001")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no site configured yet: {body}");

    configure(&server, SITE).await;
    let (status, body) = from_site.call("crm/public/embed_lead", &lead("(83) 97777-0001")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(leads_with_phone(&server, "+5583977770001").await, 1);

    let (status, _) = from_site.call("crm/public/lead", &lead("(83) 97777-0002")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the exception is the embed submit's only");
    let mut elsewhere = Browser::new(&server);
    elsewhere.origin = "https://evil.example".to_string();
    let (status, _) = elsewhere.call("crm/public/embed_lead", &lead("(83) 97777-0003")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Another tenant's site is not this tenant's.
    let mut other_tenant = lead("(83) 97777-0004");
    other_tenant[0].1 = "credvale";
    let (status, _) = from_site.call("crm/public/embed_lead", &other_tenant).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for phone in ["+5583977770002", "+5583977770003", "+5583977770004"] {
        assert_eq!(leads_with_phone(&server, phone).await, 0, "{phone}");
    }

    // The iframe itself posts from our own origin.
    let mut in_iframe = Browser::new(&server);
    let (status, body) = in_iframe.call("crm/public/embed_lead", &lead("(83) 97777-0005")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_site_is_an_https_origin_set_by_the_owner_only_who_gets_the_snippet() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", "dona@famath.example").await;
    for bad in ["http://loja.famath.example", "https://loja.famath.example/contato", "loja", "https://*.example"] {
        let (status, body) = owner.call("crm/embed/save", &[("site_origin", bad)]).await;
        assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("site_origin")), "{bad}");
    }
    let saved = configure(&server, SITE).await;
    assert_eq!(saved["site_origin"], SITE);
    let snippet = saved["snippet"].as_str().unwrap();
    assert!(snippet.starts_with("<iframe src=\"") && snippet.contains("/famath/simular/embed\""), "{snippet}");
    for email in ["secretaria@famath.example", "consultora@famath.example"] {
        let mut other = signed_in(&server, "famath", email).await;
        let (status, _) = other.call("crm/embed/save", &[("site_origin", "https://evil.example")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
        let (status, _) = other.call("crm/embed/settings", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
    }
    let mut tx = books(&server, "famath").await;
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'crm.site_origin_saved'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // Emptied: nobody may frame the form again.
    configure(&server, "").await;
    let (csp, _) = framing(&server, "/famath/simular/embed").await;
    assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");
}
