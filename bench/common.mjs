// Small pieces the page benches share: repeated runs with failures reported, and the table printout.

/** Runs `once()` `runs` times; a failed run is printed and leaves `ok` false. */
export async function repeatRuns(runs, name, once) {
  const out = [];
  let ok = true;
  for (let r = 0; r < runs; r++) {
    try {
      out.push(await once());
    } catch (e) {
      ok = false;
      console.log(`  ${name} run ${r + 1}: FAILED ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
  }
  return { runs: out, ok };
}

/** Prints rows (the first is the header) as a Markdown table, names left-aligned, figures right-aligned. */
export function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(`| ${r.map((cell, c) => String(cell)[c === 0 ? 'padEnd' : 'padStart'](widths[c])).join(' | ')} |`);
}

/** In the page (after installObservers): the longest main-thread task since `window.__bench.from`, in ms. */
export function longestTaskSinceMark() {
  return Math.max(0, ...window.__bench.tasks.filter((t) => t.start >= window.__bench.from).map((t) => t.duration));
}
