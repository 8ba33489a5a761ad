import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_GROUP_IDS, SEED_USER_IDS, startStack, q, type Stack } from '../server/helpers.js';

/**
 * Issue 5: ids with `/`, `..`, `?`, `#`, `%2F`, CR/LF or unicode reach the provider as one encoded
 * segment or are refused; nothing a caller sends can change the host, scheme or port, or steer a
 * list cursor to another endpoint.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const lastRequest = () => stack.okta.requests.at(-1)!;

function rawGet(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers: { authorization: `Bearer ${stack.key}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('path injection', () => {
  it.each([
    ['a/b', '/api/v1/groups/a%2Fb'],
    ['../../users/me', '/api/v1/groups/..%2F..%2Fusers%2Fme'],
    ['x?admin=1', '/api/v1/groups/x%3Fadmin%3D1'],
    ['x#frag', '/api/v1/groups/x%23frag'],
    ['%2F', '/api/v1/groups/%252F'],
    ['grüße', '/api/v1/groups/gr%C3%BC%C3%9Fe'],
  ])('GET /groups/{id} with id %j reaches Okta as %s', async (id, wirePath) => {
    const before = stack.okta.requests.length;
    const res = await stack.call('GET', `/unified/user-directory/groups/${encodeURIComponent(id)}`, { query: q(stack.account.id) });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ kind: 'not_found', remote_error: true });
    expect(stack.okta.requests.length).toBe(before + 1);
    expect(lastRequest().url.split('?')[0]).toBe(wirePath);
  });

  // Sent with node:http, which keeps the path as written: WHATWG URL clients normalise `%2E%2E` away themselves.
  it.each([['%2E%2E'], ['%2E'], ['..'], [encodeURIComponent('a\r\nX-Injected: 1')], [encodeURIComponent('nul\u0000')]])('refuses id %s before anything is sent', async (encoded) => {
    const before = stack.okta.requests.length;
    const { status, body } = await rawGet(`/unified/user-directory/groups/${encoded}?${q(stack.account.id)}`);
    expect(status).toBe(400);
    expect(JSON.parse(body).statusCode).toBe(400);
    expect(stack.okta.requests.length).toBe(before);
  });

  it('a group id in the body cannot walk the PUT path', async () => {
    const res = await stack.call('POST', '/unified/user-directory/groups/add', { query: q(stack.account.id), body: { group_id: `${SEED_GROUP_IDS.sales}/users/${SEED_USER_IDS.jane}/../..`, user_id: SEED_USER_IDS.jane } });
    expect(res.status).toBe(404);
    expect(lastRequest().method).toBe('PUT');
    expect(lastRequest().url).toBe(`/api/v1/groups/${encodeURIComponent(`${SEED_GROUP_IDS.sales}/users/${SEED_USER_IDS.jane}/../..`)}/users/${SEED_USER_IDS.jane}`);
  });
});

describe('SSRF: the remote host comes only from the integration and the account', () => {
  it('remote_query and remote_data cannot change host, scheme or port', async () => {
    const before = stack.okta.requests.length;
    const res = await stack.call('POST', '/unified/user-directory/groups/add', {
      query: q(stack.account.id, 'remote_query[host]=evil.example&remote_query[url]=http://evil.example/&remote_query[__proto__][x]=1'),
      body: { group_id: SEED_GROUP_IDS.sales, user_id: SEED_USER_IDS.jane, remote_data: { host: 'evil.example', base_url: 'http://evil.example' } },
    });
    expect(res.status).toBe(200);
    // Both steps went to the fake, which is the only server listening; the caller's values stayed data.
    expect(stack.okta.requests.length).toBe(before + 2);
    expect(stack.okta.requests.at(-2)!.url).toBe(`/api/v1/groups/${SEED_GROUP_IDS.sales}/users/${SEED_USER_IDS.jane}?host=evil.example&url=http%3A%2F%2Fevil.example%2F`);
  });

  it('a forged next_cursor cannot point a list at another endpoint or origin', async () => {
    const forge = (path: string) => Buffer.from(JSON.stringify({ v: 1, kind: 'url', path })).toString('base64url');
    for (const path of ['/api/v1/apps', '//evil.example/api/v1/groups', '/api/v1/users?limit=200']) {
      const before = stack.okta.requests.length;
      const res = await stack.call('GET', '/unified/user-directory/groups', { query: q(stack.account.id, `next_cursor=${forge(path)}`) });
      expect(res.status, path).toBe(400);
      expect(res.json.details).toEqual([{ path: 'query.next_cursor', message: expect.any(String) }]);
      expect(stack.okta.requests.length).toBe(before);
    }
    const garbage = await stack.call('GET', '/unified/user-directory/groups', { query: q(stack.account.id, 'next_cursor=not*a*cursor') });
    expect(garbage.status).toBe(400);
  });

  it('a stored account context that is not a bare host cannot redirect calls (422, nothing sent)', async () => {
    for (const domain of ['evil.example/x', 'user@evil.example', 'http://evil.example', 'evil.example:99999', 'evil.example#']) {
      // The CLI refuses such contexts when an account is added; this writes one to the store directly.
      const account = stack.store.addAccount({ integration: 'okta', context: { domain }, credentials: { api_token: 'x' } });
      const before = stack.okta.requests.length;
      const res = await stack.call('GET', '/unified/user-directory/groups', { query: q(account.id) });
      expect(res.status, domain).toBe(422);
      expect(stack.okta.requests.length).toBe(before);
    }
  });
});
