//! Sessions kept in this process's memory, in front of PostgreSQL.
//!
//! Every signed-in request loads its session; from PostgreSQL that is a pool checkout and a round trip, the largest
//! part of a signed-in page's database work once the directory cache holds the person. The memory keeps the
//! guarantees the table gives, across server processes:
//! - a session ended or changed anywhere is forgotten everywhere: a trigger on `sessions` (migration
//!   `…_session_changes.sql`) sends `atrium_sessions` with the SHA-256 of the id on the bus (the id itself is a
//!   credential; it never travels or gets logged);
//! - while the bus is deaf (its connection lost), nothing is kept, and everything is dropped when it hears again;
//! - a read from PostgreSQL stores its record only if no notice arrived while it was reading (the epoch);
//! - an entry past its expiry date is never served; PostgreSQL is asked again.
//!
//! Who the session's person is, and whether they may still act, is not decided here: the directory checks the
//! person's session version on every request, as before.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use sha2::{Digest, Sha256};
use tower_sessions::session::{Id, Record};

/// The bus channel the `sessions` trigger notifies.
pub const CHANNEL: &str = "atrium_sessions";

/// Sessions kept before the map starts over (a flood of sign-ins cannot grow memory without end).
const CAPACITY: usize = 100_000;

type Key = [u8; 32];

#[derive(Debug, Clone, Default)]
pub struct SessionMemory {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    records: RwLock<HashMap<Key, Record>>,
    listening: AtomicBool,
    epoch: AtomicU64,
    /// Loads answered from memory (tests and figures read it).
    hits: AtomicU64,
}

/// What a load found in memory, or the epoch to hand back to `keep` after reading PostgreSQL.
pub enum Lookup {
    Found(Record),
    Missing { epoch: u64 },
}

impl SessionMemory {
    pub fn lookup(&self, id: &Id) -> Lookup {
        let epoch = self.inner.epoch.load(Ordering::SeqCst);
        let found =
            self.read().get(&key(id)).filter(|record| record.expiry_date > time::OffsetDateTime::now_utc()).cloned();
        match found {
            Some(record) => {
                self.inner.hits.fetch_add(1, Ordering::Relaxed);
                Lookup::Found(record)
            }
            None => Lookup::Missing { epoch },
        }
    }

    /// Loads answered from memory so far.
    pub fn hits(&self) -> u64 {
        self.inner.hits.load(Ordering::Relaxed)
    }

    /// Keeps what PostgreSQL answered, unless the bus is deaf or a notice arrived since `epoch` was taken.
    pub fn keep(&self, epoch: u64, record: &Record) {
        if !self.current(epoch) {
            return;
        }
        let id = key(&record.id);
        {
            let mut records = self.write();
            if records.len() >= CAPACITY && !records.contains_key(&id) {
                records.clear();
            }
            records.insert(id, record.clone());
        }
        // A notice that slipped in while storing is honoured by dropping what was just stored.
        if !self.current(epoch) {
            self.write().remove(&id);
        }
    }

    /// Keeps a record this process just wrote (created or saved).
    pub fn wrote(&self, record: &Record) {
        let epoch = self.inner.epoch.load(Ordering::SeqCst);
        self.keep(epoch, record);
    }

    pub fn forget(&self, id: &Id) {
        self.forget_key(&key(id));
    }

    /// A notice from the bus: the hex SHA-256 of an id that changed or ended. An unreadable one forgets everything.
    pub fn notice(&self, payload: &str) {
        match parse_key(payload) {
            Some(id) => self.forget_key(&id),
            None => {
                self.inner.epoch.fetch_add(1, Ordering::SeqCst);
                self.write().clear();
            }
        }
    }

    /// The bus listens: notices from now on arrive; what was kept before may have missed some.
    pub fn hearing(&self) {
        self.inner.epoch.fetch_add(1, Ordering::SeqCst);
        self.write().clear();
        self.inner.listening.store(true, Ordering::SeqCst);
    }

