// The engine's goroutine data for one open profile: its dump (read or built from a goroutine profile) and cached buckets.

import type { DecodedFile } from '../src/profile/decode';
import type { GoroutineDump } from '../src/profile/goroutine-dump';
import { buildGoroutineBuckets, computeFrameKinds, computeStateCounts, type GoroutineBuckets, type GoroutineGrouping, type StateCount } from '../src/report/goroutine-buckets';
import { buildDumpFromProfile, isGoroutineProfile } from '../src/report/goroutine-from-profile';
import { computeGoroutineGrowth, type GoroutineGrowth, type GrowthSide } from '../src/report/goroutine-growth';
import { buildGoroutineBucketRows, buildGoroutineBucketStack, type GoroutineBucketStack, type GoroutinesReport } from '../src/report/goroutine-view';
import type { GoroutinesRequest } from './protocol';

/** Goroutine reports of one profile. Buckets are built once per grouping; a protobuf profile's dump on first use. */
export class GoroutineReports {
  readonly source: 'dump' | 'profile';
  #load: () => GoroutineDump;
  #dump: GoroutineDump | null = null;
  #kinds: Uint8Array | null = null;
  #buckets = new Map<GoroutineGrouping, GoroutineBuckets>();
  #states: StateCount[] | null = null;

  private constructor(source: 'dump' | 'profile', load: () => GoroutineDump) {
    this.source = source;
    this.#load = load;
  }

  /** The goroutine reports of a decoded file, or null when it holds no goroutines. */
  static create(decoded: DecodedFile): GoroutineReports | null {
    const { goroutineDump, profile } = decoded;
    if (goroutineDump) return new GoroutineReports('dump', () => goroutineDump);
    if (isGoroutineProfile(profile)) return new GoroutineReports('profile', () => buildDumpFromProfile(profile));
    return null;
  }

  get dump(): GoroutineDump {
    this.#dump ??= this.#load();
    return this.#dump;
  }

  get frameKinds(): Uint8Array {
    this.#kinds ??= computeFrameKinds(this.dump);
    return this.#kinds;
  }

  buckets(grouping: GoroutineGrouping): GoroutineBuckets {
    let b = this.#buckets.get(grouping);
    if (!b) {
      b = buildGoroutineBuckets(this.dump, grouping, this.frameKinds);
      this.#buckets.set(grouping, b);
    }
    return b;
  }

  report(request: GoroutinesRequest): GoroutinesReport {
    const start = performance.now();
    const dump = this.dump;
    const buckets = this.buckets(request.grouping);
    const { rows, shownGoroutines, filterError } = buildGoroutineBucketRows(dump, buckets, this.frameKinds, request);
    return {
      source: this.source,
      grouping: request.grouping,
      total: dump.goroutines.length,
      states: this.source === 'dump' ? (this.#states ??= computeStateCounts(dump)) : [],
      unparsedLines: dump.unparsedLines,
      header: dump.header,
      totalBuckets: buckets.length,
      shownGoroutines,
      rows,
      filterError,
      computeMs: performance.now() - start,
    };
  }

  stack(grouping: GoroutineGrouping, bucket: number): GoroutineBucketStack {
    return buildGoroutineBucketStack(this.dump, this.buckets(grouping), this.frameKinds, bucket);
  }

  /** Growth from `before` to this profile (similar buckets matched by stack). */
  growthSince(before: GoroutineReports): GoroutineGrowth {
    return computeGoroutineGrowth(before.#side(), this.#side());
  }

  #side(): GrowthSide {
    return { dump: this.dump, buckets: this.buckets('similar'), frameKinds: this.frameKinds, hasStates: this.source === 'dump' };
  }
}
