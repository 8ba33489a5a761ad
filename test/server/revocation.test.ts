/**
 * The server remembers verified API keys and decrypted accounts between requests (see the store's
 * cache). Revoking a key or removing an account from outside the server process, the way the CLI
 * does it, must still take effect on the very next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../engine/store/index.js';
import { q, SEED_USER_IDS, startStack, type Stack } from './helpers.js';

const USER = `/unified/user-directory/users/${SEED_USER_IDS.jane}`;

describe('revocation reaches a running server on the next request', () => {
  let s: Stack;
  let cli: Store;
  beforeAll(async () => {
    s = await startStack();
    // A second connection to the same database file: what `unimap keys revoke` opens.
    cli = openStore({ dataDir: s.dataDir, env: {} });
  });
  afterAll(async () => {
    cli.close();
    await s.close();
  });

  it('a key revoked through another connection answers 401 on the next request', async () => {
    const created = cli.createApiKey();
    const account = s.newAccount();
    for (let i = 0; i < 3; i++) expect((await s.call('GET', USER, { query: q(account.id), key: created.key })).status).toBe(200);
    expect(cli.revokeApiKey(created.id)).toBe(true);
    const after = await s.call('GET', USER, { query: q(account.id), key: created.key });
    expect(after.status).toBe(401);
    expect(after.json.kind).toBe('unauthorized');
    // Other keys are unaffected.
    expect((await s.call('GET', USER, { query: q(account.id) })).status).toBe(200);
  });

  it('an account removed through another connection answers 404 on the next request', async () => {
    const account = s.newAccount();
    for (let i = 0; i < 3; i++) expect((await s.call('GET', USER, { query: q(account.id) })).status).toBe(200);
    expect(cli.removeAccount(account.id)).toBe(true);
    const after = await s.call('GET', USER, { query: q(account.id) });
    expect(after.status).toBe(404);
    expect(after.json.kind).toBe('not_found');
  });

  it('new credentials written through another connection are used on the next request', async () => {
    const account = s.newAccount();
    expect((await s.call('GET', USER, { query: q(account.id) })).status).toBe(200);
    cli.updateAccount(account.id, 'default', { credentials: { api_token: 'not-a-token-the-fake-knows' } });
    const after = await s.call('GET', USER, { query: q(account.id) });
    expect(after.status).toBe(401);
    expect(after.json.kind).toBe('unauthorized');
    expect(s.okta.requests.at(-1)?.headers.authorization).toBe('SSWS not-a-token-the-fake-knows');
  });

  it('a key revoked through the server’s own store answers 401 on the next request', async () => {
    const created = s.store.createApiKey();
    const account = s.newAccount();
    expect((await s.call('GET', USER, { query: q(account.id), key: created.key })).status).toBe(200);
    s.store.revokeApiKey(created.id);
    expect((await s.call('GET', USER, { query: q(account.id), key: created.key })).status).toBe(401);
  });
});
