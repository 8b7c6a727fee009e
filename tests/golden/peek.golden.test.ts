// Golden tests: our peek report, line for line, against `go tool pprof -peek` outputs (the oracle).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildNodeMap } from '../../src/graph/nodes';
import { mergeDiffBase } from '../../src/profile/diff-base';
import { findDefaultSampleIndex } from '../../src/profile/model';
import { buildPeekReport, formatPeekText } from '../../src/report/peek';
import { LEAKY } from '../helpers/fixtures';
import { oracleTypeNames } from '../helpers/oracle-cases';
import { loadProfile, readOracle } from '../helpers/run-top';
import { describeLineDiff } from '../helpers/text-diff';

const OPTIONS = `${LEAKY}options/`;

/** Undoes the shell quoting of COMMANDS.tsv (`a\|b` → `a|b`, `main\\.` → `main\.`). */
const unquote = (arg: string) => arg.replace(/\\(.)/g, '$1');

// The peek commands of COMMANDS.tsv, -diff_base ones included (the base merged in as pprof does).
const cases = readFileSync(`${OPTIONS}COMMANDS.tsv`, 'utf8')
  .split('\n')
  .map((line) => line.split('\t'))
  .filter(([file]) => file?.endsWith('.peek.txt'))
  .map(([file, command]) => {
    const args = command!.trim().split(/\s+/);
    const flag = (name: string) => args.find((a) => a.startsWith(`-${name}=`))?.slice(name.length + 2);
    return { file: file!, pattern: unquote(flag('peek')!), sampleType: flag('sample_index'), base: flag('diff_base'), profile: args[args.length - 1]! };
  });

describe('peek equals go tool pprof -peek', () => {
  it('finds the peek oracles', () => {
    expect(cases.map((c) => c.file).sort()).toEqual([
      'cpu.peek.txt',
      'heap_t3-vs-t0.alloc_space.diff_base.peek.txt',
      'heap_t3-vs-t0.inuse_space.diff_base.peek.txt',
      'heap_t3.alloc_space.peek.txt',
      'heap_t3.inuse_space.peek.txt',
    ]);
  });
  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_name, c) => {
    const source = await loadProfile(`${LEAKY}${c.profile}`);
    const profile = c.base ? mergeDiffBase(source, await loadProfile(`${LEAKY}${c.base}`)) : source;
    const sampleIndex = c.sampleType ? oracleTypeNames(profile).indexOf(c.sampleType) : findDefaultSampleIndex(profile);
    expect(sampleIndex).toBeGreaterThanOrEqual(0);
    const report = buildPeekReport(profile, buildNodeMap(profile), { sampleIndex, pattern: new RegExp(c.pattern) });
    const diff = describeLineDiff(readOracle(`${OPTIONS}${c.file}`), formatPeekText(report));
    expect(diff, diff).toBe('');
  });
});
