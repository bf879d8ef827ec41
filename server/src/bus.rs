//! The cross-process bus: PostgreSQL `LISTEN/NOTIFY`. What one server process commits, every process hears.
//!
//! Today it carries `atrium_directory` (tenant and person changes, so each process's in-memory directory forgets
//! them); the live channel's events will ride on it too. One connection per process listens on every channel.
//! Notices sent while the connection is down are lost (PostgreSQL does not keep them), so each subscriber is told
//! when the bus stops hearing and when it hears again, and must assume it missed something in between.

use std::{sync::Arc, time::Duration};

use app::platform::directory::{self, Change, Directory};
use sqlx::{
    PgPool,
    postgres::{PgListener, PgPoolOptions},
};

/// Someone who acts on notices of one channel.
pub trait Subscriber: Send + Sync + 'static {
    fn channel(&self) -> &'static str;
    fn notice(&self, payload: &str);
    /// The bus listens (again): every notice from now on arrives.
    fn hearing(&self);
    /// The bus lost its connection: notices may be missed until `hearing`.
    fn deaf(&self);
}

impl Subscriber for Directory {
    fn channel(&self) -> &'static str {
        directory::CHANNEL
    }

    fn notice(&self, payload: &str) {
        self.forget(Change::parse(payload));
    }

    fn hearing(&self) {
        self.listening();
    }

    fn deaf(&self) {
        Directory::deaf(self);
    }
}

/// The listening task; dropping the handle (the last clone of the app state) stops it.
#[derive(Debug)]
pub struct BusHandle(tokio::task::JoinHandle<()>);

impl Drop for BusHandle {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts listening for `subscribers`, reconnecting with backoff for as long as the handle lives and `pool` is
/// open. The listening connection is its own (same database and role as `pool`), not one of the pool's: held for
/// the process's life, it would leave one connection fewer for requests.
pub fn spawn(pool: PgPool, subscribers: Vec<Arc<dyn Subscriber>>) -> BusHandle {
    let options = (*pool.connect_options()).clone();
    let own =
        PgPoolOptions::new().max_connections(1).acquire_timeout(Duration::from_secs(5)).connect_lazy_with(options);
    BusHandle(tokio::spawn(async move {
        let mut backoff = Duration::from_millis(100);
        while !pool.is_closed() {
            match listen(&own, &subscribers).await {
                Ok(()) => backoff = Duration::from_millis(100),
                Err(error) => {
                    tracing::warn!(%error, "bus: listening failed; retrying");
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                }
            }
            for subscriber in &subscribers {
                subscriber.deaf();
            }
            tokio::time::sleep(backoff).await;
        }
        for subscriber in &subscribers {
            subscriber.deaf();
        }
    }))
}

/// One connection's life: subscribe, tell everyone we hear, pass notices on until the connection drops.
async fn listen(pool: &PgPool, subscribers: &[Arc<dyn Subscriber>]) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    // No reconnect inside sqlx: a reconnect must be seen here, because notices were lost meanwhile.
    listener.eager_reconnect(false);
    let channels: Vec<&str> = subscribers.iter().map(|subscriber| subscriber.channel()).collect();
    listener.listen_all(channels).await?;
    for subscriber in subscribers {
        subscriber.hearing();
    }
    tracing::debug!("bus: listening");
    // `try_recv` answers `None` when the connection was lost (sqlx would reconnect on the next call, silently).
    while let Some(notification) = listener.try_recv().await? {
        for subscriber in subscribers.iter().filter(|subscriber| subscriber.channel() == notification.channel()) {
            subscriber.notice(notification.payload());
        }
    }
    tracing::warn!("bus: connection lost; notices may have been missed");
    Ok(())
}
