//! Background jobs: what the product puts on the queue (`enqueue`, ssr-only), and the backoffice page where owners
//! and staff watch their tenant's queue and retry or discard dead jobs. The worker that runs jobs is the
//! process's business and lives in `server/src/jobs/`.

pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
mod enqueue;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use enqueue::{EnqueueOptions, Enqueued, Job, enqueue, enqueue_json};
