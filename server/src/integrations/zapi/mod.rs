//! Z-API (WhatsApp): the real client behind `Messenger`, and an in-process fake that records what we send, serves
//! media files and posts inbound messages to our webhook the way Z-API does.

mod client;
pub mod fake;

pub use client::{DEPENDENCY, SendResponse, ZapiClient, ZapiSettings, messenger_error};
pub use fake::{FakeZapi, SentContent, SentRecord};
