//! The Atrium process: configuration, the private PostgreSQL cluster, migrations, the HTTP router with its
//! middleware, telemetry, and graceful shutdown. `app` holds the product; this crate runs it.
// Deep Leptos view types (the design-system gallery) need more room than the default when rendered.
#![recursion_limit = "512"]

pub mod bus;
pub mod config;
pub mod database;
pub mod environment;
pub mod files;
pub mod http;
pub mod integrations;
pub mod jobs;
pub mod live;
pub mod mail;
pub mod operator;
pub mod serve;
pub mod telemetry;
pub mod turns;
pub mod webhooks;

#[cfg(feature = "test-support")]
pub mod test_support;

pub use serve::run;
