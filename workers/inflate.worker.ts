// Worker entry: inflates gzip bytes and streams the chunks back, so the engine decodes while this inflates.

import { isProfileError } from '../src/profile/errors';
import { inflateGzipChunks } from '../src/profile/inflate';
import type { InflateReply, InflateRequest } from './inflate-protocol';

const reply = (message: InflateReply, transfer: Transferable[] = []) => postMessage(message, { transfer });

onmessage = async (event: MessageEvent<InflateRequest>) => {
  const { bytes, maxBytes, usePako } = event.data;
  try {
    await inflateGzipChunks(
      bytes instanceof Blob ? bytes : new Uint8Array(bytes),
      (chunk) => {
        // Transfer a chunk that owns its buffer; copy one that is a view into a reused buffer (pako).
        const own = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice();
        reply({ type: 'chunk', chunk: own }, [own.buffer]);
      },
      { maxBytes, usePako, onProgress: (fraction) => reply({ type: 'progress', fraction }) },
    );
    if (bytes instanceof Blob) reply({ type: 'done' });
    else reply({ type: 'done', bytes }, [bytes]);
  } catch (e) {
    if (isProfileError(e)) reply({ type: 'error', code: e.code, message: e.message });
    else reply({ type: 'error', code: 'truncated-gzip', message: `The gzip data could not be inflated (${String(e)}).` });
  }
};
