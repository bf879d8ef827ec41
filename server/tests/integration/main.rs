//! Integration tests: the real router and real PostgreSQL (a fresh database per test, cloned from a migrated
//! template in a private test cluster).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod accounts;
mod asaas;
mod browser;
mod compression;
mod crm;
mod crm_distribution;
mod crm_embed;
mod crm_stages;
mod database;
mod enrollment;
mod enrollment_catalog;
mod enrollment_certificate;
mod enrollment_dashboard;
mod enrollment_documents;
mod enrollment_payment;
mod enrollment_portal;
mod enrollment_review;
mod enrollment_status;
mod finance;
mod finance_cards;
mod finance_dre;
mod finance_forecast;
mod finance_recurring;
mod http_surface;
mod jobs;
mod jobs_leases;
mod jobs_page;
mod language_model;
mod live;
mod log_secrets;
mod media_guard;
mod outbound;
mod payments;
mod plans;
mod process;
mod public_pages;
mod request_path;
mod rls;
mod security;
mod shutdown;
mod smtp;
mod test_payments;
mod webhooks;
mod zapi;
