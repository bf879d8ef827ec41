//! The real binary, as `make run` starts it.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use server::test_support::TestDatabase;

struct Running {
    child: Child,
    url: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn temp_home(label: &str) -> PathBuf {
    let home = std::env::temp_dir().join(format!("atrium-{label}-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&home).unwrap();
    home
}

async fn start(home: &Path, extra_env: &[(&str, &str)]) -> Running {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env("ATRIUM_ADDR", format!("127.0.0.1:{port}"))
        .env("ATRIUM_HOME", home)
        .env("DATABASE_URL", "")
        .env("LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (name, value) in extra_env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("server exited early with {status}");
        }
        if let Ok(response) = reqwest::get(format!("{url}/readyz")).await
            && response.status() == 200
        {
            return Running { child, url };
        }
        assert!(Instant::now() < deadline, "server not ready in time");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Ctrl-C, as a person at the terminal would press it.
fn interrupt(mut running: Running) -> std::process::ExitStatus {
    let status = Command::new("kill").args(["-INT", &running.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = running.child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "server did not stop after Ctrl-C");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn postgres_running_in(home: &Path) -> bool {
    // The postmaster writes its pid file while it runs and removes it when it stops.
    home.join("postgres/data/postmaster.pid").exists()
}

async fn tenant_count(url: &str) -> i64 {
    let report: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/api/platform/status"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    report["institutions"].as_i64().unwrap()
}

#[tokio::test]
async fn the_private_cluster_is_created_reused_and_stopped_with_the_server() {
    let home = temp_home("cluster");

    let first = start(&home, &[]).await;
    assert!(postgres_running_in(&home));
    assert_eq!(tenant_count(&first.url).await, 2, "an empty database gets the demo seed");
    let status = interrupt(first);
    assert!(status.success(), "clean exit after Ctrl-C: {status}");
    assert!(!postgres_running_in(&home), "Ctrl-C must not leave PostgreSQL running");

    // Second run: same cluster, same data, no second seed.
    let second = start(&home, &[]).await;
    assert_eq!(tenant_count(&second.url).await, 2);
    assert!(interrupt(second).success());
    assert!(!postgres_running_in(&home));

    std::fs::remove_dir_all(&home).unwrap();
}

#[tokio::test]
async fn with_database_url_it_uses_that_database_and_starts_no_cluster() {
    let home = temp_home("external");
    let database = TestDatabase::create().await;
    let running =
        start(&home, &[("DATABASE_URL", &database.app_url), ("DATABASE_OWNER_URL", &database.owner_url)]).await;
    assert!(!home.join("postgres").exists(), "no private cluster when DATABASE_URL is set");
    assert_eq!(tenant_count(&running.url).await, 2);
    let pool = database.app_pool().await;
    let seeded: i64 = sqlx::query_scalar("select count(*) from tenants").fetch_one(&pool).await.unwrap();
    assert_eq!(seeded, 2, "the configured database is the one used");
    assert!(interrupt(running).success());
    std::fs::remove_dir_all(&home).unwrap();
}

#[tokio::test]
async fn start_up_refuses_a_runtime_role_that_owns_the_schema() {
    let home = temp_home("owner-as-runtime");
    let database = TestDatabase::create().await;
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("ATRIUM_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("ATRIUM_HOME", &home)
        .env("DATABASE_URL", &database.owner_url)
        .env("DATABASE_OWNER_URL", &database.owner_url)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("row-level security"), "{stderr}");
    assert!(!stderr.contains(&database.owner_url), "the URL (with its password) is never printed");
    std::fs::remove_dir_all(&home).unwrap();
}

#[test]
fn a_bad_variable_stops_start_up_and_is_named() {
    let output = Command::new(env!("CARGO_BIN_EXE_server")).env("ATRIUM_ADDR", "not-an-address").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ATRIUM_ADDR"), "{stderr}");
}
