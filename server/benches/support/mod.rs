//! What the live-channel benches share: the seeded server in a child process, signing in, the clock, the child's
//! memory and the open-file limit.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{SystemTime, UNIX_EPOCH},
};

use app::platform::live::{ClientMessage, ServerMessage};
use futures_util::{SinkExt, StreamExt};
use server::{database::seed, test_support::TestServer};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{Message, client::IntoClientRequest, protocol::WebSocketConfig},
};

// The open-file limit, in a file of its own: the floor bench (`live_floor.rs`) needs it without a server.
mod fd_limit;
pub use fd_limit::raise_fd_limit;

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The child: a seeded server; prints its URL and database URL, then serves until killed.
pub async fn serve() {
    raise_fd_limit();
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    server.wait_until_listening().await;
    println!("{} {}", server.url, server.database.app_url);
    std::future::pending::<()>().await;
}

/// Starts this binary again as `serve`; answers the child, the server's URL and its database URL.
pub fn spawn_server() -> (Child, String, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let mut words = line.split_whitespace();
    let (url, database) = (words.next().unwrap().to_string(), words.next().unwrap().to_string());
    (child, url, database)
}

/// Signs a demo person of Faculdade Famath in; answers the session cookie's value.
pub async fn sign_in(url: &str, email: &str) -> String {
    let form = [("tenant", "famath"), ("email", email), ("password", seed::DEMO_PASSWORD)];
    let response =
        reqwest::Client::new().post(format!("{url}/api/auth/sign_in")).header("origin", url).form(&form).send().await;
    let response = response.unwrap();
    let cookie = response.headers().get_all("set-cookie").iter().find_map(|value| {
        value
            .to_str()
            .ok()?
            .strip_prefix("atrium_session=")
            .map(|rest| rest.split(';').next().unwrap_or("").to_string())
    });
    cookie.expect("signed in")
}

/// Opens `/ws` with the session and subscribes to `topic`; answers once the server said "subscribed".
pub async fn watch(url: &str, session: &str, topic: &str) -> Socket {
    let mut request = format!("{}/ws", url.replacen("http", "ws", 1)).into_client_request().unwrap();
    request.headers_mut().insert("origin", url.parse().unwrap());
    request.headers_mut().insert("cookie", format!("atrium_session={session}").parse().unwrap());
    // The client's read buffer sized like the server's: tungstenite zeroes the whole buffer (128 KiB by default)
    // before each read, which made this load client, not the server, the slower half of every delivery.
    let config = WebSocketConfig::default().read_buffer_size(4 * 1024);
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(request, Some(config), false).await.unwrap();
    let subscribe = ClientMessage::Subscribe { topic: topic.to_string() };
    socket.send(Message::text(serde_json::to_string(&subscribe).unwrap())).await.unwrap();
    loop {
        if let Some(Ok(Message::Text(text))) = socket.next().await
            && matches!(serde_json::from_str(&text), Ok(ServerMessage::Subscribed { .. }))
        {
            return socket;
        }
    }
}

pub fn now_micros() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_micros()
}

pub fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The value at quantile `q` of sorted figures.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted.get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1))).copied().unwrap_or(f64::NAN)
}
