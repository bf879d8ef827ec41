//! Clients for the outside services (Asaas, Z-API, an OpenAI-compatible LLM), all built on one resilient outbound
//! HTTP client, and in-process fakes of each that `make run` and the tests start when no credentials are set.

pub mod asaas;
pub mod demo;
mod fake_server;
pub mod fakes;
pub mod llm;
pub mod outbound;
pub mod services;
pub mod zapi;
