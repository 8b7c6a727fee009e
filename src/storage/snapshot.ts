// The snapshot record: what the library keeps about one profile besides its bytes, and its format versions.

import type { ValueType } from '../profile/model';
import type { ProfileKind } from '../report/profile-kind';

/** The record format written by this code. Older formats are upgraded by `upgradeSnapshotMeta`. */
export const RECORD_FORMAT = 2;

/** Top-table sort as saved (the engine's TopSort; storage does not import the worker protocol). */
export type SavedSort = 'flat' | 'cum' | 'name';

/**
 * The view options last used with a snapshot, as the state layer's ViewOptions (same names, pprof's words):
 * a sample type index, pprof's default trimming on/off, the sort and the raw search text.
 */
export interface SavedViewOptions {
  sampleIndex: number;
  trim: boolean;
  sort: SavedSort;
  filter: string;
}

/**
 * One snapshot's metadata (the `meta` object store). `id` is the SHA-256 of the file bytes in lowercase hex,
 * so the same bytes are kept once. Times are milliseconds since the epoch except `timeNanos` and
 * `durationNanos`, which are the profile's own (0 when the profile does not say). `decodeError` is set
 * when the bytes did not decode the last time they were opened; the record is kept and listed anyway.
 */
export interface SnapshotMeta {
  format: typeof RECORD_FORMAT;
  id: string;
  /** Shown in the library; starts as the file name, editable. */
  name: string;
  /** The file name as opened. */
  fileName: string;
  kind: ProfileKind;
  sampleTypes: ValueType[];
  periodType: ValueType | null;
  timeNanos: number;
  durationNanos: number;
  addedAt: number;
  lastOpenedAt: number | null;
  /** Bytes of the file as given (before gunzip). */
  size: number;
  note: string;
  tags: string[];
  viewOptions: SavedViewOptions | null;
  decodeError: string | null;
}

/** What may be changed on a kept snapshot. */
export type SnapshotPatch = Partial<Pick<SnapshotMeta, 'name' | 'note' | 'tags' | 'viewOptions' | 'decodeError' | 'lastOpenedAt' | 'kind' | 'sampleTypes' | 'periodType' | 'timeNanos' | 'durationNanos'>>;

/** Format 1 (database version 1): no periodType, no lastOpenedAt. */
export interface SnapshotMetaV1 extends Omit<SnapshotMeta, 'format' | 'periodType' | 'lastOpenedAt'> {
  format: 1;
}

/** Any record format this code can read. */
export type StoredSnapshotMeta = SnapshotMeta | SnapshotMetaV1;

/** Brings a record of any known format to the current one (a no-op on current records). */
export function upgradeSnapshotMeta(record: StoredSnapshotMeta): SnapshotMeta {
  if (record.format === RECORD_FORMAT) return record;
  return { ...record, format: RECORD_FORMAT, periodType: null, lastOpenedAt: null };
}

/** Splits a tags field as typed ("leak, prod  , leak") into distinct trimmed tags, in order. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
}

/** The SHA-256 of the bytes in lowercase hex (Web Crypto: off the main thread's JS). */
export async function computeSnapshotId(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
