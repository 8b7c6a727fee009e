// Opening go-leaky-server fixtures in an in-process engine (no idle warm-up), for engine-level tests.

import { readFileSync } from 'node:fs';
import { createEngine } from '../../workers/engine';
import { LEAKY } from './fixtures';

/** A fixture file's bytes as an ArrayBuffer of its own (the engine takes, and may transfer, it). */
export function readFixtureBuffer(name: string): ArrayBuffer {
  const b = readFileSync(`${LEAKY}${name}`);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** A new engine with `names` opened, in order: their ids and the first one's default sample type. */
export async function openInEngine(...names: string[]) {
  const engine = createEngine({ warm: false });
  const ids: string[] = [];
  let sampleIndex = 0;
  for (const name of names) {
    const r = await engine.open(readFixtureBuffer(name), name);
    if (!r.ok) throw new Error(r.error.message);
    if (ids.length === 0) sampleIndex = r.summary.defaultSampleIndex;
    ids.push(r.summary.id);
  }
  return { engine, ids, id: ids[0]!, sampleIndex };
}
