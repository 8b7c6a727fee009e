// The messages between the UI and the engine worker: summaries, requests and replies (all structured-cloneable).

import type { ProfileErrorCode } from '../src/profile/errors';
import type { ValueType } from '../src/profile/model';
import type { TopReport } from '../src/report/top';

/** What the UI knows of an open profile: everything but its tables. */
export interface ProfileSummary {
  id: string;
  fileName: string;
  /** Size of the file as given, and after gunzip (equal when it was not compressed). */
  fileBytes: number;
  inflatedBytes: number;
  sampleTypes: ValueType[];
  defaultSampleIndex: number;
  periodType: ValueType | null;
  period: number;
  timeNanos: number;
  durationNanos: number;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  sampleCount: number;
  locationCount: number;
  functionCount: number;
  mappingCount: number;
  warnings: string[];
  /** Milliseconds spent in the worker inflating and decoding. */
  decodeMs: number;
}

export interface OpenError {
  code: ProfileErrorCode | 'internal';
  message: string;
}

export type OpenResult = { ok: true; summary: ProfileSummary } | { ok: false; error: OpenError };

export interface OpenProgress {
  fraction: number;
  step: 'inflate' | 'decode' | 'report';
}

/** Top table sort: pprof's flat or cum order, or by name. */
export type TopSort = 'flat' | 'cum' | 'name';

export interface TopRequest {
  sampleIndex: number;
  nodeFraction: number;
  edgeFraction: number;
  sort: TopSort;
  /** Case-insensitive substring filter on the name; '' shows every row. */
  filter: string;
}

/**
 * A top table as shown: the report's rows in the requested order, filtered. `sumFlat` is the running sum
 * in the sorted order before filtering, so a row keeps its sum% whatever the filter. `totalRows` counts
 * rows before filtering.
 */
export interface TopView extends TopReport {
  totalRows: number;
  /** Milliseconds the worker spent building this view. */
  computeMs: number;
}

/** The engine's API as seen through comlink. */
export interface EngineApi {
  open(bytes: ArrayBuffer, fileName: string, onProgress?: (p: OpenProgress) => void): Promise<OpenResult>;
  top(id: string, request: TopRequest): Promise<TopView>;
  topTsv(id: string, request: TopRequest): Promise<string>;
  close(id: string): Promise<void>;
  /** The worker's JS heap in bytes where the browser tells it (Chromium), else null. */
  heapBytes(): Promise<number | null>;
}
