// Messages between the engine and the inflate worker.

import type { ProfileErrorCode } from '../src/profile/errors';

export interface InflateRequest {
  bytes: ArrayBuffer;
  maxBytes?: number;
  usePako?: boolean;
}

export type InflateReply =
  | { type: 'chunk'; chunk: Uint8Array }
  | { type: 'progress'; fraction: number }
  /** The request's bytes, given back. */
  | { type: 'done'; bytes: ArrayBuffer }
  | { type: 'error'; code: ProfileErrorCode; message: string };
