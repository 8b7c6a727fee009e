// Scratch: compare against the whole ../shared set.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectOracleCases } from '../helpers/oracle-cases';
import { readOracle, renderTopText } from '../helpers/run-top';
import { describeLineDiff } from '../helpers/text-diff';

const SHARED = new URL('../../../shared/', import.meta.url).pathname;

describe.skipIf(!existsSync(SHARED))('shared', () => {
  it('all', async () => {
    const sets: [string, string][] = [
      [SHARED + 'fixtures/go-leaky-server', SHARED + 'fixtures/go-leaky-server'],
      [SHARED + 'corpus', SHARED + 'oracle'],
    ];
    let ok = 0, bad = 0;
    for (const [root, oracle] of sets) {
      for (const c of await collectOracleCases(root, oracle)) {
        const ours = await renderTopText(c.profilePath, c);
        const d = describeLineDiff(readOracle(c.oraclePath), ours, 3);
        if (d) { bad++; console.log(c.oraclePath + '\n' + d); } else ok++;
      }
    }
    console.log({ ok, bad });
    expect(bad).toBe(0);
  });
});
