//! Who is who, kept in memory: tenants by slug and by id, and the facts about a person that decide whether their
//! session holds (active, role, session version). Every signed-in request needs them and they rarely change, so a
//! process reads each once instead of on every request.
//!
//! Safe across server processes because nothing is kept without a way to hear about its change: a trigger on
//! `tenants` and `users` sends `NOTIFY atrium_directory` at commit (migration `…_directory_changes.sql`), the
//! server's bus (`server/src/bus`) hands each notice to [`Directory::forget`] in every process, and
//! - while the bus is not listening (starting, or its connection dropped and notices may have been missed) the
//!   directory keeps nothing and every lookup reads the database; reconnecting starts from empty;
//! - a row read before a change but stored after its notice arrived would be stale forever, so every change bumps an
//!   epoch and a read stores its row only if no change arrived while it was reading;
//! - the process that makes a change forgets at once after its commit (`forget` from the service), not only when
//!   its own notice comes back, so its next request already sees the change. Other processes see it when the notice
//!   arrives (well under a millisecond on one host; the notice travels with the commit);
//! - a cached "no" is never trusted (`access` re-reads before refusing or ending a session), so a stale entry can
//!   only delay a change by that notice's latency, never sign someone out wrongly.
//!
//! Password hashes are never kept: a person's entry is `PersonRow`, without one.

mod cache;

use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU64, Ordering},
};

use sqlx::PgPool;
use uuid::Uuid;

use self::cache::Cache;
use super::{
    auth::store::PersonRow,
    tenancy::{TenantTx, store::TenantRow},
};

/// The notification channel the triggers send on and the bus listens to.
pub const CHANNEL: &str = "atrium_directory";

/// What a notice on [`CHANNEL`] says changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Tenant(Uuid),
    Person(Uuid),
    /// A notice we cannot read: forget everything rather than guess.
    Everything,
}

impl Change {
    /// Reads a notice's payload (`tenant:<uuid>`, `person:<uuid>`).
    pub fn parse(payload: &str) -> Self {
        let parsed = payload.split_once(':').and_then(|(kind, id)| {
            let id = Uuid::parse_str(id).ok()?;
            match kind {
                "tenant" => Some(Self::Tenant(id)),
                "person" => Some(Self::Person(id)),
                _ => None,
            }
        });
        parsed.unwrap_or(Self::Everything)
    }
}

/// How often lookups were answered from memory; exported as metrics, read by tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DirectoryStats {
    pub hits: u64,
    pub misses: u64,
}

