// Re-orderings of a top report for the table: by name, filtered by a search string, and its TSV export.

import { formatTopRow, type TopReport } from './top';

function pick(report: TopReport, rows: number[], sumFlat?: Float64Array): TopReport {
  const n = rows.length;
  const out: TopReport = {
    ...report,
    name: new Array<string>(n),
    inline: new Uint8Array(n),
    flat: new Float64Array(n),
    cum: new Float64Array(n),
    sumFlat: sumFlat ?? new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    out.name[i] = report.name[r]!;
    out.inline[i] = report.inline[r]!;
    out.flat[i] = report.flat[r]!;
    out.cum[i] = report.cum[r]!;
    if (!sumFlat) out.sumFlat[i] = report.sumFlat[r]!;
  }
  return out;
}

/** Rows sorted by name (ties keep pprof's order); sum% becomes the running sum in that order. */
export function sortTopReportByName(report: TopReport): TopReport {
  const rows = report.name.map((_, i) => i);
  rows.sort((a, b) => (report.name[a]! < report.name[b]! ? -1 : report.name[a]! > report.name[b]! ? 1 : a - b));
  const sumFlat = new Float64Array(rows.length);
  let running = 0;
  rows.forEach((r, i) => {
    running += report.flat[r]!;
    sumFlat[i] = running;
  });
  return pick(report, rows, sumFlat);
}

/** Rows whose name contains `filter` (case-insensitive); each keeps its sum%. */
export function filterTopReport(report: TopReport, filter: string): TopReport {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return report;
  const rows: number[] = [];
  for (let i = 0; i < report.name.length; i++) if (report.name[i]!.toLowerCase().includes(needle)) rows.push(i);
  return pick(report, rows);
}

const TSV_HEADER = ['flat', 'flat_text', 'flat%', 'sum%', 'cum', 'cum_text', 'cum%', 'name', 'inline'];

/** Tab-separated rows: raw values and pprof's text, a header line first. Tabs/newlines in names become spaces. */
export function formatTopTsv(report: TopReport): string {
  const lines = [TSV_HEADER.join('\t')];
  for (let i = 0; i < report.name.length; i++) {
    const r = formatTopRow(report, i);
    lines.push(
      [
        report.flat[i],
        r.flat,
        r.flatPercent.trim(),
        r.sumPercent.trim(),
        report.cum[i],
        r.cum,
        r.cumPercent.trim(),
        r.name.replace(/[\t\r\n]/g, ' '),
        r.marker,
      ].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}
