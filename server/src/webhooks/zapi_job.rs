//! Job `zapi.inbound_message`: finishes a received WhatsApp message by copying its media (Z-API keeps media for
//! 30 days only) into the file store, then marks the event processed. What the message means is later work.
//!
//! The media URL arrives in a webhook body, so it is fetched only through the guarded client (https to Z-API's
//! storage hosts, public addresses only; see `integrations::outbound::guard`). The download happens with no
//! transaction open: what to fetch is read in a short transaction of its own, then the bytes are fetched, then
//! the job's transaction stores and records them.

use app::platform::{jobs::Job, tenancy::TenantTx};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::store;
use crate::{
    files::{FileError, FileStore},
    integrations::outbound::{FetchError, GuardedClient},
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

#[derive(Debug, Clone)]
pub struct ZapiInboundHandler {
    /// Media downloads: Z-API's storage hosts only (its own breaker: media storage down is not the Z-API API down).
    pub media: GuardedClient,
    pub files: FileStore,
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
        let Some(message) = pending(context, job.event_id).await? else { return Ok(()) };
        let outcome = match message {
            None => "no message stored for this event".to_owned(),
            Some(PendingMedia { media_url: None, .. }) => "text only".to_owned(),
            Some(PendingMedia { media_file_id: Some(_), .. }) => "media already copied".to_owned(),
            Some(PendingMedia { id, media_url: Some(url), media_file_id: None }) => {
                // Fetched before the job's transaction begins.
                let copied = match self.download(&url).await {
                    Ok(bytes) => self.keep(context.tx().await?, id, &bytes).await,
                    Err(failure) => Err(failure),
                };
                match copied {
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
        store::mark_processed(context.tx().await?, job.event_id, &outcome).await?;
        Ok(())
    }
}

/// The event's message, read in a short transaction of its own: `None` when there is nothing left to do (the
/// event was processed), `Some(None)` when no message was stored for it.
async fn pending(context: &JobContext, event_id: Uuid) -> Result<Option<Option<PendingMedia>>, JobError> {
    let mut tx = TenantTx::begin(context.pool(), context.tenant_id).await?;
    let Some(event) = store::load_event(&mut tx, event_id).await? else {
        return Err(JobError::permanent(format!("webhook event {event_id} does not exist")));
    };
    if event.processed_at.is_some() {
        return Ok(None);
    }
    let message: Option<PendingMedia> = sqlx::query_as(
        "select id, media_url, media_file_id from inbound_messages where tenant_id = $1 and webhook_event_id = $2",
    )
    .bind(tx.tenant_id())
    .bind(event.id)
    .fetch_optional(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(Some(message))
}

/// Why media was not copied. The messages never carry what the media host answered (they reach `last_error` and
/// the event's outcome, which people read).
enum CopyFailure {
    Retry(String),
    GiveUp(String),
    Database(sqlx::Error),
}

impl ZapiInboundHandler {
    /// Stores the bytes and links them to the message, in the job's transaction.
    async fn keep(&self, tx: &mut TenantTx, message_id: Uuid, bytes: &[u8]) -> Result<String, CopyFailure> {
        let stored = match self.files.store(tx, bytes).await {
            Ok(stored) => stored,
            Err(FileError::Database(error)) => return Err(CopyFailure::Database(error)),
            Err(error @ FileError::Io(_)) => return Err(CopyFailure::Retry(error.to_string())),
            Err(error) => return Err(CopyFailure::GiveUp(error.to_string())),
        };
        sqlx::query(
            "update inbound_messages set media_file_id = $3, media_mime = $4
              where tenant_id = $1 and id = $2 and media_file_id is null",
        )
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
        let mut response = self.media.get(url).await.map_err(|error: FetchError| {
            if error.is_transient() {
                CopyFailure::Retry(error.to_string())
            } else {
                CopyFailure::GiveUp(error.to_string())
            }
        })?;
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
