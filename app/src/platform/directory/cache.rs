//! A small map behind a read-write lock, bounded so that a flood of distinct keys (many people, random slugs that
//! happen to exist) cannot grow memory without end: when full, it starts over. Entries are cheap to read again.

use std::{collections::HashMap, hash::Hash, sync::RwLock};

/// Entries kept per map before it starts over.
const CAPACITY: usize = 50_000;

#[derive(Debug)]
pub struct Cache<K, V> {
    entries: RwLock<HashMap<K, V>>,
}

impl<K, V> Default for Cache<K, V> {
    fn default() -> Self {
        Self { entries: RwLock::new(HashMap::new()) }
    }
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    pub fn get(&self, key: &K) -> Option<V> {
        // A poisoned lock only means another thread panicked mid-insert of a plain map: the map is still sound.
        let entries = self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.get(key).cloned()
    }

    pub fn insert(&self, key: K, value: V) {
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, value);
    }

    pub fn remove(&self, key: &K) {
        self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner).remove(key);
    }

    pub fn retain(&self, keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner).retain(keep);
    }

    pub fn clear(&self) {
        self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_cache_starts_over_instead_of_growing() {
        let cache = Cache::default();
        for key in 0..CAPACITY {
            cache.insert(key, key);
        }
        cache.insert(CAPACITY, CAPACITY);
        assert_eq!(cache.get(&0), None);
        assert_eq!(cache.get(&CAPACITY), Some(CAPACITY));
        cache.insert(CAPACITY, 7);
        assert_eq!(cache.get(&CAPACITY), Some(7), "replacing a key does not start over");
    }
}
