//! A private PostgreSQL cluster under `ATRIUM_HOME/postgres`, for `make run` and the tests: created with the
//! installed `initdb` on first use, started with `pg_ctl`, reused afterwards. `pg_ctl` detaches the postmaster
//! into its own session, so Ctrl-C reaches only the server, which stops the cluster after draining requests.
//! PostgreSQL refuses to run as root, so as root every PostgreSQL program runs as the `postgres` user, which must
//! reach the cluster's folder. When it cannot reach `ATRIUM_HOME` (a clone under a folder only root may enter,
//! such as `/root/atrium`), the cluster lives in `/var/lib/atrium/<hash of the home path>` instead, owned by
//! `postgres` and reused across runs, and `<home>/postgres` is a symbolic link to it, so everything that looks
//! under the home (`server stop-cluster`, `make clean-db`) still finds it.

use std::{
    fs,
    net::TcpListener,
    os::unix::fs::{MetadataExt, PermissionsExt},
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde::{Deserialize, Serialize};

/// The database the server uses inside the cluster.
pub const DATABASE: &str = "atrium";

/// Where clusters live when the `postgres` user cannot reach `ATRIUM_HOME`.
const OUTSIDE_HOME: &str = "/var/lib/atrium";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("PostgreSQL server programs not found: install the `postgresql` package or set PG_BIN_DIR")]
    BinariesMissing,
    #[error("{action} failed: {detail}")]
    Command { action: String, detail: String },
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> EmbeddedError {
    let context = context.into();
    move |source| EmbeddedError::Io { context, source }
}

/// How much crash safety the cluster trades for speed. Test clusters are thrown away, so they skip fsync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Durable,
    Disposable,
}

/// Generated once at `initdb`, kept next to the cluster (mode 0600).
#[derive(Clone, Serialize, Deserialize)]
struct Secrets {
    port: u16,
    superuser_password: String,
    owner_password: String,
    app_password: String,
}

#[derive(Clone)]
pub struct EmbeddedPostgres {
    root: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
    secrets: Secrets,
}

impl std::fmt::Debug for EmbeddedPostgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the passwords.
        f.debug_struct("EmbeddedPostgres").field("root", &self.root).field("port", &self.secrets.port).finish()
    }
}

impl EmbeddedPostgres {
    /// Opens the cluster under `home`, creating it with `initdb` if it does not exist yet. Blocking.
    pub fn open(home: &Path, durability: Durability) -> Result<Self, EmbeddedError> {
        let bin = find_bin_dir()?;
        let as_postgres_user = running_as_root();
        fs::create_dir_all(home).map_err(io(format!("creating {}", home.display())))?;
        let home = home.canonicalize().map_err(io(format!("resolving {}", home.display())))?;
        let root = if as_postgres_user { root_the_postgres_user_reaches(&home)? } else { home.join("postgres") };
        let secrets_file = root.join("secrets.json");
        if root.join("data/PG_VERSION").exists() {
            let secrets = fs::read_to_string(&secrets_file)
                .ok()
                .and_then(|text| serde_json::from_str::<Secrets>(&text).ok())
                .ok_or_else(|| EmbeddedError::Command {
                    action: "opening the private cluster".into(),
                    detail: format!(
                        "{} is missing or unreadable; delete {} to start over with an empty database",
                        secrets_file.display(),
                        root.display()
                    ),
                })?;
            let mut cluster = Self { root, bin, as_postgres_user, secrets };
            // The port chosen at initdb may have been taken since (another program, or an outgoing connection
            // that got it as its local port): a cluster that is not running moves to a free one instead of failing.
            if !port_is_free(cluster.secrets.port) && !cluster.is_running() {
                cluster.move_to_free_port(&secrets_file)?;
            }
            return Ok(cluster);
        }
        let secrets = Secrets {
            port: free_port()?,
            superuser_password: random_secret(),
            owner_password: random_secret(),
            app_password: random_secret(),
        };
        let cluster = Self { root, bin, as_postgres_user, secrets };
        cluster.init(durability)?;
        cluster.save_secrets(&secrets_file)?;
        Ok(cluster)
    }

