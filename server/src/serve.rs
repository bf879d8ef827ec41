//! Start-up and shutdown of the whole process.

use std::{future::Future, io, net::SocketAddr, sync::Arc, time::Duration};

use app::platform::{
    auth::{AccessLimits, LogMailer, Mailer, PasswordHasher, PasswordHashing, SignInLimits},
    context::ServerContext,
    directory::Directory,
};
use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
    task::JoinSet,
};
use tower::ServiceExt;

use crate::{
    bus,
    config::Config,
    database::{self, Database},
    http::{self, AppState, HttpSettings},
    integrations::services::Integrations,
    jobs,
    mail::SmtpMailer,
    telemetry,
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Logs(String),
    #[error("{0}")]
    Config(crate::config::ConfigError),
    #[error("database: {0}")]
    Database(#[from] database::DatabaseError),
    #[error("seeding demo data: {0}")]
    Seed(database::seed::SeedError),
    #[error("configuration error in ATRIUM_ADDR: cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("server: {0}")]
    Serve(io::Error),
    #[error("configuration error: {0}")]
    Smtp(crate::mail::SmtpConfigError),
    #[error("{0}")]
    Integrations(crate::integrations::services::IntegrationsError),
}

/// Everything `make run` does after the build: database, migrations, seed, HTTP until a stop signal, cleanup.
pub async fn run(config: Config) -> Result<(), StartupError> {
    crate::environment::check(&config).map_err(StartupError::Config)?;
    telemetry::init_logs(config.log_format, &config.log_filter).map_err(StartupError::Logs)?;
    tracing::info!(environment = config.environment.name(), "starting Atrium");
    let database = Database::prepare(&config).await?;
    let result = serve_database(&config, &database).await;
    database.shutdown().await;
    result
}

async fn serve_database(config: &Config, database: &Database) -> Result<(), StartupError> {
    let files = crate::files::FileStore::from_config(config);
    if config.seed_demo
        && database::seed::seed_if_empty_with(&database.pool, &files).await.map_err(StartupError::Seed)?
    {
        tracing::info!("seeded demo data into the empty database");
    }
    let listener =
        TcpListener::bind(config.addr).await.map_err(|source| StartupError::Bind { addr: config.addr, source })?;
    let addr = listener.local_addr().map_err(StartupError::Serve)?;
    let state = app_state(config, database.pool.clone(), addr).await?;
    if config.seed_demo {
        crate::integrations::demo::connect_demo_tenants_to_fakes(
            &state.pool,
            &state.context.public_url,
            &state.integrations,
        )
        .await;
    }
    let worker = config.worker_in_process.then(|| start_worker(config, &state));
    let live = state.live.clone();
    let router = http::router(state, HttpSettings::from_config(config));
    let cleanup = http::sessions::spawn_cleanup(http::sessions::store(database.pool.clone()));
    announce(addr, database, config.seed_demo);
    let stop = stop_signal();
    let stopping = async move {
        stop.await;
        live.close_all(LIVE_CLOSE_WAIT).await;
    };
    let served = serve(listener, router, stopping, config.shutdown_grace).await.map_err(StartupError::Serve);
    cleanup.abort();
    if let Some(worker) = worker {
        worker.shutdown().await;
    }
    served
}

/// At shutdown, how long the live channel's sockets get to close ("going away") before requests are drained.
pub const LIVE_CLOSE_WAIT: Duration = Duration::from_secs(1);

/// `server worker`: only the job worker, no HTTP; for deployments that scale workers apart from web servers.
pub async fn run_worker(config: Config) -> Result<(), StartupError> {
    crate::environment::check(&config).map_err(StartupError::Config)?;
    telemetry::init_logs(config.log_format, &config.log_filter).map_err(StartupError::Logs)?;
    let database = Database::prepare(&config).await?;
    let result = async {
        let state = app_state(&config, database.pool.clone(), config.addr).await?;
        let worker = start_worker(&config, &state);
        tracing::info!("worker-only process running; Ctrl-C or SIGTERM stops it");
        stop_signal().await;
        worker.shutdown().await;
        Ok(())
    }
    .await;
    database.shutdown().await;
    result
}

fn start_worker(config: &Config, state: &AppState) -> jobs::WorkerHandle {
    let settings = jobs::WorkerSettings {
        concurrency: config.worker_concurrency,
        shutdown_grace: config.shutdown_grace,
        ..jobs::WorkerSettings::default()
    };
    jobs::Worker::new(state.pool.clone(), jobs::catalog::registry(config, state), settings).spawn()
}

/// The state every request reaches: pool, Leptos options, metrics, the services behind sign-in and the outside
/// services (real, or in-process fakes when not configured).
pub async fn app_state(config: &Config, pool: PgPool, addr: SocketAddr) -> Result<AppState, StartupError> {
    let integrations = Integrations::start(config).await.map_err(StartupError::Integrations)?;
    let mailer: Arc<dyn Mailer> = match &config.smtp {
        Some(smtp) => Arc::new(SmtpMailer::new(&smtp.url, &smtp.from).map_err(StartupError::Smtp)?),
        None => Arc::new(LogMailer),
    };
    let context = ServerContext {
        pool: pool.clone(),
        passwords: PasswordHasher::new(PasswordHashing::default()),
        limits: Arc::new(AccessLimits::new(
            SignInLimits {
                per_email: config.sign_in_attempts_per_email,
                per_ip: config.sign_in_attempts_per_ip,
                ..SignInLimits::default()
            },
            config.sign_ups_per_ip,
        )),
        mailer,
        public_url: config.public_url.clone().unwrap_or_else(|| format!("http://{addr}")),
        payments: integrations.payments.clone(),
        payment_simulator: integrations.payment_simulator.clone(),
        messenger: integrations.messenger.clone(),
        language_model: integrations.language_model.clone(),
        directory: Directory::default(),
        session_refresh: app::platform::context::SESSION_REFRESH,
        files: Arc::new(crate::files::FileStore::from_config(config)),
    };
    let live = crate::live::Hub::new(crate::live::LiveSettings::default());
    let sessions = http::sessions::SessionMemory::default();
    let bus = bus::spawn(
        pool.clone(),
        // The directory first: it forgets a changed record before the hub's sockets re-check against it.
        vec![
            Arc::new(context.directory.clone()),
            Arc::new(crate::live::DirectoryChanges(live.clone())),
            Arc::new(live.clone()),
            Arc::new(sessions.clone()),
        ],
    );
    Ok(AppState::new(http::AppServices {
        bus: Arc::new(bus),
        live,
        sessions,
        leptos: leptos_options(config, addr),
        pool,
        context,
        trusted_origins: http::csrf::TrustedOrigins(config.public_url.iter().cloned().collect()),
        trusted_proxies: config.trusted_proxies.clone(),
        metrics: telemetry::prometheus(),
        metrics_token: config.metrics_token.as_deref().map(Arc::from),
        integrations,
        environment: config.environment,
    }))
}

pub fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("atrium")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .hash_files(http::caching::hash_file_present())
        .build()
}

