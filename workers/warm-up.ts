// A small built-in goroutine dump, decoded once when the worker starts so the first real one meets warm code.

const STATES = ['chan send', 'chan receive', 'select', 'semacquire', 'IO wait', 'sleep'];

/** `count` goroutines in a few states and stacks, in Go's `?debug=2` form. */
export function buildWarmUpDump(count: number): string {
  const out: string[] = ['goroutine 1 [running]:', 'main.main()', '\t/app/main.go:10 +0x1d', ''];
  for (let g = 2; g <= count; g++) {
    const state = STATES[g % STATES.length]!;
    const minutes = g % 3 === 0 ? `, ${g % 7} minutes` : '';
    out.push(
      `goroutine ${g} [${state}${minutes}]:`,
      `main.(*server).worker${g % 5}(0xc000${(g * 16).toString(16)}, {0x${g.toString(16)}, 0x10})`,
      `\t/app/server.go:${200 + (g % 5)} +0x4${g % 10}`,
      `main.(*server).serve(0xc000010000)`,
      '\t/app/server.go:150 +0x99',
      `created by main.(*server).start in goroutine 1`,
      '\t/app/server.go:120 +0x2a',
      '',
    );
  }
  return out.join('\n');
}
