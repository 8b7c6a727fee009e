// Go's count profiles as text (`/debug/pprof/goroutine?debug=1`, `threadcreate?debug=1`) into a Profile,
// reading the `#\t0xpc\tfunc+0xoff\tfile:line` symbol lines and `# labels: {…}` that pprof skips.

import { createEmptyMappingTable, createFunctionTable, type Profile } from './model';
import { createStringTable } from './string-table';

const HEADER = /^(\w+) profile: total (\d+)\s*$/;
const RECORD = /^(\d+) @((?:\s+0x[0-9a-fA-F]+)*)\s*$/;

/** True when the text starts with Go's `goroutine profile: total N` (or threadcreate) header. */
export function isGoCountText(head: string): boolean {
  return HEADER.test(head.trimStart().split('\n', 1)[0]!.trim());
}

interface CountRecord {
  count: number;
  addresses: number[];
  /** Symbolized frames, innermost first: [function, file, line]. */
  frames: [string, string, number][];
  labels: [string, string][];
}

/**
 * Parses the text. A record is `N @ 0xpc …` followed by its symbol lines; a record without a stack (`5 @`)
 * is kept (pprof refuses it). Unsymbolized records keep their addresses as location addresses. Lines that fit
 * no form are counted in the profile's warnings.
 */
export function parseGoCountText(text: string): Profile {
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  const header = HEADER.exec(lines[first]?.trim() ?? '');
  if (!header) throw new Error('not a Go count profile');
  const kind = header[1]!;
  const records: CountRecord[] = [];
  let unparsed = 0;
  let current: CountRecord | null = null;
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const record = RECORD.exec(line);
    if (record) {
      current = {
        count: Number(record[1]),
        addresses: record[2]!.trim() === '' ? [] : record[2]!.trim().split(/\s+/).map((a) => Number.parseInt(a, 16)),
        frames: [],
        labels: [],
      };
      records.push(current);
    } else if (current && line.startsWith('# labels: ')) {
      try {
        const parsed = JSON.parse(line.slice('# labels: '.length)) as Record<string, unknown>;
        for (const [k, v] of Object.entries(parsed)) current.labels.push([k, String(v)]);
      } catch {
        unparsed++;
      }
    } else if (current && line.startsWith('#\t')) {
      // `#`, pc, func+offset, file:line — Go's tabwriter may pad with several tabs.
      const parts = line.split(/\t+/);
      const where = parts[3] ?? '';
      const colon = where.lastIndexOf(':');
      const name = (parts[2] ?? '').replace(/\+0x[0-9a-fA-F]+$/, '');
      if (name === '') continue; // `#\t0xpc` alone: a frame Go could not name.
      current.frames.push([name, colon > 0 ? where.slice(0, colon) : where, colon > 0 ? Number(where.slice(colon + 1)) || 0 : 0]);
    } else if (line.trim() !== '' && !line.startsWith('#')) unparsed++;
  }
  return buildCountProfile(kind, records, unparsed);
}

function buildCountProfile(kind: string, records: CountRecord[], unparsed: number): Profile {
  const { strings, intern } = createStringTable();
  const fnIndex = new Map<string, number>();
  const fnName: number[] = [];
  const fnFile: number[] = [];
  const locIndex = new Map<string, number>();
  const locFunction: number[] = [];
  const locLine: number[] = [];
  const locAddress: number[] = [];
  const locationOf = (key: string, fn: number, line: number, address: number): number => {
    let l = locIndex.get(key);
    if (l === undefined) {
      l = locFunction.length;
      locIndex.set(key, l);
      locFunction.push(fn);
      locLine.push(line);
      locAddress.push(address);
    }
    return l;
  };
  const stack: number[] = [];
  const stackStart: number[] = [];
  const labelKey: number[] = [];
  const labelStr: number[] = [];
  const labelStart: number[] = [];
  for (const r of records) {
    stackStart.push(stack.length);
    labelStart.push(labelKey.length);
    if (r.frames.length > 0) {
      for (const [name, file, line] of r.frames) {
        const fkey = `${name}\0${file}`;
        let f = fnIndex.get(fkey);
        if (f === undefined) {
          f = fnName.length;
          fnIndex.set(fkey, f);
          fnName.push(intern(name));
          fnFile.push(intern(file));
        }
        stack.push(locationOf(`${f}:${line}`, f, line, 0));
      }
    } else for (const a of r.addresses) stack.push(locationOf(`@${a}`, -1, 0, a));
    for (const [k, v] of r.labels) {
      labelKey.push(intern(k));
      labelStr.push(intern(v));
    }
  }
  stackStart.push(stack.length);
  labelStart.push(labelKey.length);
  const n = records.length;
  const locCount = locFunction.length;
  const lineRows = locFunction.map((f, l) => (f >= 0 ? l : -1)).filter((l) => l >= 0);
  const lineStart = new Uint32Array(locCount + 1);
  let row = 0;
  for (let l = 0; l < locCount; l++) {
    lineStart[l] = row;
    if (locFunction[l]! >= 0) row++;
  }
  lineStart[locCount] = row;
  const type = { type: kind, unit: 'count' };
  return {
    strings,
    sampleTypes: [type],
    samples: {
      length: n,
      values: [Float64Array.from(records, (r) => r.count)],
      stackStart: Uint32Array.from(stackStart),
      stack: Uint32Array.from(stack),
      labelStart: Uint32Array.from(labelStart),
    },
    labels: {
      length: labelKey.length,
      key: Uint32Array.from(labelKey),
      str: Uint32Array.from(labelStr),
      num: new Float64Array(labelKey.length),
      numUnit: new Uint32Array(labelKey.length),
    },
    locations: {
      length: locCount,
      id: Float64Array.from({ length: locCount }, (_, i) => i + 1),
      mapping: new Int32Array(locCount).fill(-1),
      address: Float64Array.from(locAddress),
      isFolded: new Uint8Array(locCount),
      lineStart,
    },
    lines: {
      length: lineRows.length,
      function: Int32Array.from(lineRows, (l) => locFunction[l]!),
      line: Float64Array.from(lineRows, (l) => locLine[l]!),
      column: new Float64Array(lineRows.length),
    },
    functions: createFunctionTable(fnName, fnFile),
    mappings: createEmptyMappingTable(),
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: { ...type },
    period: 1,
    comments: [],
    defaultSampleType: '',
    warnings: unparsed > 0 ? [`${unparsed} line(s) of the ${kind} text fit no known form and were skipped.`] : [],
  };
}
