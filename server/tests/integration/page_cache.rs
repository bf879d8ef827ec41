//! The page cache (`server::http::page_cache`): the leads table's finished HTML is sent again, as it was
//! compressed, only to the same person for the same address and language, and only until a change to the rows it
//! shows commits — from anywhere: here the changes come through a connection of their own, as another server
//! process's would.
//!
//! A kept page is recognised by its CSP nonce: every render draws a fresh one, so a page that comes back with the
//! nonce of the previous view was not rendered again (and its header names the nonce its scripts carry).

use std::io::Read;

use crate::browser::Browser;
use crate::crm::{books, seeded, signed_in};
use crate::enrollment_documents::fetch;

const PAGE: &str = "/famath/crm/leads";

struct View {
    nonce: String,
    html: String,
}

/// The page as a browser asks for it (brotli), decoded; checks that the CSP names the nonce the scripts carry.
async fn view(browser: &Browser, path: &str, extra_cookie: &str) -> View {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", browser.base))
        .header("cookie", format!("atrium_session={}{extra_cookie}", browser.session.as_deref().unwrap_or_default()))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["content-encoding"], "br");
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
    let bytes = response.bytes().await.unwrap();
    let mut html = String::new();
    brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut html).unwrap();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_string();
    assert!(html.contains(&format!("<script nonce=\"{nonce}\">")), "the page's scripts carry the CSP's nonce");
    View { nonce, html }
}

async fn execute(server: &server::test_support::TestServer, sql: &str) {
    let mut tx = books(server, "famath").await;
    sqlx::query(sql).execute(tx.conn()).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_kept_leads_table_is_sent_again_until_a_change_to_what_it_shows_commits() {
    let server = seeded().await;
    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;

    let first = view(&staff, PAGE, "").await;
    let again = view(&staff, PAGE, "").await;
    assert_eq!(again.nonce, first.nonce, "the second view is the kept page");
    assert_eq!(again.html, first.html);

    // A lead renamed: the next view renders afresh and shows it.
    let lead: String = {
        let mut tx = books(&server, "famath").await;
        sqlx::query_scalar("select name from crm_leads order by created_at desc, id desc limit 1")
            .fetch_one(tx.conn())
            .await
            .unwrap()
    };
    assert!(first.html.contains(&lead));
    execute(
        &server,
        "update crm_leads set name = 'Renomeada Agora' where id = (select id from crm_leads order by created_at desc, id desc limit 1)",
    )
    .await;
    let renamed = view(&staff, PAGE, "").await;
    assert_ne!(renamed.nonce, first.nonce, "rendered again");
    assert!(renamed.html.contains("Renomeada Agora") && !renamed.html.contains(&format!(">{lead}</a>")));
    assert_eq!(view(&staff, PAGE, "").await.nonce, renamed.nonce, "and kept again");

    // A change rolled back moves nothing: the kept page stays.
    {
        let mut tx = books(&server, "famath").await;
        sqlx::query("update crm_leads set name = 'Nunca Vista'").execute(tx.conn()).await.unwrap();
        drop(tx); // rolled back
    }
    let after_rollback = view(&staff, PAGE, "").await;
    assert_eq!(after_rollback.nonce, renamed.nonce);
    assert!(!after_rollback.html.contains("Nunca Vista"));

    // A person's new name (the owner column, the filters' options), a stage renamed: both show at once.
    execute(&server, "update users set name = 'Marina Nova' where email = 'consultora@famath.example'").await;
    let people = view(&staff, PAGE, "").await;
    assert!(people.html.contains("Marina Nova"));
    execute(&server, "update crm_stages set name = 'Recém-chegados' where name = 'Novos'").await;
    assert!(view(&staff, PAGE, "").await.html.contains("Recém-chegados"));

    // Another address, another language: kept apart.
    let second_page = view(&staff, &format!("{PAGE}?ordem=nome"), "").await;
    assert_ne!(second_page.nonce, people.nonce);
    let english = view(&staff, PAGE, "; atrium_lang=en").await;
    assert!(english.html.contains("Leads table") && !english.html.contains("Tabela de leads"));
    assert!(view(&staff, PAGE, "").await.html.contains("Tabela de leads"), "pt-BR still for pt-BR");
}

#[tokio::test]
async fn each_person_gets_only_the_page_rendered_for_them() {
    let server = seeded().await;
    // A lead of the staff member's with an e-mail: staff see it, a consultant (not its owner) must not.
    execute(
        &server,
        "update crm_leads set email = 'so-da-equipe@exemplo.com'
          where id = (select l.id from crm_leads l join users u on u.id = l.owner_id where u.role = 'staff' limit 1)",
    )
    .await;
    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let consultant = signed_in(&server, "famath", "consultora@famath.example").await;

    let seen_by_staff = view(&staff, PAGE, "").await;
    assert!(seen_by_staff.html.contains("so-da-equipe@exemplo.com"));
    let seen_by_consultant = view(&consultant, PAGE, "").await;
    assert_ne!(seen_by_consultant.nonce, seen_by_staff.nonce, "rendered for the consultant");
    assert!(!seen_by_consultant.html.contains("so-da-equipe@exemplo.com"));
    assert_eq!(view(&consultant, PAGE, "").await.nonce, seen_by_consultant.nonce, "kept for the consultant");

    // Signed out: the session is gone, and so is the page (the sign-in wall, never the kept table).
    let mut leaving = signed_in(&server, "famath", "secretaria@famath.example").await;
    let kept = view(&leaving, PAGE, "").await;
    let session = leaving.session.clone();
    let (status, _) = leaving.call("auth/sign_out", &[]).await;
    assert!(status.is_success());
    leaving.session = session;
    let response = fetch(&leaving, PAGE).await;
    let html = response.text().await.unwrap();
    assert!(!html.contains(&kept.nonce) && !html.contains("data-testid=\"lead-row\""), "no table after signing out");
}

#[tokio::test]
async fn views_that_miss_together_share_one_render() {
    let server = seeded().await;
    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let before = view(&staff, PAGE, "").await;
    // After a change every open tab's next view misses at once: one renders, the others wait for it.
    execute(&server, "update crm_leads set value_cents = value_cents + 1").await;
    let views = futures_util::future::join_all((0..16).map(|_| view(&staff, PAGE, ""))).await;
    let nonces: std::collections::BTreeSet<&str> = views.iter().map(|view| view.nonce.as_str()).collect();
    assert_eq!(nonces.len(), 1, "one render for all: {nonces:?}");
    assert!(!nonces.contains(before.nonce.as_str()), "and a new one");
}
