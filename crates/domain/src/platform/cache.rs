//! The read-through cache of hot-path lookups (API keys, project upstreams, templates).
//! An entry serves while it is younger than the cache time and this instance has changed
//! nothing since it was loaded ([`ChangeCounter`]): this instance's edits apply at once,
//! other instances' within the cache time.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Bumped on every change to keys or projects in this process, so cached entries loaded
/// before it are stale.
#[derive(Clone, Debug, Default)]
pub struct ChangeCounter(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl ChangeCounter {
    pub fn bump(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    pub fn current(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// Entries kept before the cache starts over (a bound on memory, not a tuning knob).
const MAX_ENTRIES: usize = 10_000;

pub struct Recent<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, u64, V)>>,
}

impl<K: Eq + Hash, V: Clone> Recent<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Recent {
            ttl,
            entries: Mutex::default(),
        }
    }

    /// The cached value of `key`, or what `load` gives (then cached, errors are not).
    pub async fn get_or_load<E>(
        &self,
        key: K,
        changes: &ChangeCounter,
        load: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        let epoch = changes.current();
        if let Some((at, seen, value)) = self.entries.lock().unwrap().get(&key) {
            if at.elapsed() < self.ttl && *seen == epoch {
                return Ok(value.clone());
            }
        }
        let value = load.await?;
        let mut entries = self.entries.lock().unwrap();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (Instant::now(), epoch, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn load(n: &std::sync::atomic::AtomicU32) -> Result<u32, ()> {
        Ok(n.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
    }

    #[tokio::test]
    async fn serves_until_the_cache_time_or_a_change_of_this_instance() {
        let (cache, changes, loads) = (
            Recent::new(Duration::from_millis(100)),
            ChangeCounter::default(),
            std::sync::atomic::AtomicU32::new(0),
        );
        assert_eq!(cache.get_or_load("k", &changes, load(&loads)).await, Ok(0));
        assert_eq!(
            cache.get_or_load("k", &changes, load(&loads)).await,
            Ok(0),
            "served from the cache"
        );
        changes.bump();
        assert_eq!(
            cache.get_or_load("k", &changes, load(&loads)).await,
            Ok(1),
            "a change drops it at once"
        );
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(
            cache.get_or_load("k", &changes, load(&loads)).await,
            Ok(2),
            "the cache time ran out"
        );
        let failed: Result<u32, &str> = cache
            .get_or_load("other", &changes, async { Err("down") })
            .await;
        assert_eq!(failed, Err("down"));
        assert_eq!(
            cache.get_or_load("other", &changes, async { Ok(7) }).await,
            Ok::<u32, &str>(7),
            "errors are not cached"
        );
    }
}
