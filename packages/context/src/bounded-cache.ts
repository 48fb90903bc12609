// Caches of public data shared by the contexts of a process (parsed PEM, cipher selections,
// verification results): bounded, the oldest entry going first once the limit is reached.

/** Sets `key` to `value`, first dropping the oldest entry when `cache` holds `limit` already. */
export function rememberBounded<K, V>(cache: Map<K, V>, key: K, value: V, limit: number): V {
  if (cache.size >= limit && !cache.has(key)) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
  return value;
}

/** The value cached for `key`, made by `make` (and remembered, bounded) when there is none. */
export function cachedBounded<K, V>(cache: Map<K, V>, key: K, limit: number, make: () => V): V {
  const cached = cache.get(key);
  return cached !== undefined ? cached : rememberBounded(cache, key, make(), limit);
}
