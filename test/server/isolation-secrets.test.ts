import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADD, DEFAULT_API_TOKEN, q, SEED_GROUP_IDS, SEED_USER_IDS, startStack, storeBytes, type Reply, type Stack } from './helpers.js';

const body = { group_id: SEED_GROUP_IDS.sales, user_id: SEED_USER_IDS.isaac };

describe('environments, and credentials that never leave the store', () => {
  let s: Stack;
  const replies: Reply[] = [];
  const track = async (p: Promise<Reply>) => {
    const r = await p;
    replies.push(r);
    return r;
  };
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.close();
  });

  it('a key sees only the accounts of its own environment', async () => {
    // staging key + staging account: works.
    expect((await track(s.call('POST', ADD, { query: q(s.stagingAccount.id), body, key: s.stagingKey }))).status).toBe(200);
    // staging key + default account, default key + staging account: both 404, same body as an unknown id.
    const cross1 = await track(s.call('POST', ADD, { query: q(s.account.id), body, key: s.stagingKey }));
    const cross2 = await track(s.call('POST', ADD, { query: q(s.stagingAccount.id), body, key: s.key }));
    const unknown = await track(s.call('POST', ADD, { query: q('00000000-0000-4000-8000-000000000000'), body, key: s.stagingKey }));
    expect([cross1.status, cross2.status, unknown.status]).toEqual([404, 404, 404]);
    expect(cross1.text).toBe(unknown.text);
    expect(cross2.text).toBe(unknown.text);
  });

  it('an account id in upper case is the same account (UUIDs are case-insensitive)', async () => {
    expect((await track(s.call('POST', ADD, { query: q(s.account.id.toUpperCase()), body }))).status).toBe(200);
  });

  it('credentials appear in no response and no log line, on success or failure', async () => {
    // A spread of outcomes: success, remote 401 (a wrong token stored for another account), remote 5xx, 404, 400.
    const wrongToken = 'wrong-token-SHOULD-NOT-LEAK-123';
    const badAccount = s.newAccount({ api_token: wrongToken });
    await track(s.call('POST', ADD, { query: q(s.account.id), body }));
    const unauthorized = await track(s.call('POST', ADD, { query: q(badAccount.id), body }));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.json.remote_error).toBe(true);
    s.okta.inject({ kind: 'oktaError', times: 3, match: { method: 'PUT' } });
    await track(s.call('POST', ADD, { query: q(s.account.id), body }));
    await track(s.call('POST', ADD, { query: q(s.account.id), body: { group_id: 'nope', user_id: 'nope' } }));
    await track(s.call('POST', ADD, { query: q(s.account.id), body: {} }));
    await track(s.call('POST', ADD, { query: q(s.account.id, 'truto_response_format=raw'), body }));

    for (const secret of [DEFAULT_API_TOKEN, wrongToken]) {
      for (const r of replies) {
        expect(r.text).not.toContain(secret);
        expect(JSON.stringify(r.headers)).not.toContain(secret);
      }
      expect(s.logs.length).toBeGreaterThan(0);
      expect(s.logs.join('\n')).not.toContain(secret);
    }
    // The API keys used by callers are not logged either.
    expect(s.logs.join('\n')).not.toContain(s.key);
    expect(s.logs.join('\n')).not.toContain(s.stagingKey);
  });

  it('credentials are encrypted at rest: the token is not in the SQLite files', () => {
    const bytes = storeBytes(s.dataDir);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from(DEFAULT_API_TOKEN))).toBe(false);
    expect(bytes.includes(Buffer.from('api_token'))).toBe(false);
    // The context is not secret and is stored as JSON: the check above is meaningful.
    expect(bytes.includes(Buffer.from(s.okta.host))).toBe(true);
  });
});
