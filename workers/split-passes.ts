// The engine's side of the pass worker: the first top of a large profile is summed and marked in two parts,
// samples [0, mid) in the engine and [mid, n) in the pass worker, on the other core.

import { addInEdges, prepareInEdgePass, sumSamples, type NodeSums } from '../src/graph/build-graph';
import { addEdgeList } from '../src/graph/edge-table';
import { readStackColumns, type NodeMap, type StackColumns } from '../src/graph/nodes';
import { finishTrimmedGraph, planTrimmedGraph } from '../src/graph/trim';
import type { Profile } from '../src/profile/model';
import { computeFlameFrames, FlameWalk, FrameLevels, type FlameFrames, type FlameOptions, type FlameStart } from '../src/report/flame';
import { buildTopReport, readTopTrimOptions, type TopOptions, type TopReport } from '../src/report/top';
import type { InEdgeFrames, PassReply, PassRequest, StackPart } from './pass-protocol';

/**
 * Below these sizes one thread is as fast: handing the part over copies ~4 bytes per stack entry, and a pass
 * is slow only when its per-location tables do not fit a core's cache (heap_large, 21.7 M entries over 6 757
 * locations, sums in ~30 ms; synthetic_2m, 23 M over 200 005 locations, in ~300 ms).
 */
export const SPLIT_MIN_STACK_ENTRIES = 4_000_000;
export const SPLIT_MIN_LOCATIONS = 32_768;

/** A way to the pass worker (or an in-thread stand-in): requests out, replies (or a failure) in. */
export interface PassPort {
  post(message: PassRequest, transfer: Transferable[]): void;
  onreply: ((reply: PassReply) => void) | null;
  onfail: ((message: string) => void) | null;
}

