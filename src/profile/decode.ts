// Turns the bytes of a dropped file into a Profile: empty check, gzip sniff, protobuf decode, clear errors.

import { ProfileError } from './errors';
import { inflateGzip, isGzip } from './inflate';
import type { Profile } from './model';
import { decodeProfileProto } from './decode-proto';

export interface DecodeOptions {
  maxInflatedBytes?: number;
  /** Progress of the whole decode, 0..1, with the step being done. */
  onProgress?: (fraction: number, step: 'inflate' | 'decode') => void;
  usePako?: boolean;
  /** Told the size of the protobuf bytes once known (after gunzip). */
  onInflated?: (bytes: number) => void;
}

/** Decodes a pprof file (gzip-compressed or not). Throws ProfileError with a readable message. */
export async function decodeProfile(input: Uint8Array, options: DecodeOptions = {}): Promise<Profile> {
  if (input.length === 0) throw new ProfileError('empty', 'The file is empty (0 bytes): there is no profile in it.');
  let bytes = input;
  let inflateShare = 0;
  if (isGzip(input)) {
    inflateShare = 0.4;
    bytes = await inflateGzip(input, {
      maxBytes: options.maxInflatedBytes,
      onProgress: (f) => options.onProgress?.(f * inflateShare, 'inflate'),
      usePako: options.usePako,
    });
    if (bytes.length === 0) throw new ProfileError('empty', 'The file inflates to nothing: there is no profile in it.');
  }
  options.onInflated?.(bytes.length);
  try {
    const profile = decodeProfileProto(bytes, {
      onProgress: (f) => options.onProgress?.(inflateShare + f * (1 - inflateShare), 'decode'),
    });
    if (profile.sampleTypes.length === 0 && profile.samples.length === 0 && profile.strings.length <= 1) {
      throw notAProfile(bytes);
    }
    return profile;
  } catch (e) {
    if (e instanceof ProfileError && e.code !== 'not-a-profile' && looksLikeText(bytes)) throw notAProfile(bytes);
    throw e;
  }
}

function notAProfile(bytes: Uint8Array): ProfileError {
  if (looksLikeText(bytes)) {
    const firstLine = new TextDecoder().decode(bytes.subarray(0, 120)).split('\n')[0]!.trim();
    return new ProfileError(
      'not-a-profile',
      `Not a pprof profile: this is a text file (it starts with "${firstLine.slice(0, 60)}"), not profile.proto data.`,
    );
  }
  return new ProfileError('not-a-profile', 'Not a pprof profile: the file holds no sample types, samples or strings.');
}

/** True when the first KiB is printable ASCII/UTF-8 text (tabs and newlines allowed). */
export function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1024);
  if (n === 0) return false;
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc0) printable++;
  }
  return printable / n > 0.95;
}
