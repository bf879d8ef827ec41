//! The live channel: one WebSocket per tab (`/ws`), topics scoped to the person's tenant, events published from
//! inside a tenant transaction and delivered to every server process through PostgreSQL `LISTEN/NOTIFY`.
//!
//! - [`protocol`]: the typed wire messages, shared by the server and the browser (the README documents them).
//! - [`topic`]: the topic kinds and who may subscribe to each; adding a kind is a change to that one file.
//! - [`publish`] (server only): how a module publishes, inside its `TenantTx`.
//! - [`client`]: how a page listens (`use_live`); `hub` (browser only) is the tab's one socket behind it, and
//!   [`status`] its connection state and the frame's "Reconectando…" line.
//! - [`demo`]: the live demo on the jobs page (an event typed on one screen shows on the others; who is here).

pub mod client;
pub mod demo;
pub mod protocol;
pub mod sequence;
pub mod status;
pub mod topic;

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
mod hub;
#[cfg(feature = "ssr")]
pub mod publish;

pub use client::{Live, use_live};
pub use protocol::{Activity, ClientMessage, Event, Present, ServerMessage};
pub use status::{Connection, LiveIndicator};
pub use topic::{Topic, TopicKind};

#[cfg(feature = "ssr")]
pub use publish::publish;
