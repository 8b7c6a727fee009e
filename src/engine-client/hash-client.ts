// SHA-256 of a Blob in a worker of its own (Chromium digests on the calling thread).

import * as Comlink from 'comlink';

interface HashApi {
  sha256(blob: Blob): Promise<string>;
}

/** Returns a hasher backed by one lazily started worker. A Blob crosses to it as a handle, not a copy. */
export function createBlobHasher(): (blob: Blob) => Promise<string> {
  let api: Comlink.Remote<HashApi> | null = null;
  return (blob) => {
    api ??= Comlink.wrap<HashApi>(new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), { type: 'module', name: 'hash' }));
    return api.sha256(blob);
  };
}
