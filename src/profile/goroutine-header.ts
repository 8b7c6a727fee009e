// One `goroutine N [state, M minutes, locked to thread]:` header line, in every form Go has printed.

/**
 * A goroutine header. `state` is verbatim (unknown states kept as they are); `waitMinutes` -1 when absent;
 * `extra` holds any other bracket parts joined by ", " ('' for none); `labels` is the labels text
 * (`{"k":"v"}`, Go 1.27+ `labels:{…}`) or ''; `fields` the Go 1.22+ `gp=… m=… mp=…` words as written.
 */
export interface GoroutineHeader {
  id: number;
  state: string;
  waitMinutes: number;
  locked: boolean;
  extra: string;
  labels: string;
  fields: string;
}

const MINUTES_RX = /^(\d+) minutes?$/;

/** Parses a header line, or returns null when the line is not one. */
export function parseGoroutineHeader(line: string): GoroutineHeader | null {
  // goroutine <id>[ gp=… m=… mp=…] [<bracket>][ labels]:
  if (!line.startsWith('goroutine ')) return null;
  let i = 10;
  const idStart = i;
  while (i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
  if (i === idStart) return null;
  const id = Number(line.substring(idStart, i));
  const open = line.indexOf(' [', i);
  if (open < 0) return null;
  const fields = line.substring(i, open).trim();
  if (fields !== '' && !/^([a-z]+=\S+ ?)+$/.test(fields)) return null;
  // The bracket ends at the first `]` outside a quoted label string.
  let close = -1;
  let quoted = false;
  for (let j = open + 2; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (quoted) {
      if (c === 92 /* \ */) j++;
      else if (c === 34 /* " */) quoted = false;
    } else if (c === 34) quoted = true;
    else if (c === 93 /* ] */) {
      close = j;
      break;
    }
  }
  if (close < 0) return null;
  let tail = line.substring(close + 1);
  if (!tail.endsWith(':')) return null;
  tail = tail.slice(0, -1).trim();
  let bracket = line.substring(open + 2, close);
  let labels = '';
  const inside = bracket.includes('{') ? bracket.search(/(?:^|, )(?:labels:)?\{/) : -1;
  if (inside >= 0) {
    labels = bracket.substring(inside).replace(/^, /, '').replace(/^labels:/, '');
    bracket = bracket.substring(0, inside);
  }
  if (tail !== '') {
    if (!/^(?:labels:)?\{.*\}$/.test(tail)) return null;
    labels = tail.replace(/^labels:/, '');
  }
  // Most headers are a bare state (`[chan send]`): no split needed.
  if (!bracket.includes(', ')) return { id, state: bracket, waitMinutes: -1, locked: false, extra: '', labels, fields };
  const parts = bracket.split(', ');
  const state = parts[0]!;
  let waitMinutes = -1;
  let locked = false;
  const extra: string[] = [];
  for (let p = 1; p < parts.length; p++) {
    const part = parts[p]!;
    const m = MINUTES_RX.exec(part);
    if (m) waitMinutes = Number(m[1]);
    else if (part === 'locked to thread') locked = true;
    else extra.push(part);
  }
  return { id, state, waitMinutes, locked, extra: extra.join(', '), labels, fields };
}
