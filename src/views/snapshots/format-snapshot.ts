// Texts the snapshot library shows: sizes, profile times, durations, storage use.

/** Bytes in 1024s with one decimal: 0 B, 980 B, 12.3 kB, 55.0 MB, 1.2 GB. */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A time in ms since the epoch as local `YYYY-MM-DD HH:MM:SS`. */
export function formatLocalTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A profile's duration_nanos as seconds (`5.14s`), '' when the profile has none. */
export function formatDuration(nanos: number): string {
  return nanos > 0 ? `${(nanos / 1e9).toFixed(2)}s` : '';
}

/** "2.0 MB of 1.2 GB used (0.2%)". */
export function formatStorageUse(usage: number, quota: number): string {
  const percent = quota > 0 ? (usage / quota) * 100 : 0;
  return `${formatByteSize(usage)} of ${formatByteSize(quota)} used (${percent < 0.1 && usage > 0 ? '<0.1' : percent.toFixed(1)}%)`;
}
