//! The outside systems the product talks to, as small traits: payments (Asaas), messaging (Z-API WhatsApp) and the
//! language model. Real clients and in-process fakes live in `server/src/integrations/`; services here only see
//! the traits, handed in through `ServerContext`.

pub mod language_model;
pub mod messenger;
pub mod payment_gateway;
pub mod zapi_callback;

#[cfg(feature = "ssr")]
pub mod settings;
