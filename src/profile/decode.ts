// Turns the bytes of a dropped file into a Profile: empty check, gzip sniff, protobuf, legacy and text forms, clear errors.

import { ProfileError } from './errors';
import { DEFAULT_MAX_INFLATED_BYTES, inflateGzipChunks, isGzip, readBlobBytes, readBlobGzipSizeHint, readGzipSizeHint, type GzipInflater } from './inflate';
import type { Profile } from './model';
import { decodeProfileProto, ProfileProtoDecoder, WholeInputNeeded } from './decode-proto';
import { GoroutineDumpParser, isGoroutineDump, type GoroutineDump } from './goroutine-dump';
import { buildGoroutineProfile } from './goroutine-profile';
import { isGoCountText, parseGoCountText } from './go-count-text';
import { decodeLegacyProfile, detectLegacyFormat } from './legacy';

export interface DecodeOptions {
  maxInflatedBytes?: number;
  /** Progress of the whole decode, 0..1, with the step being done. */
  onProgress?: (fraction: number, step: 'inflate' | 'decode') => void;
  usePako?: boolean;
  /** Told the size of the protobuf bytes once known (after gunzip). */
  onInflated?: (bytes: number) => void;
  /** Inflates gzip input; default in this thread. The engine passes one that runs in another worker. */
  inflate?: GzipInflater;
}

/** A decoded file: its profile, and the goroutine dump it was made from when it was one (`?debug=2`, a crash). */
export interface DecodedFile {
  profile: Profile;
  goroutineDump: GoroutineDump | null;
}

/** Decodes a pprof file (gzip-compressed or not). Throws ProfileError with a readable message. */
export async function decodeProfile(input: Uint8Array | Blob, options: DecodeOptions = {}): Promise<Profile> {
  return (await decodeProfileFile(input, options)).profile;
}

/**
 * As decodeProfile, keeping the goroutine dump of a text dump for the goroutine reports. A Blob (a File) is
 * read here: gzip streams from it into the inflater as it is read (no wait for the whole file), anything
 * else is read whole first.
 */
export async function decodeProfileFile(input: Uint8Array | Blob, options: DecodeOptions = {}): Promise<DecodedFile> {
  const size = input instanceof Blob ? input.size : input.length;
  if (size === 0) throw new ProfileError('empty', 'The file is empty (0 bytes): there is no profile in it.');
  const gzip = isGzip(input instanceof Blob ? await readBlobBytes(input.slice(0, 2)) : input);
  let bytes: Uint8Array;
  let inflateShare = 0;
  if (!gzip) bytes = input instanceof Blob ? await readBlobBytes(input) : input;
  else {
    let inflated;
    const maxBytes = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
    const sizeHint = input instanceof Blob ? await readBlobGzipSizeHint(input, maxBytes) : readGzipSizeHint(input, maxBytes);
    // The inflater may move the bytes elsewhere and give them back: a retry reads them from here.
    const source = { bytes: input, sizeHint };
    try {
      inflated = await inflateAndDecode(source, options, false);
    } catch (e) {
      // A rare legal order (sample types after samples) needs the inflated bytes held whole: once more.
      if (!(e instanceof WholeInputNeeded)) throw e;
      inflated = await inflateAndDecode(source, options, true);
    }
    if (inflated.profile) {
      options.onInflated?.(inflated.inflatedBytes);
      return { profile: checkNotEmpty(inflated.profile, inflated.bytes), goroutineDump: null };
    }
    bytes = inflated.bytes;
    inflateShare = 0.4;
  }
  options.onInflated?.(bytes.length);
  const textHead = looksLikeText(bytes) ? new TextDecoder().decode(bytes.subarray(0, DUMP_SNIFF_BYTES)) : null;
  const legacy = detectLegacyFormat(bytes, textHead ?? legacySniffHead(bytes));
  if (legacy !== null) {
    const profile = decodeLegacyProfile(bytes, legacy);
    options.onProgress?.(1, 'decode');
    return { profile, goroutineDump: null };
  }
  if (textHead !== null && isGoCountText(textHead)) {
    options.onProgress?.(1, 'decode');
    return { profile: parseGoCountText(new TextDecoder().decode(bytes)), goroutineDump: null };
  }
  if (textHead !== null && isGoroutineDump(textHead)) {
    const goroutineDump = decodeGoroutineDump(bytes, (f) => options.onProgress?.(inflateShare + f * (1 - inflateShare), 'decode'));
    return { profile: buildGoroutineProfile(goroutineDump), goroutineDump };
  }
  try {
    const profile = decodeProfileProto(bytes, {
      onProgress: (f) => options.onProgress?.(inflateShare + f * (1 - inflateShare), 'decode'),
    });
    return { profile: checkNotEmpty(profile, bytes), goroutineDump: null };
  } catch (e) {
    throw explain(e, bytes);
  }
}

