// Goroutine dumps (`/debug/pprof/goroutine?debug=2`, crash tracebacks) read line by line into columnar tables.

import { GrowableFloat64, GrowableUint32 } from './grow';
import { parseGoroutineHeader } from './goroutine-header';

/**
 * Frames, interned: one row per distinct (function line, file line) pair of the dump. `func`, `args`, `file`
 * are string indexes (`args` is the text between the outer parentheses, e.g. `0xc000010000?, 0x1`, or
 * `...`). `line` is 0 and `file` the empty string when the file line was missing; `offset` is the `+0x…` PC
 * offset or -1. `site` is the frame's row in `sites` (function + file:line, argument values ignored).
 */
export interface DumpFrameTable {
  length: number;
  func: Uint32Array;
  args: Uint32Array;
  file: Uint32Array;
  line: Float64Array;
  offset: Float64Array;
  site: Uint32Array;
}

/** Sites: frames without their argument words (what panicparse's "similar" grouping compares). */
export interface DumpSiteTable {
  length: number;
  func: Uint32Array;
  file: Uint32Array;
  line: Float64Array;
}

/**
 * Stacks, interned: stack `s` is frames `frames[frameStart[s] .. frameStart[s + 1])`, leaf first, as
 * printed. `similar[s]` groups stacks whose frames have the same sites (argument values ignored).
 */
export interface DumpStackTable {
  length: number;
  frameStart: Uint32Array;
  frames: Uint32Array;
  similar: Uint32Array;
  /** Number of distinct `similar` values. */
  similarCount: number;
}

/**
 * One row per goroutine, in dump order. `state` is the bracket's first part verbatim (`chan receive`,
 * `IO wait`, `sync.Mutex.Lock`, unknown states too) as a string index; `waitMinutes` is -1 when the header
 * has no `N minutes`; `locked` is 1 for `locked to thread`; `extra` holds any other bracket parts verbatim
 * (string index, 0 for none). `createdBy` is a frame row or -1; `createdByGoroutine` the `in goroutine N`
 * id or -1. `labels` is the labels text (`{"k":"v"}`) or 0; `elided` is 1 when frames were elided.
 */
export interface DumpGoroutineTable {
  length: number;
  id: Float64Array;
  state: Uint32Array;
  waitMinutes: Int32Array;
  locked: Uint8Array;
  extra: Uint32Array;
  stack: Uint32Array;
  createdBy: Int32Array;
  createdByGoroutine: Float64Array;
  labels: Uint32Array;
  elided: Uint8Array;
}

/** A parsed dump. `strings[0]` is always ''. */
export interface GoroutineDump {
  strings: string[];
  goroutines: DumpGoroutineTable;
  stacks: DumpStackTable;
  frames: DumpFrameTable;
  sites: DumpSiteTable;
  /** Lines before the first goroutine that belong to a crash (`panic: …`, `fatal error: …`, `[signal …`). */
  header: string[];
  /** Lines that fit no known form: counted, never fatal. The first few are kept for the message. */
  unparsedLines: number;
  unparsedExamples: string[];
  lineCount: number;
}

const MAX_EXAMPLES = 5;
const MAX_HEADER = 50;
const HEADER_RX = /^(panic: |fatal error: |\[signal |\t?\[recovered\]|runtime: |unexpected fault address|fatal: |SIGQUIT|PC=|exit status )/;
const FILE_LINE_RX = /^\t(.*):(\d+)(?: \+0x([0-9a-fA-F]+))?(?: .*)?$/;

/** True when the text (a file's head) holds a `goroutine N [state]:` line: a dump or a crash traceback. */
export function isGoroutineDump(head: string): boolean {
  return /^goroutine \d+(?: [a-z]+=\S+)* \[[^\]\n]*\][^\n]*:\r?$/m.test(head);
}

/** Parses a whole dump held in one string. */
export function parseGoroutineDump(text: string): GoroutineDump {
  const parser = new GoroutineDumpParser();
  parser.push(text);
  return parser.finish();
}

/**
 * A streaming parser: `push` text chunks as they arrive (any split, even mid-line), then `finish`.
 * Each line is looked at once; stacks and frames are interned by hashing, so the work is O(lines).
 */
