// A goroutine dump as a goroutine-count Profile (the columnar model), so every profile report works on it.

import { createStringTable } from './string-table';
import type { GoroutineDump } from './goroutine-dump';
import { createEmptyMappingTable, createFunctionTable, type Profile } from './model';

/**
 * Converts a dump to a profile with one sample type, goroutine/count. Goroutines with the same stack (argument
 * values ignored), state and wait share a sample whose value is their number. Labels: `state` (as the header
 * prints it, e.g. `chan receive, locked to thread`) and, when the header had minutes, `wait_minutes`
 * (numeric, unit `minutes`). One location per frame site (function + file:line, no address), one function
 * per (name, file); the `created by` frame is not part of the stack, as in Go's own goroutine profile.
 */
export function buildGoroutineProfile(dump: GoroutineDump): Profile {
  const { strings, intern } = createStringTable(dump.strings);
  const stateKey = intern('state');
  const waitKey = intern('wait_minutes');
  const minutes = intern('minutes');

  // Functions per (name, file) and one location per site.
  const { sites } = dump;
  const fnIndex = new Map<string, number>();
  const fnName: number[] = [];
  const fnFile: number[] = [];
  const siteFn = new Int32Array(sites.length);
  for (let s = 0; s < sites.length; s++) {
    const key = `${sites.func[s]},${sites.file[s]}`;
    let f = fnIndex.get(key);
    if (f === undefined) {
      f = fnName.length;
      fnIndex.set(key, f);
      fnName.push(sites.func[s]!);
      fnFile.push(sites.file[s]!);
    }
    siteFn[s] = f;
  }

  // Samples: (similar stack, printed state, wait) → count.
  const g = dump.goroutines;
  const sampleIndex = new Map<string, number>();
  const sampleStack: number[] = [];
  const sampleState: number[] = [];
  const sampleWait: number[] = [];
  const values: number[] = [];
  const similarRep = new Int32Array(dump.stacks.similarCount).fill(-1);
  for (let s = 0; s < dump.stacks.length; s++) {
    const sim = dump.stacks.similar[s]!;
    if (similarRep[sim]! < 0) similarRep[sim] = s;
  }
  for (let i = 0; i < g.length; i++) {
    const sim = dump.stacks.similar[g.stack[i]!]!;
    const state = g.locked[i] ? intern(`${strings[g.state[i]!]!}, locked to thread`) : g.state[i]!;
    const key = `${sim},${state},${g.waitMinutes[i]}`;
    let s = sampleIndex.get(key);
    if (s === undefined) {
      s = values.length;
      sampleIndex.set(key, s);
      sampleStack.push(similarRep[sim]!);
      sampleState.push(state);
      sampleWait.push(g.waitMinutes[i]!);
      values.push(0);
    }
    values[s]!++;
  }

  const n = values.length;
  const { frameStart, frames } = dump.stacks;
  const stackStart = new Uint32Array(n + 1);
  let total = 0;
  for (let s = 0; s < n; s++) total += frameStart[sampleStack[s]! + 1]! - frameStart[sampleStack[s]!]!;
  const stack = new Uint32Array(total);
  const labelStart = new Uint32Array(n + 1);
  const labelCount = n + sampleWait.filter((w) => w >= 0).length;
  const labels = {
    length: labelCount,
    key: new Uint32Array(labelCount),
    str: new Uint32Array(labelCount),
    num: new Float64Array(labelCount),
    numUnit: new Uint32Array(labelCount),
  };
  let at = 0;
  let l = 0;
  for (let s = 0; s < n; s++) {
    stackStart[s] = at;
    const st = sampleStack[s]!;
    for (let k = frameStart[st]!; k < frameStart[st + 1]!; k++) stack[at++] = dump.frames.site[frames[k]!]!;
    labelStart[s] = l;
    labels.key[l] = stateKey;
    labels.str[l++] = sampleState[s]!;
    if (sampleWait[s]! >= 0) {
      labels.key[l] = waitKey;
      labels.num[l] = sampleWait[s]!;
      labels.numUnit[l++] = minutes;
    }
  }
  stackStart[n] = at;
  labelStart[n] = l;

  const locCount = sites.length;
  const lineStart = new Uint32Array(locCount + 1);
  for (let i = 0; i <= locCount; i++) lineStart[i] = i;
  return {
    strings,
    sampleTypes: [{ type: 'goroutine', unit: 'count' }],
    samples: { length: n, values: [Float64Array.from(values)], stackStart, stack, labelStart },
    labels,
    locations: {
      length: locCount,
      id: Float64Array.from({ length: locCount }, (_, i) => i + 1),
      mapping: new Int32Array(locCount).fill(-1),
      address: new Float64Array(locCount),
      isFolded: new Uint8Array(locCount),
      lineStart,
    },
    lines: {
      length: locCount,
      function: Int32Array.from(siteFn),
      line: Float64Array.from(sites.line),
      column: new Float64Array(locCount),
    },
    functions: createFunctionTable(fnName, fnFile),
    mappings: createEmptyMappingTable(),
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: { type: 'goroutine', unit: 'count' },
    period: 1,
    comments: [],
    defaultSampleType: '',
    warnings:
      dump.unparsedLines > 0
        ? [`${dump.unparsedLines} line${dump.unparsedLines === 1 ? '' : 's'} of the dump could not be read and were skipped (first: "${dump.unparsedExamples[0] ?? ''}").`]
        : [],
  };
}
