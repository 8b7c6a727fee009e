// A GzipInflater that runs in its own worker: the two cores inflate and decode at the same time.

import { ProfileError } from '../src/profile/errors';
import type { GzipInflater } from '../src/profile/inflate';
import type { InflateReply, InflateRequest } from './inflate-protocol';

/**
 * The worker-backed inflater, or null where workers cannot start workers (then inflate in-thread). One
 * worker is started ahead of need, so a drop does not wait for a worker to load; each inflation gets a
 * fresh one.
 */
export function createWorkerInflater(): GzipInflater | null {
  if (typeof Worker === 'undefined') return null;
  const start = () => new Worker(new URL('./inflate.worker.ts', import.meta.url), { type: 'module', name: 'inflate' });
  let spare: Worker | null = start();
  return (input, sink, options) =>
    new Promise<Uint8Array | void>((resolve, reject) => {
      const worker = spare ?? start();
      spare = null;
      const settle = () => {
        worker.terminate();
        spare ??= start();
      };
      const fail = (e: unknown) => {
        settle();
        reject(e);
      };
      worker.onmessage = (event: MessageEvent<InflateReply>) => {
        const m = event.data;
        switch (m.type) {
          case 'chunk':
            try {
              sink(m.chunk);
            } catch (e) {
              fail(e);
            }
            break;
          case 'progress':
            options.onProgress?.(m.fraction);
            break;
          case 'done':
            settle();
            resolve(m.bytes ? new Uint8Array(m.bytes) : undefined);
            break;
          case 'error':
            fail(new ProfileError(m.code, m.message));
            break;
        }
      };
      worker.onerror = (e) => fail(new Error(`The inflate worker failed: ${e.message}`));
      // A Blob (a File) goes as a handle: the worker reads it while it inflates. Bytes move over (no copy of
      // tens of MB before inflating starts) and come back with `done`; a view into a larger buffer is copied.
      if (input instanceof Blob) {
        const request: InflateRequest = { bytes: input, maxBytes: options.maxBytes, usePako: options.usePako };
        worker.postMessage(request);
        return;
      }
      const own = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength ? input : input.slice();
      const request: InflateRequest = { bytes: own.buffer as ArrayBuffer, maxBytes: options.maxBytes, usePako: options.usePako };
      worker.postMessage(request, [own.buffer]);
    });
}
