// Writes a deterministic synthetic pprof profile (gzip'd profile.proto) for the benchmark when ../shared is absent.
// Seeded PRNG, a hand-written protobuf encoder and node:zlib: the same bytes on every run. Usage:
//   node bench/generate-profile.mjs [--kind heap|cpu] [--samples N] [--out file]

import { mkdirSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = resolve(HERE, 'out');

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
function createRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A growable protobuf writer (varints, length-delimited fields, packed repeated varints). */
class Writer {
  constructor(size = 1 << 16) {
    this.buf = new Uint8Array(size);
    this.pos = 0;
  }
  ensure(n) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  /** Unsigned varint of a non-negative safe integer. */
  varint(v) {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }
  /** Unsigned varint of a BigInt (values beyond 2^53, e.g. time_nanos). */
  bigVarint(v) {
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }
  tag(field, wire) {
    this.varint(field * 8 + wire);
  }
  uint(field, v) {
    if (v === 0) return;
    this.tag(field, 0);
    this.varint(v);
  }
  bytes(field, data) {
    this.tag(field, 2);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
  /** An embedded message written by `fn` into a scratch writer. */
  message(field, scratch, fn) {
    scratch.pos = 0;
    fn(scratch);
    this.bytes(field, scratch.buf.subarray(0, scratch.pos));
  }
  packed(field, values, scratch) {
    scratch.pos = 0;
    for (const v of values) scratch.varint(v);
    this.bytes(field, scratch.buf.subarray(0, scratch.pos));
  }
  result() {
    return this.buf.subarray(0, this.pos);
  }
}

const PACKAGES = ['main', 'net/http', 'encoding/json', 'runtime', 'bufio', 'context', 'sync', 'io', 'bytes', 'strings',
  'compress/gzip', 'database/sql', 'github.com/acme/store', 'github.com/acme/cache', 'github.com/acme/rpc',
  'google.golang.org/grpc', 'google.golang.org/protobuf/proto', 'crypto/tls', 'time', 'sort'];
const TYPES = ['server', 'conn', 'Decoder', 'Encoder', 'Pool', 'Reader', 'Writer', 'Cache', 'Client', 'Txn', 'Shard', 'Stream'];
const VERBS = ['Serve', 'Read', 'Write', 'Get', 'Put', 'Encode', 'Decode', 'Flush', 'Lookup', 'Handle', 'Marshal', 'grow',
  'alloc', 'merge', 'scan', 'next', 'init', 'build', 'parse', 'Close'];

/**
 * Builds the profile bytes (uncompressed protobuf).
 * kind 'heap': alloc_objects/alloc_space/inuse_objects/inuse_space; kind 'cpu': samples/count + cpu/nanoseconds.
 */
export function buildProfile({ kind = 'heap', samples = 1_000_000, functions = 4000, locations = 12000, seed = 20261122 } = {}) {
  const random = createRandom(seed);
  const int = (n) => Math.floor(random() * n);

  const strings = [''];
  const stringIndex = new Map([['', 0]]);
  const str = (s) => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };

  const sampleTypes =
    kind === 'cpu'
      ? [['samples', 'count'], ['cpu', 'nanoseconds']]
      : [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space', 'bytes']];

  // Functions: distinct names, each in a file of its package.
  const fnName = [];
  const fnFile = [];
  const seen = new Set();
  for (let f = 0; fnName.length < functions; f++) {
    const pkg = PACKAGES[int(PACKAGES.length)];
    const form = int(3);
    const name =
      form === 0
        ? `${pkg}.${VERBS[int(VERBS.length)]}${int(400)}`
        : form === 1
          ? `${pkg}.(*${TYPES[int(TYPES.length)]}${int(40)}).${VERBS[int(VERBS.length)]}`
          : `${pkg}.${VERBS[int(VERBS.length)]}${int(200)}.func${1 + int(4)}`;
    if (seen.has(name)) continue;
    seen.add(name);
    fnName.push(name);
    fnFile.push(`${pkg}/${VERBS[int(VERBS.length)].toLowerCase()}${int(30)}.go`);
  }

  // Locations: one to three lines (the first ones inlined into the last), address in one mapping.
  const locLines = [];
  for (let l = 0; l < locations; l++) {
    const depth = random() < 0.15 ? 2 + int(2) : 1;
    const lines = [];
    for (let d = 0; d < depth; d++) lines.push([1 + int(functions), 10 + int(900)]);
    locLines.push(lines);
  }

  // Call paths: a few thousand deep stacks sharing prefixes (root-first while built, leaf-first when written).
  const stackCount = 20000;
  const stacks = [];
  const roots = Array.from({ length: 12 }, () => 1 + int(locations));
  for (let s = 0; s < stackCount; s++) {
    let path;
    if (s > 0 && random() < 0.7) {
      const parent = stacks[int(stacks.length)];
      path = parent.slice(0, Math.max(1, parent.length - 1 - int(6)));
    } else {
      path = [roots[int(roots.length)]];
    }
    const target = 6 + int(28);
    while (path.length < target) path.push(1 + int(locations));
    stacks.push(path.slice().reverse());
  }

  const out = new Writer(1 << 24);
  const scratch = new Writer(1 << 12);
  const inner = new Writer(1 << 8);

  for (const [type, unit] of sampleTypes) {
    const t = str(type);
    const u = str(unit);
    out.message(1, scratch, (w) => {
      w.uint(1, t);
      w.uint(2, u);
    });
  }

  // Samples, skewed towards low stack ids so that some functions dominate.
  const values = new Array(sampleTypes.length);
  for (let i = 0; i < samples; i++) {
    const r = random();
    const stack = stacks[Math.floor(r * r * r * stackCount)];
    if (kind === 'cpu') {
      const n = 1 + (random() < 0.1 ? int(5) : 0);
      values[0] = n;
      values[1] = n * 10_000_000;
    } else {
      const objects = 1 + int(64);
      const size = [16, 32, 48, 64, 128, 256, 1024, 4096, 32768][int(9)];
      const live = random() < 0.3 ? objects : 0;
      values[0] = objects;
      values[1] = objects * size;
      values[2] = live;
      values[3] = live * size;
    }
    out.message(2, scratch, (w) => {
      w.packed(1, stack, inner);
      w.packed(2, values, inner);
    });
  }

  const fileName = str('/usr/local/bin/synthetic-server');
  out.message(3, scratch, (w) => {
    w.uint(1, 1);
    w.uint(2, 0x400000);
    w.uint(3, 0x400000 + locations * 64 + 4096);
    w.uint(5, fileName);
    w.uint(7, 1);
    w.uint(8, 1);
    w.uint(9, 1);
    w.uint(10, 1);
  });

  for (let l = 0; l < locations; l++) {
    out.message(4, scratch, (w) => {
      w.uint(1, l + 1);
      w.uint(2, 1);
      w.uint(3, 0x400000 + l * 64 + 16);
      for (const [fn, line] of locLines[l]) {
        w.message(4, inner, (m) => {
          m.uint(1, fn);
          m.uint(2, line);
        });
      }
    });
  }

  for (let f = 0; f < functions; f++) {
    const name = str(fnName[f]);
    const file = str(fnFile[f]);
    out.message(5, scratch, (w) => {
      w.uint(1, f + 1);
      w.uint(2, name);
      w.uint(3, name);
      w.uint(4, file);
      w.uint(5, 1 + int(500));
    });
  }

  const periodType = kind === 'cpu' ? ['cpu', 'nanoseconds'] : ['space', 'bytes'];
  const pt = [str(periodType[0]), str(periodType[1])];
  const encoder = new TextEncoder();
  for (const s of strings) out.bytes(6, encoder.encode(s));
  out.tag(9, 0);
  out.bigVarint(1_795_000_000_000_000_000n);
  out.uint(10, kind === 'cpu' ? 30_000_000_000 : 0);
  out.message(11, scratch, (w) => {
    w.uint(1, pt[0]);
    w.uint(2, pt[1]);
  });
  out.uint(12, kind === 'cpu' ? 10_000_000 : 524288);
  return out.result();
}

/** The cached gzip'd profile under bench/out/, generated once. Returns its path. */
export function ensureGeneratedProfile({ kind = 'heap', samples = 1_000_000 } = {}) {
  const label = samples >= 1_000_000 ? `${samples / 1_000_000}m` : `${samples / 1000}k`;
  const file = resolve(OUT_DIR, `generated_${kind}_${label}.pb.gz`);
  if (existsSync(file)) return file;
  mkdirSync(OUT_DIR, { recursive: true });
  const gz = gzipSync(buildProfile({ kind, samples }), { level: 6 });
  writeFileSync(`${file}.tmp`, gz);
  renameSync(`${file}.tmp`, file);
  return file;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const kind = arg('--kind', 'heap');
  const samples = Number(arg('--samples', '1000000'));
  const outFile = arg('--out', null);
  const start = performance.now();
  if (outFile) {
    writeFileSync(outFile, gzipSync(buildProfile({ kind, samples }), { level: 6 }));
    console.log(`${outFile} in ${Math.round(performance.now() - start)} ms`);
  } else {
    console.log(`${ensureGeneratedProfile({ kind, samples })} in ${Math.round(performance.now() - start)} ms`);
  }
}
