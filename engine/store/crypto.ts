/**
 * Authenticated encryption of small blobs (account credentials) with AES-256-GCM.
 *
 * Sealed layout, version 1 (all fixed-size except the ciphertext):
 *
 *     [0]       version byte, 0x01
 *     [1..12]   IV, 12 random bytes, fresh for every seal
 *     [13..28]  GCM authentication tag, 16 bytes
 *     [29..]    ciphertext (same length as the plaintext)
 *
 * The version byte lets a later release change algorithm or layout while still opening old rows.
 * Callers bind context (e.g. the row's identity) as additional authenticated data so a sealed value
 * only opens where it was written: moving it to another row fails authentication.
 */

import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

export const SEAL_VERSION = 0x01;
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const ALGORITHM = 'aes-256-gcm';

/** Opening failed. Deliberately carries no detail beyond the reason: never key or data bytes. */
export class SealError extends Error {
  readonly reason: 'malformed' | 'unknown-version' | 'authentication-failed';

  constructor(reason: SealError['reason']) {
    super(`sealed data cannot be opened (${reason})`);
    this.name = 'SealError';
    this.reason = reason;
  }
}

function assertKey(key: KeyObject): void {
  // A wrong-sized key would make createCipheriv throw a message that is fine, but failing here
  // names the actual contract.
  if (key.type !== 'secret' || key.symmetricKeySize !== KEY_BYTES) {
    throw new TypeError(`encryption key must be a ${KEY_BYTES}-byte secret KeyObject`);
  }
}

/** Encrypt `plaintext`, binding `aad`. Returns the versioned layout described above. */
export function seal(key: KeyObject, plaintext: Uint8Array, aad: Uint8Array | string): Buffer {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(SEAL_VERSION), iv, cipher.getAuthTag(), ciphertext]);
}

/** Decrypt and authenticate a value produced by `seal` with the same key and `aad`. */
export function open(key: KeyObject, sealed: Uint8Array, aad: Uint8Array | string): Buffer {
  assertKey(key);
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (buf.length < HEADER_BYTES) throw new SealError('malformed');
  if (buf[0] !== SEAL_VERSION) throw new SealError('unknown-version');
  const iv = buf.subarray(1, 1 + IV_BYTES);
  const tag = buf.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(buf.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    // GCM reports every failure (wrong key, wrong AAD, flipped bit) the same way; so do we.
    throw new SealError('authentication-failed');
  }
}
