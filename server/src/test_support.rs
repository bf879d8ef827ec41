//! Test helpers: a private PostgreSQL cluster shared by the test processes (under `ATRIUM_TEST_HOME`, default
//! `.atrium/test`), a migrated template database, a fresh database per test cloned from it, and an in-process
//! server on a free port.

use std::{
    fs::File,
    path::PathBuf,
    sync::{Arc, Mutex, OnceLock},
    time::Duration,
};

use axum::Router;
use sqlx::{Connection, PgConnection, PgPool};
use tokio::{net::TcpListener, sync::OnceCell};

use app::platform::auth::{Mail, Mailer, MailerError};

pub mod ledger;

use crate::{
    config::Config,
    database::{self, Durability, EmbeddedPostgres, roles},
    http::{self, HttpSettings},
    serve,
};

fn test_home() -> PathBuf {
    std::env::var_os("ATRIUM_TEST_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.atrium/test"))
}

/// Serialises cluster creation and template building across test processes.
fn with_file_lock<T>(work: impl FnOnce() -> T) -> T {
    let home = test_home();
    let _ = std::fs::create_dir_all(&home);
    let lock = File::create(home.join("lock")).expect("create the test lock file");
    lock.lock().expect("take the test lock");
    let result = work();
    let _ = lock.unlock();
    result
}

fn cluster() -> &'static EmbeddedPostgres {
    static CLUSTER: OnceLock<EmbeddedPostgres> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        with_file_lock(|| {
            let cluster = EmbeddedPostgres::open(&test_home(), Durability::Disposable).expect("open the test cluster");
            cluster.start().expect("start the test cluster");
            cluster
        })
    })
}

/// A name that changes whenever a migration does, so a stale template is never reused.
fn template_name() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for migration in database::MIGRATOR.iter() {
        for byte in migration.checksum.iter().chain(migration.version.to_le_bytes().iter()) {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("atrium_template_{hash:016x}")
}

async fn template() -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let cluster = cluster();
            let name = template_name();
            // Another test process may be building the same template.
            let lock = File::create(test_home().join("template.lock")).expect("create the template lock");
            lock.lock().expect("take the template lock");
            cluster.bootstrap("atrium").await.expect("create the roles");
            let mut admin =
                PgConnection::connect(&cluster.superuser_url("postgres")).await.expect("connect as superuser");
            let exists: bool = sqlx::query_scalar("select exists (select from pg_database where datname = $1)")
                .bind(&name)
                .fetch_one(&mut admin)
                .await
                .expect("look for the template");
            if !exists {
                let building = format!("{name}_building");
                sqlx::raw_sql(&format!("drop database if exists \"{building}\""))
                    .execute(&mut admin)
                    .await
                    .expect("drop");
                sqlx::raw_sql(&format!("create database \"{building}\" owner {}", roles::OWNER))
                    .execute(&mut admin)
                    .await
                    .expect("create the template");
                database::migrate(&cluster.owner_url(&building)).await.expect("migrate the template");
                sqlx::raw_sql(&format!("alter database \"{building}\" rename to \"{name}\""))
                    .execute(&mut admin)
                    .await
                    .expect("publish the template");
            }
            let _ = admin.close().await;
            let _ = lock.unlock();
            name
        })
        .await
}

/// Inserts a tenant (no people, no modules to speak of) and answers its id: most tests only need one to exist.
pub async fn create_tenant(pool: &PgPool, slug: &str) -> uuid::Uuid {
    let id = uuid::Uuid::now_v7();
    let mut tx = app::platform::tenancy::TenantTx::begin(pool, id).await.expect("begin");
    sqlx::query("insert into tenants (id, slug, name) values ($1, $2, $2)")
        .bind(id)
        .bind(slug)
        .execute(tx.conn())
        .await
        .expect("insert the tenant");
    tx.commit().await.expect("commit the tenant");
    id
}

/// One fresh, migrated database for one test.
#[derive(Debug, Clone)]
pub struct TestDatabase {
    pub name: String,
    /// The runtime role (what the server uses).
    pub app_url: String,
    /// The owner role (what migrations use).
    pub owner_url: String,
    pub superuser_url: String,
}

impl TestDatabase {
    pub async fn create() -> Self {
        let template = template().await;
        let cluster = cluster();
        let name = format!("test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::connect(&cluster.superuser_url("postgres")).await.expect("connect as superuser");
        let create = format!("create database \"{name}\" template \"{template}\" owner {}", roles::OWNER);
        // Concurrent clones of one template can collide briefly; retry.
        let mut attempt = 0;
        loop {
            match sqlx::raw_sql(&create).execute(&mut admin).await {
                Ok(_) => break,
                Err(_) if attempt < 20 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
                }
                Err(error) => panic!("create the test database: {error}"),
            }
        }
        let _ = admin.close().await;
        Self {
            app_url: cluster.app_url(&name),
            owner_url: cluster.owner_url(&name),
            superuser_url: cluster.superuser_url(&name),
            name,
        }
    }

    pub async fn app_pool(&self) -> PgPool {
        database::runtime_pool(&self.app_url, 5).await.expect("connect as the runtime role")
    }

    pub async fn owner_pool(&self) -> PgPool {
        database::runtime_pool(&self.owner_url, 2).await.expect("connect as the owner role")
    }
}

