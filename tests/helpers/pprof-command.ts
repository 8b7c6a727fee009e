// Reads an oracle's `go tool pprof …` command line (COMMANDS.tsv) into the report it asks for and our options.

import type { Granularity } from '../../src/graph/nodes';
import type { RefineOptions } from '../../src/report/refine';

/** One oracle command, parsed. `unsupported` lists the flags we do not implement (then the case is skipped). */
export interface PprofCommand {
  output: string;
  report: string;
  files: string[];
  sampleIndexName: string | null;
  nodeFraction: number;
  edgeFraction: number;
  sort: 'flat' | 'cum';
  refine: Partial<RefineOptions>;
  /** `-diff_base=FILE` (relative to the fixture folder), or null. */
  diffBase: string | null;
  unsupported: string[];
}

/** Splits a shell word list: a backslash takes the next character literally (the form COMMANDS.tsv uses). */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

const REPORTS = new Set(['top', 'tags', 'peek', 'dot', 'tree', 'traces', 'text']);
const GRANULARITIES = new Set<Granularity>(['functions', 'filefunctions', 'files', 'lines', 'addresses']);
const STRING_FLAGS: Record<string, keyof RefineOptions> = {
  focus: 'focus',
  ignore: 'ignore',
  hide: 'hide',
  show: 'show',
  show_from: 'showFrom',
  prune_from: 'pruneFrom',
  tagfocus: 'tagFocus',
  tagignore: 'tagIgnore',
  tagshow: 'tagShow',
  taghide: 'tagHide',
};

/** Parses one COMMANDS.tsv line (`NAME.txt<TAB>go tool pprof …`). */
export function parsePprofCommand(line: string): PprofCommand {
  const [output, command] = line.split('\t') as [string, string];
  const words = splitShellWords(command).slice(3);
  const cmd: PprofCommand = {
    output,
    report: '',
    files: [],
    sampleIndexName: null,
    nodeFraction: 0.005,
    edgeFraction: 0.001,
    sort: 'flat',
    refine: {},
    diffBase: null,
    unsupported: [],
  };
  for (const w of words) {
    if (!w.startsWith('-')) {
      cmd.files.push(w);
      continue;
    }
    const eq = w.indexOf('=');
    const flag = w.slice(1, eq < 0 ? undefined : eq);
    const value = eq < 0 ? '' : w.slice(eq + 1);
    if (REPORTS.has(flag) && eq < 0) cmd.report = flag;
    else if (GRANULARITIES.has(flag as Granularity)) cmd.refine.granularity = flag as Granularity;
    else if (flag === 'nodecount') cmd.refine.nodeCount = Number(value);
    else if (flag === 'nodefraction') cmd.nodeFraction = Number(value);
    else if (flag === 'edgefraction') cmd.edgeFraction = Number(value);
    else if (flag === 'sample_index') cmd.sampleIndexName = value;
    else if (flag === 'cum') cmd.sort = 'cum';
    else if (flag === 'diff_base') cmd.diffBase = value;
    else if (flag === 'noinlines') cmd.refine.noInlines = true;
    else if (flag === 'relative_percentages') cmd.refine.relativePercentages = true;
    else if (flag in STRING_FLAGS) (cmd.refine as Record<string, unknown>)[STRING_FLAGS[flag]!] = value;
    else cmd.unsupported.push(flag);
  }
  if (cmd.report === '') cmd.unsupported.push('(no report)');
  if (cmd.files.length !== 1) cmd.unsupported.push('(several profiles: merge)');
  return cmd;
}
