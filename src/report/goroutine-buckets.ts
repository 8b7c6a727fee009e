// Goroutines grouped into buckets (same stack, state and creator) in one hashing pass, plus the state summary.

import { classifyGoFunction, FRAME_APP, type FrameKind } from '../profile/go-packages';
import type { GoroutineDump } from '../profile/goroutine-dump';

/**
 * `exact`: identical frames including argument words and PC offsets. `similar` (the default, panicparse's
 * "similar"): argument values ignored, so goroutines parked at the same lines share a bucket.
 */
export type GoroutineGrouping = 'similar' | 'exact';

/**
 * Buckets of one dump, sorted by count (descending; ties keep dump order). Bucket `b` holds `count[b]`
 * goroutines whose first one is row `first[b]` (its stack `stack[b]` stands for the bucket). `state` and
 * `labels` are string indexes of the dump; `waitMin`/`waitMax` are -1 when no goroutine printed minutes;
 * `createdBy` is a frame row or -1; `mixedLabels[b]` is 1 when its goroutines differ in labels.
 * `focusFrame[b]` is the frame to show for the bucket: the first application frame from the leaf, else the
 * leaf, -1 for an empty stack.
 */
export interface GoroutineBuckets {
  grouping: GoroutineGrouping;
  length: number;
  count: Uint32Array;
  first: Uint32Array;
  stack: Uint32Array;
  state: Uint32Array;
  locked: Uint8Array;
  waitMin: Int32Array;
  waitMax: Int32Array;
  createdBy: Int32Array;
  labels: Uint32Array;
  mixedLabels: Uint8Array;
  focusFrame: Int32Array;
}

/** Classifies every frame of a dump (application, standard library, runtime) once. */
export function computeFrameKinds(dump: GoroutineDump): Uint8Array {
  const kinds = new Uint8Array(dump.frames.length);
  const byName = new Map<number, FrameKind>();
  for (let f = 0; f < dump.frames.length; f++) {
    const fn = dump.frames.func[f]!;
    let k = byName.get(fn);
    if (k === undefined) {
      k = classifyGoFunction(dump.strings[fn]!);
      byName.set(fn, k);
    }
    kinds[f] = k;
  }
  return kinds;
}

/** Groups the goroutines of a dump: O(goroutines) with one hash lookup each. */
export function buildGoroutineBuckets(dump: GoroutineDump, grouping: GoroutineGrouping, frameKinds = computeFrameKinds(dump)): GoroutineBuckets {
  const g = dump.goroutines;
  const n = g.length;
  const index = new Map<string, number>();
  const bucketOf = new Uint32Array(n);
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    const stack = g.stack[i]!;
    const cb = g.createdBy[i]!;
    const stackKey = grouping === 'similar' ? dump.stacks.similar[stack]! : stack;
    const cbKey = cb < 0 ? -1 : grouping === 'similar' ? dump.frames.site[cb]! : cb;
    const key = `${stackKey},${g.state[i]},${g.locked[i]},${cbKey}`;
    let b = index.get(key);
    if (b === undefined) {
      b = first.length;
      index.set(key, b);
      first.push(i);
    }
    bucketOf[i] = b;
  }
  const m = first.length;
  const count = new Uint32Array(m);
  const waitMin = new Int32Array(m).fill(-1);
  const waitMax = new Int32Array(m).fill(-1);
  const mixed = new Uint8Array(m);
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i]!;
    count[b]!++;
    const w = g.waitMinutes[i]!;
    if (w >= 0) {
      if (waitMin[b]! < 0 || w < waitMin[b]!) waitMin[b] = w;
      if (w > waitMax[b]!) waitMax[b] = w;
    }
    if (g.labels[i] !== g.labels[first[b]!]) mixed[b] = 1;
  }
  // Sorted by count, ties in dump order (bucket numbers follow first appearance).
  const order = Array.from({ length: m }, (_, b) => b).sort((a, b) => count[b]! - count[a]! || a - b);
  const out: GoroutineBuckets = {
    grouping,
    length: m,
    count: new Uint32Array(m),
    first: new Uint32Array(m),
    stack: new Uint32Array(m),
    state: new Uint32Array(m),
    locked: new Uint8Array(m),
    waitMin: new Int32Array(m),
    waitMax: new Int32Array(m),
    createdBy: new Int32Array(m),
    labels: new Uint32Array(m),
    mixedLabels: new Uint8Array(m),
    focusFrame: new Int32Array(m),
  };
  const { frameStart, frames } = dump.stacks;
  order.forEach((b, r) => {
    const i = first[b]!;
    const stack = g.stack[i]!;
    out.count[r] = count[b]!;
    out.first[r] = i;
    out.stack[r] = stack;
    out.state[r] = g.state[i]!;
    out.locked[r] = g.locked[i]!;
    out.waitMin[r] = waitMin[b]!;
    out.waitMax[r] = waitMax[b]!;
    out.createdBy[r] = g.createdBy[i]!;
    out.labels[r] = g.labels[i]!;
    out.mixedLabels[r] = mixed[b]!;
    let focus = -1;
    for (let k = frameStart[stack]!; k < frameStart[stack + 1]!; k++) {
      const f = frames[k]!;
      if (focus < 0) focus = f;
      if (frameKinds[f] === FRAME_APP) {
        focus = f;
        break;
      }
    }
    out.focusFrame[r] = focus;
  });
  return out;
}

/** Goroutines per state as the header prints it (`chan receive`, `chan receive, locked to thread`). */
export interface StateCount {
  state: string;
  count: number;
}

/** The dump's own counts by state, largest first (ties by name). */
export function computeStateCounts(dump: GoroutineDump): StateCount[] {
  const g = dump.goroutines;
  const counts = new Map<number, number>();
  for (let i = 0; i < g.length; i++) {
    // state index * 2 + locked: one number per printed state.
    const key = g.state[i]! * 2 + g.locked[i]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, count]) => ({ state: formatState(dump.strings[key >> 1]!, (key & 1) === 1), count }))
    .sort((a, b) => b.count - a.count || (a.state < b.state ? -1 : a.state > b.state ? 1 : 0));
}

/** `chan receive` + locked → `chan receive, locked to thread`, as Go prints it. */
export function formatState(state: string, locked: boolean): string {
  return locked ? `${state}, locked to thread` : state;
}
