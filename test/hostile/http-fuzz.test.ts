import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../server/helpers.js';

/**
 * Issue 5: random bodies, query strings, header values and path segments thrown at the real server.
 * A caller's mistake is never a 5xx, never a crash, never a prototype pollution, and always the JSON
 * error envelope. Runs are bounded (numRuns) and seeded by fast-check, so a failure is replayable.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const ROUTES = [
  ['POST', '/unified/user-directory/groups/add'],
  ['POST', '/unified/user-directory/groups/remove'],
  ['GET', '/unified/user-directory/groups'],
  ['GET', '/unified/user-directory/groups/{x}'],
  ['PATCH', '/unified/user-directory/groups/{x}'],
  ['DELETE', '/unified/user-directory/groups/{x}'],
  ['GET', '/unified/user-directory/group_members'],
  ['GET', '/unified/user-directory/users/{x}'],
] as const;

const nasty = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', '[', ']', '[]', '%00', '%zz', '%2F', '..', '\u0000', '\u202e', '😀', 'a'.repeat(300));
const key = fc.oneof(nasty, fc.string({ maxLength: 12 }), fc.stringMatching(/^[a-z_]{1,12}$/));
/** `a[b][c]=v` style keys, including deep and malformed brackets. */
const bracketKey = fc.tuple(key, fc.array(fc.oneof(key, fc.constant('')), { maxLength: 8 })).map(([head, rest]) => head + rest.map((k) => `[${k}]`).join(''));
const queryString = fc
  .array(fc.tuple(fc.oneof(bracketKey, fc.constantFrom('truto_response_format', 'truto_ignore_remote_data', 'truto_exclude_fields[]', 'remote_query[x]', 'limit', 'next_cursor', 'group_id')), fc.oneof(fc.string({ maxLength: 20 }), nasty)), { maxLength: 12 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&'));
const jsonValue = fc.jsonValue({ maxDepth: 6 });
const body = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.record({ group_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), user_id: fc.oneof(fc.string(), nasty), remote_data: fc.oneof(jsonValue, fc.constant({ __proto__: { polluted: 1 } })) }).map((v) => JSON.stringify(v)),
  fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{', 'null', '[]', '"x"', '\u0000', '{"a":1}garbage', '\ud800'),
  fc.string({ maxLength: 200 }),
);
const segment = fc.oneof(nasty, fc.string({ maxLength: 30 })).map((s) => encodeURIComponent(s) || 'x');
const headerValue = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('Bearer', 'Bearer ', 'Basic abc', 'bearer  x', '\t', 'Bearer umk_' + 'A'.repeat(43)));

function envelopeOk(status: number, text: string, contentType: string | undefined): void {
  expect(status, text).toBeLessThan(500);
  expect(contentType).toMatch(/^application\/json/);
  const parsed = JSON.parse(text) as Record<string, unknown>;
  if (status >= 400) {
    expect(parsed.statusCode).toBe(status);
    expect(typeof parsed.error).toBe('string');
    expect(typeof parsed.message).toBe('string');
  }
}

describe('hostile input over HTTP', () => {
  it('random query strings, bodies and path segments never cause a 5xx and always answer JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), queryString, body, segment, fc.boolean(), async ([method, route], qs, rawBody, seg, withAccount) => {
        const path = route.replace('{x}', seg);
        const query = [withAccount ? `integrated_account_id=${stack.account.id}` : '', qs].filter(Boolean).join('&');
        const res = await request(`${stack.url}${path}${query ? `?${query}` : ''}`, {
          method,
          headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
          body: method === 'GET' || method === 'DELETE' ? undefined : rawBody,
        });
        const text = await res.body.text();
        // A well-formed call may reach the fake and legitimately answer 200 or a remote 4xx; never a 5xx.
        envelopeOk(res.statusCode, text, res.headers['content-type'] as string | undefined);
      }),
      { numRuns: 150 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('random Authorization and other header values are refused cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(headerValue, headerValue, async (auth, other) => {
        // undici itself refuses CR/LF in header values before sending; those never reach the server.
        if (/[\r\n\0]/.test(auth + other) || /[^\t\x20-\x7e\x80-\xff]/.test(auth + other)) return;
        const res = await request(`${stack.url}/unified/user-directory/groups/add?integrated_account_id=${stack.account.id}`, {
          method: 'POST',
          headers: { authorization: auth, 'x-request-id': other, 'content-type': 'application/json' },
          body: '{}',
        });
        const text = await res.body.text();
        envelopeOk(res.statusCode, text, res.headers['content-type'] as string | undefined);
        if (auth !== `Bearer ${stack.key}`) expect(res.statusCode).toBe(401);
      }),
      { numRuns: 100 },
    );
  });

  it('the server is still healthy afterwards', async () => {
    const res = await request(`${stack.url}/health`);
    expect(res.statusCode).toBe(200);
    await res.body.text();
  });
});
