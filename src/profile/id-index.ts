// Maps pprof IDs (uint64, usually small and dense) to table row indexes.

/** Lookup from ID to row index; `get` returns -1 for an unknown ID. Dense IDs use an array, sparse ones a Map. */
export interface IdIndex {
  get(id: number): number;
  /** The dense lookup table (index by ID, -1 for none) when IDs are dense, for hot loops; else null. */
  dense: Int32Array | null;
  /** N when the IDs are exactly 1..N in row order (row = ID − 1), else 0. */
  sequentialCount: number;
}

/** Builds the lookup for `ids` (row i has ID ids[i]). Throws via `onDuplicate` when an ID repeats. */
export function buildIdIndex(ids: Float64Array, onDuplicate: (id: number) => never): IdIndex {
  let max = 0;
  let sequential = true;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i]! > max) max = ids[i]!;
    if (ids[i] !== i + 1) sequential = false;
  }
  const sequentialCount = sequential ? ids.length : 0;
  if (max <= ids.length * 4 + 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (table[id] !== -1) onDuplicate(id);
      table[id] = i;
    }
    return { get: (id) => (id <= max ? table[id]! : -1), dense: table, sequentialCount };
  }
  const map = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (map.has(id)) onDuplicate(id);
    map.set(id, i);
  }
  return { get: (id) => map.get(id) ?? -1, dense: null, sequentialCount };
}

/** True when the IDs indexed are exactly 1..count (in any row order): `count` distinct IDs, none above it. */
export function isPermutation(index: IdIndex, count: number): boolean {
  const d = index.dense;
  if (d === null || d.length !== count + 1) return false;
  for (let id = 1; id <= count; id++) if (d[id]! < 0) return false;
  return true;
}

/** The index of rows whose IDs are 1..count in order. */
export function sequentialIndex(count: number): IdIndex {
  const dense = new Int32Array(count + 1);
  dense[0] = -1;
  for (let id = 1; id <= count; id++) dense[id] = id - 1;
  return { get: (id) => (id >= 1 && id <= count ? id - 1 : -1), dense, sequentialCount: count };
}