/** The sample where the stack entries split in two halves. */
export function findMiddleSample(columns: StackColumns): number {
  const n = columns.values.length;
  if (n === 0) return 0;
  const half = (columns.starts[0]! + columns.ends[n - 1]!) / 2;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (columns.starts[m]! < half) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** Samples [mid, n) of `columns` as a part with its own stack (copies). */
export function copyStackPart(columns: StackColumns, mid: number): StackPart {
  const n = columns.values.length;
  const base = mid < n ? columns.starts[mid]! : 0;
  const end = mid < n ? columns.ends[n - 1]! : 0;
  const starts = new Uint32Array(n - mid);
  const ends = new Uint32Array(n - mid);
  for (let s = mid; s < n; s++) {
    starts[s - mid] = columns.starts[s]! - base;
    ends[s - mid] = columns.ends[s]! - base;
  }
  return { stack: columns.stack.slice(base, end), starts, ends };
}

/** Splits passes with the pass worker behind `port`; a part the worker cannot do is done here instead. */
export class SplitPasses {
  #port: PassPort;
  #nextId = 1;
  #pending = new Map<number, (reply: PassReply) => void>();
  /** Per profile key: where its samples split, and the sample types whose values the worker holds. */
  #held = new Map<string, { mid: number; values: Set<number> }>();
  /** Keys forgotten (profiles closed): a pass still running for one does all its samples here. */
  #forgotten = new Set<string>();

  #minStackEntries: number;
  #minLocations: number;

  constructor(port: PassPort, sizes: { minStackEntries?: number; minLocations?: number } = {}) {
    this.#port = port;
    this.#minStackEntries = sizes.minStackEntries ?? SPLIT_MIN_STACK_ENTRIES;
    this.#minLocations = sizes.minLocations ?? SPLIT_MIN_LOCATIONS;
    port.onreply = (reply) => {
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    };
    port.onfail = (message) => {
      for (const settle of this.#pending.values()) settle({ type: 'error', id: 0, message });
      this.#pending.clear();
      this.#held.clear();
    };
  }

  /** Whether a profile's passes are worth splitting. */
  worthSplitting(profile: Profile): boolean {
    return profile.samples.stack.length >= this.#minStackEntries && profile.locations.length >= this.#minLocations;
  }

  /**
   * pprof's top report for the open profile `key` from its untrimmed sums (buildNodeSums), the in-edge pass
   * for its `(inline)` markers split in two parts.
   */
  async buildTopReport(key: string, profile: Profile, nodes: NodeMap, options: TopOptions, sums: NodeSums): Promise<TopReport> {
    const columns = readStackColumns(profile, nodes, options.sampleIndex);
    const plan = planTrimmedGraph(profile, nodes, readTopTrimOptions(options), sums);
    let inEdges: Uint8Array | null = null;
    if (plan.inEdgePass) {
      const pass = prepareInEdgePass(nodes, plan.inEdgePass);
      const { code, listStart, listEntry, nodeOf, slotOf } = pass.kept;
      const frames: InEdgeFrames = { code, listStart, listEntry, nodeOf, isEdgeNode: pass.isEdgeNode };
      const mid = this.#hold(key, columns, nodes);
      const remote = this.#ask(key, columns, mid, options.sampleIndex, (id, sampleIndex, values) => ({ type: 'inEdges', id, key, sampleIndex, values, frames }));
      addInEdges(columns, pass.kept, pass.isEdgeNode, pass.edges, 0, mid);
      const part = await remote;
      if (part?.type === 'inEdges') addEdgeList(pass.edges, part.edges, slotOf);
      else addInEdges(columns, pass.kept, pass.isEdgeNode, pass.edges, mid, columns.values.length);
      inEdges = new Uint8Array(nodes.length);
      pass.edges.markInEdges(inEdges, plan.inEdgePass.edgeCutoff);
    }
    return buildTopReport(profile, nodes, options, sums, finishTrimmedGraph(plan, inEdges));
  }

  /** Untrimmed flat/cum of one sample type of the open profile `key`, summed in two parts. */
  buildNodeSums(key: string, profile: Profile, nodes: NodeMap, sampleIndex: number): Promise<NodeSums> {
    return this.#sums(key, readStackColumns(profile, nodes, sampleIndex), nodes, sampleIndex);
  }

  /**
   * The flame graph frames of the open profile `key` (on its functions nodes, the ones the worker holds),
   * walked in two parts. Each depth both parts group their entries, the worker's groups are added after the
   * engine's (numbered as one walk in sample order numbers them) and the frames chosen here go back to the
   * worker for its next depth. When the worker fails, the frames are computed here from the start (threads: 1).
   */
  async computeFlameFrames(key: string, profile: Profile, nodes: NodeMap, options: FlameOptions): Promise<{ frames: FlameFrames; threads: 1 | 2 }> {
    const columns = readStackColumns(profile, nodes, options.sampleIndex);
    const mid = this.#hold(key, columns, nodes);
    const start: FlameStart = { path: options.path, pivot: options.pivot, direction: options.direction };
    const remote = this.#ask(key, columns, mid, options.sampleIndex, (id, sampleIndex, values) => ({ type: 'flameStart', id, key, sampleIndex, values, start, nodeCount: nodes.length }));
    const walk = new FlameWalk(columns, nodes, start, 0, mid);
    const started = await remote;
    if (started?.type !== 'flameStart') return { frames: computeFlameFrames(profile, nodes, options), threads: 1 };
    try {
      const own = walk.sumRoot();
      const levels = new FrameLevels(walk.rootNode, { value: own.value + started.value, net: own.net + started.net }, options, nodes.length);
      let remoteAlive = started.alive;
      let remoteFrames = Int32Array.of(0);
      while (levels.next(walk.alive + remoteAlive)) {
        const { levelStart, levelEnd } = levels;
        const frameOf = remoteFrames;
        const step = remoteAlive > 0 ? this.#request((id) => ({ type: 'flameStep', id, walk: started.id, frameOf, levelStart, levelEnd }), [frameOf.buffer]) : null;
        walk.step(levels.groups, levels.out.self);
        let groupOf: Int32Array | null = null;
        if (step) {
          const part = await step;
          if (part?.type !== 'flameStep') return { frames: computeFlameFrames(profile, nodes, options), threads: 1 };
          groupOf = levels.addPart(part);
          remoteAlive = part.alive;
        }
        const frames = levels.endLevel();
        walk.setFrames(frames);
        remoteFrames = groupOf ? Int32Array.from(groupOf, (g) => frames[g]!) : new Int32Array(0);
      }
      return { frames: levels.finish(), threads: 2 };
    } finally {
      this.#port.post({ type: 'flameEnd', walk: started.id }, []);
    }
  }

  /** Lets the worker drop what it holds for `key`; later passes for it stay in this thread. */
  forget(key: string): void {
    this.#forgotten.add(key);
    if (this.#held.delete(key)) this.#port.post({ type: 'forget', key }, []);
  }

  async #sums(key: string, columns: StackColumns, nodes: NodeMap, sampleIndex: number): Promise<NodeSums> {
    const mid = this.#hold(key, columns, nodes);
    const n = nodes.length;
    const remote = this.#ask(key, columns, mid, sampleIndex, (id, si, values) => ({ type: 'sums', id, key, sampleIndex: si, values, nodeCount: n }));
    const flat = new Float64Array(n);
    const cum = new Float64Array(n);
    const seen = new Int32Array(n).fill(-1);
    sumSamples(columns, nodes, 0, mid, flat, cum, seen);
    const part = await remote;
    if (part?.type !== 'sums') {
      sumSamples(columns, nodes, mid, columns.values.length, flat, cum, seen);
      return { flat, cum };
    }
    // Sums of integers below 2^53 are exact in any order: the same as one pass.
    for (let i = 0; i < n; i++) {
      flat[i]! += part.flat[i]!;
      cum[i]! += part.cum[i]!;
    }
    return { flat, cum };
  }

  /** Hands samples [mid, n) of profile `key` to the worker once; returns mid (n: none handed, key forgotten). */
  #hold(key: string, columns: StackColumns, nodes: NodeMap): number {
    const held = this.#held.get(key);
    if (held) return held.mid;
    if (this.#forgotten.has(key)) return columns.values.length;
    const mid = findMiddleSample(columns);
    const part = copyStackPart(columns, mid);
    const { locNodeStart, locNodes, locSingle } = nodes;
    this.#port.post({ type: 'load', key, part, nodes: { locNodeStart, locNodes, locSingle } }, [part.stack.buffer, part.starts.buffer, part.ends.buffer]);
    this.#held.set(key, { mid, values: new Set() });
    return mid;
  }

  /**
   * Posts a request (with this part's values the first time a sample type is asked); null when it failed or
   * nothing is held for `key` (the caller then does samples [mid, n) itself).
   */
  #ask(key: string, columns: StackColumns, mid: number, sampleIndex: number, build: (id: number, sampleIndex: number, values?: Float64Array) => PassRequest): Promise<PassReply | null> {
    const held = this.#held.get(key);
    if (!held) return Promise.resolve(null);
    const values = held.values.has(sampleIndex) ? undefined : columns.values.slice(mid);
    held.values.add(sampleIndex);
    return this.#request((id) => build(id, sampleIndex, values), values ? [values.buffer] : [], () => held.values.delete(sampleIndex));
  }

  /** Posts a request built with its id; resolves with the reply, or null (after `onError`) when it failed. */
  #request(build: (id: number) => PassRequest, transfer: Transferable[], onError?: () => void): Promise<PassReply | null> {
    const id = this.#nextId++;
    return new Promise<PassReply | null>((resolve) => {
      this.#pending.set(id, (reply) => {
        if (reply.type !== 'error') return resolve(reply);
        onError?.();
        resolve(null);
      });
      this.#port.post(build(id), transfer);
    });
  }
}

/** A port to a new pass worker, or null where workers cannot start workers. */
export function createWorkerPassPort(): PassPort | null {
  if (typeof Worker === 'undefined') return null;
  const worker = new Worker(new URL('./pass.worker.ts', import.meta.url), { type: 'module', name: 'passes' });
  const port: PassPort = {
    post: (message, transfer) => worker.postMessage(message, transfer),
    onreply: null,
    onfail: null,
  };
  worker.onmessage = (event: MessageEvent<PassReply>) => port.onreply?.(event.data);
  worker.onerror = (e) => port.onfail?.(`The pass worker failed: ${e.message}`);
  return port;
}
