// The goroutine dump parser: every header and frame form Go has printed, crash output, streaming, bad lines.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GoroutineDumpParser, isGoroutineDump, parseGoroutineDump, splitCall, type GoroutineDump } from '../../src/profile/goroutine-dump';
import { parseGoroutineHeader } from '../../src/profile/goroutine-header';
import { LEAKY } from '../helpers/fixtures';
import { readManifestGoroutines } from '../helpers/goroutine-manifest';

/** Goroutine `i` of a dump as plain values: state, wait, locked, frames `func file:line`, creator. */
function goroutine(d: GoroutineDump, i: number) {
  const g = d.goroutines;
  const s = d.strings;
  const frame = (f: number) => `${s[d.frames.func[f]!]}(${s[d.frames.args[f]!]}) ${s[d.frames.file[f]!]}:${d.frames.line[f]}`;
  const st = g.stack[i]!;
  const frames = [];
  for (let k = d.stacks.frameStart[st]!; k < d.stacks.frameStart[st + 1]!; k++) frames.push(frame(d.stacks.frames[k]!));
  return {
    id: g.id[i],
    state: s[g.state[i]!],
    wait: g.waitMinutes[i],
    locked: g.locked[i] === 1,
    extra: s[g.extra[i]!],
    labels: s[g.labels[i]!],
    frames,
    createdBy: g.createdBy[i]! >= 0 ? frame(g.createdBy[i]!) : null,
    createdByGoroutine: g.createdByGoroutine[i],
    elided: g.elided[i] === 1,
  };
}

const GO119 = `goroutine 111 [chan send]:
main.(*server).publishAudit(0x6e89c6?, 0xc00020cde0?)
	fixturegen/cmd/leakyserver/server.go:224 +0x27
created by main.(*server).handleOrders
	fixturegen/cmd/leakyserver/server.go:219 +0x1a5
`;

