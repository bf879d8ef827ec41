//! Configuration from environment variables. Every variable has a default that works for `make run`; a bad
//! value stops start-up with a message that names the variable.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `ATRIUM_ADDR`: where the HTTP server listens.
    pub addr: SocketAddr,
    pub database: DatabaseConfig,
    /// `ATRIUM_HOME`: local state (the private PostgreSQL cluster lives in `<home>/postgres`).
    pub home: PathBuf,
    /// `ATRIUM_SITE_ROOT`: the folder cargo-leptos builds (`pkg/` with the wasm, JS and CSS; public assets).
    pub site_root: PathBuf,
    /// `LOG_FORMAT`: `pretty` (default) or `json`.
    pub log_format: LogFormat,
    /// `RUST_LOG`: a tracing filter.
    pub log_filter: String,
    /// `ATRIUM_BODY_LIMIT_BYTES`: larger request bodies get 413.
    pub body_limit_bytes: usize,
    /// `ATRIUM_SHUTDOWN_GRACE_SECS`: how long in-flight requests may run after a stop signal.
    pub shutdown_grace: Duration,
    /// `ATRIUM_SECURE_COOKIES`: set behind HTTPS; marks cookies Secure and sends HSTS.
    pub secure: bool,
    /// `ATRIUM_ENV`: development (fakes, demo data and the log mailer allowed) or production (refused).
    pub environment: crate::environment::Environment,
    /// `ATRIUM_SEED_DEMO`: seed demo data into an empty database (default: on in development only).
    pub seed_demo: bool,
    /// `ATRIUM_MAX_IN_FLIGHT`: requests served at once; beyond it the answer is 503 with `Retry-After`.
    pub max_in_flight: usize,
    /// `ATRIUM_PAGE_CACHE`: keep the finished HTML of the pages that declare themselves cacheable (the leads table),
    /// served again while their data has not changed (default on; off measures the uncached path).
    pub page_cache: bool,
    /// `ATRIUM_BODY_READ_GRACE_SECS` + `ATRIUM_BODY_MIN_KIB_PER_SEC`: a request body must arrive within the grace
    /// plus the time its size takes at the minimum rate, or the request is answered 408.
    pub body_read: crate::http::body_limit::ReadDeadline,
    /// `ATRIUM_METRICS_TOKEN`: when set, `/metrics` wants `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// `ATRIUM_PUBLIC_URL`: the origin people reach Atrium at (e.g. `https://atrium.example`), for links in e-mails
    /// and as a trusted Origin behind a proxy. Without it, `http://<ATRIUM_ADDR>` (fine on a laptop; set it in production).
    pub public_url: Option<String>,
    /// `ATRIUM_SIGNIN_ATTEMPTS_PER_EMAIL` and `ATRIUM_SIGNIN_ATTEMPTS_PER_IP`: sign-in attempts allowed per 15 minutes.
    pub sign_in_attempts_per_email: u32,
    pub sign_in_attempts_per_ip: u32,
    /// `ATRIUM_SIGNUPS_PER_IP`: organization sign-ups allowed per client address per hour.
    pub sign_ups_per_ip: u32,
    /// `ATRIUM_TRUSTED_PROXIES`: CIDR blocks of the proxies whose `X-Forwarded-For` names the client (empty: the
    /// TCP peer is always the client).
    pub trusted_proxies: crate::http::client_addr::TrustedProxies,
    /// `ATRIUM_SMTP_URL` + `ATRIUM_MAIL_FROM`: send e-mail through SMTP. Without them, e-mails go to the log.
    pub smtp: Option<SmtpConfig>,
    /// `ATRIUM_WORKER`: run the job worker inside the server process (default on). Turn it off where workers run
    /// alone (`server worker`) and scale separately.
    pub worker_in_process: bool,
    /// `ATRIUM_WORKER_CONCURRENCY`: jobs one worker runs at once (each holds a database connection while it runs).
    pub worker_concurrency: usize,
    /// `ATRIUM_FILES_DIR`: where stored files (copied WhatsApp media) live. Default `<ATRIUM_HOME>/files`.
    pub files_dir: PathBuf,
    /// `ATRIUM_FILE_MAX_BYTES`: larger files are not stored. Default 16 MiB.
    pub file_max_bytes: usize,
    /// `ASAAS_BASE_URL`: the real Asaas API (`production`, `sandbox` or a URL; each tenant's own API key is kept in
    /// its integration settings). Unset: an in-process fake Asaas.
    pub asaas_base_url: Option<String>,
    /// `ZAPI_BASE_URL` (+ `ZAPI_CLIENT_TOKEN`): the real Z-API. Unset: an in-process fake.
    pub zapi: Option<ZapiConfig>,
    /// `ZAPI_MEDIA_HOSTS`: the hosts WhatsApp media links may point to (comma-separated, `*.domain` for any
    /// subdomain, `host:port` for another port than 443). Default: Z-API's storage, `f004.backblazeb2.com`.
    pub zapi_media_hosts: Vec<crate::integrations::outbound::AllowedHost>,
    /// `LLM_BASE_URL`, `LLM_API_KEY`, `LLM_MODEL`, `LLM_TIMEOUT_SECS`: an OpenAI-compatible model. Unset: a fake.
    pub llm: Option<crate::integrations::llm::LlmSettings>,
}