/// One per server process (cheap to clone: a shared handle).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Set while the bus listens; until then (and after its connection drops) nothing is kept.
    listening: AtomicBool,
    /// Bumped by every change; a read that overlapped one does not store its row.
    epoch: AtomicU64,
    tenants_by_slug: Cache<String, TenantRow>,
    tenants_by_id: Cache<Uuid, TenantRow>,
    people: Cache<Uuid, PersonRow>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Directory {
    /// The tenant whose slug is `slug` (slugs are public: no tenant transaction needed).
    pub async fn tenant_by_slug(&self, pool: &PgPool, slug: &str) -> Result<Option<TenantRow>, sqlx::Error> {
        let key = slug.trim().to_lowercase();
        if let Some(tenant) = self.inner.tenants_by_slug.get(&key) {
            return Ok(Some(self.hit(tenant)));
        }
        let epoch = self.read_started();
        let tenant = super::tenancy::store::find_by_slug(pool, &key).await?;
        if let Some(tenant) = &tenant {
            self.store(epoch, |inner| {
                inner.tenants_by_slug.insert(key, tenant.clone());
                inner.tenants_by_id.insert(tenant.id, tenant.clone());
            });
        }
        Ok(tenant)
    }

    pub async fn tenant_by_id(&self, pool: &PgPool, id: Uuid) -> Result<TenantRow, sqlx::Error> {
        if let Some(tenant) = self.inner.tenants_by_id.get(&id) {
            return Ok(self.hit(tenant));
        }
        let epoch = self.read_started();
        let tenant = super::tenancy::store::find_by_id_in(pool, id).await?;
        self.store(epoch, |inner| {
            inner.tenants_by_slug.insert(tenant.slug.clone(), tenant.clone());
            inner.tenants_by_id.insert(id, tenant.clone());
        });
        Ok(tenant)
    }

    /// The person `user_id` of tenant `tenant_id`, from memory when it may.
    pub async fn person(
        &self,
        pool: &PgPool,
        tenant_id: Uuid,
        user_id: Uuid,
    ) -> Result<Option<PersonRow>, sqlx::Error> {
        if let Some(person) = self.inner.people.get(&user_id).filter(|person| person.tenant_id == tenant_id) {
            return Ok(Some(self.hit(person)));
        }
        self.person_from_database(pool, tenant_id, user_id).await
    }

    /// The person as the database has them now (and remembered for next time): for decisions that must not rest
    /// on memory, such as refusing a request or ending a session.
    pub async fn person_from_database(
        &self,
        pool: &PgPool,
        tenant_id: Uuid,
        user_id: Uuid,
    ) -> Result<Option<PersonRow>, sqlx::Error> {
        let epoch = self.read_started();
        let mut tx = TenantTx::begin(pool, tenant_id).await?;
        let person = super::auth::store::find_person(tx.conn(), user_id).await?;
        tx.commit().await?;
        if let Some(person) = &person {
            self.store(epoch, |inner| inner.people.insert(user_id, person.clone()));
        }
        Ok(person)
    }

    /// Drops what `change` names. Called by the bus for every notice, and by the service that made a change right
    /// after its commit.
    pub fn forget(&self, change: Change) {
        let inner = &self.inner;
        match change {
            Change::Tenant(id) => {
                inner.tenants_by_id.remove(&id);
                inner.tenants_by_slug.retain(|_, tenant| tenant.id != id);
            }
            Change::Person(id) => inner.people.remove(&id),
            Change::Everything => self.clear(),
        }
        inner.epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// The bus listens: from now on every change will be heard, so entries may be kept. Starts from empty, since
    /// notices sent before (or while reconnecting) were missed.
    pub fn listening(&self) {
        self.clear();
        self.inner.epoch.fetch_add(1, Ordering::SeqCst);
        self.inner.listening.store(true, Ordering::SeqCst);
    }

    /// The bus lost its connection: changes may go unheard, so keep nothing until it listens again.
    pub fn deaf(&self) {
        self.inner.listening.store(false, Ordering::SeqCst);
        self.inner.epoch.fetch_add(1, Ordering::SeqCst);
        self.clear();
    }

    pub fn is_listening(&self) -> bool {
        self.inner.listening.load(Ordering::SeqCst)
    }

    pub fn stats(&self) -> DirectoryStats {
        DirectoryStats {
            hits: self.inner.hits.load(Ordering::Relaxed),
            misses: self.inner.misses.load(Ordering::Relaxed),
        }
    }

    fn clear(&self) {
        self.inner.tenants_by_slug.clear();
        self.inner.tenants_by_id.clear();
        self.inner.people.clear();
    }

    fn hit<T>(&self, value: T) -> T {
        self.inner.hits.fetch_add(1, Ordering::Relaxed);
        value
    }

    fn read_started(&self) -> u64 {
        self.inner.misses.fetch_add(1, Ordering::Relaxed);
        self.inner.epoch.load(Ordering::SeqCst)
    }

    /// Keeps what a read found, unless the bus is not listening or a change arrived since the read began.
    fn store(&self, epoch: u64, keep: impl FnOnce(&Inner)) {
        let inner = &self.inner;
        // The epoch is checked again after storing: a change that slipped in between is forgotten with it.
        if !inner.listening.load(Ordering::SeqCst) || inner.epoch.load(Ordering::SeqCst) != epoch {
            return;
        }
        keep(inner);
        if !inner.listening.load(Ordering::SeqCst) || inner.epoch.load(Ordering::SeqCst) != epoch {
            self.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_name_what_changed_and_an_unreadable_one_forgets_everything() {
        let id = Uuid::now_v7();
        assert_eq!(Change::parse(&format!("tenant:{id}")), Change::Tenant(id));
        assert_eq!(Change::parse(&format!("person:{id}")), Change::Person(id));
        assert_eq!(Change::parse("person:not-a-uuid"), Change::Everything);
        assert_eq!(Change::parse(&format!("planet:{id}")), Change::Everything);
        assert_eq!(Change::parse(""), Change::Everything);
    }

    fn tenant(id: Uuid, slug: &str) -> TenantRow {
        TenantRow {
            id,
            slug: slug.into(),
            name: slug.into(),
            plan: "starter".into(),
            enrollment_enabled: true,
            crm_enabled: true,
            finance_enabled: true,
        }
    }

    #[test]
    fn nothing_is_kept_while_deaf_and_a_change_during_a_read_keeps_the_read_out() {
        let directory = Directory::default();
        let id = Uuid::now_v7();
        let keep = |inner: &Inner| inner.tenants_by_id.insert(id, tenant(id, "alfa"));

        let epoch = directory.read_started();
        directory.store(epoch, keep);
        assert!(directory.inner.tenants_by_id.get(&id).is_none(), "kept while the bus was not listening");

        directory.listening();
        let epoch = directory.read_started();
        directory.forget(Change::Tenant(id));
        directory.store(epoch, keep);
        assert!(directory.inner.tenants_by_id.get(&id).is_none(), "kept a row read before a change arrived");

        let epoch = directory.read_started();
        directory.store(epoch, keep);
        assert!(directory.inner.tenants_by_id.get(&id).is_some());

        directory.deaf();
        assert!(directory.inner.tenants_by_id.get(&id).is_none(), "going deaf forgets everything");
    }

    #[test]
    fn forgetting_a_tenant_forgets_it_under_its_slug_too() {
        let directory = Directory::default();
        directory.listening();
        let id = Uuid::now_v7();
        let epoch = directory.read_started();
        directory.store(epoch, |inner| {
            inner.tenants_by_slug.insert("alfa".into(), tenant(id, "alfa"));
            inner.tenants_by_id.insert(id, tenant(id, "alfa"));
        });
        directory.forget(Change::Tenant(id));
        assert!(directory.inner.tenants_by_slug.get(&"alfa".to_string()).is_none());
        assert!(directory.inner.tenants_by_id.get(&id).is_none());
    }
}
