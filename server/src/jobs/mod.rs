//! The job worker: claims ready jobs of every tenant (SKIP LOCKED, through the `jobs_claim` door in the
//! migration), runs each in its tenant's `TenantTx` with a timeout, marks it done in that same transaction, and on
//! failure schedules a retry with exponential backoff and jitter or moves it to the dead letters. It wakes on
//! `NOTIFY atrium_jobs` and polls as a fallback (and for scheduled jobs); on shutdown it stops claiming, lets
//! running jobs finish for a grace period and gives the rest back to the queue.
//!
//! Every claim has its own token (the job's `locked_by`), which fences each later change of the job, and a lease
//! covering what the claim may run. A live worker holds an advisory lock on its id (`liveness`); a rescuer that can
//! take it knows the worker died and gives its jobs back at once.
//!
//! Jobs are enqueued with `app::platform::jobs::enqueue`; handlers are registered in a `Registry`.

mod backoff;
pub mod catalog;
pub mod crm_queue;
pub mod finance_recurring;
mod handler;
mod live_counts;
mod liveness;
pub mod payment_window;
mod registry;
mod worker;

pub use backoff::Backoff;
pub use handler::{JobContext, JobError, JobHandler, JobSettings};
pub use registry::Registry;
pub use worker::{Worker, WorkerHandle, WorkerSettings};