    /// Points the stopped cluster at a free port: a later `port` line in postgresql.conf wins over the earlier one.
    fn move_to_free_port(&mut self, secrets_file: &Path) -> Result<(), EmbeddedError> {
        let taken = self.secrets.port;
        self.secrets.port = free_port()?;
        tracing::warn!(taken, port = self.secrets.port, "the private cluster's port is taken; moving it");
        let conf = self.data_dir().join("postgresql.conf");
        let mut text = fs::read_to_string(&conf).map_err(io("reading postgresql.conf"))?;
        text.push_str(&format!("port = {}\n", self.secrets.port));
        fs::write(&conf, text).map_err(io("writing postgresql.conf"))?;
        self.save_secrets(secrets_file)
    }

    fn save_secrets(&self, secrets_file: &Path) -> Result<(), EmbeddedError> {
        let json = serde_json::to_string_pretty(&self.secrets).map_err(|error| EmbeddedError::Command {
            action: "saving the cluster secrets".into(),
            detail: error.to_string(),
        })?;
        fs::write(secrets_file, json).map_err(io("writing the cluster secrets"))?;
        fs::set_permissions(secrets_file, fs::Permissions::from_mode(0o600)).map_err(io("protecting the secrets"))
    }

    /// The cluster's folder (data, log, secrets), for the start-up banner.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    fn init(&self, durability: Durability) -> Result<(), EmbeddedError> {
        tracing::info!(path = %self.root.display(), "creating a private PostgreSQL cluster (first run)");
        if self.root.exists() {
            fs::remove_dir_all(&self.root).map_err(io("removing a half-created cluster"))?;
        }
        fs::create_dir_all(&self.root).map_err(io("creating the cluster folder"))?;
        let password_file = self.root.join("initdb.pw");
        fs::write(&password_file, &self.secrets.superuser_password).map_err(io("writing the initdb password"))?;
        if self.as_postgres_user {
            // The postgres user owns the cluster folder (it reaches it: see `root_the_postgres_user_reaches`).
            run(
                "handing the cluster folder to the postgres user",
                Command::new("chown").arg("-R").arg("postgres:postgres").arg(&self.root),
            )?;
        }
        let data = self.data_dir();
        let mut initdb = self.pg_command("initdb");
        initdb
            .arg("--pgdata")
            .arg(&data)
            .args(["--username=postgres", "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"])
            .arg(format!("--pwfile={}", password_file.display()));
        let result = run("initdb", &mut initdb);
        let _ = fs::remove_file(&password_file);
        result?;
        let mut settings = format!(
            "\n# Atrium private cluster\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = ''\n\
             max_connections = 200\nshared_buffers = 64MB\ntimezone = 'UTC'\n",
            self.secrets.port
        );
        if durability == Durability::Disposable {
            settings.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        let conf = data.join("postgresql.conf");
        let mut text = fs::read_to_string(&conf).map_err(io("reading postgresql.conf"))?;
        text.push_str(&settings);
        fs::write(&conf, text).map_err(io("writing postgresql.conf"))?;
        Ok(())
    }

    /// Starts the cluster unless it already runs (e.g. left over by a killed server). Blocking.
    pub fn start(&self) -> Result<(), EmbeddedError> {
        if self.is_running() {
            tracing::info!(
                port = self.secrets.port,
                path = %self.root.display(),
                "private PostgreSQL cluster already running; reusing it"
            );
            return Ok(());
        }
        let mut start = self.pg_command("pg_ctl");
        start
            .arg("start")
            .arg("--pgdata")
            .arg(self.data_dir())
            .arg("--log")
            .arg(self.root.join("postgres.log"))
            .args(["--wait", "--timeout=60", "--silent"]);
        run("starting PostgreSQL (see postgres.log in the cluster folder)", &mut start)?;
        tracing::info!(port = self.secrets.port, path = %self.root.display(), "private PostgreSQL cluster started");
        Ok(())
    }

    /// Stops the cluster, letting open sessions roll back ("fast" mode). Blocking.
    pub fn stop(&self) -> Result<(), EmbeddedError> {
        if !self.is_running() {
            return Ok(());
        }
        let mut stop = self.pg_command("pg_ctl");
        stop.arg("stop").arg("--pgdata").arg(self.data_dir()).args(["--mode=fast", "--wait", "--silent"]);
        run("stopping PostgreSQL", &mut stop)?;
        tracing::info!("private PostgreSQL cluster stopped");
        Ok(())
    }

    pub fn is_running(&self) -> bool {
        self.pg_command("pg_ctl")
            .arg("status")
            .arg("--pgdata")
            .arg(self.data_dir())
            .output()
            .is_ok_and(|output| output.status.success())
    }