/** A protobuf that decodes to nothing at all is not a profile. */
function checkNotEmpty(profile: Profile, bytes: Uint8Array): Profile {
  if (profile.sampleTypes.length === 0 && profile.samples.length === 0 && profile.strings.length <= 1) throw notAProfile(bytes);
  return profile;
}

/** A decode error on bytes that are text is better told as "not a profile". */
function explain(e: unknown, head: Uint8Array): unknown {
  if (e instanceof ProfileError && e.code !== 'not-a-profile' && looksLikeText(head)) {
    return notAProfile(head);
  }
  return e;
}

/**
 * Inflates gzip input and, when it holds protobuf, decodes it while it streams (the first inflated bytes
 * decide; text forms are collected whole for their own parsers). Returns the profile, or the text bytes.
 */
async function inflateAndDecode(
  source: { bytes: Uint8Array | Blob; sizeHint: number },
  options: DecodeOptions,
  keepAll: boolean,
): Promise<{ profile: Profile; bytes: Uint8Array; inflatedBytes: number } | { profile: null; bytes: Uint8Array }> {
  const input = source.bytes;
  const maxBytes = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const sizeHint = source.sizeHint;
  // `head` keeps the first KiB (for messages); the first chunk sets either decoder or text. A decode error
  // is held while the rest inflates (still capped): a bomb or a truncated gzip is the better answer.
  const st: { decoder: ProfileProtoDecoder | null; text: Uint8Array[] | null; head: Uint8Array; error: unknown } = {
    decoder: null,
    text: null,
    head: new Uint8Array(0),
    error: null,
  };
  const sink = (chunk: Uint8Array) => {
    if (st.error) return;
    if (!st.decoder && !st.text) {
      st.head = chunk.slice(0, 1024);
      // Text and legacy binary CPU profiles are collected whole for their own readers.
      if (looksLikeText(chunk) || detectLegacyFormat(chunk, legacySniffHead(chunk)) !== null) st.text = [];
      else st.decoder = new ProfileProtoDecoder({ expectedBytes: sizeHint, keepAll });
    }
    if (st.text) st.text.push(chunk.slice());
    else {
      try {
        st.decoder!.push(chunk);
      } catch (e) {
        st.error = e;
        st.decoder = null;
      }
    }
  };
  try {
    const back = await (options.inflate ?? inflateGzipChunks)(input, sink, {
      maxBytes,
      usePako: options.usePako,
      onProgress: (f) => options.onProgress?.(f * 0.95, 'inflate'),
    });
    if (back) source.bytes = back;
  } catch (e) {
    throw explain(e, st.head);
  }
  if (st.error) throw explain(st.error, st.head);
  if (st.text) return { profile: null, bytes: concat(st.text) };
  if (!st.decoder) throw new ProfileError('empty', 'The file inflates to nothing: there is no profile in it.');
  try {
    const profile = st.decoder.finish();
    options.onProgress?.(1, 'decode');
    return { profile, bytes: st.head, inflatedBytes: st.decoder.byteLength };
  } catch (e) {
    throw explain(e, st.head);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The start of a file that failed the text test, decoded leniently: a legacy text profile with a few bytes
 * that are not UTF-8 (a Latin-1 name in a Java symbol) is still recognised by its header.
 */
function legacySniffHead(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(0, 4096));
}

/** How much of a text file is searched for a `goroutine N [state]:` line (crash output may come first). */
const DUMP_SNIFF_BYTES = 64 * 1024;
const DUMP_CHUNK_BYTES = 1 << 20;

/** Reads a goroutine dump in 1 MiB pieces through the streaming parser. */
function decodeGoroutineDump(bytes: Uint8Array, onProgress: (fraction: number) => void): GoroutineDump {
  const decoder = new TextDecoder();
  const parser = new GoroutineDumpParser();
  for (let at = 0; at < bytes.length; at += DUMP_CHUNK_BYTES) {
    const end = Math.min(bytes.length, at + DUMP_CHUNK_BYTES);
    parser.push(decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length }));
    onProgress(end / bytes.length);
  }
  const dump = parser.finish();
  if (dump.goroutines.length === 0) throw new ProfileError('not-a-profile', 'This text has a goroutine header but no goroutine could be read from it.');
  return dump;
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

/** True when the first KiB is valid UTF-8 made of printable characters, tabs and newlines. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  if (head.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return control <= text.length * 0.02;
}
