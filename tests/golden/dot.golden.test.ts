// Golden tests for the call graph: our DOT text against every `go tool pprof -dot` oracle, line for line.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { instance } from '@viz-js/viz';
import { describe, expect, it } from 'vitest';
import { findDefaultSampleIndex, type Profile } from '../../src/profile/model';
import { mergeDiffBase } from '../../src/profile/diff-base';
import { buildDotReport } from '../../src/report/dot';
import { buildRefinedProfile, computeRefinedTotal, listActiveFilters } from '../../src/report/refine';
import { LEAKY } from '../helpers/fixtures';
import { oracleTypeNames } from '../helpers/oracle-cases';
import { parsePprofCommand, type PprofCommand } from '../helpers/pprof-command';
import { loadProfile, readOracle } from '../helpers/run-top';
import { describeLineDiff } from '../helpers/text-diff';

const root = join(LEAKY, 'options');
const cases = readFileSync(join(root, 'COMMANDS.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map(parsePprofCommand)
  .filter((c) => c.report === 'dot');

/** Our DOT text for an oracle's command, as lines. */
async function renderDot(cmd: PprofCommand): Promise<string[]> {
  let profile: Profile = await loadProfile(join(LEAKY, cmd.files[0]!));
  if (cmd.diffBase !== null) profile = mergeDiffBase(profile, await loadProfile(join(LEAKY, cmd.diffBase)));
  const names = oracleTypeNames(profile);
  const sampleIndex = cmd.sampleIndexName === null ? findDefaultSampleIndex(profile) : names.indexOf(cmd.sampleIndexName);
  const refined = buildRefinedProfile(profile, cmd.refine);
  const report = buildDotReport(refined.profile, refined.nodes, {
    sampleIndex,
    nodeFraction: cmd.nodeFraction,
    edgeFraction: cmd.edgeFraction,
    nodeCount: cmd.refine.nodeCount ?? 0,
    total: computeRefinedTotal(profile, refined.profile, cmd.refine, sampleIndex),
    activeFilters: listActiveFilters(cmd.refine),
  });
  expect(report.dot.endsWith('}\n')).toBe(true);
  return report.dot.replace(/\n$/, '').split('\n');
}

describe('call graph DOT equals go tool pprof -dot', () => {
  it('finds the DOT oracles (5 plain, 3 -diff_base)', () => {
    expect(cases.filter((c) => c.diffBase === null).length).toBe(5);
    expect(cases.filter((c) => c.diffBase !== null).length).toBe(3);
    for (const c of cases) expect(c.unsupported).toEqual([]);
  });
  it.each(cases.map((c) => [c.output, c] as const))('%s', async (_name, cmd) => {
    const diff = describeLineDiff(readOracle(join(root, cmd.output)), await renderDot(cmd));
    expect(diff, `${cmd.output}\n${diff}`).toBe('');
  });
});

describe('call graph DOT is laid out by Graphviz (@viz-js/viz, as the app does)', () => {
  it.each(cases.map((c) => [c.output, c] as const))('%s', async (_name, cmd) => {
    const viz = await instance();
    const result = viz.render(`${(await renderDot(cmd)).join('\n')}\n`, { format: 'svg' });
    expect(result.errors.filter((e) => e.level === 'error')).toEqual([]);
    expect(result.status).toBe('success');
  });
});