#[derive(Clone, PartialEq)]
pub struct ZapiConfig {
    pub base_url: String,
    /// The account security token Z-API wants in `Client-Token`.
    pub client_token: Option<String>,
}

impl std::fmt::Debug for ZapiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZapiConfig")
            .field("base_url", &self.base_url)
            .field("client_token", &self.client_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Clone, PartialEq)]
pub struct SmtpConfig {
    /// `smtps://user:pass@host:465`, `smtp://user:pass@host:587?tls=required` or `smtp://relay:25`.
    pub url: String,
    /// `Atrium <no-reply@example.com>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    // The URL carries the SMTP password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig").field("url", &"<redacted>").field("from", &self.from).finish()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DatabaseConfig {
    /// No `DATABASE_URL`: a private cluster under `ATRIUM_HOME`, created on first run.
    Embedded,
    /// `DATABASE_URL` (the runtime role) and `DATABASE_OWNER_URL` (the owner, runs migrations).
    External { app_url: String, owner_url: String, max_connections: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration error in {variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests can pass a map instead of the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| lookup(name).map(|value| value.trim().to_string()).filter(|value| !value.is_empty());
        let database = match var("DATABASE_URL") {
            None => DatabaseConfig::Embedded,
            Some(app_url) => DatabaseConfig::External {
                app_url: postgres_url("DATABASE_URL", app_url)?,
                owner_url: postgres_url(
                    "DATABASE_OWNER_URL",
                    var("DATABASE_OWNER_URL").ok_or_else(|| ConfigError {
                        variable: "DATABASE_OWNER_URL",
                        message: "required when DATABASE_URL is set: migrations run as the owner role, the server \
                                  as the runtime role"
                            .into(),
                    })?,
                )?,
                max_connections: parse_or("DATABASE_MAX_CONNECTIONS", var("DATABASE_MAX_CONNECTIONS"), 10, |n| {
                    (1..=1000).contains(n)
                })?,
            },
        };
        let home = var("ATRIUM_HOME").map_or_else(|| PathBuf::from(".atrium"), PathBuf::from);
        let environment = crate::environment::Environment::from_var(
            var("ATRIUM_ENV").as_deref(),
            database == DatabaseConfig::Embedded,
        )?;
        Ok(Self {
            files_dir: var("ATRIUM_FILES_DIR").map_or_else(|| home.join("files"), PathBuf::from),
            asaas_base_url: match var("ASAAS_BASE_URL").as_deref() {
                None => None,
                Some("production") => Some(crate::integrations::asaas::AsaasSettings::PRODUCTION.into()),
                Some("sandbox") => Some(crate::integrations::asaas::AsaasSettings::SANDBOX.into()),
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                    Some(url.trim_end_matches('/').to_string())
                }
                Some(other) => {
                    return Err(ConfigError {
                        variable: "ASAAS_BASE_URL",
                        message: format!("expected `production`, `sandbox` or an http(s) URL, got `{other}`"),
                    });
                }
            },
            zapi: match var("ZAPI_BASE_URL") {
                None => None,
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => Some(ZapiConfig {
                    base_url: url.trim_end_matches('/').to_string(),
                    client_token: var("ZAPI_CLIENT_TOKEN"),
                }),
                Some(other) => {
                    return Err(ConfigError {
                        variable: "ZAPI_BASE_URL",
                        message: format!("expected an http(s) URL (e.g. https://api.z-api.io), got `{other}`"),
                    });
                }
            },
            zapi_media_hosts: crate::integrations::outbound::AllowedHost::parse_list(
                &var("ZAPI_MEDIA_HOSTS").unwrap_or_else(|| crate::integrations::zapi::MEDIA_HOSTS.into()),
            )
            .map_err(|message| ConfigError { variable: "ZAPI_MEDIA_HOSTS", message })?,
            llm: crate::integrations::llm::LlmSettings::from_lookup(var)?,
            file_max_bytes: parse_or("ATRIUM_FILE_MAX_BYTES", var("ATRIUM_FILE_MAX_BYTES"), 16 * 1024 * 1024, |n| {
                (1024..=1024 * 1024 * 1024).contains(n)
            })?,
            addr: parse_or("ATRIUM_ADDR", var("ATRIUM_ADDR"), SocketAddr::from(([127, 0, 0, 1], 3000)), |_| true)?,
            database,
            home,
            site_root: var("ATRIUM_SITE_ROOT").map_or_else(|| PathBuf::from("target/site"), PathBuf::from),
            log_format: match var("LOG_FORMAT").as_deref() {
                None | Some("pretty") => LogFormat::Pretty,
                Some("json") => LogFormat::Json,
                Some(other) => {
                    return Err(ConfigError {
                        variable: "LOG_FORMAT",
                        message: format!("expected `pretty` or `json`, got `{other}`"),
                    });
                }
            },
            log_filter: var("RUST_LOG").unwrap_or_else(|| {
                "info,sqlx=warn,tower_http=info,tower_sessions=warn,tower_sessions_core=warn".into()
            }),
            body_limit_bytes: parse_or(
                "ATRIUM_BODY_LIMIT_BYTES",
                var("ATRIUM_BODY_LIMIT_BYTES"),
                2 * 1024 * 1024,
                |n| *n >= 1024,
            )?,
            shutdown_grace: Duration::from_secs(parse_or(
                "ATRIUM_SHUTDOWN_GRACE_SECS",
                var("ATRIUM_SHUTDOWN_GRACE_SECS"),
                20,
                |n| *n <= 3600,
            )?),
            secure: parse_bool("ATRIUM_SECURE_COOKIES", var("ATRIUM_SECURE_COOKIES"), false)?,
            seed_demo: parse_bool("ATRIUM_SEED_DEMO", var("ATRIUM_SEED_DEMO"), environment.allows_fakes())?,
            environment,
            page_cache: parse_bool("ATRIUM_PAGE_CACHE", var("ATRIUM_PAGE_CACHE"), true)?,
            max_in_flight: parse_or("ATRIUM_MAX_IN_FLIGHT", var("ATRIUM_MAX_IN_FLIGHT"), 256, |n| {
                (1..=100_000).contains(n)
            })?,
            body_read: crate::http::body_limit::ReadDeadline {
                grace: Duration::from_secs(parse_or(
                    "ATRIUM_BODY_READ_GRACE_SECS",
                    var("ATRIUM_BODY_READ_GRACE_SECS"),
                    crate::http::body_limit::ReadDeadline::DEFAULT.grace.as_secs(),
                    |n| (1..=3600).contains(n),
                )?),
                min_bytes_per_sec: 1024
                    * parse_or(
                        "ATRIUM_BODY_MIN_KIB_PER_SEC",
                        var("ATRIUM_BODY_MIN_KIB_PER_SEC"),
                        crate::http::body_limit::ReadDeadline::DEFAULT.min_bytes_per_sec / 1024,
                        |n| (1..=1024 * 1024).contains(n),
                    )?,
            },
            metrics_token: var("ATRIUM_METRICS_TOKEN"),
            public_url: match var("ATRIUM_PUBLIC_URL") {
                None => None,
                Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                    Some(url.trim_end_matches('/').to_string())
                }
                Some(other) => {
                    return Err(ConfigError {
                        variable: "ATRIUM_PUBLIC_URL",
                        message: format!("expected an http:// or https:// origin, got `{other}`"),
                    });
                }
            },
            smtp: match (var("ATRIUM_SMTP_URL"), var("ATRIUM_MAIL_FROM")) {
                (None, _) => None,
                (Some(url), _) if !(url.starts_with("smtp://") || url.starts_with("smtps://")) => {
                    // Never echo the value: it may hold a password.
                    return Err(ConfigError {
                        variable: "ATRIUM_SMTP_URL",
                        message: "expected an smtp:// or smtps:// URL".into(),
                    });
                }
                (Some(_), None) => {
                    return Err(ConfigError {
                        variable: "ATRIUM_MAIL_FROM",
                        message: "required with ATRIUM_SMTP_URL, e.g. `Atrium <no-reply@example.com>`".into(),
                    });
                }
                (Some(url), Some(from)) => Some(SmtpConfig { url, from }),
            },
            sign_in_attempts_per_email: parse_or(
                "ATRIUM_SIGNIN_ATTEMPTS_PER_EMAIL",
                var("ATRIUM_SIGNIN_ATTEMPTS_PER_EMAIL"),
                5,
                |n| (1..=1000).contains(n),
            )?,
            worker_in_process: parse_bool("ATRIUM_WORKER", var("ATRIUM_WORKER"), true)?,
            worker_concurrency: parse_or("ATRIUM_WORKER_CONCURRENCY", var("ATRIUM_WORKER_CONCURRENCY"), 4, |n| {
                (1..=256).contains(n)
            })?,
            sign_ups_per_ip: parse_or("ATRIUM_SIGNUPS_PER_IP", var("ATRIUM_SIGNUPS_PER_IP"), 5, |n| {
                (1..=100_000).contains(n)
            })?,
            trusted_proxies: crate::http::client_addr::TrustedProxies::parse(
                &var("ATRIUM_TRUSTED_PROXIES").unwrap_or_default(),
            )
            .map_err(|message| ConfigError { variable: "ATRIUM_TRUSTED_PROXIES", message })?,
            sign_in_attempts_per_ip: parse_or(
                "ATRIUM_SIGNIN_ATTEMPTS_PER_IP",
                var("ATRIUM_SIGNIN_ATTEMPTS_PER_IP"),
                50,
                |n| (1..=100_000).contains(n),
            )?,
        })
    }
}