    pub fn superuser_url(&self, database: &str) -> String {
        self.url("postgres", &self.secrets.superuser_password, database)
    }

    pub fn owner_url(&self, database: &str) -> String {
        self.url(super::roles::OWNER, &self.secrets.owner_password, database)
    }

    pub fn app_url(&self, database: &str) -> String {
        self.url(super::roles::APP, &self.secrets.app_password, database)
    }

    /// Creates (or updates) the owner and runtime roles and `database`, as the cluster's superuser. Idempotent.
    pub async fn bootstrap(&self, database: &str) -> Result<(), sqlx::Error> {
        super::roles::bootstrap(
            &self.superuser_url("postgres"),
            database,
            &self.secrets.owner_password,
            &self.secrets.app_password,
        )
        .await
    }

    fn url(&self, user: &str, password: &str, database: &str) -> String {
        format!("postgres://{user}:{password}@127.0.0.1:{}/{database}", self.secrets.port)
    }

    fn pg_command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres_user {
            let mut command = runuser();
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }
}

fn run(action: &str, command: &mut Command) -> Result<Output, EmbeddedError> {
    let output = command.output().map_err(io(action))?;
    if output.status.success() {
        Ok(output)
    } else {
        let detail = String::from_utf8_lossy(&output.stderr).trim().to_string();
        Err(EmbeddedError::Command { action: action.into(), detail: format!("{} ({detail})", output.status) })
    }
}

/// `PG_BIN_DIR`, else the folder of an `initdb` on PATH, else the newest `/usr/lib/postgresql/<n>/bin`.
fn find_bin_dir() -> Result<PathBuf, EmbeddedError> {
    if let Some(dir) = std::env::var_os("PG_BIN_DIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
    {
        return Ok(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| EmbeddedError::BinariesMissing)?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or(EmbeddedError::BinariesMissing)
}

/// As root: `<home>/postgres` when the `postgres` user can reach the home (opened to it, 0755), otherwise a
/// folder under `/var/lib/atrium` named from a hash of the home path, linked from `<home>/postgres`.
fn root_the_postgres_user_reaches(home: &Path) -> Result<PathBuf, EmbeddedError> {
    let inside = home.join("postgres");
    if let Ok(outside) = fs::read_link(&inside) {
        return Ok(outside);
    }
    let mode = fs::metadata(home).map_err(io("reading ATRIUM_HOME"))?.mode();
    fs::set_permissions(home, fs::Permissions::from_mode(mode | 0o755)).map_err(io("opening ATRIUM_HOME"))?;
    if postgres_user_can_enter(home) {
        return Ok(inside);
    }
    let outside = Path::new(OUTSIDE_HOME).join(path_hash(home));
    tracing::info!(
        home = %home.display(),
        cluster = %outside.display(),
        "the postgres user cannot reach ATRIUM_HOME; the private cluster lives outside it (linked from <home>/postgres)"
    );
    fs::create_dir_all(OUTSIDE_HOME).map_err(io(format!("creating {OUTSIDE_HOME}")))?;
    if inside.exists() {
        // A cluster half-created here by an older version: it could never have started.
        fs::remove_dir_all(&inside).map_err(io("removing an unreachable cluster folder"))?;
    }
    std::os::unix::fs::symlink(&outside, &inside).map_err(io("linking <home>/postgres to the cluster"))?;
    Ok(outside)
}

/// `runuser` (util-linux), by its Debian path when it is there: a root shell's PATH may lack `/usr/sbin` (`su`
/// without `-`, a trimmed environment), and the private cluster would then fail to start with "No such file".
fn runuser() -> Command {
    const DEBIAN: &str = "/usr/sbin/runuser";
    Command::new(if Path::new(DEBIAN).is_file() { DEBIAN } else { "runuser" })
}

fn postgres_user_can_enter(dir: &Path) -> bool {
    runuser().args(["-u", "postgres", "--", "test", "-x"]).arg(dir).output().is_ok_and(|output| output.status.success())
}

/// A stable name for a path (FNV-1a, 64 bits): one folder per checkout, the same on every run.
fn path_hash(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let hash = path
        .as_os_str()
        .as_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

fn running_as_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

fn free_port() -> Result<u16, EmbeddedError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(io("finding a free port"))?;
    Ok(listener.local_addr().map_err(io("finding a free port"))?.port())
}

/// 128 random bits as hex: safe inside a URL and inside a quoted SQL literal.
fn random_secret() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