const cases: { name: string; text: string; want: Partial<ReturnType<typeof goroutine>>[]; unparsed?: number; header?: string[] }[] = [
  {
    name: 'Go 1.19 debug=2: state, args with ?, created by without goroutine id',
    text: GO119,
    want: [
      {
        id: 111,
        state: 'chan send',
        wait: -1,
        locked: false,
        frames: ['main.(*server).publishAudit(0x6e89c6?, 0xc00020cde0?) fixturegen/cmd/leakyserver/server.go:224'],
        createdBy: 'main.(*server).handleOrders() fixturegen/cmd/leakyserver/server.go:219',
        createdByGoroutine: -1,
      },
    ],
  },
  {
    name: 'minutes, locked to thread, and both',
    text: `goroutine 7 [chan receive, 12 minutes]:
main.wait(...)
	/src/app/main.go:10
goroutine 8 [chan receive, locked to thread]:
main.wait(...)
	/src/app/main.go:10
goroutine 9 [select, 1 minutes, locked to thread]:
main.loop()
	/src/app/main.go:20 +0x1f
`,
    want: [
      { id: 7, state: 'chan receive', wait: 12, locked: false, frames: ['main.wait(...) /src/app/main.go:10'] },
      { id: 8, state: 'chan receive', wait: -1, locked: true },
      { id: 9, state: 'select', wait: 1, locked: true, frames: ['main.loop() /src/app/main.go:20'] },
    ],
  },
  {
    name: 'Go 1.21+ created by … in goroutine N; Go 1.22+ gp= m= fields; semantic states',
    text: `goroutine 33 gp=0xc000103180 m=nil [sync.Mutex.Lock, 3 minutes]:
runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
	/usr/local/go/src/runtime/proc.go:424 +0xce fp=0xc000067e80 sp=0xc000067e60 pc=0x43e8ae
sync.(*Mutex).Lock(...)
	/usr/local/go/src/sync/mutex.go:81
main.worker({0xc00001c0a8, 0x3})
	/src/app/main.go:31 +0x45
created by main.main in goroutine 1
	/src/app/main.go:40 +0x8c

goroutine 34 gp=0xc000103340 m=3 mp=0xc000100008 [syscall]:
syscall.Syscall(0x0, 0x3, 0xc000180000, 0x8000)
	/usr/local/go/src/syscall/syscall_linux.go:73 +0x25
created by main.main in goroutine 1
	/src/app/main.go:41 +0x9c
`,
    want: [
      {
        id: 33,
        state: 'sync.Mutex.Lock',
        wait: 3,
        frames: [
          'runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?) /usr/local/go/src/runtime/proc.go:424',
          'sync.(*Mutex).Lock(...) /usr/local/go/src/sync/mutex.go:81',
          'main.worker({0xc00001c0a8, 0x3}) /src/app/main.go:31',
        ],
        createdBy: 'main.main() /src/app/main.go:40',
        createdByGoroutine: 1,
      },
      { id: 34, state: 'syscall', createdByGoroutine: 1 },
    ],
  },
  {
    name: 'a crash: panic header, [running], [semacquire], elided frames, unknown state kept verbatim, generics',
    text: `panic: runtime error: index out of range [5] with length 3

goroutine 1 [running]:
main.F[...](0xc000012345)
	/src/app/main.go:5 +0x1d
main.main()
	/src/app/main.go:9 +0x25

goroutine 18 [semacquire]:
sync.runtime_Semacquire(0xc0000a0008?)
	/usr/local/go/src/runtime/sema.go:62 +0x25
...additional frames elided...
created by main.start
	/src/app/main.go:50 +0x30

goroutine 19 [GC worker (idle), 2 minutes]:
runtime.gcBgMarkWorker()
	/usr/local/go/src/runtime/mgc.go:1245 +0xe5

goroutine 20 [frobnicating, wibble]:
main.g()
	/src/app/main.go:60 +0x1
exit status 2
`,
    header: ['panic: runtime error: index out of range [5] with length 3', 'exit status 2'],
    unparsed: 0,
    want: [
      { id: 1, state: 'running', frames: ['main.F[...](0xc000012345) /src/app/main.go:5', 'main.main() /src/app/main.go:9'] },
      { id: 18, state: 'semacquire', elided: true, createdBy: 'main.start() /src/app/main.go:50' },
      { id: 19, state: 'GC worker (idle)', wait: 2 },
      { id: 20, state: 'frobnicating', extra: 'wibble' },
    ],
  },
  {
    name: 'labels after the state (Go 1.27 form) and inside the bracket; a running goroutine without a stack',
    text: `goroutine 5 [select, 4 minutes] labels:{"handler": "/api/orders", "x": "a]b"}:
main.h()
	/src/app/h.go:1 +0x1

goroutine 6 [IO wait, {"k":"v"}]:
main.h()
	/src/app/h.go:1 +0x1

goroutine 7 [running]:
	goroutine running on other thread; stack unavailable
`,
    want: [
      { id: 5, state: 'select', wait: 4, labels: '{"handler": "/api/orders", "x": "a]b"}' },
      { id: 6, state: 'IO wait', labels: '{"k":"v"}' },
      { id: 7, state: 'running', frames: [] },
    ],
    unparsed: 0,
  },
  {
    name: 'unparseable lines are counted, never fatal',
    text: `goroutine 1 [running]:
main.main()
	/src/app/main.go:9 +0x25
this is not a frame
	not a file line either
main.other()
	/src/app/main.go:12 +0x1
`,
    unparsed: 2,
    want: [{ id: 1, frames: ['main.main() /src/app/main.go:9', 'main.other() /src/app/main.go:12'] }],
  },
  {
    name: 'Windows line endings',
    text: GO119.replace(/\n/g, '\r\n'),
    want: [{ id: 111, state: 'chan send', createdBy: 'main.(*server).handleOrders() fixturegen/cmd/leakyserver/server.go:219' }],
    unparsed: 0,
  },
];

