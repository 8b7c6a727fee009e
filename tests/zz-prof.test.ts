import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { createEngine } from '../workers/engine';
it('time', async () => {
  for (const f of ['synthetic_2m', 'heap_large']) {
    const bytes = readFileSync(`/work/shared/fixtures/large/${f}.pb.gz`);
    for (let r = 0; r < 3; r++) {
      const e = createEngine({ warm: false });
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      let t = performance.now();
      const res = await e.open(ab as ArrayBuffer, f);
      const t1 = performance.now();
      if (!res.ok) throw new Error(res.error.message);
      const v = e.top(res.summary.id, { sampleIndex: res.summary.defaultSampleIndex, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' });
      const t2 = performance.now();
      console.log(f, 'open', (t1 - t).toFixed(0), 'top', (t2 - t1).toFixed(0), v.name.length);
    }
  }
}, 120000);