export class GoroutineDumpParser {
  #strings: string[] = [''];
  #stringIndex = new Map<string, number>([['', 0]]);
  #rest = '';
  #lineCount = 0;
  #unparsed = 0;
  #examples: string[] = [];
  #header: string[] = [];

  // Frames and sites.
  #frameIndex = new Map<string, number>();
  #fFunc = new GrowableUint32(256);
  #fArgs = new GrowableUint32(256);
  #fFile = new GrowableUint32(256);
  #fLine = new GrowableFloat64(256);
  #fOffset = new GrowableFloat64(256);
  #fSite = new GrowableUint32(256);
  #siteIndex = new Map<string, number>();
  #sFunc = new GrowableUint32(256);
  #sFile = new GrowableUint32(256);
  #sLine = new GrowableFloat64(256);

  // Stacks.
  #stackIndex = new Map<string, number>();
  #stackStart = new GrowableUint32(256);
  #stackFrames = new GrowableUint32(1024);
  #stackSimilar = new GrowableUint32(256);
  #similarIndex = new Map<string, number>();

  // Goroutines.
  #gId = new GrowableFloat64(1024);
  #gState = new GrowableUint32(1024);
  #gWait = new GrowableFloat64(1024);
  #gLocked = new GrowableUint32(1024);
  #gExtra = new GrowableUint32(1024);
  #gStack = new GrowableUint32(1024);
  #gCreatedBy = new GrowableFloat64(1024);
  #gCreatedByG = new GrowableFloat64(1024);
  #gLabels = new GrowableUint32(1024);
  #gElided = new GrowableUint32(1024);

  // The goroutine being read.
  #inGoroutine = false;
  #current: number[] = [];
  /**
   * The line waiting for its file line: a call line as read (parsed only when its frame is new), or for a
   * `created by` line `created by F` without its `in goroutine N` (then `#pendingCreatedBy`).
   */
  #pendingRaw: string | null = null;
  #pendingCreatedBy = false;
  /** Pending line → file line → frame row, as read: repeated frames cost two hash lookups and no parsing. */
  #rawFrameIndex = new Map<string, Map<string, number>>();
  #createdBy = -1;
  #createdByG = -1;
  #elided = false;

