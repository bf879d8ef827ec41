//! Password hashing: argon2id with the OWASP parameters (19 MiB, t=2, p=1).
//!
//! Each hash costs ~19 MiB and tens of milliseconds of one core, so it runs on the blocking pool, never on the
//! async workers, and a semaphore bounds how many run at once: a login flood queues here (and gives up after a
//! while) instead of eating every core and all memory while other requests starve.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordVerifier, Version,
    password_hash::{PasswordHasher as _, SaltString, rand_core::OsRng},
};
use tokio::sync::Semaphore;

use crate::i18n::Text;
use crate::platform::AppError;

/// How many hashes may run at once, and how long a request waits for its turn.
#[derive(Debug, Clone, Copy)]
pub struct PasswordHashing {
    pub concurrency: usize,
    pub queue_timeout: Duration,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Self { concurrency: cores, queue_timeout: Duration::from_secs(10) }
    }
}

#[derive(Debug, Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    queue_timeout: Duration,
    load: Arc<HashingLoad>,
}

/// How many hashes run right now, and the most that ever ran at once (for tests and diagnostics).
#[derive(Debug, Default)]
struct HashingLoad {
    running: AtomicUsize,
    peak: AtomicUsize,
}

const BUSY: Text = Text::new(
    "Muitas pessoas estão entrando agora. Tente de novo em alguns segundos.",
    "Many people are signing in right now. Try again in a few seconds.",
);

/// A hash of a password nobody has, verified when the e-mail is unknown so that the answer takes as long as for
/// a real account (no timing hint about which e-mails exist).
static DECOY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn decoy_hash() -> String {
    DECOY_HASH
        .get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .ok()
                .and_then(|argon| {
                    argon.hash_password(b"not anyone's password", &salt).ok().map(|hash| hash.to_string())
                })
                .unwrap_or_default()
        })
        .clone()
}

fn argon2() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|error| AppError::unexpected("argon2 params", error))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

impl PasswordHasher {
    pub fn new(settings: PasswordHashing) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            queue_timeout: settings.queue_timeout,
            load: Arc::default(),
        }
    }

    /// Hashes running at this moment.
    pub fn running(&self) -> usize {
        self.load.running.load(Ordering::SeqCst)
    }

    /// The most hashes that ever ran at once in this hasher.
    pub fn peak(&self) -> usize {
        self.load.peak.load(Ordering::SeqCst)
    }

    /// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for a new password.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()?
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| AppError::unexpected("hash a password", error))
        })
        .await
    }

    /// Whether `password` matches `stored`; with no stored hash (unknown e-mail, invited person) it does the same
    /// work against a decoy and answers no.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, AppError> {
        self.run(move || {
            let real = stored.is_some();
            let phc = stored.unwrap_or_else(decoy_hash);
            let Ok(parsed) = PasswordHash::new(&phc) else {
                return Ok(false);
            };
            // Verify with the parameters in the stored hash (older hashes keep working if the defaults change).
            let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
            Ok(real && matches)
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.queue_timeout, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::limit(BUSY.get(crate::platform::context::request_locale())))?
            .map_err(|error| AppError::unexpected("password hashing closed", error))?;
        let load = self.load.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let now = load.running.fetch_add(1, Ordering::SeqCst) + 1;
            load.peak.fetch_max(now, Ordering::SeqCst);
            let outcome = work();
            load.running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            outcome
        })
        .await;
        outcome.map_err(|error| AppError::unexpected("password hashing task", error))?
    }
}
