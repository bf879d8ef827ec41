//! The live channel (`/ws`): who may connect and watch what, events leaving only with their commit and crossing
//! processes, resync after the bus loses its connection, slow readers cut off, ended sessions closed.

use std::time::Duration;

use app::platform::{
    live::{Activity, ClientMessage, Event, ServerMessage, Topic, publish},
    tenancy::TenantTx,
};
use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{self, Message, client::IntoClientRequest},
};
use uuid::Uuid;

use crate::browser::{Browser, DEMO_PASSWORD};

async fn seeded() -> TestServer {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    server.wait_until_listening().await;
    server
}

async fn signed_in(server: &TestServer, tenant: &str, email: &str) -> Browser {
    let mut browser = Browser::new(server);
    assert_eq!(browser.sign_in(tenant, email, DEMO_PASSWORD).await.0, StatusCode::OK);
    browser
}

async fn tenant_id(server: &TestServer, slug: &str) -> Uuid {
    sqlx::query_scalar("select id from tenants where slug = $1").bind(slug).fetch_one(&server.pool).await.unwrap()
}

pub(crate) struct Socket(WebSocketStream<MaybeTlsStream<TcpStream>>);

fn request(server: &TestServer, session: Option<&str>, origin: &str) -> tungstenite::handshake::client::Request {
    let mut request = format!("{}/ws", server.url.replacen("http", "ws", 1)).into_client_request().unwrap();
    request.headers_mut().insert("origin", origin.parse().unwrap());
    if let Some(session) = session {
        request.headers_mut().insert("cookie", format!("atrium_session={session}").parse().unwrap());
    }
    request
}

/// Opens `/ws` as `browser` (with its Origin); the refusal's status if refused.
async fn connect(server: &TestServer, browser: Option<&Browser>, origin: &str) -> Result<Socket, StatusCode> {
    let session = browser.and_then(|browser| browser.session.as_deref());
    match tokio_tungstenite::connect_async(request(server, session, origin)).await {
        Ok((socket, _)) => Ok(Socket(socket)),
        Err(tungstenite::Error::Http(response)) => Err(StatusCode::from_u16(response.status().as_u16()).unwrap()),
        Err(error) => panic!("connecting: {error}"),
    }
}

pub(crate) async fn open(server: &TestServer, browser: &Browser) -> Socket {
    connect(server, Some(browser), &server.url).await.expect("the socket opens")
}

impl Socket {
    async fn send(&mut self, message: &ClientMessage) {
        self.0.send(Message::text(serde_json::to_string(message).unwrap())).await.unwrap();
    }

    /// The next message, within 5 s; `None` if the socket closed.
    pub(crate) async fn next(&mut self) -> Option<ServerMessage> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let frame = tokio::time::timeout_at(deadline, self.0.next()).await.expect("a message within 5 s");
            match frame {
                Some(Ok(Message::Text(text))) => return Some(serde_json::from_str(&text).unwrap()),
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => {}
            }
        }
    }

    pub(crate) async fn subscribe(&mut self, topic: &str) -> ServerMessage {
        self.send(&ClientMessage::Subscribe { topic: topic.into() }).await;
        self.next().await.expect("an answer")
    }

    /// Nothing but heartbeats arrives for `quiet`.
    async fn silent_for(&mut self, quiet: Duration) -> bool {
        loop {
            match tokio::time::timeout(quiet, self.0.next()).await {
                Err(_) => return true,
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => {}
                Ok(_) => return false,
            }
        }
    }
}

fn subscribed(topic: &str, seq: i64) -> ServerMessage {
    ServerMessage::Subscribed { topic: topic.into(), seq }
}

fn refused(topic: &str) -> ServerMessage {
    ServerMessage::Refused { topic: topic.into() }
}

fn demo(seq: i64, text: &str) -> ServerMessage {
    ServerMessage::Event { topic: "demo".into(), seq, event: Event::Demo { text: text.into() } }
}

async fn publish_on(pool: &sqlx::PgPool, tenant: Uuid, topic: Topic, event: Event) -> i64 {
    let mut tx = TenantTx::begin(pool, tenant).await.unwrap();
    let seq = publish(&mut tx, topic, &event).await.unwrap();
    tx.commit().await.unwrap();
    seq
}

