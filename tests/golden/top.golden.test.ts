// Golden tests: our top report, line for line, against `go tool pprof -top` outputs (the oracle).

import { describe, expect, it } from 'vitest';
import { CORPUS, CORPUS_ORACLE, LEAKY, SHARED } from '../helpers/fixtures';
import { collectOracleCases, type OracleCase } from '../helpers/oracle-cases';
import { readOracle, renderTopText } from '../helpers/run-top';
import { describeLineDiff } from '../helpers/text-diff';

async function check(c: OracleCase): Promise<string> {
  const ours = await renderTopText(c.profilePath, c);
  return describeLineDiff(readOracle(c.oraclePath), ours);
}

const bundled = [
  ...(await collectOracleCases(LEAKY)),
  ...(await collectOracleCases(CORPUS, CORPUS_ORACLE)),
];

describe('top equals go tool pprof -top (bundled fixtures)', () => {
  it('finds the bundled cases', () => {
    // 14 go-leaky-server profiles, 39 corpus protobuf files and 26 legacy ones (pprof's testdata, Go debug=1
    // heap/allocs/mutex/block texts), each sample type, trimmed and untrimmed.
    expect(new Set(bundled.map((c) => c.file)).size).toBe(79);
    expect(new Set(bundled.filter((c) => c.legacy !== null).map((c) => c.file)).size).toBe(26);
    expect(bundled.length).toBeGreaterThanOrEqual(276 + 2 * 50);
  });
  it.each(bundled.map((c) => [`${c.file} ${c.typeName} nf=${c.nodeFraction} ef=${c.edgeFraction}`, c] as const))(
    '%s',
    async (_name, c) => {
      const diff = await check(c);
      expect(diff, `${c.oraclePath}\n${diff}`).toBe('');
    },
  );
  it('counts the legacy files × sample types that match', async () => {
    const pairs = new Set<string>();
    const formats = new Map<string, Set<string>>();
    for (const c of bundled) {
      if (c.legacy === null || (await check(c)) !== '') continue;
      pairs.add(`${c.file}#${c.sampleIndex}`);
      if (!formats.has(c.legacy)) formats.set(c.legacy, new Set());
      formats.get(c.legacy)!.add(c.file);
    }
    const files = new Set([...pairs].map((p) => p.split('#')[0]));
    const byFormat = [...formats].map(([f, s]) => `${f} ${s.size}`).join(', ');
    console.log(`legacy golden: ${files.size} files, ${pairs.size} file × sample type pairs matched (${byFormat})`);
    const expected = new Set(bundled.filter((c) => c.legacy !== null).map((c) => `${c.file}#${c.sampleIndex}`));
    expect([...expected].filter((p) => !pairs.has(p))).toEqual([]);
  });
});

describe.runIf(SHARED !== null)('top equals go tool pprof -top (the whole ../shared set)', () => {
  it('matches every oracle of fixtures/ and corpus/', async () => {
    const sets: [string, string][] = [
      [`${SHARED}fixtures/go-leaky-server`, `${SHARED}fixtures/go-leaky-server`],
      [`${SHARED}fixtures/large`, `${SHARED}fixtures/large`],
      [`${SHARED}corpus`, `${SHARED}oracle`],
    ];
    const failures: string[] = [];
    const pairs = new Set<string>();
    let matched = 0;
    for (const [root, oracle] of sets) {
      for (const c of await collectOracleCases(root, oracle)) {
        const diff = await check(c);
        if (diff) failures.push(`${c.oraclePath}\n${diff}`);
        else {
          matched++;
          pairs.add(`${c.profilePath}#${c.sampleIndex}`);
        }
      }
    }
    const files = new Set([...pairs].map((p) => p.split('#')[0])).size;
    console.log(`../shared golden: ${matched} oracle files matched (${files} files, ${pairs.size} file × sample type pairs); ${failures.length} mismatches`);
    expect(failures.join('\n\n')).toBe('');
  }, 300_000);
});
