// Worker entry: graph passes over the part of a profile's samples the engine handed over (the second core).

import { createPassState, handlePassRequest } from './pass-handler';
import type { PassRequest } from './pass-protocol';

const state = createPassState();

onmessage = (event: MessageEvent<PassRequest>) => {
  const out = handlePassRequest(state, event.data);
  if (out) postMessage(out.reply, { transfer: out.transfer });
};
