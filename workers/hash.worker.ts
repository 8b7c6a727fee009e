// Worker entry: SHA-256 of a file's bytes (a snapshot's id), off the main thread (41 MB take ~100 ms).

import * as Comlink from 'comlink';

Comlink.expose({
  async sha256(blob: Blob): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  },
});
