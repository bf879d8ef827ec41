//! The SMTP sender speaks real SMTP: here to a small fake server on loopback that records what it receives.

use app::platform::auth::{Mail, Mailer};
use server::mail::SmtpMailer;
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

/// Accepts one SMTP session and answers what a relay would; returns the envelope commands and the DATA.
async fn fake_smtp_server() -> (u16, tokio::task::JoinHandle<(Vec<String>, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
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
