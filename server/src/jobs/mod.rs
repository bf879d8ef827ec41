//! The job worker: claims ready jobs of every tenant (SKIP LOCKED, through the `jobs_claim` door in the
//! migration), runs each in its tenant's `TenantTx` with a timeout, marks it done in that same transaction, and on
//! failure schedules a retry with exponential backoff and jitter or moves it to the dead letters. It wakes on
//! `NOTIFY atrium_jobs` and polls as a fallback (and for scheduled jobs); on shutdown it stops claiming, lets
//! running jobs finish for a grace period and gives the rest back to the queue.
//!
//! Jobs are enqueued with `app::platform::jobs::enqueue`; handlers are registered in a `Registry`.

mod backoff;
pub mod catalog;
mod handler;
mod registry;
mod worker;

pub use backoff::Backoff;
pub use handler::{JobContext, JobError, JobHandler, JobSettings};
pub use registry::Registry;
pub use worker::{Worker, WorkerHandle, WorkerSettings};
