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
    // A port found free can be taken before the server binds it (an outgoing connection may get it as its local
    // port): that one failure is retried on another port; any other early exit fails with the server's output.
    for _ in 0..3 {
        match try_start(home, extra_env).await {
            Ok(running) => return running,
            Err(output) if output.contains("cannot listen on") => continue,
            Err(output) => panic!("server exited early: {output}"),
        }
    }
    panic!("no free port for the server in three tries");
}

async fn try_start(home: &Path, extra_env: &[(&str, &str)]) -> Result<Running, String> {
    let port = free_port();
    let log_path = std::env::temp_dir().join(format!("atrium-server-{}.log", uuid::Uuid::now_v7().simple()));
    let log = std::fs::File::create(&log_path).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env("ATRIUM_ADDR", format!("127.0.0.1:{port}"))
        .env("ATRIUM_HOME", home)
        .env("DATABASE_URL", "")
        .env("LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(log);
    for (name, value) in extra_env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(90);
    let result = loop {
        if let Some(status) = child.try_wait().unwrap() {
            let output = std::fs::read_to_string(&log_path).unwrap_or_default();
            break Err(format!("{status}\n{output}"));
        }
        if let Ok(response) = reqwest::get(format!("{url}/readyz")).await
            && response.status() == 200
        {
            break Ok(Running { child, url });
        }
        assert!(Instant::now() < deadline, "server not ready in time");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let _ = std::fs::remove_file(&log_path);
    result
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

/// Institutions in the private cluster under `home`, counted as its superuser (the status endpoint that used to
/// tell is gone: it was public).
async fn tenant_count(home: &Path) -> i64 {
    let cluster = server::database::EmbeddedPostgres::open(home, server::database::Durability::Durable).unwrap();
    let pool = server::database::runtime_pool(&cluster.superuser_url("atrium"), 1).await.unwrap();
    let count = sqlx::query_scalar("select count(*) from tenants").fetch_one(&pool).await.unwrap();
    pool.close().await;
    count
}

/// Deletes a test home and, when the cluster had to live outside it (as root, under a folder `postgres` cannot
/// enter), the cluster's folder too.
fn remove_home(home: &Path) {
    if let Ok(outside) = std::fs::read_link(home.join("postgres")) {
        std::fs::remove_dir_all(outside).unwrap();
    }
    std::fs::remove_dir_all(home).unwrap();
}

/// Start, seed, Ctrl-C, start again on the same data, Ctrl-C: the cluster is created once and never left running.
async fn create_reuse_and_stop(home: &Path) {
    let first = start(home, &[]).await;
    assert!(postgres_running_in(home));
    assert_eq!(tenant_count(home).await, 2, "an empty database gets the demo seed");
    let sign_in = reqwest::get(format!("{}/famath/entrar", first.url)).await.unwrap();
    assert_eq!(sign_in.status(), 200, "a demo institution answers");
    let status = interrupt(first);
    assert!(status.success(), "clean exit after Ctrl-C: {status}");
    assert!(!postgres_running_in(home), "Ctrl-C must not leave PostgreSQL running");

    // Second run: same cluster, same data, no second seed.
    let second = start(home, &[]).await;
    assert_eq!(tenant_count(home).await, 2);
    assert!(interrupt(second).success());
    assert!(!postgres_running_in(home));
}

#[tokio::test]
async fn the_private_cluster_is_created_reused_and_stopped_with_the_server() {
    let home = temp_home("cluster");
    create_reuse_and_stop(&home).await;
    remove_home(&home);
}

/// A clone under a folder only its owner may enter (`/root/atrium`): as root, the cluster runs as `postgres`, which
/// cannot reach it, so the cluster lives where it can (and `<home>/postgres` leads there).
#[tokio::test]
async fn the_private_cluster_works_under_a_folder_only_its_owner_may_enter() {
    use std::os::unix::fs::PermissionsExt;
    let private = temp_home("private-parent");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let home = private.join("checkout/.atrium");
    create_reuse_and_stop(&home).await;
    if std::fs::metadata("/proc/self").map(|meta| std::os::unix::fs::MetadataExt::uid(&meta)).unwrap() == 0 {
        let outside = std::fs::read_link(home.join("postgres")).expect("as root the cluster lives outside the home");
        assert!(outside.starts_with("/var/lib/atrium"), "{}", outside.display());
    }
    remove_home(&home);
    std::fs::remove_dir_all(&private).unwrap();
}

#[tokio::test]
async fn a_private_cluster_whose_port_was_taken_moves_to_a_free_one() {
    let home = temp_home("moved");
    let first = start(&home, &[]).await;
    assert!(interrupt(first).success());
    let cluster = server::database::EmbeddedPostgres::open(&home, server::database::Durability::Durable).unwrap();
    let url = cluster.superuser_url("atrium");
    let port: u16 = url.rsplit(':').next().and_then(|rest| rest.split('/').next()).unwrap().parse().unwrap();
    // Something else listens on the cluster's port now.
    let squatter = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let second = start(&home, &[]).await;
    assert_eq!(tenant_count(&home).await, 2, "the same data, on another port");
    assert!(interrupt(second).success());
    drop(squatter);
    remove_home(&home);
}

#[tokio::test]
async fn with_database_url_it_uses_that_database_and_starts_no_cluster() {
    let home = temp_home("external");
    let database = TestDatabase::create().await;
    let running = start(
        &home,
        &[
            ("DATABASE_URL", &database.app_url),
            ("DATABASE_OWNER_URL", &database.owner_url),
            // With DATABASE_URL the default is production, which would refuse the fakes and the demo data.
            ("ATRIUM_ENV", "development"),
        ],
    )
    .await;
    assert!(!home.join("postgres").exists(), "no private cluster when DATABASE_URL is set");
    let pool = database.app_pool().await;
    let seeded: i64 = sqlx::query_scalar("select count(*) from tenants").fetch_one(&pool).await.unwrap();
    assert_eq!(seeded, 2, "the configured database is the one used");
    assert!(interrupt(running).success());
    std::fs::remove_dir_all(&home).unwrap();
}

/// Runs the binary to completion with `env` on top of a clean slate of the variables that matter here.
fn run_to_exit(env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env("ATRIUM_ADDR", format!("127.0.0.1:{}", free_port()));
    for name in ["ATRIUM_ENV", "ATRIUM_SEED_DEMO", "ASAAS_BASE_URL", "ZAPI_BASE_URL", "LLM_API_KEY", "ATRIUM_SMTP_URL"]
    {
        command.env_remove(name);
    }
    command.envs(env.iter().copied()).output().unwrap()
}

#[test]
fn with_database_url_it_is_production_and_refuses_every_development_convenience_at_once() {
    // Nothing listens on port 1: the refusal comes before any connection is tried.
    let database = [
        ("DATABASE_URL", "postgres://app@127.0.0.1:1/atrium"),
        ("DATABASE_OWNER_URL", "postgres://owner@127.0.0.1:1/atrium"),
    ];
    let output = run_to_exit(&database);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ATRIUM_ENV") && stderr.contains("production"), "{stderr}");
    for what in ["ASAAS_BASE_URL", "ZAPI_BASE_URL", "LLM_MODEL", "ATRIUM_SMTP_URL"] {
        assert!(stderr.contains(what), "{what} is not named: {stderr}");
    }
    assert!(!stderr.contains("connecting"), "refused before touching the database: {stderr}");

    let mut with_demo = database.to_vec();
    with_demo.push(("ATRIUM_SEED_DEMO", "true"));
    let stderr = String::from_utf8_lossy(&run_to_exit(&with_demo).stderr).to_string();
    assert!(stderr.contains("ATRIUM_SEED_DEMO"), "{stderr}");
    // Said explicitly, production refuses even the private cluster's conveniences.
    let stderr = String::from_utf8_lossy(&run_to_exit(&[("ATRIUM_ENV", "production")]).stderr).to_string();
    assert!(stderr.contains("ASAAS_BASE_URL") && stderr.contains("ATRIUM_SMTP_URL"), "{stderr}");
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
        .env("ATRIUM_ENV", "development")
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