describe('parseGoroutineDump', () => {
  it.each(cases)('$name', ({ text, want, unparsed, header }) => {
    const d = parseGoroutineDump(text);
    expect(d.goroutines.length).toBe(want.length);
    want.forEach((w, i) => expect(goroutine(d, i)).toMatchObject(w));
    if (unparsed !== undefined) expect(d.unparsedLines).toBe(unparsed);
    if (header) expect(d.header).toEqual(header);
    expect(isGoroutineDump(text)).toBe(true);
  });

  it('gives the same tables whatever the chunking (streaming)', () => {
    const text = cases.map((c) => c.text).join('\n');
    const whole = parseGoroutineDump(text);
    for (const size of [1, 7, 64, 1000]) {
      const p = new GoroutineDumpParser();
      for (let at = 0; at < text.length; at += size) p.push(text.slice(at, at + size));
      expect(p.finish()).toEqual(whole);
    }
  });

  it('interns stacks: goroutines differing only in argument words share a similar stack, not an exact one', () => {
    const d = parseGoroutineDump(`${GO119}\n${GO119.replace('goroutine 111', 'goroutine 112').replace('0x6e89c6?', '0x123?')}\n${GO119.replace('goroutine 111', 'goroutine 113')}`);
    const [a, b, c] = [0, 1, 2].map((i) => d.goroutines.stack[i]!);
    expect(a).toBe(c);
    expect(a).not.toBe(b);
    expect(d.stacks.similar[a!]).toBe(d.stacks.similar[b!]);
  });

  it('is not fooled by other text', () => {
    expect(isGoroutineDump('goroutine profile: total 5386\n3000 @ 0x43a436\n')).toBe(false);
    expect(isGoroutineDump('hello, this is not a profile\n')).toBe(false);
    expect(parseGoroutineHeader('goroutine 1 [running]')).toBeNull();
    expect(splitCall('main.(*T).f(0x1, {0x2, 0x3})')).toEqual({ func: 'main.(*T).f', args: '0x1, {0x2, 0x3}' });
    expect(splitCall('created by main.main')).toBeNull();
  });
});

describe('the go-leaky-server dumps', () => {
  const manifest = readManifestGoroutines();
  const read = (name: string) => parseGoroutineDump(readFileSync(`${LEAKY}${name}`, 'utf8'));

  it.each([
    ['goroutine_t0.debug2.txt', 't0'],
    ['goroutine_t1.debug2.txt', 't1'],
    ['goroutine_fixed.debug2.txt', 'fixed'],
  ] as const)('%s: every line read, the MANIFEST total, states as in its table', (name, column) => {
    const d = read(name);
    expect(d.unparsedLines).toBe(0);
    if (column === 'fixed') {
      // This dump is its own capture: besides the MANIFEST's goroutines it caught transient `[runnable]`
      // net/http goroutines of the capture request itself, so only that many may differ.
      const runnable = d.goroutines.state.filter((st) => d.strings[st] === 'runnable').length;
      expect(Math.abs(d.goroutines.length - manifest.total.fixed)).toBeLessThanOrEqual(runnable);
    } else {
      expect(d.goroutines.length).toBe(manifest.total[column]);
    }
    // Each leak function's goroutines are in the state the MANIFEST names (first word of its state column).
    for (const [fn, counts] of manifest.byFunction) {
      const state = manifest.states.get(fn)!.match(/^\[([^\],]+)/)?.[1];
      let n = 0;
      const states = new Set<string>();
      for (let i = 0; i < d.goroutines.length; i++) {
        const st = d.goroutines.stack[i]!;
        for (let k = d.stacks.frameStart[st]!; k < d.stacks.frameStart[st + 1]!; k++) {
          if (d.strings[d.frames.func[d.stacks.frames[k]!]!] === fn) {
            n++;
            states.add(d.strings[d.goroutines.state[i]!]!);
            break;
          }
        }
      }
      expect(n, fn).toBe(counts[column]);
      if (state && n > 0 && !manifest.states.get(fn)!.includes(' in ')) expect([...states], fn).toEqual([state]);
    }
  });
});
