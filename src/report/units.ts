// Numbers and units exactly as pprof's measurement package prints them.

interface Unit {
  name: string;
  aliases: string[];
  factor: number;
}
interface UnitType {
  units: Unit[];
  defaultUnit: Unit;
}

const UNIT_TYPES: UnitType[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: { name: 's', aliases: [], factor: 1e9 },
  },
  {
    units: [
      { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { name: 'GCU', aliases: ['gcu'], factor: 1 },
      { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    defaultUnit: { name: 'GCU', aliases: [], factor: 1 },
  },
];

function sniffUnit(type: UnitType, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return type.units.find((x) => x.aliases.includes(u));
}

function convertUnit(type: UnitType, value: number, from: string, to: string): [number, string] | null {
  const fromUnit = sniffUnit(type, from);
  if (!fromUnit) return null;
  const v = value * fromUnit.factor;
  if (to === 'minimum' || to === 'auto') {
    let f = 0;
    let name = '';
    for (const u of type.units) {
      if (u.factor >= f && v / u.factor >= 1) {
        f = u.factor;
        name = u.name;
      }
    }
    if (f !== 0) return [v / f, name];
    return [v / type.defaultUnit.factor, type.defaultUnit.name];
  }
  const toUnit = sniffUnit(type, to);
  if (!toUnit) return [v / type.defaultUnit.factor, type.defaultUnit.name];
  return [v / toUnit.factor, toUnit.name];
}

/** pprof's measurement.Scale: the value in `toUnit` ('minimum'/'auto' pick one) and the unit's short name. */
export function scaleValue(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scaleValue(-value, fromUnit, toUnit);
    return [-v, u];
  }
  for (const type of UNIT_TYPES) {
    const r = convertUnit(type, value, fromUnit, toUnit);
    if (r) return r;
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

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
