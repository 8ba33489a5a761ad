/**
 * integrated_account_id: exactly the UUIDs (any case) reach the store, lower-cased; anything else
 * is a 400 before the store is asked. Checked against the pattern the server used to test with.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnifiedError } from '../../engine/errors.js';
import { resolveAccount, type AccountSource } from '../../engine/server/account.js';
import { Secret } from '../../engine/store/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function recordingStore(): AccountSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    getAccount(id: string, environment: string) {
      asked.push(id);
      return { id, integration: 'okta', environment, context: {}, created_at: '', updated_at: '', credentials: new Secret({}) };
    },
  };
}

describe('integrated_account_id', () => {
  it('reaches the store lower-cased exactly when it is a UUID', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEFgG-_ '.split(''));
    const candidates = fc.oneof(
      fc.array(chars, { minLength: 36, maxLength: 36 }).map((a) => a.join('')),
      fc.uuid().map((u) => u.replace(/[a-f]/g, (c) => (Math.random() < 0.5 ? c.toUpperCase() : c))),
      fc.uuid().map((u) => `${u}x`),
      // One character off: every position, every character class.
      fc.tuple(fc.uuid(), fc.nat({ max: 35 }), chars).map(([u, i, c]) => u.slice(0, i) + c + u.slice(i + 1)),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(candidates, (id) => {
        const store = recordingStore();
        let refused = false;
        try {
          resolveAccount({ integrated_account_id: id }, 'default', store);
        } catch (err) {
          expect(err).toBeInstanceOf(UnifiedError);
          expect((err as UnifiedError).statusCode).toBe(400);
          refused = true;
        }
        expect(refused).toBe(!UUID.test(id));
        expect(store.asked).toEqual(refused ? [] : [id.toLowerCase()]);
      }),
      { numRuns: 2_000 },
    );
  });
});
