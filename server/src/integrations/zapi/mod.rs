//! Z-API (WhatsApp): the real client behind `Messenger`, and an in-process fake that records what we send, serves
//! media files and posts inbound messages to our webhook the way Z-API does.

mod client;
pub mod fake;

pub use client::{DEPENDENCY, SendResponse, ZapiClient, ZapiSettings, messenger_error};
pub use fake::{FakeZapi, SentContent, SentRecord};

/// Where Z-API's media links point (its Backblaze B2 storage, files under `/file/temp-file-download/instances/…`,
/// kept 30 days): the default of `ZAPI_MEDIA_HOSTS`.
pub const MEDIA_HOSTS: &str = "f004.backblazeb2.com";
