/**
 * The one error type the store throws on purpose.
 *
 * Messages are written for operators and are safe to log: they name files, environment variables,
 * account ids and field paths, never a key, a credential value or an API key.
 */

export type StoreErrorCode =
  /** A secret key value (option, env var or key file) is not 32 bytes as base64 or hex. */
  | 'INVALID_SECRET_KEY'
  /** The key file exists but group/other can read it. */
  | 'KEY_FILE_INSECURE'
  /** The database holds encrypted data but no key was configured and no key file exists. */
  | 'SECRET_KEY_MISSING'
  /** The configured key is not the one the database was encrypted with. */
  | 'SECRET_KEY_MISMATCH'
  /** One account's credentials failed authentication (wrong key, tampering, or a row swap). */
  | 'DECRYPT_FAILED'
  /** A caller passed something the store does not accept (not a plain JSON object, bad name...). */
  | 'INVALID_INPUT'
  /** The database was written by a newer unimap; migrations only go forward. */
  | 'SCHEMA_TOO_NEW'
  /** A method was called after `close()`. */
  | 'CLOSED';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
