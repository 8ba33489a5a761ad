/**
 * Response header lines as the engine records them: exactly what decoding every line (latin1, as
 * undici does) and lower-casing its name would give, repeated names joined with ", ", whatever the
 * bytes, and however often the same names come back (the name table must never answer wrongly).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerRecord } from '../../engine/runtime/transport.js';

function reference(raw: Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    if (name === '__proto__') continue;
    const value = raw[i + 1].toString('latin1');
    out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
  }
  return out;
}

// Names from a small alphabet collide in the table often; any byte may appear, capitals included.
const nameBytes = fc.oneof(
  fc.constantFrom('Content-Type', 'content-type', 'CONTENT-TYPE', 'X-Rate-Limit-Reset', 'Link', 'link', 'constructor', '__proto__', 'À-Ü', 'à-ü').map((s) => Buffer.from(s, 'latin1')),
  fc.uint8Array({ minLength: 0, maxLength: 6 }).map((a) => Buffer.from(a)),
  fc.array(fc.constantFrom(0x41, 0x61, 0x2d, 0xc0, 0xe0, 0x5f, 0x7f), { minLength: 1, maxLength: 4 }).map((a) => Buffer.from(a)),
);
const lines = fc.array(fc.tuple(nameBytes, fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a))), { maxLength: 12 }).map((pairs) => pairs.flat());

describe('response header record', () => {
  it('equals decoding and lower-casing every line, over many responses in a row', () => {
    fc.assert(
      fc.property(fc.array(lines, { minLength: 1, maxLength: 8 }), (responses) => {
        for (const raw of responses) expect(headerRecord(raw)).toEqual(reference(raw));
      }),
      { numRuns: 500 },
    );
  });

  it('joins repeated names, keeps inherited names apart, and drops __proto__', () => {
    const raw = ['Link', '<a>; rel="next"', 'link', '<b>; rel="last"', 'Constructor', 'x', '__proto__', 'y'].map((s) => Buffer.from(s, 'latin1'));
    const record = headerRecord(raw);
    expect(record).toEqual({ link: '<a>; rel="next", <b>; rel="last"', constructor: 'x' });
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });
});
