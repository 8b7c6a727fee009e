// pprof's `-tags` report: every label key with its values and their totals, and its text form.

import { computeNumLabelUnits, type SampleStacks } from '../profile/filter';
import type { Profile } from '../profile/model';
import { formatPercent, formatScaled, scaleValue } from './units';

/** One label value of a key and the sum of the sample values that carry it (signed, sample units). */
export interface TagValue {
  name: string;
  value: number;
  /** Numeric labels only: the smallest and largest raw label values (in the key's unit) shown as `name`. */
  numMin?: number;
  numMax?: number;
}

/** One label key: its values in pprof's order (|value| descending, then name) and their total. */
export interface TagKey {
  key: string;
  total: number;
  values: TagValue[];
  /** The unit of a numeric label key (pprof's NumLabelUnits); absent for string labels. */
  unit?: string;
}

/** The tags report for one sample type: keys by name; values of numeric labels are printed as pprof does. */
export interface TagsReport {
  sampleUnit: string;
  keys: TagKey[];
}

/**
 * pprof's printTags data: for every sample, each string label value and each numeric label value (scaled
 * to its unit's 'minimum' unit, as `1.50kB`) gets the sample's value.
 */
export function buildTagsReport(profile: Profile, sampleIndex: number, stacks: SampleStacks | null = null): TagsReport {
  const { samples, labels, strings } = profile;
  const values = samples.values[sampleIndex]!;
  const units = computeNumLabelUnits(profile);
  const byKey = new Map<string, Map<string, number>>();
  const numNames = new Map<string, string>();
  // Per numeric key and printed name, the raw values it covers (several can print alike: 1536 and 1537 bytes).
  const numRanges = new Map<string, Map<string, [number, number]>>();
  for (let s = 0; s < samples.length; s++) {
    // A filtered profile's dropped samples are empty ranges.
    if (stacks && stacks.stackEnd[s]! <= stacks.stackStart[s]!) continue;
    const v = values[s]!;
    for (let r = samples.labelStart[s]!; r < samples.labelStart[s + 1]!; r++) {
      const key = strings[labels.key[r]!]!;
      let name: string;
      if (labels.str[r] !== 0) name = strings[labels.str[r]!]!;
      else {
        const unit = units.get(key) ?? '';
        const cacheKey = `${labels.num[r]}\0${unit}`;
        let n = numNames.get(cacheKey);
        if (n === undefined) numNames.set(cacheKey, (n = formatScaled(labels.num[r]!, unit, 'minimum')));
        name = n;
        const num = labels.num[r]!;
        let byName = numRanges.get(key);
        if (!byName) numRanges.set(key, (byName = new Map()));
        const range = byName.get(name);
        if (!range) byName.set(name, [num, num]);
        else if (num < range[0]) range[0] = num;
        else if (num > range[1]) range[1] = num;
      }
      let m = byKey.get(key);
      if (!m) byKey.set(key, (m = new Map()));
      m.set(name, (m.get(name) ?? 0) + v);
    }
  }
  const keys: TagKey[] = [...byKey.keys()].sort().map((key) => {
    const m = byKey.get(key)!;
    const ranges = numRanges.get(key);
    let total = 0;
    const list: TagValue[] = [];
    for (const [name, value] of m) {
      total += value;
      const range = ranges?.get(name);
      list.push(range ? { name, value, numMin: range[0], numMax: range[1] } : { name, value });
    }
    list.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return ranges ? { key, total, values: list, unit: units.get(key) ?? '' } : { key, total, values: list };
  });
  return { sampleUnit: profile.sampleTypes[sampleIndex]?.unit ?? '', keys };
}

/** Go's %.1f: on an exact binary tie (x·4 odd) Go rounds to even where JavaScript rounds away from zero. */
export function formatFixed1(x: number): string {
  const quarters = x * 4;
  if (Number.isInteger(quarters) && quarters % 2 !== 0 && Math.abs(x) < 2 ** 40) {
    const f = Math.floor(x * 10);
    const even = f % 2 === 0 ? f : f + 1;
    return (even / 10).toFixed(1);
  }
  return x.toFixed(1);
}

/** A tag total as pprof's -tags prints it: scaled to the 'minimum' unit, one decimal (`3000.0`, `5.7s`). */
export function formatTagAmount(value: number, unit: string): string {
  const [v, u] = scaleValue(value, unit, 'minimum');
  return `${formatFixed1(v)}${u}`;
}

/** A label value with its amount and percentage of the key's total as pprof's -tags prints them (trimmed). */
export interface FormattedTagValue extends TagValue {
  valueText: string;
  /** '' when the key's total is not positive (pprof then prints no percentage). */
  percentText: string;
}

/** A label key with its total as pprof prints it, and its formatted values. */
export interface FormattedTagKey extends Omit<TagKey, 'values'> {
  totalText: string;
  values: FormattedTagValue[];
}

/** The report's numbers as the text of `go tool pprof -tags` (same code as formatTagsText), per cell. */
export function formatTagKeys(report: TagsReport): FormattedTagKey[] {
  return report.keys.map((k) => ({
    ...k,
    totalText: formatTagAmount(k.total, report.sampleUnit),
    values: k.values.map((t) => ({
      ...t,
      valueText: formatTagAmount(t.value, report.sampleUnit),
      percentText: k.total > 0 ? formatPercent(t.value, k.total).trim() : '',
    })),
  }));
}

/** The report as `go tool pprof -tags` prints it (one string per line, through Go's right-aligning tabwriter). */
export function formatTagsText(report: TagsReport): string[] {
  const rows: string[][] = [];
  for (const k of report.keys) {
    rows.push([`${k.key}:`, ` Total ${formatTagAmount(k.total, report.sampleUnit)}`]);
    for (const t of k.values) {
      const amount = formatTagAmount(t.value, report.sampleUnit);
      if (k.total > 0) rows.push([' ', `${amount} (${formatPercent(t.value, k.total)}):`, ` ${t.name}`]);
      else rows.push([' ', `${amount}:`, ` ${t.name}`]);
    }
    rows.push(['']);
  }
  return alignRight(rows, 1);
}

/**
 * Go's text/tabwriter with AlignRight, minwidth 0 and `padding`: every cell but a line's last is a column
 * cell; a column's width is set per block of consecutive lines that have that column.
 */
export function alignRight(rows: string[][], padding: number): string[] {
  const out = rows.map(() => '');
  const widths: number[] = [];
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = rows[i]!;
      let line = '';
      cells.forEach((c, j) => {
        if (j < cells.length - 1 && j < widths.length) line += c.padStart(widths[j]!);
        else line += c;
      });
      out[i] = line;
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= rows[i]!.length - 1) continue;
      writeLines(line0, i);
      line0 = i;
      let width = 0;
      for (; i < line1 && column < rows[i]!.length - 1; i++) width = Math.max(width, rows[i]![column]!.length + padding);
      widths.push(width);
      format(line0, i);
      widths.pop();
      line0 = i;
      i--;
    }
    writeLines(line0, line1);
  };
  format(0, rows.length);
  return out;
}