#[tokio::test]
async fn the_socket_needs_a_session_and_our_own_origin() {
    let server = seeded().await;
    assert_eq!(connect(&server, None, &server.url).await.err(), Some(StatusCode::UNAUTHORIZED));
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    // Cross-site WebSocket hijacking: another site's page opening our socket with the victim's cookie.
    assert_eq!(connect(&server, Some(&owner), "https://evil.example").await.err(), Some(StatusCode::FORBIDDEN));
    let mut socket = open(&server, &owner).await;
    socket.send(&ClientMessage::Ping).await;
    assert_eq!(socket.next().await, Some(ServerMessage::Pong));

    // A plain request to the address is not an upgrade.
    let plain = reqwest::Client::new()
        .get(format!("{}/ws", server.url))
        .header("origin", &server.url)
        .header("cookie", format!("atrium_session={}", owner.session.as_deref().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
}

/// The channel does its own upgrade and reads the socket itself: a client message sent in the same packet as the
/// upgrade request (already read by the HTTP layer) must not be lost.
#[tokio::test]
async fn a_message_sent_with_the_upgrade_request_is_answered() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = seeded().await;
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    let address = server.url.trim_start_matches("http://");
    let mut tcp = TcpStream::connect(address).await.unwrap();
    let ping = br#"{"type":"ping"}"#;
    let mut bytes = format!(
        "GET /ws HTTP/1.1\r\nHost: {address}\r\nOrigin: {}\r\nCookie: atrium_session={}\r\nConnection: Upgrade\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        server.url,
        owner.session.as_deref().unwrap(),
    )
    .into_bytes();
    // One masked text frame (a zero mask leaves the payload as is).
    bytes.extend_from_slice(&[0x81, 0x80 | ping.len() as u8, 0, 0, 0, 0]);
    bytes.extend_from_slice(ping);
    tcp.write_all(&bytes).await.unwrap();

    let mut received = Vec::new();
    let mut buffer = [0_u8; 1024];
    let pong = br#"{"type":"pong"}"#;
    while !received.windows(pong.len()).any(|window| window == pong) {
        let read = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buffer)).await;
        let read = read.expect("no pong within 5 s").unwrap();
        assert!(read > 0, "closed before the pong: {}", String::from_utf8_lossy(&received));
        received.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&received);
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    // RFC 6455's own example key and answer.
    assert!(head.to_ascii_lowercase().contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="), "{head}");
}

#[tokio::test]
async fn each_topic_kind_has_its_audience_and_topics_never_cross_tenants() {
    let server = seeded().await;
    let student = signed_in(&server, "famath", "joao@famath.example").await;
    let consultant = signed_in(&server, "famath", "consultora@famath.example").await;
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    let board = format!("board:{}", Uuid::now_v7());
    let application = format!("application:{}", Uuid::now_v7());

    let mut socket = open(&server, &student).await;
    assert_eq!(socket.subscribe(&board).await, refused(&board), "a student watching a CRM board");
    assert_eq!(socket.subscribe("jobs").await, refused("jobs"));
    assert_eq!(socket.subscribe(&application).await, refused(&application), "someone else's application");
    assert_eq!(socket.subscribe("demo").await, subscribed("demo", 0));
    assert_eq!(socket.subscribe("lead:nonsense").await, refused("lead:nonsense"));

    let mut socket = open(&server, &consultant).await;
    assert_eq!(socket.subscribe("jobs").await, refused("jobs"), "jobs are for the owner and staff");
    assert_eq!(socket.subscribe(&board).await, subscribed(&board, 0));

    // The same board id in another tenant is another topic: its events never reach famath's watchers.
    let mut socket = open(&server, &owner).await;
    assert_eq!(socket.subscribe("jobs").await, subscribed("jobs", 0));
    assert_eq!(socket.subscribe(&board).await, subscribed(&board, 0));
    let topic = Topic::parse(&board).unwrap();
    let id = Uuid::now_v7();
    let credvale = tenant_id(&server, "credvale").await;
    assert_eq!(publish_on(&server.pool, credvale, topic, Event::Changed { id, version: 1 }).await, 1);
    assert!(socket.silent_for(Duration::from_millis(500)).await, "another tenant's event arrived");
    let famath = tenant_id(&server, "famath").await;
    assert_eq!(publish_on(&server.pool, famath, topic, Event::Changed { id, version: 2 }).await, 1);
    let expected = ServerMessage::Event { topic: board.clone(), seq: 1, event: Event::Changed { id, version: 2 } };
    assert_eq!(socket.next().await, Some(expected));
}

