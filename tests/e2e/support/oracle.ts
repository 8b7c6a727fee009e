// Reads `go tool pprof -top` oracle text files (tests/fixtures) into header lines and rows of cell texts.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LEAKY_DIR = fileURLToPath(new URL('../../fixtures/go-leaky-server/', import.meta.url));

/** One row as pprof prints it: the five value columns as text and the name with its marker. */
export interface OracleRow {
  flat: string;
  flatPercent: string;
  sumPercent: string;
  cum: string;
  cumPercent: string;
  /** The function name without the marker. */
  name: string;
  /** '', '(inline)' or '(partial-inline)'. */
  marker: string;
}

/** A parsed oracle: the header lines before the column titles, and the rows. */
export interface Oracle {
  header: string[];
  rows: OracleRow[];
}

const COLUMN_TITLES = /^\s*flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/;
const ROW = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s{2}(.*?)\s*$/;
const MARKER = /\s+\((inline|partial-inline)\)$/;

/** Parses one `-top` text. */
export function parseOracle(text: string): Oracle {
  const lines = text.split('\n');
  const titles = lines.findIndex((l) => COLUMN_TITLES.test(l));
  if (titles < 0) throw new Error('Oracle has no column titles line');
  const header = lines.slice(0, titles).map((l) => l.trim()).filter((l) => l !== '');
  const rows: OracleRow[] = [];
  for (const line of lines.slice(titles + 1)) {
    if (line.trim() === '') continue;
    const m = ROW.exec(line);
    if (!m) throw new Error(`Unparsed oracle row: ${JSON.stringify(line)}`);
    const full = m[6]!;
    const marker = MARKER.exec(full);
    rows.push({
      flat: m[1]!,
      flatPercent: m[2]!,
      sumPercent: m[3]!,
      cum: m[4]!,
      cumPercent: m[5]!,
      name: marker ? full.slice(0, marker.index) : full,
      marker: marker ? `(${marker[1]})` : '',
    });
  }
  return { header, rows };
}

/** Reads and parses tests/fixtures/go-leaky-server/<file>. */
export function readOracle(file: string): Oracle {
  return parseOracle(readFileSync(`${LEAKY_DIR}${file}`, 'utf8'));
}

/** The header line starting with `prefix` (e.g. 'Showing nodes', 'Dropped'), or undefined. */
export function headerLine(oracle: Oracle, prefix: string): string | undefined {
  return oracle.header.find((l) => l.startsWith(prefix));
}

/** A row as the six cell texts the table shows: Flat, Flat%, Sum%, Cum, Cum%, Name (+ marker). */
export function rowCells(row: OracleRow): string[] {
  return [row.flat, row.flatPercent, row.sumPercent, row.cum, row.cumPercent, row.marker ? `${row.name} ${row.marker}` : row.name];
}
