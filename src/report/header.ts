// The header lines pprof prints above a report: File, Build ID, comments, Type, Time, Duration.

import { baseName } from '../graph/nodes';
import type { Profile } from '../profile/model';
import { formatPercent, formatScaled, scaleValue } from './units';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's `Jan 2, 2006 at 3:04pm (MST)` layout, in UTC. */
export function formatProfileTime(timeNanos: number): string {
  const d = new Date(Math.floor(timeNanos / 1e6));
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} at ${h12}:${mm}${h < 12 ? 'am' : 'pm'} (UTC)`;
}

export interface HeaderOptions {
  sampleIndex: number;
  /** Total of the report (Σ|value|), in sample units. */
  total: number;
  /** Formats a value in the report's output unit. */
  formatValue: (v: number) => string;
}

/** pprof's ProfileLabels for one sample type. */
export function buildProfileLabels(profile: Profile, options: HeaderOptions): string[] {
  const out: string[] = [];
  const { mappings, strings } = profile;
  if (mappings.length > 0) {
    const file = strings[mappings.filename[0]!]!;
    const buildId = strings[mappings.buildId[0]!]!;
    if (file !== '') out.push(`File: ${baseName(file)}`);
    if (buildId !== '') out.push(`Build ID: ${buildId}`);
  }
  for (const c of profile.comments) if (!c.startsWith('#')) out.push(c);
  const type = profile.sampleTypes[options.sampleIndex];
  if (type && type.type !== '') out.push(`Type: ${type.type}`);
  if (profile.timeNanos !== 0) out.push(`Time: ${formatProfileTime(profile.timeNanos)}`);
  if (profile.durationNanos !== 0) {
    const duration = formatScaled(profile.durationNanos, 'nanoseconds', 'auto');
    const [totalNanos, totalUnit] = scaleValue(options.total, type?.unit ?? '', 'nanoseconds');
    let ratio = '';
    if (totalUnit === 'ns' && totalNanos !== 0) ratio = `(${formatPercent(Math.trunc(totalNanos), profile.durationNanos)})`;
    out.push(`Duration: ${duration}, Total samples = ${options.formatValue(options.total)} ${ratio}`);
  }
  return out;
}
