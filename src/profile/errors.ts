// Typed decode errors: every way a file can fail to be a profile has a code and a plain message.

export type ProfileErrorCode =
  | 'empty'
  | 'not-a-profile'
  | 'truncated-gzip'
  | 'gzip-bomb'
  | 'corrupt-protobuf'
  | 'invalid-profile'
  | 'too-large'
  | 'unreadable';

/** Thrown by the decoders; `message` is written for the person who dropped the file. */
export class ProfileError extends Error {
  readonly code: ProfileErrorCode;
  constructor(code: ProfileErrorCode, message: string) {
    super(message);
    this.name = 'ProfileError';
    this.code = code;
  }
}

export function isProfileError(e: unknown): e is ProfileError {
  return e instanceof ProfileError;
}