    /// The bus lost its connection: keep nothing until it hears again.
    pub fn deaf(&self) {
        self.inner.listening.store(false, Ordering::SeqCst);
        self.inner.epoch.fetch_add(1, Ordering::SeqCst);
        self.write().clear();
    }

    fn forget_key(&self, id: &Key) {
        self.inner.epoch.fetch_add(1, Ordering::SeqCst);
        self.write().remove(id);
    }

    fn current(&self, epoch: u64) -> bool {
        self.inner.listening.load(Ordering::SeqCst) && self.inner.epoch.load(Ordering::SeqCst) == epoch
    }

    // A poisoned lock only means another thread panicked mid-insert of a plain map: the map is still sound.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<Key, Record>> {
        self.inner.records.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<Key, Record>> {
        self.inner.records.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl crate::bus::Subscriber for SessionMemory {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn notice(&self, payload: &str) {
        SessionMemory::notice(self, payload);
    }

    fn hearing(&self) {
        SessionMemory::hearing(self);
    }

    fn deaf(&self) {
        SessionMemory::deaf(self);
    }
}

/// The SHA-256 of the id as the table stores it (`Id`'s text form), as the trigger computes it.
fn key(id: &Id) -> Key {
    Sha256::digest(id.to_string().as_bytes()).into()
}

fn parse_key(hex: &str) -> Option<Key> {
    let hex = hex.trim().as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (byte, pair) in key.iter_mut().zip(hex.chunks_exact(2)) {
        let digit = |c: u8| char::from(c).to_digit(16);
        *byte = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(expires_in: time::Duration) -> Record {
        Record {
            id: Id::default(),
            data: HashMap::default(),
            expiry_date: time::OffsetDateTime::now_utc() + expires_in,
        }
    }

    fn listening() -> SessionMemory {
        let memory = SessionMemory::default();
        memory.hearing();
        memory
    }

    fn found(memory: &SessionMemory, id: &Id) -> bool {
        matches!(memory.lookup(id), Lookup::Found(_))
    }

    fn hex(key: &Key) -> String {
        key.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    #[test]
    fn a_notice_naming_the_ids_hash_forgets_it_and_only_it() {
        let memory = listening();
        let (one, two) = (record(time::Duration::hours(1)), record(time::Duration::hours(1)));
        memory.wrote(&one);
        memory.wrote(&two);
        assert!(found(&memory, &one.id) && found(&memory, &two.id));
        memory.notice(&hex(&key(&one.id)));
        assert!(!found(&memory, &one.id));
        assert!(found(&memory, &two.id));
        memory.notice("not a hash");
        assert!(!found(&memory, &two.id), "an unreadable notice forgets everything");
    }

    #[test]
    fn nothing_is_kept_while_deaf_and_a_read_that_raced_a_notice_is_not_kept() {
        let memory = SessionMemory::default();
        let session = record(time::Duration::hours(1));
        memory.wrote(&session);
        assert!(!found(&memory, &session.id), "not listening yet");
        memory.hearing();
        let Lookup::Missing { epoch } = memory.lookup(&session.id) else { panic!("nothing kept yet") };
        memory.notice(&hex(&key(&session.id)));
        memory.keep(epoch, &session);
        assert!(!found(&memory, &session.id), "the notice arrived while PostgreSQL was read");
        memory.wrote(&session);
        assert!(found(&memory, &session.id));
        memory.deaf();
        assert!(!found(&memory, &session.id));
    }

    #[test]
    fn an_expired_session_is_never_served_from_memory() {
        let memory = listening();
        let expired = record(time::Duration::seconds(-1));
        memory.wrote(&expired);
        assert!(!found(&memory, &expired.id));
    }

    #[test]
    fn a_notice_is_read_as_64_hex_digits_and_anything_else_is_unreadable() {
        let key: Key = std::array::from_fn(|n| u8::try_from(n * 7).unwrap_or(0));
        assert_eq!(parse_key(&hex(&key)), Some(key));
        assert_eq!(parse_key(&hex(&key).to_uppercase()), Some(key));
        assert_eq!(parse_key("zz"), None);
        assert_eq!(parse_key(&"g".repeat(64)), None);
    }
}
