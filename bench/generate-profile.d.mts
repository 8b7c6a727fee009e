// Types of generate-profile.mjs for the TypeScript tests that build a large profile with it.

export interface BuildProfileOptions {
  kind?: 'heap' | 'cpu';
  samples?: number;
  functions?: number;
  locations?: number;
  seed?: number;
}

/** The profile bytes (uncompressed profile.proto), the same for the same options. */
export function buildProfile(options?: BuildProfileOptions): Uint8Array;
