//! Runs a fake provider's axum router on `127.0.0.1:0` in this process, stopped when the last handle goes away.

use std::{net::SocketAddr, sync::Arc};

use axum::Router;
use tokio::{net::TcpListener, task::JoinHandle};

/// Aborts the server task on drop (held in an `Arc` by every clone of a fake's handle).
#[derive(Debug)]
pub(crate) struct ServerTask(JoinHandle<()>);

impl Drop for ServerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Binds a free local port first (the router may need its own address, e.g. for links it hands out).
pub(crate) async fn bind() -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

pub(crate) fn spawn(listener: TcpListener, router: Router) -> Arc<ServerTask> {
    Arc::new(ServerTask(tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::warn!(%error, "a fake provider stopped");
        }
    })))
}
