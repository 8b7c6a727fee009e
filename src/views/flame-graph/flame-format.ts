// What a flame frame's tooltip and details say, every number formatted by src/report as pprof prints it.

import type { FlameView } from '../../engine-client/client';
import { formatPercent, formatScaled } from '../../report/units';
import { findNodeIndex, formatFrameName } from './flame-layout';

/** A frame described in text: names, location, and values with pprof's units and percentages. */
export interface FrameDescription {
  name: string;
  /** The function name (functions granularity, as the top table shows it), '' for root / other. */
  fn: string;
  /** `file:line` (the function's start line) or the file, '' when unknown. */
  location: string;
  /** This frame's value (its box width), of the total and of its parent. */
  cum: string;
  cumPercent: string;
  parentPercent: string;
  self: string;
  /** The signed sum of the frame's samples: in a diff, the net change (pprof's new − base). */
  net: string;
  /** The function's flat and cum over the whole profile (the top table's numbers), '' for root / other. */
  functionFlat: string;
  functionCum: string;
  functionCumPercent: string;
}

const trimPercent = (value: number, total: number) => (total === 0 ? '0%' : formatPercent(value, total).trim());

/** Describes frame `frame` of `view`. */
export function describeFrame(view: FlameView, frame: number): FrameDescription {
  const fmt = (v: number) => formatScaled(v, view.sampleUnit, view.outputUnit);
  const value = view.value[frame]!;
  const parent = view.parent[frame]!;
  const node = view.node[frame]!;
  const i = node >= 0 ? findNodeIndex(view, node) : -1;
  const file = i >= 0 ? view.nodeFile[i]! : '';
  const line = i >= 0 ? view.nodeLine[i]! : 0;
  return {
    name: formatFrameName(view, frame),
    fn: i >= 0 ? view.nodeFunction[i]! : '',
    location: file === '' ? '' : line > 0 ? `${file}:${line}` : file,
    cum: fmt(value),
    cumPercent: trimPercent(value, view.total),
    parentPercent: parent >= 0 ? trimPercent(value, view.value[parent]!) : '100%',
    self: fmt(view.self[frame]!),
    net: fmt(view.net[frame]!),
    functionFlat: i >= 0 ? fmt(view.nodeFlat[i]!) : '',
    functionCum: i >= 0 ? fmt(view.nodeCum[i]!) : '',
    functionCumPercent: i >= 0 ? trimPercent(view.nodeCum[i]!, view.total) : '',
  };
}

/** "Matched 12.5MB of 100MB (12.50%)" for a search share. */
export function formatMatchedShare(view: FlameView, value: number, total: number): string {
  const fmt = (v: number) => formatScaled(v, view.sampleUnit, view.outputUnit);
  return `${fmt(value)} of ${fmt(total)} (${trimPercent(value, total)})`;
}
