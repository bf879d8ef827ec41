//! Where uploaded files go, as the product sees it: a small trait, so services in `app` (enrollment documents…)
//! keep and read files without knowing the disk layout. The server implements it over its content-addressed file
//! store (`server/src/files`) and hands it in through `ServerContext::files`.

use std::{future::Future, pin::Pin};

use uuid::Uuid;

use crate::platform::tenancy::TenantTx;

/// A file kept for the transaction's tenant (a `stored_files` row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: Uuid,
    /// Decided from the bytes, never from what the sender claimed.
    pub mime: String,
    pub size_bytes: i64,
}

/// A file read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedFile {
    pub mime: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    /// The content is of type `found` (or `unknown`), which the caller does not accept.
    #[error("files of type {found} are not accepted")]
    TypeNotAllowed { found: String },
    #[error("file storage failed: {0}")]
    Failed(String),
}

pub type StorageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StorageError>> + Send + 'a>>;

pub trait FileStorage: Send + Sync {
    /// Keeps `bytes` for `tx`'s tenant if their content is one of `accept` (MIME types), in `tx`: the file's row
    /// exists only if the transaction commits.
    fn store<'a>(
        &'a self,
        tx: &'a mut TenantTx,
        bytes: &'a [u8],
        accept: &'a [&'a str],
    ) -> StorageFuture<'a, StoredFile>;

    /// The bytes and type of `tx`'s tenant's file `id`; `None` when that tenant has no such file.
    fn open<'a>(&'a self, tx: &'a mut TenantTx, id: Uuid) -> StorageFuture<'a, Option<OpenedFile>>;
}
