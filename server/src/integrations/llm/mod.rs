//! The language model: a client for any OpenAI-compatible chat-completions server (OpenAI, Groq, a local
//! llama.cpp) and an in-process fake of one. Services never use these directly: they get an
//! `Arc<dyn LanguageModel>` and call it through `app::platform::ai`, which keeps the budget and the ledger.
//!
//! Configuration (`LLM_*`): with none set, the server starts `FakeLlm` and points an `LlmClient` at it, so the
//! real client code runs on a laptop too.

mod client;
pub mod fake;
mod wire;

use std::time::Duration;

pub use client::{DEPENDENCY, LlmClient};
pub use fake::{FakeLlm, FakeMode};

use crate::config::ConfigError;

#[derive(Clone, PartialEq, Eq)]
pub struct LlmSettings {
    /// `LLM_BASE_URL`: up to and including `/v1`: `https://api.openai.com/v1`, `https://api.groq.com/openai/v1`,
    /// `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    /// `LLM_API_KEY`: sent as `Authorization: Bearer …` when set (a local llama.cpp needs none).
    pub api_key: Option<String>,
    /// `LLM_MODEL`: the model used when a request names none.
    pub model: String,
    /// `LLM_TIMEOUT_SECS`: the longest a whole call may take (default 30).
    pub timeout: Duration,
}

impl std::fmt::Debug for LlmSettings {
    // Never print the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const OPENAI: &str = "https://api.openai.com/v1";

impl LlmSettings {
    /// The settings in `LLM_*`, or `None` when neither `LLM_BASE_URL` nor `LLM_API_KEY` is set (use the fake).
    /// A key alone means OpenAI. `LLM_MODEL` is required with either: no default fits every provider.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, ConfigError> {
        let var = |name: &str| lookup(name).map(|value| value.trim().to_string()).filter(|value| !value.is_empty());
        let api_key = var("LLM_API_KEY");
        let base_url = match var("LLM_BASE_URL") {
            None if api_key.is_none() => return Ok(None),
            None => OPENAI.to_string(),
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.trim_end_matches('/').to_string()
            }
            Some(other) => {
                return Err(ConfigError {
                    variable: "LLM_BASE_URL",
                    message: format!("expected an http:// or https:// URL ending in /v1, got `{other}`"),
                });
            }
        };
        let model = var("LLM_MODEL").ok_or_else(|| ConfigError {
            variable: "LLM_MODEL",
            message: "required with LLM_BASE_URL or LLM_API_KEY, e.g. `gpt-4o-mini`".into(),
        })?;
        let timeout = match var("LLM_TIMEOUT_SECS") {
            None => DEFAULT_TIMEOUT,
            Some(value) => match value.parse::<u64>() {
                Ok(secs @ 1..=600) => Duration::from_secs(secs),
                _ => {
                    return Err(ConfigError {
                        variable: "LLM_TIMEOUT_SECS",
                        message: format!("`{value}` is not valid: 1 to 600 seconds (default 30)"),
                    });
                }
            },
        };
        Ok(Some(Self { base_url, api_key, model, timeout }))
    }

    /// Pointing at a running fake, no key.
    pub fn for_fake(fake: &FakeLlm) -> Self {
        Self {
            base_url: fake.base_url().to_string(),
            api_key: None,
            model: fake::FAKE_MODEL.into(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Option<LlmSettings>, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect();
        LlmSettings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn nothing_set_means_the_fake() {
        assert_eq!(settings(&[]).unwrap(), None);
        assert_eq!(settings(&[("LLM_MODEL", "x")]).unwrap(), None);
    }

    #[test]
    fn a_key_alone_means_openai_and_a_local_server_needs_no_key() {
        let openai = settings(&[("LLM_API_KEY", "sk-123"), ("LLM_MODEL", "gpt-4o-mini")]).unwrap().unwrap();
        assert_eq!(openai.base_url, OPENAI);
        assert_eq!(openai.timeout, DEFAULT_TIMEOUT);
        assert!(!format!("{openai:?}").contains("sk-123"), "the key is never printed");
        let local = settings(&[
            ("LLM_BASE_URL", "http://127.0.0.1:8080/v1/"),
            ("LLM_MODEL", "qwen"),
            ("LLM_TIMEOUT_SECS", "90"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(local.base_url, "http://127.0.0.1:8080/v1");
        assert_eq!(local.api_key, None);
        assert_eq!(local.timeout, Duration::from_secs(90));
    }

    #[test]
    fn bad_values_name_their_variable() {
        assert_eq!(settings(&[("LLM_BASE_URL", "api.groq.com")]).unwrap_err().variable, "LLM_BASE_URL");
        assert_eq!(settings(&[("LLM_API_KEY", "k")]).unwrap_err().variable, "LLM_MODEL");
        let timeout = settings(&[("LLM_API_KEY", "k"), ("LLM_MODEL", "m"), ("LLM_TIMEOUT_SECS", "0")]);
        assert_eq!(timeout.unwrap_err().variable, "LLM_TIMEOUT_SECS");
    }
}
