// Golden tests for refine options: every go-leaky-server options oracle whose command we support, line for line.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDefaultSampleIndex } from '../../src/profile/model';
import { buildRefinedProfile, computeRefinedTotal, listActiveFilters } from '../../src/report/refine';
import { buildTagsReport, formatTagsText } from '../../src/report/tags';
import { buildTopReport, formatTopText } from '../../src/report/top';
import { LEAKY, SHARED } from '../helpers/fixtures';
import { oracleTypeNames } from '../helpers/oracle-cases';
import { parsePprofCommand, type PprofCommand } from '../helpers/pprof-command';
import { loadProfile, readOracle } from '../helpers/run-top';
import { describeLineDiff } from '../helpers/text-diff';

/** Oracles of other issues (diffs, merges, peek, call graphs, trees), skipped by name. */
/** Oracles checked by another golden test file, and those of views not built yet (compare, tree). */
const ELSEWHERE: [RegExp, string][] = [
  [/\.dot/, 'dot.golden.test.ts'],
  [/\.peek/, 'peek.golden.test.ts'],
  [/normalize|^merged_|diff_base|\.tree/, 'compare and tree views: not built yet'],
];

/** Our text for an oracle's command: the -top or -tags report after pprof's refine options. */
async function renderReport(root: string, cmd: PprofCommand): Promise<string[]> {
  const profile = await loadProfile(join(root, '..', cmd.files[0]!));
  const names = oracleTypeNames(profile);
  const sampleIndex = cmd.sampleIndexName === null ? findDefaultSampleIndex(profile) : names.indexOf(cmd.sampleIndexName);
  const refined = buildRefinedProfile(profile, cmd.refine);
  if (cmd.report === 'tags') return formatTagsText(buildTagsReport(refined.profile, sampleIndex, refined.stacks));
  const report = buildTopReport(refined.profile, refined.nodes, {
    sampleIndex,
    nodeFraction: cmd.nodeFraction,
    edgeFraction: cmd.edgeFraction,
    sort: cmd.sort,
    nodeCount: cmd.refine.nodeCount ?? 0,
    total: computeRefinedTotal(profile, refined.profile, cmd.refine, sampleIndex),
    activeFilters: listActiveFilters(cmd.refine),
  });
  return formatTopText(report);
}

/** The supported cases of one options folder, and the names skipped with the reason. */
function collectCases(root: string) {
  const lines = readFileSync(join(root, 'COMMANDS.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cases: PprofCommand[] = [];
  const skipped: string[] = [];
  for (const line of lines) {
    const cmd = parsePprofCommand(line);
    const elsewhere = ELSEWHERE.find(([rx]) => rx.test(cmd.output));
    if (elsewhere) skipped.push(`${cmd.output} (${elsewhere[1]})`);
    else if (cmd.report !== 'top' && cmd.report !== 'tags') skipped.push(`${cmd.output} (-${cmd.report} report)`);
    else if (cmd.unsupported.length > 0) skipped.push(`${cmd.output} (${cmd.unsupported.join(', ')})`);
    else cases.push(cmd);
  }
  return { cases, skipped };
}

const bundledRoot = join(LEAKY, 'options');
const bundled = collectCases(bundledRoot);

describe('refine options equal go tool pprof (bundled options oracles)', () => {
  it('finds the cases', () => {
    // Every -top and -tags oracle of the folder but the diff/merge ones of other issues.
    expect(bundled.cases.filter((c) => c.report === 'top').length).toBeGreaterThanOrEqual(35);
    expect(bundled.cases.filter((c) => c.report === 'tags').length).toBeGreaterThanOrEqual(3);
  });
  it.each(bundled.cases.map((c) => [c.output, c] as const))('%s', async (_name, cmd) => {
    const diff = describeLineDiff(readOracle(join(bundledRoot, cmd.output)), await renderReport(bundledRoot, cmd));
    expect(diff, `${cmd.output}\n${diff}`).toBe('');
  });
});

describe.runIf(SHARED !== null)('refine options equal go tool pprof (../shared options oracles)', () => {
  it('matches every supported oracle', async () => {
    const root = `${SHARED}fixtures/go-leaky-server/options`;
    const { cases, skipped } = collectCases(root);
    const failures: string[] = [];
    for (const cmd of cases) {
      const diff = describeLineDiff(readOracle(join(root, cmd.output)), await renderReport(root, cmd));
      if (diff) failures.push(`${cmd.output}\n${diff}`);
    }
    console.log(`../shared options golden: ${cases.length - failures.length} of ${cases.length} oracle files matched; skipped: ${skipped.join('; ')}`);
    expect(failures.join('\n\n')).toBe('');
  });
});

describe('-tags equals go tool pprof -tags (the fixtures that carry labels)', () => {
  // MANIFEST: `<fixture>.tags.txt` = `go tool pprof -tags <fixture>.pb.gz`.
  it.each(['cpu', 'goroutine_t0', 'goroutine_t1'])('%s.tags.txt', async (name) => {
    const profile = await loadProfile(join(LEAKY, `${name}.pb.gz`));
    const ours = formatTagsText(buildTagsReport(profile, findDefaultSampleIndex(profile)));
    const diff = describeLineDiff(readOracle(join(LEAKY, `${name}.tags.txt`)), ours);
    expect(diff, diff).toBe('');
  });
});
