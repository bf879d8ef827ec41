//! The real Z-API client against the in-process fake, and inbound callbacks delivered to a webhook.

use std::sync::{Arc, Mutex};

use app::platform::integrations::{
    messenger::{Messenger, MessengerError, MessengerSession},
    zapi_callback::{ImageContent, ReceivedCallback, ZapiCallback},
};
use axum::{Json, Router, extract::State, routing::post};
use server::integrations::zapi::{FakeZapi, SentContent, ZapiClient, ZapiSettings};

const PHONE: &str = "5511987654321";

async fn setup(client_token: Option<&str>) -> (FakeZapi, ZapiClient) {
    let fake = FakeZapi::start().await.unwrap();
    fake.set_client_token(client_token.map(str::to_string));
    let client = ZapiClient::new(ZapiSettings::new(fake.base_url(), client_token.map(str::to_string))).unwrap();
    (fake, client)
}

#[tokio::test]
async fn text_documents_and_images_are_sent_as_z_api_expects() {
    let (fake, client) = setup(Some("F0ACCOUNTTOKEN")).await;
    let session = fake.new_session();
    let text = client.send_text(&session, PHONE, "Olá! Sua matrícula foi recebida.").await.unwrap();
    let document = client
        .send_document(&session, PHONE, "https://files.example.com/c.pdf", "Contrato de Matrícula.PDF")
        .await
        .unwrap();
    let image = client.send_image(&session, PHONE, "https://files.example.com/qr.png", Some("Seu PIX")).await.unwrap();

    let sent = fake.sent();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|s| s.instance_id == session.instance_id && s.phone == PHONE));
    assert_eq!(
        sent.iter().map(|s| s.message_id.as_str()).collect::<Vec<_>>(),
        [text.message_id.as_str(), document.message_id.as_str(), image.message_id.as_str()]
    );
    assert_eq!(sent[0].content, SentContent::Text { message: "Olá! Sua matrícula foi recebida.".into() });
    assert_eq!(
        sent[1].content,
        SentContent::Document {
            url: "https://files.example.com/c.pdf".into(),
            file_name: "Contrato de Matrícula.PDF".into(),
            extension: "pdf".into(),
        }
    );
    assert_eq!(
        sent[2].content,
        SentContent::Image { url: "https://files.example.com/qr.png".into(), caption: Some("Seu PIX".into()) }
    );
}

#[tokio::test]
async fn wrong_tokens_are_refused_and_nothing_is_sent() {
    let (fake, client) = setup(Some("F0ACCOUNTTOKEN")).await;
    let session = fake.new_session();
    let forged = MessengerSession { token: "WRONG".into(), ..session.clone() };
    let error = client.send_text(&forged, PHONE, "oi").await.unwrap_err();
    assert_eq!(error, MessengerError::Rejected { message: "Instance not found or invalid token".into() });

    // The session is right but the account's Client-Token is missing.
    let other = ZapiClient::new(ZapiSettings::new(fake.base_url(), None)).unwrap();
    let error = other.send_text(&session, PHONE, "oi").await.unwrap_err();
    assert!(matches!(error, MessengerError::Rejected { ref message } if message.contains("client-token")), "{error:?}");
    let error = client.send_text(&session, "12", "oi").await.unwrap_err();
    assert!(matches!(error, MessengerError::Rejected { .. }), "{error:?}");
    assert!(fake.sent().is_empty());
}

#[tokio::test]
async fn an_unreachable_gateway_is_unavailable() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client = ZapiClient::new(ZapiSettings::new(format!("http://{closed}"), None)).unwrap();
    let session = MessengerSession { instance_id: "I1".into(), token: "T1".into() };
    let error = client.send_text(&session, PHONE, "oi").await.unwrap_err();
    assert_eq!(error, MessengerError::Unavailable { dependency: "zapi" });
}

#[tokio::test]
async fn inbound_messages_reach_the_webhook_and_their_media_can_be_downloaded() {
    let (fake, _client) = setup(None).await;
    let received: Arc<Mutex<Vec<ZapiCallback>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/zapi/tenant-secret/agent", listener.local_addr().unwrap());
    let app = Router::new()
        .route(
            "/webhooks/zapi/tenant-secret/agent",
            post(
                |State(received): State<Arc<Mutex<Vec<ZapiCallback>>>>, Json(callback): Json<ZapiCallback>| async move {
                    received.lock().unwrap().push(callback);
                    "ok"
                },
            ),
        )
        .with_state(received.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let picture = b"\x89PNG\r\n\x1a\nnot really a picture".to_vec();
    let media_url = fake.add_media("rg-frente.png", picture.clone(), "image/png");
    let session = fake.new_session();
    let callback = ReceivedCallback {
        instance_id: session.instance_id.clone(),
        message_id: "3EB0C431C26A1916E2D8".into(),
        phone: PHONE.into(),
        momment: 1_760_000_000_000,
        sender_name: Some("João".into()),
        image: Some(ImageContent {
            image_url: media_url.clone(),
            caption: Some("meu RG".into()),
            mime_type: Some("image/png".into()),
        }),
        ..ReceivedCallback::default()
    };
    assert_eq!(fake.deliver_inbound(&url, callback.clone()).await.unwrap(), 200);

    let got = received.lock().unwrap().clone();
    assert_eq!(got, [ZapiCallback::Received(Box::new(callback))]);
    let download = reqwest::get(&media_url).await.unwrap();
    assert_eq!(download.headers()["content-type"], "image/png");
    assert_eq!(download.bytes().await.unwrap().to_vec(), picture);
}
