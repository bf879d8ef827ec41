use std::process::ExitCode;

use server::{config::Config, database};

const USAGE: &str = "usage: server [serve | worker | migrate | stop-cluster | set-plan <slug> <plan>]
  serve         (default) start Atrium; with no DATABASE_URL, a private PostgreSQL under ATRIUM_HOME
  worker        run only the background job worker (no HTTP); pair with ATRIUM_WORKER=off on web servers
  migrate       run pending migrations as DATABASE_OWNER_URL and exit
  stop-cluster  stop the private PostgreSQL cluster under ATRIUM_HOME, if it runs
  set-plan      move a tenant to a plan (starter, professional, enterprise); audited as the operator";

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Worker threads' stack. Leptos renders a page's view by deep recursion; a debug build's frames are several times a
/// release build's, and the staff's application page outgrew tokio's default 2 MiB under `make run`.
const THREAD_STACK: usize = 8 << 20;

fn main() -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(THREAD_STACK).build() {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("atrium: cannot start the runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("atrium: {error}");
            return ExitCode::from(2);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => server::run(config).await.map_err(|error| error.to_string()),
        Some("worker") => server::serve::run_worker(config).await.map_err(|error| error.to_string()),
        Some("migrate") => migrate(&config).await,
        Some("stop-cluster") => stop_cluster(config).await,
        Some("set-plan") => match &args[1..] {
            [slug, plan] => server::operator::set_plan_command(&config, slug, plan).await.map(answer),
            _ => Err("usage: server set-plan <slug> <plan>".into()),
        },
        Some(_) => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("atrium: {error}");
            ExitCode::FAILURE
        }
    }
}

#[allow(clippy::print_stdout, reason = "an operator command answers on standard output")]
fn answer(change: server::operator::PlanChange) {
    println!("{change}");
}

async fn migrate(config: &Config) -> Result<(), String> {
    match &config.database {
        server::config::DatabaseConfig::External { owner_url, .. } => {
            database::migrate(owner_url).await.map_err(|error| error.to_string())
        }
        server::config::DatabaseConfig::Embedded => {
            Err("migrate needs DATABASE_URL and DATABASE_OWNER_URL; the private cluster migrates at start-up".into())
        }
    }
}

async fn stop_cluster(config: Config) -> Result<(), String> {
    tokio::task::spawn_blocking(move || {
        if !config.home.join("postgres/data/PG_VERSION").exists() {
            return Ok(());
        }
        database::EmbeddedPostgres::open(&config.home, database::Durability::Durable)?.stop()
    })
    .await
    .map_err(|error| error.to_string())?
    .map_err(|error| error.to_string())
}