fn parse_or<T>(
    variable: &'static str,
    value: Option<String>,
    default: T,
    valid: impl Fn(&T) -> bool,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + std::fmt::Display,
{
    let Some(value) = value else { return Ok(default) };
    match value.parse::<T>() {
        Ok(parsed) if valid(&parsed) => Ok(parsed),
        _ => Err(ConfigError { variable, message: format!("`{value}` is not valid (default: {default})") }),
    }
}

fn parse_bool(variable: &'static str, value: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError { variable, message: format!("expected true or false, got `{other}`") }),
    }
}

fn postgres_url(variable: &'static str, value: String) -> Result<String, ConfigError> {
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        Ok(value)
    } else {
        // Never echo the value: it may hold a password.
        Err(ConfigError { variable, message: "expected a postgres:// URL".into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_work_for_make_run() {
        let config = config(&[]).expect("defaults are valid");
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database, DatabaseConfig::Embedded);
        assert_eq!(config.log_format, LogFormat::Pretty);
        assert!(config.seed_demo);
        assert!(config.worker_in_process);
        assert_eq!(config.worker_concurrency, 4);
    }

    #[test]
    fn the_worker_can_be_turned_off_and_sized() {
        let sized = config(&[("ATRIUM_WORKER", "off"), ("ATRIUM_WORKER_CONCURRENCY", "12")]).expect("valid");
        assert!(!sized.worker_in_process);
        assert_eq!(sized.worker_concurrency, 12);
        assert_eq!(
            config(&[("ATRIUM_WORKER_CONCURRENCY", "0")]).map_err(|error| error.variable),
            Err("ATRIUM_WORKER_CONCURRENCY")
        );
    }

    #[test]
    fn real_integrations_are_chosen_by_their_variables_and_secrets_stay_out_of_debug() {
        let real = config(&[
            ("ASAAS_BASE_URL", "sandbox"),
            ("ZAPI_BASE_URL", "https://api.z-api.io/"),
            ("ZAPI_CLIENT_TOKEN", "sekret-token"),
            ("LLM_API_KEY", "sk-sekret"),
            ("LLM_MODEL", "gpt-4o-mini"),
        ])
        .expect("valid");
        assert_eq!(real.asaas_base_url.as_deref(), Some("https://api-sandbox.asaas.com/v3"));
        assert_eq!(real.zapi.as_ref().map(|zapi| zapi.base_url.as_str()), Some("https://api.z-api.io"));
        assert!(real.llm.is_some());
        assert!(!format!("{real:?}").contains("sekret"));
        assert_eq!(
            config(&[("ASAAS_BASE_URL", "api.asaas.com")]).map_err(|error| error.variable),
            Err("ASAAS_BASE_URL")
        );
        assert_eq!(config(&[("LLM_API_KEY", "sk-x")]).map_err(|error| error.variable), Err("LLM_MODEL"));
    }

    #[test]
    fn files_live_under_the_home_by_default() {
        let config = config(&[]).expect("defaults are valid");
        assert_eq!(config.files_dir, PathBuf::from(".atrium/files"));
        assert_eq!((config.asaas_base_url, config.zapi, config.llm), (None, None, None), "fakes by default");
        let home_elsewhere = self::config(&[("ATRIUM_HOME", "/srv/atrium")]).expect("valid");
        assert_eq!(home_elsewhere.files_dir, PathBuf::from("/srv/atrium/files"));
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let error = config(&[("ATRIUM_ADDR", "localhost")]).expect_err("not a socket address");
        assert_eq!(error.variable, "ATRIUM_ADDR");
        assert!(error.to_string().contains("ATRIUM_ADDR"), "{error}");
        assert_eq!(config(&[("LOG_FORMAT", "xml")]).expect_err("bad format").variable, "LOG_FORMAT");
        assert_eq!(
            config(&[("ATRIUM_BODY_LIMIT_BYTES", "-5")]).expect_err("negative").variable,
            "ATRIUM_BODY_LIMIT_BYTES"
        );
        assert_eq!(config(&[("ATRIUM_SEED_DEMO", "maybe")]).expect_err("bad bool").variable, "ATRIUM_SEED_DEMO");
    }

    #[test]
    fn an_external_database_needs_the_owner_url_too() {
        let error = config(&[("DATABASE_URL", "postgres://app@db/atrium")]).expect_err("owner missing");
        assert_eq!(error.variable, "DATABASE_OWNER_URL");
        let ok = config(&[
            ("DATABASE_URL", "postgres://app@db/atrium"),
            ("DATABASE_OWNER_URL", "postgres://owner@db/atrium"),
        ])
        .expect("both set");
        assert!(matches!(ok.database, DatabaseConfig::External { max_connections: 10, .. }));
    }

    #[test]
    fn smtp_needs_a_sender_and_never_shows_its_password() {
        assert_eq!(
            config(&[("ATRIUM_SMTP_URL", "smtp://u:hunter2@mail")]).expect_err("no from").variable,
            "ATRIUM_MAIL_FROM"
        );
        let error = config(&[("ATRIUM_SMTP_URL", "http://u:hunter2@mail")]).expect_err("bad scheme");
        assert!(!error.to_string().contains("hunter2"));
        let ok = config(&[("ATRIUM_SMTP_URL", "smtp://u:hunter2@mail"), ("ATRIUM_MAIL_FROM", "Atrium <a@b.example>")])
            .expect("valid");
        assert!(!format!("{ok:?}").contains("hunter2"));
    }

    #[test]
    fn trusted_proxies_are_none_by_default_and_a_bad_block_names_the_variable() {
        assert!(config(&[]).expect("defaults").trusted_proxies.0.is_empty());
        let set = config(&[("ATRIUM_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32")]).expect("valid");
        assert_eq!(set.trusted_proxies.0.len(), 2);
        assert_eq!(
            config(&[("ATRIUM_TRUSTED_PROXIES", "10.0.0.0/33")]).map_err(|error| error.variable),
            Err("ATRIUM_TRUSTED_PROXIES")
        );
    }

    #[test]
    fn database_urls_are_not_echoed_back() {
        let error = config(&[("DATABASE_URL", "mysql://user:secret@db")]).expect_err("wrong scheme");
        assert!(!error.to_string().contains("secret"));
    }
}
