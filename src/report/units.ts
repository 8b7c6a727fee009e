// Numbers and units exactly as pprof's measurement package prints them.

import { scaleValue } from '../profile/units';

export { scaleValue };

/**
 * Go's %.2f. Both round the exact binary value, but on an exact tie JS rounds away from zero and Go to
 * even. A double is an exact tie at two decimals only when x·8 is an odd integer (x = …125, …375, …).
 */
export function formatFixed2(x: number): string {
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 !== 0 && Math.abs(x) < 2 ** 40) {
    const f = Math.floor(x * 100);
    const even = f % 2 === 0 ? f : f + 1;
    return (even / 100).toFixed(2);
  }
  return x.toFixed(2);
}

/** pprof's measurement.ScaledLabel: `%.2f` with a trailing `.00` dropped, then the unit. */
export function formatScaled(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scaleValue(value, fromUnit, toUnit);
  let s = formatFixed2(v);
  if (s.endsWith('.00')) s = s.slice(0, -3);
  if (s === '0' || s === '-0') return '0';
  return s + u;
}

/** Go's %.2g (two significant digits, trailing zeros removed, exponent for tiny/huge values). */
export function formatG2(x: number): string {
  if (x === 0) return '0';
  const [mant, expText] = x.toExponential(1).split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 2) {
    const m = mant.replace(/\.?0+$/, '');
    const sign = exp < 0 ? '-' : '+';
    return `${m}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, 1 - exp));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** pprof's measurement.Percentage: `  100%` near 100, `%5.2f%%` from 1 %, `%5.2g%%` below. */
export function formatPercent(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${formatFixed2(ratio).padStart(5)}%`;
  return `${formatG2(ratio).padStart(5)}%`;
}

/**
 * pprof's selectOutputUnit: the unit of the smallest non-zero node value, moved up one step when the
 * total needs a bigger unit and the minimum is under 1 % of it.
 */
export function selectOutputUnit(minValue: number, total: number, sampleUnit: string): string {
  const min = minValue === 0 ? total : minValue;
  const [, minUnit] = scaleValue(min, sampleUnit, 'minimum');
  const [, maxUnit] = scaleValue(total, sampleUnit, 'minimum');
  let unit = minUnit;
  if (minUnit !== maxUnit && min * 100 < total) [, unit] = scaleValue(100 * min, sampleUnit, 'minimum');
  return unit !== '' ? unit : sampleUnit;
}
