package dev.herald.hub.internal.topic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used map. Compiled URL patterns are cached because subscribers reconnect
 * with the same matchers; the bound keeps clients from growing it without limit with distinct
 * patterns.
 *
 * <p>Thread-safe: every access holds the instance's lock. Lookups happen when subscriptions are
 * created, not per dispatched update, so the lock is not on the hot path.
 */
final class LruCache<K, V> {

    private final Map<K, V> map;

    LruCache(int capacity) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized int size() {
        return map.size();
    }
}