#[allow(clippy::print_stdout, reason = "the banner is for the person who ran `make run`")]
fn announce(addr: SocketAddr, database: &Database, demo: bool) {
    tracing::info!(%addr, "Atrium is listening");
    println!("\n  Atrium está no ar: http://{addr}\n");
    if let Some(cluster) = &database.cluster {
        println!(
            "  Banco de dados: cluster PostgreSQL privado em {} (parado junto com o servidor)",
            cluster.root().display()
        );
    }
    if demo {
        println!(
            "  Instituições de demonstração (criadas se o banco estava vazio); senha de todos: {}",
            database::seed::DEMO_PASSWORD
        );
        for demo in &database::seed::DEMO_TENANTS {
            println!("\n    {} — http://{addr}/{}/entrar", demo.name, demo.slug);
            for (role, _, email) in demo.people {
                println!("      {:<13} {email}", role.label().pt);
            }
        }
    }
    println!("\n  Ctrl-C para parar.\n");
}

/// How long a client may take to send a request's head (line + headers). A client that dribbles its headers is
/// disconnected instead of holding a connection; bodies have their own deadline (`http::body_limit`).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves until `shutdown` resolves, then lets in-flight requests finish for up to `grace`; connections still busy
/// after that are closed. Each connection is served by hyper directly (not `axum::serve`, which sets no timer, so
/// hyper's header read timeout would never fire), with upgrades (WebSockets) allowed and the peer address in
/// `ConnectInfo` (sign-in rate limits count attempts per client address).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> io::Result<()> {
    let (closing_tx, closing_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(serve_connection(stream, peer, router.clone(), closing_rx.clone()));
                }
                // Out of file descriptors and the like: wait a moment instead of spinning.
                Err(error) => {
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Reap finished connections as we go.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    tracing::info!("stop requested; finishing in-flight requests");
    let _ = closing_tx.send(true);
    let drained = tokio::time::timeout(grace, async { while connections.join_next().await.is_some() {} });
    if drained.await.is_err() {
        tracing::warn!(
            grace_secs = grace.as_secs(),
            connections = connections.len(),
            "grace period over; closing the remaining connections"
        );
        connections.shutdown().await;
    }
    Ok(())
}

async fn serve_connection(stream: TcpStream, peer: SocketAddr, router: Router, mut closing: watch::Receiver<bool>) {
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(request.map(axum::body::Body::new))
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let connection = builder.serve_connection(TokioIo::new(stream), service).with_upgrades();
    let mut connection = std::pin::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        () = async { while !*closing.borrow_and_update() && closing.changed().await.is_ok() {} } => {
            // Finish the request in progress (if any), then close; idle keep-alive connections close at once.
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = result {
        tracing::debug!(%error, %peer, "connection ended with an error");
    }
}

/// Ctrl-C (SIGINT) or SIGTERM. The handlers are installed when this is called, not when the future is first
/// polled: a signal that arrives after start-up announced readiness but before the serving loop polled its stop
/// future must stop the server gracefully, not kill it by the default action (leaving its cluster running).
pub fn stop_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let interrupt = signal(SignalKind::interrupt()).ok();
    let terminate = signal(SignalKind::terminate()).ok();
    async move {
        let received = |stream: Option<tokio::signal::unix::Signal>| async move {
            match stream {
                Some(mut stream) => {
                    stream.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = received(interrupt) => {}
            () = received(terminate) => {}
        }
    }
}
