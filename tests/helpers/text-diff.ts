// A readable line diff for golden mismatches: the first differing lines with context.

/** Returns '' when equal, else a short report of the first differences. */
export function describeLineDiff(expected: string[], actual: string[], limit = 8): string {
  const out: string[] = [];
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n && out.length < limit * 3; i++) {
    if (expected[i] === actual[i]) continue;
    out.push(`line ${i + 1}:`, `  - oracle: ${JSON.stringify(expected[i] ?? '<none>')}`, `  + ours:   ${JSON.stringify(actual[i] ?? '<none>')}`);
  }
  if (expected.length !== actual.length) out.push(`(oracle has ${expected.length} lines, ours ${actual.length})`);
  return out.join('\n');
}
