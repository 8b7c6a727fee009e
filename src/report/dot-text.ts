// Text pieces of pprof's DOT output: short multi-line node names, node colours, and DOT string escaping.

import { baseName, type NodeInfo } from '../graph/nodes';

// pprof's name-shortening patterns (Java, Go, C++), as RE2 reads them; JavaScript's \w is the same ASCII class.
const JAVA = /^(?:[a-z]\w*\.)*([A-Z][\w$]*\.(?:<init>|[a-z][\w$]*(?:\$\d+)?))(?:\(|$)/;
const GO = /^(?:[\w\-.]+\/)+(.+)/;
const GO_VERSION = /^(.*?)\/v(?:[2-9]|[1-9][0-9]+)([./].*)$/;
const CPP = /^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)/;
const CPP_ANONYMOUS = /^\(anonymous namespace\)::/;

/** pprof's ShortenFunctionName: package paths, Java packages and C++ namespaces removed. */
export function shortenFunctionName(name: string): string {
  let f = name.replace(CPP_ANONYMOUS, '');
  f = f.replace(GO_VERSION, '$1$2');
  for (const re of [GO, JAVA, CPP]) {
    const m = re.exec(f);
    if (m && m.length >= 2) return m.slice(1).join('');
  }
  return f;
}

/**
 * Escapes text for a DOT double-quoted string: backslashes and quotes get a backslash, a newline becomes
 * DOT's `\n`. (pprof's 2022 DOT printed names raw; no name in the oracles holds these characters.)
 */
export function escapeDot(text: string): string {
  return text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/**
 * pprof's multilinePrintableName, escaped for DOT: the short name split at `.` and `::`, then the file's
 * base name (with the line) or the binary, each component on its own line (`\n`), ending with `\n`.
 */
export function formatMultilineName(info: NodeInfo): string {
  const parts: string[] = [];
  if (info.address !== 0) parts.push(info.address.toString(16).padStart(16, '0'));
  const name = escapeDot(shortenFunctionName(info.name)).replaceAll('::', '\\n').replaceAll('.', '\\n');
  if (name !== '') parts.push(name);
  const file = info.file !== '' ? escapeDot(baseName(info.file)) : '';
  if (info.lineno !== 0) parts.push(`${file}:${info.lineno}`);
  else if (file !== '') parts.push(file);
  else if (info.name !== '') {
    // The name alone.
  } else if (info.objfile !== '') parts.push(`[${escapeDot(baseName(info.objfile))}]`);
  else parts.push('<unknown>');
  return `${parts.join('\\n')}\\n`;
}

const hex2 = (x: number) => Math.trunc(x * 255).toString(16).padStart(2, '0');

/**
 * pprof's dotColor: a score in [-1, 1] (clamped) to a colour, red for positive, green for negative, grey
 * near 0 (|score| < 0.2 fades the saturation); `background` gives the light fill colour.
 */
export function formatDotColor(score: number, background: boolean): string {
  const shift = 0.7;
  let saturation = background ? 0.1 : 1.0;
  const value = background ? 0.93 : 0.7;
  score = Math.max(-1, Math.min(1, score));
  if (Math.abs(score) < 0.2) saturation *= Math.abs(score) / 0.2;
  if (score > 0) score = Math.pow(score, 1 - shift);
  if (score < 0) score = -Math.pow(-score, 1 - shift);
  let r: number;
  let g: number;
  if (score < 0) {
    g = value;
    r = value * (1 + saturation * score);
  } else {
    r = value;
    g = value * (1 - saturation * score);
  }
  const b = value * (1 - saturation);
  return `#${hex2(r)}${hex2(g)}${hex2(b)}`;
}
