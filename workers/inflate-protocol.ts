// Messages between the engine and the inflate worker.

import type { ProfileErrorCode } from '../src/profile/errors';

export interface InflateRequest {
  /** The gzip bytes (transferred), or a Blob (a File) the worker reads as it inflates. */
  bytes: ArrayBuffer | Blob;
  maxBytes?: number;
  usePako?: boolean;
}

export type InflateReply =
  | { type: 'chunk'; chunk: Uint8Array }
  | { type: 'progress'; fraction: number }
  /** The request's bytes given back (none for a Blob: it was only read). */
  | { type: 'done'; bytes?: ArrayBuffer }
  | { type: 'error'; code: ProfileErrorCode; message: string };
