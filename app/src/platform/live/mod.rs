//! The live channel: one WebSocket per tab (`/ws`), topics scoped to the person's tenant, events published from
//! inside a tenant transaction and delivered to every server process through PostgreSQL `LISTEN/NOTIFY`.
//!
//! - [`protocol`]: the typed wire messages, shared by the server and the browser (the README documents them).
//! - [`topic`]: the topic kinds and who may subscribe to each; adding a kind is a change to that one file.
//! - [`publish`] (server only): how a module publishes, inside its `TenantTx`.

pub mod protocol;
pub mod topic;

#[cfg(feature = "ssr")]
pub mod publish;

pub use protocol::{Activity, ClientMessage, Event, Present, ServerMessage};
pub use topic::{Topic, TopicKind};

#[cfg(feature = "ssr")]
pub use publish::publish;
