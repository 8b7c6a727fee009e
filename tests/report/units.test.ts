// pprof's number formatting, case by case (expected texts are Go's fmt output for the same inputs).

import { describe, expect, it } from 'vitest';
import { formatFixed2, formatG2, formatPercent, formatScaled, selectOutputUnit } from '../../src/report/units';
import { formatProfileTime } from '../../src/report/header';

describe('formatG2 (Go %.2g)', () => {
  it.each([
    [0, '0'],
    [0.5, '0.5'],
    [0.098, '0.098'],
    [0.0059, '0.0059'],
    [0.00074, '0.00074'],
    [0.000096, '9.6e-05'],
    [0.0000054, '5.4e-06'],
    [0.99, '0.99'],
    [0.996, '1'],
  ])('%s → %s', (x, s) => expect(formatG2(x)).toBe(s));
});

describe('formatFixed2 (Go %.2f, ties to even)', () => {
  it.each([
    [0.125, '0.12'],
    [0.375, '0.38'],
    [-0.125, '-0.12'],
    [2.5, '2.50'],
    [233560.675, '233560.67'],
    [1.005, '1.00'],
    [37100.90625, '37100.91'],
  ])('%s → %s', (x, s) => expect(formatFixed2(x)).toBe(s));
});

describe('formatPercent (measurement.Percentage)', () => {
  it.each([
    [1, 1, '  100%'],
    [9995, 10000, '  100%'],
    [5, 100, ' 5.00%'],
    [1924, 1000, '192.40%'],
    [5, 1000, '  0.5%'],
    [-3, 100, ' 3.00%'],
    [0, 0, '    0%'],
  ])('%s of %s → %s', (v, t, s) => expect(formatPercent(v, t)).toBe(s));
});

describe('formatScaled and selectOutputUnit', () => {
  it.each([
    [37991328, 'bytes', 'kB', '37100.91kB'],
    [9437184, 'bytes', 'kB', '9216kB'],
    [1680000000, 'nanoseconds', 's', '1.68s'],
    [233560675, 'nanoseconds', 'us', '233560.67us'],
    [1230044, 'count', 'count', '1230044'],
    [0, 'bytes', 'MB', '0'],
    [-2048, 'bytes', 'kB', '-2kB'],
    [5140000000, 'nanoseconds', 'auto', '5.14s'],
    [7200e9, 'nanoseconds', 'auto', '2hrs'],
  ])('%s %s as %s → %s', (v, from, to, s) => expect(formatScaled(v, from, to)).toBe(s));

  it('picks the smallest value’s unit, one step up when under 1 % of the total', () => {
    expect(selectOutputUnit(6200, 105572376, 'bytes')).toBe('kB');
    expect(selectOutputUnit(10000000, 9890000000, 'nanoseconds')).toBe('s');
    expect(selectOutputUnit(3, 930, 'count')).toBe('count');
    expect(selectOutputUnit(500, 600, 'bytes')).toBe('B');
  });
});

describe('formatProfileTime', () => {
  it('prints Go’s "Jan 2, 2006 at 3:04pm (MST)" in UTC', () => {
    expect(formatProfileTime(Date.UTC(2026, 10, 22, 8, 13, 5) * 1e6)).toBe('Nov 22, 2026 at 8:13am (UTC)');
    expect(formatProfileTime(Date.UTC(2022, 1, 10, 16, 7) * 1e6)).toBe('Feb 10, 2022 at 4:07pm (UTC)');
    expect(formatProfileTime(Date.UTC(2021, 0, 1, 0, 5) * 1e6)).toBe('Jan 1, 2021 at 12:05am (UTC)');
  });
});