  /** Feeds the next piece of text. */
  push(chunk: string): void {
    let text = this.#rest + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      this.#line(text.substring(start, end));
      start = nl + 1;
    }
    this.#rest = text.substring(start);
    text = '';
  }

  /**
   * Adds `count` goroutines with the given stack (leaf first), state '' and labels text, as if read: how a
   * protobuf goroutine profile (which keeps counts, not states) becomes a dump for the goroutine reports.
   */
  appendGoroutines(frames: { func: string; file: string; line: number }[], count: number, labels: string): void {
    this.#flushPending();
    this.#endGoroutine();
    for (const f of frames) this.#addFrame(f.func, '', f.file, f.line, -1);
    const stack = this.#current;
    const labelIndex = this.#intern(labels);
    for (let i = 0; i < count; i++) {
      this.#current = stack;
      this.#inGoroutine = true;
      this.#gId.push(-1);
      this.#gState.push(0);
      this.#gWait.push(-1);
      this.#gLocked.push(0);
      this.#gExtra.push(0);
      this.#gLabels.push(labelIndex);
      this.#endGoroutine();
    }
  }

  /** Ends the input and returns the tables. The parser must not be used afterwards. */
  finish(): GoroutineDump {
    if (this.#rest !== '') {
      const last = this.#rest.endsWith('\r') ? this.#rest.slice(0, -1) : this.#rest;
      this.#rest = '';
      this.#line(last);
    }
    this.#flushPending();
    this.#endGoroutine();
    this.#stackStart.push(this.#stackFrames.length);
    const n = this.#gId.length;
    const toInt32 = (g: GrowableFloat64) => Int32Array.from(g.data.subarray(0, g.length));
    return {
      strings: this.#strings,
      goroutines: {
        length: n,
        id: this.#gId.finish(),
        state: this.#gState.finish(),
        waitMinutes: toInt32(this.#gWait),
        locked: Uint8Array.from(this.#gLocked.data.subarray(0, n)),
        extra: this.#gExtra.finish(),
        stack: this.#gStack.finish(),
        createdBy: toInt32(this.#gCreatedBy),
        createdByGoroutine: this.#gCreatedByG.finish(),
        labels: this.#gLabels.finish(),
        elided: Uint8Array.from(this.#gElided.data.subarray(0, n)),
      },
      stacks: {
        length: this.#stackSimilar.length,
        frameStart: this.#stackStart.finish(),
        frames: this.#stackFrames.finish(),
        similar: this.#stackSimilar.finish(),
        similarCount: this.#similarIndex.size,
      },
      frames: {
        length: this.#fFunc.length,
        func: this.#fFunc.finish(),
        args: this.#fArgs.finish(),
        file: this.#fFile.finish(),
        line: this.#fLine.finish(),
        offset: this.#fOffset.finish(),
        site: this.#fSite.finish(),
      },
      sites: { length: this.#sFunc.length, func: this.#sFunc.finish(), file: this.#sFile.finish(), line: this.#sLine.finish() },
      header: this.#header,
      unparsedLines: this.#unparsed,
      unparsedExamples: this.#examples,
      lineCount: this.#lineCount,
    };
  }

  #line(line: string): void {
    this.#lineCount++;
    if (line.length === 0) {
      this.#flushPending();
      this.#endGoroutine();
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 9 /* \t */) {
      this.#fileLine(line);
      return;
    }
    if (c0 === 103 /* g */ && line.startsWith('goroutine ')) {
      const header = parseGoroutineHeader(line);
      if (header) {
        this.#flushPending();
        this.#endGoroutine();
        this.#inGoroutine = true;
        this.#gId.push(header.id);
        this.#gState.push(this.#intern(header.state));
        this.#gWait.push(header.waitMinutes);
        this.#gLocked.push(header.locked ? 1 : 0);
        this.#gExtra.push(this.#intern(header.extra));
        this.#gLabels.push(this.#intern(header.labels));
        return;
      }
    }
    if (!this.#inGoroutine) {
      if (this.#header.length < MAX_HEADER && HEADER_RX.test(line)) this.#header.push(line);
      else if (this.#gId.length === 0 && this.#header.length > 0 && this.#header.length < MAX_HEADER && line.startsWith('\t')) this.#header.push(line);
      else this.#unparsedLine(line);
      return;
    }
    this.#flushPending();
    if (line.startsWith('created by ')) {
      let fn = line.substring(11);
      const inG = fn.lastIndexOf(' in goroutine ');
      if (inG >= 0) {
        const g = Number(fn.substring(inG + 14));
        if (Number.isInteger(g)) {
          this.#createdByG = g;
          fn = fn.substring(0, inG);
        }
      }
      this.#pendingRaw = `created by ${fn}`;
      this.#pendingCreatedBy = true;
      return;
    }
    if (line === '...additional frames elided...') {
      this.#elided = true;
      return;
    }
    // Most likely a call line; it is parsed when its file line brings a new frame, or when none comes.
    this.#pendingRaw = line;
    this.#pendingCreatedBy = false;
  }

  /** The pending line as a call (function, arguments), or null after reporting it when it is none. */
  #resolvePending(): { func: string; args: string } | null {
    const raw = this.#pendingRaw!;
    if (this.#pendingCreatedBy) return { func: raw.substring(11), args: '' };
    const call = splitCall(raw);
    if (!call) {
      this.#pendingRaw = null;
      // A crash's last words (`exit status 2`) may follow the last goroutine.
      if (this.#header.length < MAX_HEADER && HEADER_RX.test(raw)) this.#header.push(raw);
      else this.#unparsedLine(raw);
    }
    return call;
  }

  #fileLine(line: string): void {
    if (this.#pendingRaw !== null) {
      let byFileLine = this.#rawFrameIndex.get(this.#pendingRaw);
      const known = byFileLine?.get(line);
      if (known !== undefined) {
        this.#attach(known);
        return;
      }
      if (!byFileLine) {
        byFileLine = new Map();
        this.#rawFrameIndex.set(this.#pendingRaw, byFileLine);
      }
      const call = this.#resolvePending();
      if (call) {
        const m = FILE_LINE_RX.exec(line);
        if (!m) {
          this.#unparsedLine(line);
          this.#flushPending();
          return;
        }
        const f = this.#addFrame(call.func, call.args, m[1]!, Number(m[2]), m[3] === undefined ? -1 : parseInt(m[3], 16));
        byFileLine.set(line, f);
        return;
      }
    }
    // "goroutine running on other thread; stack unavailable" and the like: a note, not a frame.
    if (!(this.#inGoroutine && line.includes('stack unavailable'))) this.#unparsedLine(line);
  }

  /** A function line whose file line never came: kept as a frame without a file. */
  #flushPending(): void {
    if (this.#pendingRaw === null) return;
    const call = this.#resolvePending();
    if (call) this.#addFrame(call.func, call.args, '', 0, -1);
  }

  /** Adds the frame (interned) to the goroutine being read, or as its creator; returns its row. */
  #addFrame(func: string, args: string, file: string, line: number, offset: number): number {
    const key = `${func}\u0000${args}\u0000${file}\u0000${line}\u0000${offset}`;
    let f = this.#frameIndex.get(key);
    if (f === undefined) {
      f = this.#fFunc.length;
      this.#frameIndex.set(key, f);
      const fn = this.#intern(func);
      const fl = this.#intern(file);
      this.#fFunc.push(fn);
      this.#fArgs.push(this.#intern(args));
      this.#fFile.push(fl);
      this.#fLine.push(line);
      this.#fOffset.push(offset);
      const siteKey = `${fn},${fl},${line}`;
      let s = this.#siteIndex.get(siteKey);
      if (s === undefined) {
        s = this.#sFunc.length;
        this.#siteIndex.set(siteKey, s);
        this.#sFunc.push(fn);
        this.#sFile.push(fl);
        this.#sLine.push(line);
      }
      this.#fSite.push(s);
    }
    this.#attach(f);
    return f;
  }

  #attach(f: number): void {
    if (this.#pendingCreatedBy) this.#createdBy = f;
    else this.#current.push(f);
    this.#pendingRaw = null;
    this.#pendingCreatedBy = false;
  }

  #endGoroutine(): void {
    if (!this.#inGoroutine) return;
    this.#inGoroutine = false;
    const frames = this.#current;
    const key = frames.join(',');
    let s = this.#stackIndex.get(key);
    if (s === undefined) {
      s = this.#stackSimilar.length;
      this.#stackIndex.set(key, s);
      this.#stackStart.push(this.#stackFrames.length);
      let similarKey = '';
      for (const f of frames) {
        this.#stackFrames.push(f);
        similarKey += `${this.#fSite.data[f]},`;
      }
      let sim = this.#similarIndex.get(similarKey);
      if (sim === undefined) {
        sim = this.#similarIndex.size;
        this.#similarIndex.set(similarKey, sim);
      }
      this.#stackSimilar.push(sim);
    }
    this.#gStack.push(s);
    this.#gCreatedBy.push(this.#createdBy);
    this.#gCreatedByG.push(this.#createdByG);
    this.#gElided.push(this.#elided ? 1 : 0);
    this.#current = [];
    this.#createdBy = -1;
    this.#createdByG = -1;
    this.#elided = false;
  }

  #unparsedLine(line: string): void {
    this.#unparsed++;
    if (this.#examples.length < MAX_EXAMPLES) this.#examples.push(line.length > 200 ? `${line.slice(0, 200)}…` : line);
  }

  #intern(s: string): number {
    if (s === '') return 0;
    let i = this.#stringIndex.get(s);
    if (i === undefined) {
      i = this.#strings.length;
      this.#strings.push(s);
      this.#stringIndex.set(s, i);
    }
    return i;
  }
}

/**
 * Splits `pkg.(*T).f[...](0x1, {0x2, 0x3}, ...)` into the function and the argument text: the arguments are
 * the last balanced parenthesised group that ends the line. Null when the line is no call.
 */
export function splitCall(line: string): { func: string; args: string } | null {
  const end = line.length - 1;
  if (end < 2 || line.charCodeAt(end) !== 41 /* ) */) return null;
  let depth = 0;
  for (let i = end; i >= 0; i--) {
    const c = line.charCodeAt(i);
    if (c === 41) depth++;
    else if (c === 40 /* ( */) {
      depth--;
      if (depth === 0) {
        if (i === 0) return null;
        const func = line.substring(0, i);
        if (func.includes(' ') || func.includes('\t')) return null;
        return { func, args: line.substring(i + 1, end) };
      }
    }
  }
  return null;
}