#[tokio::test]
async fn a_student_watches_their_own_application_and_nobody_else_s() {
    let server = seeded().await;
    let famath = tenant_id(&server, "famath").await;
    let student = signed_in(&server, "famath", "joao@famath.example").await;
    let mut tx = TenantTx::begin(&server.pool, famath).await.unwrap();
    let joao: Uuid = sqlx::query_scalar("select id from users where email = 'joao@famath.example'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    let class: Uuid =
        sqlx::query_scalar("select id from classes order by id limit 1").fetch_one(tx.conn()).await.unwrap();
    let own = app::enrollment::applications::create_draft(&mut tx, joao, class).await.unwrap();
    let someone_else: Uuid = sqlx::query_scalar("select id from applications where student_id <> $1 limit 1")
        .bind(joao)
        .fetch_one(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut socket = open(&server, &student).await;
    let mine = format!("application:{own}");
    let theirs = format!("application:{someone_else}");
    assert_eq!(socket.subscribe(&mine).await, subscribed(&mine, 0), "the student's own application");
    assert_eq!(socket.subscribe(&theirs).await, refused(&theirs), "another student's application");
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    let mut socket = open(&server, &owner).await;
    assert_eq!(socket.subscribe(&theirs).await, subscribed(&theirs, 0), "staff watch any application");
}

#[tokio::test]
async fn a_rolled_back_publish_reaches_nobody_and_takes_no_number() {
    let server = seeded().await;
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    let famath = tenant_id(&server, "famath").await;
    let mut socket = open(&server, &owner).await;
    assert_eq!(socket.subscribe("demo").await, subscribed("demo", 0));

    let mut tx = TenantTx::begin(&server.pool, famath).await.unwrap();
    publish(&mut tx, Topic::Demo, &Event::Demo { text: "desfeito".into() }).await.unwrap();
    drop(tx); // rolled back
    assert_eq!(publish_on(&server.pool, famath, Topic::Demo, Event::Demo { text: "valeu".into() }).await, 1);
    assert_eq!(socket.next().await, Some(demo(1, "valeu")), "the rolled-back event, or a gap");

    // Too large for NOTIFY: the watchers are told to refetch instead.
    let large = Event::Demo { text: "x".repeat(9_000) };
    assert_eq!(publish_on(&server.pool, famath, Topic::Demo, large).await, 2);
    assert_eq!(socket.next().await, Some(ServerMessage::Resync { topic: Some("demo".into()) }));
}

#[tokio::test]
async fn a_watcher_on_another_process_hears_it_and_a_lost_bus_means_resync() {
    let a = seeded().await;
    let b = a.another_process().await;
    b.wait_until_listening().await;
    let owner = signed_in(&b, "famath", "dona@famath.example").await;
    let famath = tenant_id(&a, "famath").await;
    let mut socket = open(&b, &owner).await;
    assert_eq!(socket.subscribe("demo").await, subscribed("demo", 0));
    publish_on(&a.pool, famath, Topic::Demo, Event::Demo { text: "de A".into() }).await;
    assert_eq!(socket.next().await, Some(demo(1, "de A")));

    // Kill every listening connection (A's and B's), as a database restart would.
    let admin = sqlx::PgPool::connect(&a.database.superuser_url).await.unwrap();
    let listening = "select pg_terminate_backend(pid) from pg_stat_activity
                      where datname = current_database() and query ilike 'listen%'";
    sqlx::query(listening).execute(&admin).await.unwrap();
    assert_eq!(socket.next().await, Some(ServerMessage::Resync { topic: None }));
    assert_eq!(b.live.stats().bus_reconnects, 1);
    // And events flow again once it listens.
    b.wait_until_listening().await;
    publish_on(&a.pool, famath, Topic::Demo, Event::Demo { text: "de novo".into() }).await;
    assert_eq!(socket.next().await, Some(demo(2, "de novo")));
}

#[tokio::test]
async fn a_client_that_stops_reading_is_cut_off_and_holds_nobody_back() {
    let server = seeded().await;
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    let famath = tenant_id(&server, "famath").await;

    // A client with a tiny receive window that subscribes and then never reads again.
    let stuck_tcp = tokio::net::TcpSocket::new_v4().unwrap();
    stuck_tcp.set_recv_buffer_size(4096).unwrap();
    let stream = stuck_tcp.connect(server.url.trim_start_matches("http://").parse().unwrap()).await.unwrap();
    let session = owner.session.as_deref();
    let (stuck, _) =
        tokio_tungstenite::client_async(request(&server, session, &server.url), MaybeTlsStream::Plain(stream))
            .await
            .unwrap();
    let mut stuck = Socket(stuck);
    assert_eq!(stuck.subscribe("demo").await, subscribed("demo", 0));

    let mut reader = open(&server, &owner).await;
    assert_eq!(reader.subscribe("demo").await, subscribed("demo", 0));
    let reading = tokio::spawn(async move {
        let mut seen = 0;
        // Until nothing more comes for 2 s.
        while let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::from_secs(2), reader.0.next()).await {
            if let Message::Text(text) = frame {
                let Ok(ServerMessage::Event { seq, .. }) = serde_json::from_str(&text) else { break };
                assert_eq!(seq, seen + 1, "the reader missed an event");
                seen = seq;
            }
        }
        seen
    });

    let text = "x".repeat(7_000);
    let mut published = 0;
    while server.live.stats().slow_client_drops == 0 {
        assert!(published < 3_000, "never cut off after {published} events of 7 kB");
        published = publish_on(&server.pool, famath, Topic::Demo, Event::Demo { text: text.clone() }).await;
    }
    let stats = server.live.stats();
    assert_eq!(stats.connections, 1, "the stuck client is gone, the reader stays");
    drop(stuck);
    // The reader received every event, in order.
    let seen = tokio::time::timeout(Duration::from_secs(60), reading).await.unwrap().unwrap();
    assert_eq!(seen, published, "the reader was held back or cut off");
}

#[tokio::test]
async fn deactivation_and_a_role_change_close_the_socket_within_seconds() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", "dona@famath.example").await;
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let mut student = signed_in(&server, "famath", "joao@famath.example").await;
    let mut staff_socket = open(&server, &staff).await;
    let mut student_socket = open(&server, &student).await;
    assert_eq!(staff_socket.subscribe("jobs").await, subscribed("jobs", 0));
    assert_eq!(student_socket.subscribe("demo").await, subscribed("demo", 0));

    let staff_id = staff.viewer("famath").await["user_id"].as_str().unwrap().to_string();
    let (status, _) = owner.call("users/role", &[("user_id", &staff_id), ("role", "consultant")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(staff_socket.next().await, None, "the socket outlived the role change");

    let student_id = student.viewer("famath").await["user_id"].as_str().unwrap().to_string();
    let (status, _) = owner.call("users/active", &[("user_id", &student_id), ("active", "false")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(student_socket.next().await, None, "the socket outlived the deactivation");
}

#[tokio::test]
async fn signing_out_closes_that_session_s_sockets_in_every_process() {
    let a = seeded().await;
    let b = a.another_process().await;
    b.wait_until_listening().await;
    let mut here = signed_in(&a, "famath", "dona@famath.example").await;
    let elsewhere = signed_in(&a, "famath", "dona@famath.example").await;
    let mut socket = open(&b, &here).await;
    let mut other_session = open(&b, &elsewhere).await;
    assert_eq!(socket.subscribe("demo").await, subscribed("demo", 0));
    assert_eq!(other_session.subscribe("demo").await, subscribed("demo", 0));

    assert_eq!(here.call("auth/sign_out", &[]).await.0, StatusCode::OK);
    assert_eq!(socket.next().await, None, "the socket outlived its sign-out");
    other_session.send(&ClientMessage::Ping).await;
    assert_eq!(other_session.next().await, Some(ServerMessage::Pong), "another session's socket was closed");
}

#[tokio::test]
async fn metrics_count_connections_subscriptions_and_events() {
    let server = seeded().await;
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    let mut socket = open(&server, &owner).await;
    assert_eq!(socket.subscribe("jobs").await, subscribed("jobs", 0));
    let famath = tenant_id(&server, "famath").await;
    publish_on(&server.pool, famath, Topic::Jobs, Event::JobCounts { dead: 1, retrying: 0 }).await;
    assert!(matches!(socket.next().await, Some(ServerMessage::Event { seq: 1, .. })));
    let metrics = reqwest::get(format!("{}/metrics", server.url)).await.unwrap().text().await.unwrap();
    for line in [
        "live_connections 1",
        "live_subscriptions{kind=\"jobs\"} 1",
        "live_events_published 1",
        "live_events_delivered 1",
        "live_slow_client_drops 0",
        "live_bus_reconnects 0",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} missing from /metrics");
    }
}

/// Messages until `topic`'s presence list has `count` people (within 5 s per message).
async fn presence(socket: &mut Socket, topic: &str, count: usize) -> Vec<app::platform::live::Present> {
    loop {
        match socket.next().await {
            Some(ServerMessage::Presence { topic: on, people }) if on == topic && people.len() == count => {
                return people;
            }
            Some(_) => {}
            None => panic!("closed while waiting for presence"),
        }
    }
}

#[tokio::test]
async fn presence_crosses_processes_and_a_closed_tab_leaves_at_once() {
    let a = seeded().await;
    let b = a.another_process().await;
    b.wait_until_listening().await;
    let owner = signed_in(&a, "famath", "dona@famath.example").await;
    let consultant = signed_in(&b, "famath", "consultora@famath.example").await;
    let board = format!("board:{}", Uuid::now_v7());

    let mut on_a = open(&a, &owner).await;
    assert_eq!(on_a.subscribe(&board).await, subscribed(&board, 0));
    let card = Uuid::now_v7();
    on_a.send(&ClientMessage::Presence { topic: board.clone(), activity: Activity::Dragging { id: card } }).await;
    // Announcing on a topic one does not watch is ignored.
    on_a.send(&ClientMessage::Presence { topic: "demo".into(), activity: Activity::Viewing }).await;

    let mut on_b = open(&b, &consultant).await;
    on_b.send(&ClientMessage::Subscribe { topic: board.clone() }).await;
    let people = presence(&mut on_b, &board, 1).await;
    assert_eq!((people[0].name.as_str(), &people[0].activity), ("Ana Beatriz Souza", &Activity::Dragging { id: card }));

    on_b.send(&ClientMessage::Presence { topic: board.clone(), activity: Activity::Viewing }).await;
    presence(&mut on_a, &board, 2).await;

    drop(on_a);
    let people = presence(&mut on_b, &board, 1).await;
    assert_eq!(people[0].name, "Marina Costa");
}

#[tokio::test]
async fn any_process_can_tell_whether_someone_is_online() {
    let a = seeded().await;
    let mut owner = signed_in(&a, "famath", "dona@famath.example").await;
    let mut consultant = signed_in(&a, "famath", "consultora@famath.example").await;
    let famath = tenant_id(&a, "famath").await;
    let owner_id: Uuid = serde_json::from_value(owner.viewer("famath").await["user_id"].clone()).unwrap();
    let consultant_id: Uuid = serde_json::from_value(consultant.viewer("famath").await["user_id"].clone()).unwrap();
    let online = async |user: Uuid| {
        let mut tx = TenantTx::begin(&a.pool, famath).await.unwrap();
        let online = app::platform::live::publish::is_online(&mut tx, user).await.unwrap();
        tx.commit().await.unwrap();
        online
    };
    assert!(!online(owner_id).await);
    let mut socket = open(&a, &owner).await;
    socket.send(&ClientMessage::Ping).await;
    assert_eq!(socket.next().await, Some(ServerMessage::Pong));
    assert!(online(owner_id).await, "the owner has a socket open");
    assert!(!online(consultant_id).await);
}

#[tokio::test]
async fn a_live_note_is_checked_kept_and_reaches_the_tenants_demo_watchers_only() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", "dona@famath.example").await;
    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let elsewhere = signed_in(&server, "credvale", "dono@credvale.example").await;
    let mut watching = open(&server, &staff).await;
    assert_eq!(watching.subscribe("demo").await, subscribed("demo", 0));
    let mut other_tenant = open(&server, &elsewhere).await;
    assert_eq!(other_tenant.subscribe("demo").await, subscribed("demo", 0));

    let (status, body) = owner.call("live/demo", &[("text", "   ")]).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("text")), "{body}");
    let (status, body) = owner.call("live/demo", &[("text", &"x".repeat(201))]).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("text")), "{body}");

    let (status, body) = owner.call("live/demo", &[("text", " Bom dia ")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(watching.next().await, Some(demo(1, "Bom dia")));
    assert_eq!(owner.call("live/demo/last", &[]).await, (StatusCode::OK, serde_json::json!("Bom dia")));
    assert!(other_tenant.silent_for(Duration::from_millis(500)).await, "another tenant's watcher heard it");
}

#[tokio::test]
async fn a_stopping_server_closes_its_sockets_as_going_away() {
    let mut server = seeded().await;
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    let mut socket = open(&server, &owner).await;
    assert_eq!(socket.subscribe("demo").await, subscribed("demo", 0));

    server.request_stop();
    let close = loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), socket.0.next()).await.expect("closed within 5 s");
        match frame {
            Some(Ok(Message::Close(frame))) => break frame,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    let close = close.expect("a close frame with a code");
    assert_eq!(close.code, tungstenite::protocol::frame::coding::CloseCode::Away, "{close:?}");
    assert!(!close.reason.is_empty(), "the tab is told why");
}
