// An in-thread stand-in for the pass worker: the same request handler, replies delivered a turn later.

import { createPassState, handlePassRequest } from '../../workers/pass-handler';
import type { PassRequest } from '../../workers/pass-protocol';
import type { PassPort } from '../../workers/split-passes';

/** A port whose requests run in this thread; `requests` records each request's type. `fail` makes it answer errors. */
export function createInThreadPassPort(options: { fail?: boolean } = {}) {
  const state = createPassState();
  const requests: PassRequest['type'][] = [];
  const port: PassPort = {
    post(message) {
      requests.push(message.type);
      const out = options.fail && 'id' in message ? { reply: { type: 'error' as const, id: message.id, message: 'refused' } } : handlePassRequest(state, message);
      if (out) setTimeout(() => port.onreply?.(out.reply), 0);
    },
    onreply: null,
    onfail: null,
  };
  return { port, requests, held: state.parts, walks: state.walks };
}
