// The report total pprof divides by: Σ|value|, or only the base's samples in a -diff_base profile.

import type { Profile } from '../profile/model';

/** Label key pprof puts on the base's samples of a -diff_base comparison. */
export const DIFF_BASE_LABEL = 'pprof::base';

/** pprof's computeTotal for one sample type. */
export function computeTotal(profile: Profile, sampleIndex: number): number {
  const { samples, labels, strings } = profile;
  const values = samples.values[sampleIndex]!;
  const baseKey = strings.indexOf(DIFF_BASE_LABEL);
  let total = 0;
  let diffTotal = 0;
  for (let s = 0; s < samples.length; s++) {
    const v = Math.abs(values[s]!);
    total += v;
    if (baseKey > 0) {
      for (let l = samples.labelStart[s]!; l < samples.labelStart[s + 1]!; l++) {
        if (labels.key[l] === baseKey) {
          diffTotal += v;
          break;
        }
      }
    }
  }
  return diffTotal > 0 ? diffTotal : total;
}
