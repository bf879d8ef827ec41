//! Which kinds this worker runs, with their settings, plus the periodic tasks it keeps ticking.

use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc, time::Duration};

use sqlx::PgPool;

use super::{JobContext, JobError, JobHandler, JobSettings};
use app::platform::jobs::Job;

pub(super) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A handler with its job type erased: the payload arrives as JSON and is parsed here, so a payload that does not
/// fit its kind is a permanent error rather than a retry loop.
pub(super) trait ErasedHandler: Send + Sync {
    fn settings(&self) -> JobSettings;
    fn run<'a>(
        &'a self,
        payload: serde_json::Value,
        context: &'a mut JobContext,
    ) -> BoxFuture<'a, Result<(), JobError>>;
}

struct Typed<H>(H);

impl<H: JobHandler> ErasedHandler for Typed<H> {
    fn settings(&self) -> JobSettings {
        self.0.settings()
    }

    fn run<'a>(
        &'a self,
        payload: serde_json::Value,
        context: &'a mut JobContext,
    ) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let job: H::Job = serde_json::from_value(payload)
                .map_err(|error| JobError::permanent(format!("the payload does not fit {}: {error}", H::Job::KIND)))?;
            self.0.run(job, context).await
        })
    }
}

/// A task run every `every` by each worker (e.g. enqueueing the reconciliation of every tenant): it should only
/// enqueue, with an idempotency key per period, so several workers ticking at once still make one job.
pub type PeriodicTask = Arc<dyn Fn(PgPool) -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

pub(super) struct Periodic {
    pub name: &'static str,
    pub every: Duration,
    pub task: PeriodicTask,
}

#[derive(Default)]
pub struct Registry {
    pub(super) handlers: HashMap<&'static str, Arc<dyn ErasedHandler>>,
    pub(super) periodic: Vec<Periodic>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").field("kinds", &self.kinds()).finish_non_exhaustive()
    }
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the handler of `H::Job::KIND`. A kind registered twice keeps the last handler.
    #[must_use]
    pub fn register<H: JobHandler>(mut self, handler: H) -> Self {
        self.handlers.insert(H::Job::KIND, Arc::new(Typed(handler)));
        self
    }

    /// Runs `task` every `every` (first run one period after start).
    #[must_use]
    pub fn every<F, Fut>(mut self, name: &'static str, every: Duration, task: F) -> Self
    where
        F: Fn(PgPool) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.periodic.push(Periodic { name, every, task: Arc::new(move |pool| Box::pin(task(pool))) });
        self
    }

    pub fn kinds(&self) -> Vec<&'static str> {
        let mut kinds: Vec<_> = self.handlers.keys().copied().collect();
        kinds.sort_unstable();
        kinds
    }

    pub(super) fn handler(&self, kind: &str) -> Option<Arc<dyn ErasedHandler>> {
        self.handlers.get(kind).cloned()
    }
}
