// Growth between two goroutine dumps (or goroutine profiles): buckets matched by stack, with Δ count.

import { createStringTable } from '../profile/string-table';
import { FRAME_RUNTIME } from '../profile/go-packages';
import type { GoroutineDump } from '../profile/goroutine-dump';
import { formatState, type GoroutineBuckets } from './goroutine-buckets';

/** One side of a comparison: a dump, its (similar) buckets, its frame kinds, and whether it knows states. */
export interface GrowthSide {
  dump: GoroutineDump;
  buckets: GoroutineBuckets;
  frameKinds: Uint8Array;
  hasStates: boolean;
}

/**
 * Growth rows sorted by `delta` (descending), then by `after`. Row `r`: `before`/`after` goroutine counts,
 * `isNew[r]` 1 when the stack was absent before (0 → after), `func`/`state`/`createdBy` as string indexes
 * into `strings` for display. States take part in the match only when both sides have them.
 */
export interface GoroutineGrowth {
  length: number;
  strings: string[];
  before: Float64Array;
  after: Float64Array;
  delta: Float64Array;
  isNew: Uint8Array;
  func: Uint32Array;
  state: Uint32Array;
  createdBy: Uint32Array;
  totalBefore: number;
  totalAfter: number;
  /** True when states were part of the match (both sides are dumps). */
  byState: boolean;
}

interface Entry {
  count: number;
  func: string;
  state: string;
  createdBy: string;
}

/**
 * The matching key of a bucket: its frames as `function@line`, leaf first, runtime frames left out — the
 * `?debug=2` text hides the runtime's own frames (gopark, chansend…) that the protobuf form keeps, so
 * leaving them out on both sides lets a dump be compared with a profile too.
 */
function entries(side: GrowthSide, byState: boolean): Map<string, Entry> {
  const { dump, buckets, frameKinds } = side;
  const s = dump.strings;
  const out = new Map<string, Entry>();
  for (let b = 0; b < buckets.length; b++) {
    const st = buckets.stack[b]!;
    let key = '';
    for (let k = dump.stacks.frameStart[st]!; k < dump.stacks.frameStart[st + 1]!; k++) {
      const f = dump.stacks.frames[k]!;
      if (frameKinds[f] === FRAME_RUNTIME) continue;
      key += `${s[dump.frames.func[f]!]}@${dump.frames.line[f]};`;
    }
    const state = side.hasStates ? formatState(s[buckets.state[b]!]!, buckets.locked[b] === 1) : '';
    if (byState) key += `|${state}`;
    const e = out.get(key);
    if (e) {
      e.count += buckets.count[b]!;
      continue;
    }
    const focus = buckets.focusFrame[b]!;
    const cb = buckets.createdBy[b]!;
    out.set(key, {
      count: buckets.count[b]!,
      func: focus >= 0 ? s[dump.frames.func[focus]!]! : '',
      state: byState ? state : side.hasStates ? state : '',
      createdBy: cb >= 0 ? s[dump.frames.func[cb]!]! : '',
    });
  }
  return out;
}

/** Matches the buckets of `before` and `after` by stack and computes Δ per stack; O(buckets). */
export function computeGoroutineGrowth(before: GrowthSide, after: GrowthSide): GoroutineGrowth {
  const byState = before.hasStates && after.hasStates;
  const a = entries(before, byState);
  const b = entries(after, byState);
  const rows: { before: number; after: number; e: Entry }[] = [];
  for (const [key, e] of b) rows.push({ before: a.get(key)?.count ?? 0, after: e.count, e });
  for (const [key, e] of a) if (!b.has(key)) rows.push({ before: e.count, after: 0, e });
  rows.sort((x, y) => y.after - y.before - (x.after - x.before) || y.after - x.after || (x.e.func < y.e.func ? -1 : x.e.func > y.e.func ? 1 : 0));
  const { strings, intern: str } = createStringTable();
  const n = rows.length;
  const out: GoroutineGrowth = {
    length: n,
    strings,
    before: new Float64Array(n),
    after: new Float64Array(n),
    delta: new Float64Array(n),
    isNew: new Uint8Array(n),
    func: new Uint32Array(n),
    state: new Uint32Array(n),
    createdBy: new Uint32Array(n),
    totalBefore: before.dump.goroutines.length,
    totalAfter: after.dump.goroutines.length,
    byState,
  };
  rows.forEach((r, i) => {
    out.before[i] = r.before;
    out.after[i] = r.after;
    out.delta[i] = r.after - r.before;
    out.isNew[i] = r.before === 0 ? 1 : 0;
    out.func[i] = str(r.e.func);
    out.state[i] = str(r.e.state);
    out.createdBy[i] = str(r.e.createdBy);
  });
  return out;
}
