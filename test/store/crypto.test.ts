import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IV_BYTES, SEAL_VERSION, SealError, TAG_BYTES, open, seal } from '../../engine/store/crypto.js';

const key = createSecretKey(randomBytes(32));
const text = Buffer.from('{"token":"s3cr3t-value"}');

function openError(fn: () => unknown): SealError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SealError);
    return err as SealError;
  }
  throw new Error('expected open to fail');
}

describe('seal / open', () => {
  it('round-trips and uses the documented layout', () => {
    const sealed = seal(key, text, 'row-1');
    expect(sealed[0]).toBe(SEAL_VERSION);
    expect(sealed.length).toBe(1 + IV_BYTES + TAG_BYTES + text.length);
    expect(sealed.includes(text)).toBe(false);
    expect(open(key, sealed, 'row-1').equals(text)).toBe(true);
  });

  it('uses a fresh IV every time', () => {
    const a = seal(key, text, 'row-1');
    const b = seal(key, text, 'row-1');
    expect(a.subarray(1, 1 + IV_BYTES).equals(b.subarray(1, 1 + IV_BYTES))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('fails on different AAD, a different key, or any flipped bit', () => {
    const sealed = seal(key, text, 'row-1');
    expect(openError(() => open(key, sealed, 'row-2')).reason).toBe('authentication-failed');
    expect(openError(() => open(createSecretKey(randomBytes(32)), sealed, 'row-1')).reason).toBe(
      'authentication-failed',
    );
    for (const at of [1, 1 + IV_BYTES, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at] ^= 0x01;
      expect(openError(() => open(key, tampered, 'row-1')).reason).toBe('authentication-failed');
    }
  });

  it('rejects unknown versions and truncated input', () => {
    const sealed = seal(key, text, 'a');
    const future = Buffer.from(sealed);
    future[0] = 0x02;
    expect(openError(() => open(key, future, 'a')).reason).toBe('unknown-version');
    expect(openError(() => open(key, sealed.subarray(0, 10), 'a')).reason).toBe('malformed');
  });

  it('accepts only 32-byte keys', () => {
    expect(() => seal(createSecretKey(randomBytes(16)), text, 'a')).toThrow(/32-byte/);
  });
});
