//! The SMTP sender speaks real SMTP: here to a small fake server on loopback that records what it receives.

use app::platform::auth::{Mail, Mailer};
use server::mail::SmtpMailer;
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

/// Accepts one SMTP session and answers what a relay would; returns the envelope commands and the DATA.
async fn fake_smtp_server() -> (u16, tokio::task::JoinHandle<(Vec<String>, String)>) {
    fake_smtp_server_on(0).await
}

async fn fake_smtp_server_on(port: u16) -> (u16, tokio::task::JoinHandle<(Vec<String>, String)>) {
    let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 fake.smtp ESMTP\r\n").await.unwrap();
        let (mut commands, mut data) = (Vec::new(), String::new());
        while let Some(line) = lines.next_line().await.unwrap() {
            let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
            commands.push(line.clone());
            let reply: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250 fake.smtp\r\n",
                "DATA" => {
                    write.write_all(b"354 go ahead\r\n").await.unwrap();
                    while let Some(body_line) = lines.next_line().await.unwrap() {
                        if body_line == "." {
                            break;
                        }
                        data.push_str(&body_line);
                        data.push('\n');
                    }
                    b"250 queued\r\n"
                }
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                }
                _ => b"250 ok\r\n",
            };
            write.write_all(reply).await.unwrap();
        }
        (commands, data)
    });
    (port, task)
}

#[tokio::test]
async fn reset_and_invitation_mails_go_out_over_smtp() {
    let (port, server) = fake_smtp_server().await;
    let mailer = SmtpMailer::new(&format!("smtp://127.0.0.1:{port}"), "Atrium <no-reply@atrium.example>").unwrap();
    let mail = Mail {
        to: "rita@famath.example".into(),
        subject: "Convite para o Atrium · Faculdade Famath".into(),
        body: "Para criar sua senha, abra este link:\nhttp://atrium.example/famath/redefinir-senha?token=abc".into(),
    };
    mailer.send(mail).await.unwrap();
    drop(mailer);
    let (commands, data) = tokio::time::timeout(std::time::Duration::from_secs(10), server).await.unwrap().unwrap();
    assert!(commands.iter().any(|c| c.eq_ignore_ascii_case("MAIL FROM:<no-reply@atrium.example>")), "{commands:?}");
    assert!(commands.iter().any(|c| c.eq_ignore_ascii_case("RCPT TO:<rita@famath.example>")), "{commands:?}");
    assert!(data.contains("To: rita@famath.example"), "{data}");
    assert!(data.contains("Subject: =?utf-8?") || data.contains("Subject: Convite"), "{data}");
    assert!(data.contains("redefinir-senha?token=abc"), "{data}");
}

#[test]
fn a_bad_smtp_url_or_sender_is_refused_at_start() {
    assert!(SmtpMailer::new("smtp://", "Atrium <a@b.example>").is_err());
    assert!(SmtpMailer::new("smtp://relay:25", "not an address").is_err());
}

#[tokio::test]
async fn a_mail_server_that_is_down_never_shows_to_the_requester_and_the_job_retries_until_it_is_back() {
    use server::{
        database::seed,
        jobs::{Registry, Worker, WorkerSettings},
        mail::PasswordLinkMailHandler,
        test_support::TestServer,
    };

    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    // A port nobody listens on (yet).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mailer = SmtpMailer::new(&format!("smtp://127.0.0.1:{port}"), "Atrium <no-reply@atrium.example>").unwrap();
    let handler = PasswordLinkMailHandler::new(std::sync::Arc::new(mailer), &server.url);
    let settings = WorkerSettings { poll_interval: std::time::Duration::from_millis(50), ..WorkerSettings::default() };
    let worker = Worker::new(server.pool.clone(), Registry::new().register(handler), settings).spawn();

    let mut browser = crate::browser::Browser::new(&server);
    let known = browser.call("auth/request_reset", &[("tenant", "famath"), ("email", "joao@famath.example")]).await;
    let unknown =
        browser.call("auth/request_reset", &[("tenant", "famath"), ("email", "ninguem@famath.example")]).await;
    assert_eq!(known.0, reqwest::StatusCode::OK, "{:?}", known.1);
    assert_eq!(known, unknown, "the requester cannot tell, and never sees the mail server fail");

    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let job_state = || async {
        sqlx::query_as::<_, (String, i32, Option<String>)>(
            "select state, attempts, last_error from jobs where kind = 'auth.password_link_mail'",
        )
        .fetch_one(&admin)
        .await
        .unwrap()
    };
    crate::webhooks::eventually("a failed attempt waiting for its retry", || async {
        let (state, attempts, error) = job_state().await;
        state == "queued" && attempts >= 1 && error.is_some()
    })
    .await;

    // The mail server comes back: the retry delivers the link.
    let (_, smtp) = fake_smtp_server_on(port).await;
    let (_, data) = tokio::time::timeout(std::time::Duration::from_secs(60), smtp).await.unwrap().unwrap();
    assert!(data.contains("redefinir-senha?token="), "{data}");
    crate::webhooks::eventually("the job done", || async { job_state().await.0 == "done" }).await;
    worker.shutdown().await;
    server.stop().await.unwrap();
}
