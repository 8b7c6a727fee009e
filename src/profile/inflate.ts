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

/** Receives inflated bytes in order; throwing stops the inflation and rejects with that error. */
export type ChunkSink = (chunk: Uint8Array) => void;

/**
 * Something that inflates gzip bytes into a sink: in this thread (inflateGzipChunks) or in a worker. The
 * input is the bytes, or a Blob (a File) read as it inflates. One that moves bytes elsewhere (a transfer
 * empties them) resolves with them, back in this thread.
 */
export type GzipInflater = (input: Uint8Array | Blob, sink: ChunkSink, options: InflateOptions) => Promise<Uint8Array | void>;

/**
 * gzip's ISIZE (the last 4 bytes: the inflated size mod 2^32), as a buffer-size hint kept within
 * `max` and 64 × the compressed size so a lying header cannot make us allocate much.
 */
export function readGzipSizeHint(bytes: Uint8Array, max: number): number {
  if (bytes.length < 18) return 0;
  return Math.min(readGzipTrailerSize(bytes.subarray(bytes.length - 4)), max, bytes.length * 64);
}

/** readGzipSizeHint of a Blob: its last 4 bytes are read. */
export async function readBlobGzipSizeHint(blob: Blob, max: number): Promise<number> {
  if (blob.size < 18) return 0;
  const tail = await readBlobBytes(blob.slice(blob.size - 4));
  return Math.min(readGzipTrailerSize(tail), max, blob.size * 64);
}

/** gzip's ISIZE, from the member's last 4 bytes (`tail`, little-endian). */
function readGzipTrailerSize(tail: Uint8Array): number {
  return (tail[0]! | (tail[1]! << 8) | (tail[2]! << 16) | (tail[3]! << 24)) >>> 0;
}

/** Inflates gzip bytes chunk by chunk into `sink`, refusing output beyond `maxBytes`. */
export const inflateGzipChunks: GzipInflater = async (input, sink, options) => {
  const max = options.maxBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  if (!options.usePako && typeof DecompressionStream === 'function') {
    return inflateWithStream(input, max, sink, options.onProgress);
  }
  inflateWithPako(input instanceof Blob ? await readBlobBytes(input) : input, max, sink, options.onProgress);
};

/** The compressed input in pieces: slices of the bytes, or a Blob's chunks as they are read. */
async function* readCompressed(input: Uint8Array | Blob): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  if (!(input instanceof Blob)) {
    for (let off = 0; off < input.length; off += CHUNK) yield input.subarray(off, Math.min(off + CHUNK, input.length)) as Uint8Array<ArrayBuffer>;
    return;
  }
  const reader = input.stream().getReader();
  let done = false;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
      try {
        result = await reader.read();
      } catch (e) {
        throw unreadable(e);
      }
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // Stopped early (a bomb, a decode error): the rest of the file is not read.
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

/** A Blob's bytes, a read failure (a file moved or changed on disk) told as such. */
export async function readBlobBytes(blob: Blob): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (e) {
    throw unreadable(e);
  }
}

function unreadable(e: unknown): ProfileError {
  return new ProfileError('unreadable', `The file could not be read (${e instanceof Error ? e.message : String(e)}). Open it again.`);
}

async function inflateWithStream(
  input: Uint8Array | Blob,
  max: number,
  sink: ChunkSink,
  onProgress?: (f: number) => void,
): Promise<void> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let stop = false;
  const size = input instanceof Blob ? input.size : input.length;
  // A file that cannot be read (moved, changed on disk) fails the inflation with that error.
  let readError: ProfileError | null = null;
  const writing = (async () => {
    let fed = 0;
    let told = 0;
    try {
      for await (const piece of readCompressed(input)) {
        if (stop) return;
        await writer.write(piece);
        fed += piece.length;
        // A file streams in ~64 KB pieces: progress is told once a CHUNK more has gone in (each report is a
        // message through the engine to the page).
        if (fed - told >= CHUNK || fed === size) {
          told = fed;
          onProgress?.(Math.min(1, fed / size));
        }
      }
    } catch (e) {
      if (e instanceof ProfileError && e.code === 'unreadable') {
        readError = e;
        await writer.abort(e).catch(() => undefined);
      }
      throw e;
    }
    if (!stop) await writer.close();
  })();
  // Errors surface through the reader; keep the writer's copy from going unhandled.
  writing.catch(() => undefined);
  const cancel = async () => {
    stop = true;
    await reader.cancel().catch(() => undefined);
    await writer.abort().catch(() => undefined);
  };
  let total = 0;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch (e) {
      throw readError ?? truncated(e instanceof Error ? e.message : String(e));
    }
    if (result.done) return;
    total += result.value.length;
    if (total > max) {
      await cancel();
      throw bomb(max);
    }
    try {
      sink(result.value);
    } catch (e) {
      await cancel();
      throw e;
    }
  }
}

function inflateWithPako(bytes: Uint8Array, max: number, sink: ChunkSink, onProgress?: (f: number) => void): void {
  const inflator = new Inflate();
  let total = 0;
  let tooBig = false;
  inflator.onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > max) tooBig = true;
    else if (!tooBig) sink(chunk);
  };
  for (let off = 0; off < bytes.length && !tooBig && !inflator.ended; off += CHUNK) {
    const end = Math.min(off + CHUNK, bytes.length);
    inflator.push(bytes.subarray(off, end), end === bytes.length);
    onProgress?.(end / bytes.length);
    if (tooBig) break;
    if (inflator.err) throw truncated(inflator.msg || `zlib error ${inflator.err}`);
  }
  if (tooBig) throw bomb(max);
  if (!inflator.ended) throw truncated('the compressed stream ends early');
}