/// The server, in this process, on a free port, over a fresh database.
#[derive(Debug)]
pub struct TestServer {
    pub url: String,
    pub pool: PgPool,
    pub database: TestDatabase,
    /// Every e-mail the server "sent", newest last.
    pub mails: Arc<Mutex<Vec<Mail>>>,
    /// The outside services the server uses: in tests always the in-process fakes.
    pub integrations: crate::integrations::services::Integrations,
    /// The server's in-memory directory of tenants and people (tests read its hit counts).
    pub directory: app::platform::directory::Directory,
    /// The server's live-channel hub (tests read its figures).
    pub live: crate::live::Hub,
    /// The sessions the server keeps in memory (tests read its hits).
    pub sessions: crate::http::sessions::SessionMemory,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(Config::from_lookup(|_| None).expect("default config"), |router| router).await
    }

    /// Starts with a given configuration, letting the test add routes (e.g. a deliberately slow one), which sit
    /// behind the same middleware as the app's own.
    pub async fn start_with(config: Config, customize: impl FnOnce(Router) -> Router) -> Self {
        Self::start_custom(config, 5, |_| {}, customize).await
    }

    /// Like `start_with`, with a pool of `pool_connections` and a chance to change the state before the router is
    /// built (e.g. fewer password-hashing slots).
    pub async fn start_custom(
        config: Config,
        pool_connections: u32,
        customize_state: impl FnOnce(&mut http::AppServices),
        customize: impl FnOnce(Router) -> Router,
    ) -> Self {
        Self::start_on(TestDatabase::create().await, config, pool_connections, customize_state, customize).await
    }

    /// A second server process over this one's database, as behind a load balancer: its own pool, memory and bus.
    pub async fn another_process(&self) -> Self {
        let config = Config::from_lookup(|_| None).expect("default config");
        Self::start_on(self.database.clone(), config, 5, |_| {}, |router| router).await
    }

    async fn start_on(
        database: TestDatabase,
        config: Config,
        pool_connections: u32,
        customize_state: impl FnOnce(&mut http::AppServices),
        customize: impl FnOnce(Router) -> Router,
    ) -> Self {
        let pool = database::runtime_pool(&database.app_url, pool_connections).await.expect("connect as runtime");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
        let addr = listener.local_addr().expect("local address");
        let mut state = serve::app_state(&config, pool.clone(), addr).await.expect("app state");
        let mails = Arc::new(Mutex::new(Vec::new()));
        let integrations = state.integrations.clone();
        let directory = state.context.directory.clone();
        let live = state.live.clone();
        let sessions = state.sessions.clone();
        let services = state.unshared_mut().expect("the state is not shared before the router is built");
        services.context.mailer = Arc::new(CapturingMailer(mails.clone()));
        customize_state(services);
        let router = http::router_with(state, HttpSettings::from_config(&config), customize);
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve::serve(
            listener,
            router,
            {
                let live = live.clone();
                async move {
                    let _ = stop_rx.await;
                    live.close_all(serve::LIVE_CLOSE_WAIT).await;
                }
            },
            config.shutdown_grace,
        ));
        Self {
            url: format!("http://{addr}"),
            pool,
            database,
            mails,
            integrations,
            directory,
            live,
            sessions,
            stop: Some(stop_tx),
            task: Some(task),
        }
    }

    /// A job worker that sends e-mails (password links; enrollment's application e-mails) into `mails`, as the
    /// server's own worker would through its mailer.
    pub fn mail_worker(&self) -> crate::jobs::WorkerHandle {
        let mailer = Arc::new(CapturingMailer(self.mails.clone()));
        let registry = crate::jobs::Registry::new()
            .register(crate::mail::PasswordLinkMailHandler::new(mailer.clone(), &self.url))
            .register(crate::mail::ApplicationMailHandler::new(mailer, &self.url));
        let settings = crate::jobs::WorkerSettings {
            poll_interval: Duration::from_millis(50),
            ..crate::jobs::WorkerSettings::default()
        };
        crate::jobs::Worker::new(self.pool.clone(), registry, settings).spawn()
    }

    /// Waits (up to 30 s) until at least `count` e-mails were sent, and answers them all.
    pub async fn wait_for_mails(&self, count: usize) -> Vec<Mail> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let mails = self.mails.lock().expect("mails").clone();
            if mails.len() >= count || tokio::time::Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits (up to 10 s) until the server's bus listens, so its directory keeps what it reads.
    pub async fn wait_until_listening(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.directory.is_listening() {
            assert!(tokio::time::Instant::now() < deadline, "the bus never started listening");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Asks the server to stop (as a stop signal would), without waiting.
    pub fn request_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops the server and waits until it has finished its in-flight requests.
    pub async fn stop(mut self) -> std::io::Result<()> {
        self.request_stop();
        match self.task.take() {
            Some(task) => task.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }
}

/// Keeps e-mails for the test to read (reset and invitation links).
#[derive(Debug)]
pub struct CapturingMailer(pub Arc<Mutex<Vec<Mail>>>);

impl Mailer for CapturingMailer {
    fn send(&self, mail: Mail) -> app::platform::auth::SendFuture<'_> {
        Box::pin(async move {
            self.0.lock().map_err(|_| MailerError("poisoned".into()))?.push(mail);
            Ok(())
        })
    }
}
