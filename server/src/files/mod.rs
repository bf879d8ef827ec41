//! Files we keep: bytes on disk under one directory, a `stored_files` row per tenant and content.
//!
//! Names are content-addressed (`<tenant>/<first two hex digits>/<sha256>`): the same bytes stored twice are one
//! file and one row, a file is written once (to a temporary name, then renamed, so a reader never sees half a
//! file) and never changed. Each tenant has its own folder, so a tenant's files can be listed, exported or erased
//! together. The type is decided from the bytes (magic numbers), never from what a sender claimed, and only types
//! we mean to show (images, PDF, audio, MP4 video) are accepted, up to a size cap.

use std::path::{Path, PathBuf};

use app::platform::{
    files::{FileStorage, OpenedFile, StorageError, StorageFuture, StoredFile as Stored},
    tenancy::TenantTx,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
    max_bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: Uuid,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub mime: String,
    pub size_bytes: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    #[error("files of type {0} are not accepted")]
    TypeNotAllowed(String),
    #[error("file store: {0}")]
    Io(#[from] std::io::Error),
    #[error("file store database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Types by content that we accept.
const ALLOWED: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "application/pdf",
    "audio/ogg",
    "audio/mpeg",
    "audio/m4a",
    "audio/x-m4a",
    "audio/aac",
    "audio/x-wav",
    "audio/amr",
    "video/mp4",
];

impl FileStore {
    /// Default cap: 16 MiB (WhatsApp's limit for audio and video; documents above that are rare in enrollment).
    pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

    pub fn new(dir: impl Into<PathBuf>, max_bytes: usize) -> Self {
        Self { dir: dir.into(), max_bytes }
    }

    /// `ATRIUM_FILES_DIR` (default `<ATRIUM_HOME>/files`) and `ATRIUM_FILE_MAX_BYTES`.
    pub fn from_config(config: &crate::config::Config) -> Self {
        Self::new(&config.files_dir, config.file_max_bytes)
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The type of `bytes` by their content, if we accept it.
    pub fn sniff(bytes: &[u8]) -> Result<&'static str, FileError> {
        Self::sniff_among(bytes, ALLOWED)
    }

    /// The type of `bytes` by their content, if it is one of `accept` and one we accept at all.
    pub fn sniff_among(bytes: &[u8], accept: &[&str]) -> Result<&'static str, FileError> {
        let mime = infer::get(bytes).map(|kind| kind.mime_type());
        match mime {
            Some(mime) if ALLOWED.contains(&mime) && accept.contains(&mime) => Ok(mime),
            Some(mime) => Err(FileError::TypeNotAllowed(mime.to_owned())),
            None => Err(FileError::TypeNotAllowed("unknown".to_owned())),
        }
    }

    /// Keeps `bytes` for the transaction's tenant: writes the file if it is not on disk yet and records it (once
    /// per content). If the transaction rolls back, the file stays on disk unreferenced; storing the same bytes
    /// later reuses it.
    pub async fn store(&self, tx: &mut TenantTx, bytes: &[u8]) -> Result<StoredFile, FileError> {
        self.store_among(tx, bytes, ALLOWED).await
    }

    /// Like `store`, for content of one of the types in `accept` only (checked before anything is written).
    pub async fn store_among(&self, tx: &mut TenantTx, bytes: &[u8], accept: &[&str]) -> Result<StoredFile, FileError> {
        if bytes.len() > self.max_bytes {
            return Err(FileError::TooLarge { max_bytes: self.max_bytes });
        }
        let mime = Self::sniff_among(bytes, accept)?;
        let digest: [u8; 32] = Sha256::digest(bytes).into();
        let sha256: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        let key = format!("{}/{}/{sha256}", tx.tenant_id(), &sha256[..2]);
        self.write_once(&key, bytes).await?;
        let size_bytes = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let inserted: Option<Uuid> = sqlx::query_scalar(
            "insert into stored_files (tenant_id, sha256, mime, size_bytes, storage_key) values ($1, $2, $3, $4, $5)
             on conflict (tenant_id, sha256) do nothing returning id",
        )
        .bind(tx.tenant_id())
        .bind(digest.as_slice())
        .bind(mime)
        .bind(size_bytes)
        .bind(&key)
        .fetch_optional(tx.conn())
        .await?;
        let id = match inserted {
            Some(id) => id,
            None => {
                sqlx::query_scalar("select id from stored_files where tenant_id = $1 and sha256 = $2")
                    .bind(tx.tenant_id())
                    .bind(digest.as_slice())
                    .fetch_one(tx.conn())
                    .await?
            }
        };
        Ok(StoredFile { id, sha256, mime: mime.to_owned(), size_bytes })
    }

    /// The bytes of one of the transaction's tenant's files, with its type; `None` if the tenant has no such file.
    pub async fn read(&self, tx: &mut TenantTx, id: Uuid) -> Result<Option<(String, Vec<u8>)>, FileError> {
        let row: Option<(String, String)> =
            sqlx::query_as("select mime, storage_key from stored_files where tenant_id = $1 and id = $2")
                .bind(tx.tenant_id())
                .bind(id)
                .fetch_optional(tx.conn())
                .await?;
        let Some((mime, key)) = row else { return Ok(None) };
        Ok(Some((mime, tokio::fs::read(self.dir.join(key)).await?)))
    }

    async fn write_once(&self, key: &str, bytes: &[u8]) -> Result<(), FileError> {
        let path = self.dir.join(key);
        if tokio::fs::try_exists(&path).await? {
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let temporary = path.with_extension(format!("tmp-{}", Uuid::new_v4().simple()));
        tokio::fs::write(&temporary, bytes).await?;
        if let Err(error) = tokio::fs::rename(&temporary, &path).await {
            let _ = tokio::fs::remove_file(&temporary).await;
            return Err(error.into());
        }
        Ok(())
    }
}

/// The product's view of the store (`app::platform::files`): what enrollment documents are kept through.
impl FileStorage for FileStore {
    fn store<'a>(&'a self, tx: &'a mut TenantTx, bytes: &'a [u8], accept: &'a [&'a str]) -> StorageFuture<'a, Stored> {
        Box::pin(async move {
            let file = self.store_among(tx, bytes, accept).await.map_err(storage_error)?;
            Ok(Stored { id: file.id, mime: file.mime, size_bytes: file.size_bytes })
        })
    }

    fn open<'a>(&'a self, tx: &'a mut TenantTx, id: Uuid) -> StorageFuture<'a, Option<OpenedFile>> {
        Box::pin(async move {
            let file = self.read(tx, id).await.map_err(storage_error)?;
            Ok(file.map(|(mime, bytes)| OpenedFile { mime, bytes }))
        })
    }
}

fn storage_error(error: FileError) -> StorageError {
    match error {
        FileError::TooLarge { max_bytes } => StorageError::TooLarge { max_bytes },
        FileError::TypeNotAllowed(found) => StorageError::TypeNotAllowed { found },
        other => StorageError::Failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        let png = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R'];
        assert_eq!(FileStore::sniff(&png).ok(), Some("image/png"));
        assert_eq!(FileStore::sniff(b"%PDF-1.7\n...").ok(), Some("application/pdf"));
        assert!(matches!(FileStore::sniff(b"MZ\x90\x00\x03\x00"), Err(FileError::TypeNotAllowed(_))), "a Windows exe");
        assert!(matches!(FileStore::sniff(b"<svg onload=alert(1)>"), Err(FileError::TypeNotAllowed(_))));
    }
}
