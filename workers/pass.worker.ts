// Worker entry: graph passes over the part of a profile's samples the engine handed over (the second core).

import { handlePassRequest, type HeldParts } from './pass-handler';
import type { PassRequest } from './pass-protocol';

const held: HeldParts = new Map();

onmessage = (event: MessageEvent<PassRequest>) => {
  const out = handlePassRequest(held, event.data);
  if (out) postMessage(out.reply, { transfer: out.transfer });
};
