//! One at a time per key, within this process: work that must not run twice at once for the same thing (rendering
//! the same page after a change; creating a payer at the gateway) takes its key's turn, and whoever comes meanwhile
//! waits for it and then finds the work done. A key is forgotten when its last turn ends, so the map holds only
//! the keys in use.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex, PoisonError},
};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

type Waiting<K> = Arc<Mutex<HashMap<K, Arc<AsyncMutex<()>>>>>;

#[derive(Debug)]
pub struct Turns<K> {
    waiting: Waiting<K>,
}

impl<K> Clone for Turns<K> {
    fn clone(&self) -> Self {
        Self { waiting: self.waiting.clone() }
    }
}

impl<K> Default for Turns<K> {
    fn default() -> Self {
        Self { waiting: Arc::default() }
    }
}

impl<K: Hash + Eq + Clone> Turns<K> {
    /// Waits for `key`'s turn; the turn lasts as long as the value returned.
    pub async fn take(&self, key: K) -> Turn<K> {
        let lock = self.waiting.lock().unwrap_or_else(PoisonError::into_inner).entry(key.clone()).or_default().clone();
        let mut turn = Turn { key, lock: lock.clone(), waiting: self.waiting.clone(), held: None };
        turn.held = Some(lock.lock_owned().await);
        turn
    }
}

pub struct Turn<K: Hash + Eq> {
    key: K,
    lock: Arc<AsyncMutex<()>>,
    waiting: Waiting<K>,
    held: Option<OwnedMutexGuard<()>>,
}

impl<K: Hash + Eq> Drop for Turn<K> {
    fn drop(&mut self) {
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        // The key is forgotten by the last turn only: the map's, this turn's and its guard's references are all
        // that are left (a caller that is waiting took its reference under the map's lock, so it is counted).
        let own = 2 + usize::from(self.held.is_some());
        if waiting.get(&self.key).is_some_and(|lock| Arc::ptr_eq(lock, &self.lock))
            && Arc::strong_count(&self.lock) == own
        {
            waiting.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_turn_at_a_time_per_key_and_keys_are_forgotten_after() {
        let turns: Turns<&str> = Turns::default();
        let first = turns.take("a").await;
        let other_key = tokio::time::timeout(std::time::Duration::from_millis(50), turns.take("b")).await;
        assert!(other_key.is_ok(), "another key does not wait");
        drop(other_key);
        let waiting = tokio::spawn({
            let turns = turns.clone();
            async move {
                let _turn = turns.take("a").await;
            }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the same key waits");
        drop(first);
        waiting.await.unwrap();
        assert!(turns.waiting.lock().unwrap().is_empty(), "nothing kept once every turn ended");
    }
}
