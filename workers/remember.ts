// The engine's small caches: Maps kept in use order, the least recently used entries dropped past a limit.

/** Stores `value` under `key` as the most recent entry and drops the oldest beyond `limit`; returns `value`. */
export function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): V {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value!);
  return value;
}
