//! Job `zapi.inbound_message`: finishes a received WhatsApp message by copying its media (Z-API keeps media for
//! 30 days only) into the file store, then marks the event processed. What the message means is later work.

use app::platform::{jobs::Job, tenancy::TenantTx};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::store;
use crate::{
    files::{FileError, FileStore},
    integrations::outbound::{Idempotency, OutboundClient, OutboundError},
    jobs::{JobContext, JobError, JobHandler, JobSettings},
};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ZapiInboundJob {
    /// `webhook_events.id` of the `ReceivedCallback`.
    pub event_id: Uuid,
}

impl Job for ZapiInboundJob {
    const KIND: &'static str = "zapi.inbound_message";
}

/// Which media URLs the job may fetch. The URL arrives in a webhook body, so without a rule anyone holding a
/// tenant's path token could make the server fetch internal addresses. Z-API serves media over HTTPS; plain-HTTP
/// origins (the in-process fake) must be listed.
#[derive(Debug, Clone, Default)]
pub struct MediaPolicy {
    /// Extra allowed URL prefixes, e.g. `http://127.0.0.1:4010/`.
    pub extra_origins: Vec<String>,
}

impl MediaPolicy {
    pub fn allows(&self, url: &str) -> bool {
        url.starts_with("https://") || self.extra_origins.iter().any(|origin| url.starts_with(origin.as_str()))
    }
}

#[derive(Debug, Clone)]
pub struct ZapiInboundHandler {
    /// The outbound client for media downloads (its own breaker: media storage down is not the Z-API API down).
    pub media: OutboundClient,
    pub files: FileStore,
    pub policy: MediaPolicy,
}

#[derive(Debug, sqlx::FromRow)]
struct PendingMedia {
    id: Uuid,
    media_url: Option<String>,
    media_file_id: Option<Uuid>,
}

impl JobHandler for ZapiInboundHandler {
    type Job = ZapiInboundJob;

    fn settings(&self) -> JobSettings {
        // A 16 MiB download on a slow link needs more than the default 30 s.
        JobSettings { timeout: std::time::Duration::from_secs(120), ..JobSettings::default() }
    }

    async fn run(&self, job: ZapiInboundJob, context: &mut JobContext) -> Result<(), JobError> {
        let last_attempt = context.is_last_attempt();
        let tx = context.tx();
        let Some(event) = store::load_event(tx, job.event_id).await? else {
            return Err(JobError::permanent(format!("webhook event {} does not exist", job.event_id)));
        };
        if event.processed_at.is_some() {
            return Ok(());
        }
        let message: Option<PendingMedia> = sqlx::query_as(
            "select id, media_url, media_file_id from inbound_messages where tenant_id = $1 and webhook_event_id = $2",
        )
        .bind(tx.tenant_id())
        .bind(event.id)
        .fetch_optional(tx.conn())
        .await?;
        let outcome = match message {
            None => "no message stored for this event".to_owned(),
            Some(PendingMedia { media_url: None, .. }) => "text only".to_owned(),
            Some(PendingMedia { media_file_id: Some(_), .. }) => "media already copied".to_owned(),
            Some(PendingMedia { id, media_url: Some(url), media_file_id: None }) => {
                match self.copy(tx, id, &url).await {
                    Ok(outcome) => outcome,
                    // Worth retrying: the download failed on the way (Z-API storage down, timeout, breaker open).
                    Err(CopyFailure::Retry(message)) if !last_attempt => return Err(JobError::retry(message)),
                    Err(CopyFailure::Retry(message) | CopyFailure::GiveUp(message)) => {
                        format!("media not copied: {message}")
                    }
                    Err(CopyFailure::Database(error)) => return Err(error.into()),
                }
            }
        };
        store::mark_processed(tx, event.id, &outcome).await?;
        Ok(())
    }
}

enum CopyFailure {
    Retry(String),
    GiveUp(String),
    Database(sqlx::Error),
}

impl ZapiInboundHandler {
    async fn copy(&self, tx: &mut TenantTx, message_id: Uuid, url: &str) -> Result<String, CopyFailure> {
        if !self.policy.allows(url) {
            return Err(CopyFailure::GiveUp("the media URL is not one we fetch from".into()));
        }
        let bytes = self.download(url).await?;
        let stored = match self.files.store(tx, &bytes).await {
            Ok(stored) => stored,
            Err(FileError::Database(error)) => return Err(CopyFailure::Database(error)),
            Err(error @ FileError::Io(_)) => return Err(CopyFailure::Retry(error.to_string())),
            Err(error) => return Err(CopyFailure::GiveUp(error.to_string())),
        };
        sqlx::query("update inbound_messages set media_file_id = $3, media_mime = $4 where tenant_id = $1 and id = $2")
            .bind(tx.tenant_id())
            .bind(message_id)
            .bind(stored.id)
            .bind(&stored.mime)
            .execute(tx.conn())
            .await
            .map_err(CopyFailure::Database)?;
        Ok(format!("media copied ({}, {} bytes)", stored.mime, stored.size_bytes))
    }

    /// The media's bytes, refused as soon as they pass the file store's cap.
    async fn download(&self, url: &str) -> Result<Vec<u8>, CopyFailure> {
        let failed = |error: OutboundError| {
            if error.is_transient() {
                CopyFailure::Retry(error.to_string())
            } else {
                CopyFailure::GiveUp(error.to_string())
            }
        };
        let mut response = self.media.send(self.media.get(url), Idempotency::Safe).await.map_err(failed)?;
        let cap = self.files.max_bytes();
        if response.content_length().is_some_and(|length| length > cap as u64) {
            return Err(CopyFailure::GiveUp(FileError::TooLarge { max_bytes: cap }.to_string()));
        }
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > cap {
                        return Err(CopyFailure::GiveUp(FileError::TooLarge { max_bytes: cap }.to_string()));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(bytes),
                // Cut off mid-way: the URL is fine, the transfer was not.
                Err(_) => return Err(CopyFailure::Retry("the media download was interrupted".into())),
            }
        }
    }
}
