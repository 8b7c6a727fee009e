// gzip detection by magic bytes and bounded inflation (DecompressionStream, pako as fallback).

import { Inflate } from 'pako';
import { ProfileError } from './errors';

/** Inflated output larger than this is refused as a likely gzip bomb. Real profiles stay far below. */
export const DEFAULT_MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

const CHUNK = 1 << 20;

export interface InflateOptions {
  maxBytes?: number;
  /** Fraction of the compressed input consumed so far (0..1). */
  onProgress?: (fraction: number) => void;
  /** Force the pako path (tests, and browsers without DecompressionStream). */
  usePako?: boolean;
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function bomb(max: number): ProfileError {
  const mb = Math.round(max / (1024 * 1024));
  return new ProfileError(
    'gzip-bomb',
    `Refused: this gzip file inflates to more than ${mb} MB, which no real profile needs (a "gzip bomb"?).`,
  );
}

function truncated(detail: string): ProfileError {
  return new ProfileError('truncated-gzip', `The gzip data is truncated or damaged (${detail}). Download the profile again.`);
}

/** Inflates gzip bytes, refusing output beyond `maxBytes`. */
export async function inflateGzip(bytes: Uint8Array, options: InflateOptions = {}): Promise<Uint8Array> {
  const max = options.maxBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  if (!options.usePako && typeof DecompressionStream === 'function') {
    return inflateWithStream(bytes, max, options.onProgress);
  }
  return inflateWithPako(bytes, max, options.onProgress);
}

async function inflateWithStream(
  bytes: Uint8Array,
  max: number,
  onProgress?: (f: number) => void,
): Promise<Uint8Array> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let stop = false;
  const writing = (async () => {
    for (let off = 0; off < bytes.length && !stop; off += CHUNK) {
      await writer.write(bytes.subarray(off, Math.min(off + CHUNK, bytes.length)) as Uint8Array<ArrayBuffer>);
      onProgress?.(Math.min(1, (off + CHUNK) / bytes.length));
    }
    if (!stop) await writer.close();
  })();
  // Errors surface through the reader; keep the writer's copy from going unhandled.
  writing.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        stop = true;
        await reader.cancel().catch(() => undefined);
        await writer.abort().catch(() => undefined);
        throw bomb(max);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    throw truncated(e instanceof Error ? e.message : String(e));
  }
  return concat(chunks, total);
}

function inflateWithPako(bytes: Uint8Array, max: number, onProgress?: (f: number) => void): Uint8Array {
  const inflator = new Inflate();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooBig = false;
  inflator.onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > max) tooBig = true;
    else chunks.push(chunk);
  };
  for (let off = 0; off < bytes.length && !tooBig && !inflator.ended; off += CHUNK) {
    const end = Math.min(off + CHUNK, bytes.length);
    inflator.push(bytes.subarray(off, end), end === bytes.length);
    onProgress?.(end / bytes.length);
    if (inflator.err) throw truncated(inflator.msg || `zlib error ${inflator.err}`);
  }
  if (tooBig) throw bomb(max);
  if (!inflator.ended) throw truncated('the compressed stream ends early');
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
