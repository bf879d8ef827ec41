//! Callbacks as Z-API sends them (samples from its documentation, extra fields and all).

use super::*;

fn parse(json: &str) -> ZapiCallback {
    serde_json::from_str(json).expect("a Z-API callback")
}

#[test]
fn a_received_text_message_parses_ignoring_fields_we_do_not_use() {
    let callback = parse(
        r#"{
          "isStatusReply": false, "chatLid": "81896604192873@lid", "connectedPhone": "554499999999",
          "waitingMessage": false, "isEdit": false, "isGroup": false, "isNewsletter": false,
          "instanceId": "A20DA9C0183A2D35A260F53F5D2B9244", "messageId": "A20DA9C0183A2D35A260F53F5D2B9244",
          "phone": "5544999999999", "fromMe": false, "momment": 1632228638000, "status": "RECEIVED",
          "chatName": "Maria", "senderPhoto": null, "senderName": "Maria Silva", "photo": "https://pps.whatsapp.net/x",
          "broadcast": false, "participantLid": null, "forwarded": false, "type": "ReceivedCallback",
          "fromApi": false, "text": { "message": "Quero me matricular" }
        }"#,
    );
    let ZapiCallback::Received(message) = callback else { panic!("{callback:?}") };
    assert_eq!(message.phone, "5544999999999");
    assert_eq!(message.text(), Some("Quero me matricular"));
    assert!(!message.from_me && !message.is_group);
    assert_eq!(message.sender_name.as_deref(), Some("Maria Silva"));
    assert_eq!(message.sent_at().map(|t| t.to_rfc3339()).as_deref(), Some("2021-09-21T12:50:38+00:00"));
}

#[test]
fn received_media_carry_their_urls() {
    let image = parse(
        r#"{"type":"ReceivedCallback","instanceId":"I","messageId":"M1","phone":"5511987654321","fromMe":false,
            "momment":1700000000000,"image":{"mimeType":"image/jpeg","imageUrl":"https://storage.z-api.io/a.jpeg",
            "thumbnailUrl":"https://storage.z-api.io/t.jpeg","caption":"meu RG","width":600,"height":315,
            "viewOnce":false}}"#,
    );
    let ZapiCallback::Received(image) = image else { panic!() };
    let content = image.image.as_ref().unwrap();
    assert_eq!(content.image_url, "https://storage.z-api.io/a.jpeg");
    assert_eq!(image.text(), Some("meu RG"));

    let document = parse(
        r#"{"type":"ReceivedCallback","messageId":"M2","phone":"5511987654321","document":{"mimeType":"application/pdf",
            "fileName":"historico.pdf","documentUrl":"https://storage.z-api.io/h.pdf","title":"historico","pageCount":2}}"#,
    );
    let ZapiCallback::Received(document) = document else { panic!() };
    let content = document.document.clone().unwrap();
    assert_eq!(
        (content.file_name.as_deref(), content.mime_type.as_deref()),
        (Some("historico.pdf"), Some("application/pdf"))
    );

    let audio = parse(
        r#"{"type":"ReceivedCallback","messageId":"M3","phone":"5511987654321","audio":{"ptt":true,"seconds":10,
            "audioUrl":"https://storage.z-api.io/v.ogg","mimeType":"audio/ogg; codecs=opus","viewOnce":false}}"#,
    );
    let ZapiCallback::Received(audio) = audio else { panic!() };
    assert_eq!(audio.audio.clone().unwrap().audio_url, "https://storage.z-api.io/v.ogg");
}

#[test]
fn a_status_callback_names_the_messages_it_is_about() {
    let callback = parse(
        r#"{"instanceId":"I","status":"READ","ids":["999999999999999999999"],"momment":1632234645000,
            "phone":"5544999999999","type":"MessageStatusCallback","isGroup":false}"#,
    );
    let ZapiCallback::MessageStatus(status) = callback else { panic!("{callback:?}") };
    assert_eq!(status.status, MessageStatus::Read);
    assert_eq!(status.ids, ["999999999999999999999"]);
    let later = parse(r#"{"type":"MessageStatusCallback","status":"DELETED","ids":["1"]}"#);
    let ZapiCallback::MessageStatus(later) = later else { panic!() };
    assert_eq!(later.status.as_str(), "DELETED");
}

#[test]
fn unknown_callback_types_are_other_not_errors() {
    assert_eq!(
        parse(r#"{"type":"PresenceChatCallback","phone":"5544999999999","status":"COMPOSING"}"#),
        ZapiCallback::Other
    );
    assert_eq!(parse(r#"{"type":"ConnectedCallback","connected":true}"#), ZapiCallback::Other);
}

#[test]
fn received_callbacks_serialize_with_their_type() {
    let callback = ZapiCallback::Received(Box::new(ReceivedCallback {
        message_id: "M".into(),
        phone: "5511987654321".into(),
        text: Some(TextContent { message: "oi".into() }),
        ..ReceivedCallback::default()
    }));
    let json = serde_json::to_value(&callback).unwrap();
    assert_eq!(json["type"], "ReceivedCallback");
    assert_eq!(json["text"]["message"], "oi");
    assert_eq!(json["messageId"], "M");
    assert_eq!(parse(&json.to_string()), callback);
}
