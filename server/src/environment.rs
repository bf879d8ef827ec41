//! `ATRIUM_ENV`: development or production. Demo data, the in-process fakes (Asaas, Z-API, LLM) and the log
//! mailer are development conveniences; a production server refuses to start while any of them would be active.
//!
//! Safe by default: only a server that runs its own private cluster (`make run`, the tests) is in development
//! unless told otherwise. With `DATABASE_URL` set the server is in production unless `ATRIUM_ENV=development` is
//! said explicitly.

use crate::config::{Config, ConfigError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    /// Reads `ATRIUM_ENV`; without it, development only with the private cluster.
    pub fn from_var(value: Option<&str>, private_cluster: bool) -> Result<Self, ConfigError> {
        match value.map(str::to_ascii_lowercase).as_deref() {
            None if private_cluster => Ok(Self::Development),
            None => Ok(Self::Production),
            Some("development") => Ok(Self::Development),
            Some("production") => Ok(Self::Production),
            Some(other) => Err(ConfigError {
                variable: "ATRIUM_ENV",
                message: format!("expected `development` or `production`, got `{other}`"),
            }),
        }
    }

    /// In-process fakes (and their loopback origins) may be used: development only.
    pub fn allows_fakes(self) -> bool {
        self == Self::Development
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Production => "production",
        }
    }
}

/// What a production start-up refuses, each with what to configure instead. Empty in development.
pub fn production_refusals(config: &Config) -> Vec<&'static str> {
    if config.environment.allows_fakes() {
        return Vec::new();
    }
    let mut refusals = Vec::new();
    if config.seed_demo {
        refusals.push("demo data is on (unset ATRIUM_SEED_DEMO or set it to false)");
    }
    if config.asaas_base_url.is_none() {
        refusals.push("Asaas would be the in-process fake (set ASAAS_BASE_URL to `production`, `sandbox` or a URL)");
    }
    if config.zapi.is_none() {
        refusals.push("Z-API would be the in-process fake (set ZAPI_BASE_URL and ZAPI_CLIENT_TOKEN)");
    }
    if config.llm.is_none() {
        refusals
            .push("the language model would be the in-process fake (set LLM_BASE_URL or LLM_API_KEY, and LLM_MODEL)");
    }
    if config.smtp.is_none() {
        refusals.push("e-mails would only be written to the log (set ATRIUM_SMTP_URL and ATRIUM_MAIL_FROM)");
    }
    refusals
}

/// One error listing everything a production start-up refuses, or `Ok` when nothing is.
pub fn check(config: &Config) -> Result<(), ConfigError> {
    let refusals = production_refusals(config);
    if refusals.is_empty() {
        return Ok(());
    }
    Err(ConfigError {
        variable: "ATRIUM_ENV",
        message: format!(
            "production refuses development conveniences: {}. (For a local trial against your own database, set \
             ATRIUM_ENV=development.)",
            refusals.join("; ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    const EXTERNAL: [(&str, &str); 2] =
        [("DATABASE_URL", "postgres://app@db/atrium"), ("DATABASE_OWNER_URL", "postgres://owner@db/atrium")];

    const REAL_SERVICES: [(&str, &str); 6] = [
        ("ASAAS_BASE_URL", "sandbox"),
        ("ZAPI_BASE_URL", "https://api.z-api.io"),
        ("ZAPI_CLIENT_TOKEN", "token"),
        ("LLM_API_KEY", "sk-x"),
        ("LLM_MODEL", "gpt-4o-mini"),
        ("ATRIUM_SMTP_URL", "smtp://relay:25"),
    ];

    fn production_ready() -> Vec<(&'static str, &'static str)> {
        let mut vars = EXTERNAL.to_vec();
        vars.extend(REAL_SERVICES);
        vars.push(("ATRIUM_MAIL_FROM", "Atrium <no-reply@example.com>"));
        vars
    }

    #[test]
    fn the_private_cluster_is_development_and_an_external_database_is_production_by_default() {
        let private = config(&[]).expect("valid");
        assert_eq!(private.environment, Environment::Development);
        assert!(private.seed_demo, "demo data by default in development");
        assert_eq!(check(&private), Ok(()));

        let external = config(&EXTERNAL).expect("valid");
        assert_eq!(external.environment, Environment::Production);
        assert!(!external.seed_demo, "no demo data by default in production");

        let mut said = EXTERNAL.to_vec();
        said.push(("ATRIUM_ENV", "development"));
        let development = config(&said).expect("valid");
        assert_eq!(development.environment, Environment::Development);
        assert_eq!(check(&development), Ok(()), "development against an own database may use the fakes");

        assert_eq!(config(&[("ATRIUM_ENV", "production")]).expect("valid").environment, Environment::Production);
        assert_eq!(config(&[("ATRIUM_ENV", "staging")]).map_err(|error| error.variable), Err("ATRIUM_ENV"));
    }

    #[test]
    fn production_refuses_every_development_convenience_in_one_message() {
        let error = check(&config(&EXTERNAL).expect("valid")).expect_err("fakes and log mailer refused");
        assert_eq!(error.variable, "ATRIUM_ENV");
        for names in ["ASAAS_BASE_URL", "ZAPI_BASE_URL", "LLM_MODEL", "ATRIUM_SMTP_URL"] {
            assert!(error.message.contains(names), "{names} missing from: {error}");
        }
        assert!(!error.message.contains("ATRIUM_SEED_DEMO"), "demo data is off by default: {error}");

        let mut with_demo = production_ready();
        with_demo.push(("ATRIUM_SEED_DEMO", "true"));
        let error = check(&config(&with_demo).expect("valid")).expect_err("demo data refused");
        assert!(error.message.contains("ATRIUM_SEED_DEMO"), "{error}");
        assert!(!error.message.contains("ASAAS_BASE_URL"), "only what is wrong is named: {error}");

        assert_eq!(check(&config(&production_ready()).expect("valid")), Ok(()));
    }
}
