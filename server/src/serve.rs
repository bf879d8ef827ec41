//! Start-up and shutdown of the whole process.

use std::{future::Future, io, net::SocketAddr, sync::Arc, time::Duration};

use app::platform::{
    auth::{LogMailer, Mailer, PasswordHasher, PasswordHashing, SignInLimiter, SignInLimits},
    context::ServerContext,
};
use axum::Router;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tokio::{net::TcpListener, sync::oneshot};

use crate::{
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
    telemetry::init_logs(config.log_format, &config.log_filter).map_err(StartupError::Logs)?;
    let database = Database::prepare(&config).await?;
    let result = serve_database(&config, &database).await;
    database.shutdown().await;
    result
}

async fn serve_database(config: &Config, database: &Database) -> Result<(), StartupError> {
    if config.seed_demo && database::seed::seed_if_empty(&database.pool).await.map_err(StartupError::Seed)? {
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
    let router = http::router(state, HttpSettings { body_limit_bytes: config.body_limit_bytes, secure: config.secure });
    let cleanup = http::sessions::spawn_cleanup(http::sessions::store(database.pool.clone()));
    announce(addr, database, config.seed_demo);
    let served = serve(listener, router, stop_signal(), config.shutdown_grace).await.map_err(StartupError::Serve);
    cleanup.abort();
    if let Some(worker) = worker {
        worker.shutdown().await;
    }
    served
}

/// `server worker`: only the job worker, no HTTP; for deployments that scale workers apart from web servers.
pub async fn run_worker(config: Config) -> Result<(), StartupError> {
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
        sign_in_limiter: Arc::new(SignInLimiter::new(SignInLimits {
            per_email: config.sign_in_attempts_per_email,
            per_ip: config.sign_in_attempts_per_ip,
            ..SignInLimits::default()
        })),
        mailer,
        public_url: config.public_url.clone().unwrap_or_else(|| format!("http://{addr}")),
        payments: integrations.payments.clone(),
        payment_simulator: integrations.payment_simulator.clone(),
        messenger: integrations.messenger.clone(),
        language_model: integrations.language_model.clone(),
    };
    Ok(AppState {
        leptos: leptos_options(config, addr),
        pool,
        context,
        trusted_origins: http::csrf::TrustedOrigins(config.public_url.iter().cloned().collect()),
        metrics: telemetry::prometheus(),
        metrics_token: config.metrics_token.as_deref().map(Arc::from),
        integrations,
    })
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
    if database.cluster.is_some() {
        println!("  Banco de dados: cluster PostgreSQL privado em ATRIUM_HOME (parado junto com o servidor)");
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

/// Serves until `shutdown` resolves, then lets in-flight requests finish for up to `grace`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> io::Result<()> {
    let (stopping_tx, stopping_rx) = oneshot::channel::<()>();
    // Connection info: sign-in rate limits count attempts per client address.
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, service).with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("stop requested; finishing in-flight requests");
        let _ = stopping_tx.send(());
    });
    let mut task = tokio::spawn(async move { server.await });
    tokio::select! {
        finished = &mut task => return finished.map_err(io::Error::other)?,
        _ = stopping_rx => {}
    }
    match tokio::time::timeout(grace, &mut task).await {
        Ok(finished) => finished.map_err(io::Error::other)?,
        Err(_) => {
            tracing::warn!(grace_secs = grace.as_secs(), "grace period over; closing the remaining connections");
            task.abort();
            Ok(())
        }
    }
}

/// Ctrl-C or SIGTERM.
pub async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
