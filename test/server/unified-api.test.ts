import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADD, q, SEED_GROUP_IDS, SEED_USER_IDS, startStack, type Stack } from './helpers.js';

const G = SEED_GROUP_IDS;
const U = SEED_USER_IDS;

describe('unified API over HTTP: POST /unified/user-directory/groups/add against the fake Okta', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.close();
  });

  it('adds the user to the group and answers 200 with the unified group and the provider rate limits', async () => {
    expect(s.okta.state.isMember(G.contractors, U.jane)).toBe(false);
    const res = await s.call('POST', ADD, { query: q(s.account.id), body: { group_id: G.contractors, user_id: U.jane } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json).toMatchObject({ id: G.contractors, name: 'Contractors', description: null, group_type: 'group', created_at: '2024-06-18T07:55:03.000Z' });
    expect(res.json.remote_data).toMatchObject({ id: G.contractors, type: 'OKTA_GROUP', profile: { name: 'Contractors' } });
    expect(s.okta.state.isMember(G.contractors, U.jane)).toBe(true);
    // The fake reports X-Rate-Limit-*; the caller sees them normalized.
    expect(Number(res.headers['ratelimit-limit'])).toBe(10000);
    expect(Number(res.headers['ratelimit-remaining'])).toBeLessThan(10000);
    expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(0);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Okta saw the SSWS token, the caller never had to know it.
    const put = s.okta.requests.find((r) => r.method === 'PUT' && r.path === `/api/v1/groups/${G.contractors}/users/${U.jane}`);
    expect(put?.headers.authorization).toBe(s.okta.authorization);
  });

  it('keeps a well-formed x-request-id from the caller and makes one otherwise', async () => {
    const given = await s.call('GET', '/health', { headers: { 'x-request-id': 'trace-42.a:b' } });
    expect(given.headers['x-request-id']).toBe('trace-42.a:b');
    const odd = await s.call('GET', '/health', { headers: { 'x-request-id': 'has spaces and "quotes"' } });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('truto_response_format=raw returns the remote group untouched', async () => {
    const res = await s.call('POST', ADD, { query: q(s.account.id, 'truto_response_format=raw'), body: { group_id: G.engineering, user_id: U.jane } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: G.engineering, type: 'OKTA_GROUP', profile: { name: 'Engineering' } });
    expect(res.json.group_type).toBeUndefined();
  });

  it('truto_response_format=normalized returns only unified fields', async () => {
    const res = await s.call('POST', ADD, { query: q(s.account.id, 'truto_response_format=normalized'), body: { group_id: G.engineering, user_id: U.jane } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['created_at', 'description', 'group_type', 'id', 'name', 'updated_at']);
  });

  it('truto_response_format with another value is a 400 naming the parameter', async () => {
    const res = await s.call('POST', ADD, { query: q(s.account.id, 'truto_response_format=xml'), body: { group_id: G.engineering, user_id: U.jane } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.json.details).toContainEqual({ path: 'query.truto_response_format', message: expect.stringContaining('unified, raw, normalized') });
  });

  it('truto_ignore_remote_data=true leaves remote_data out', async () => {
    const res = await s.call('POST', ADD, { query: q(s.account.id, 'truto_ignore_remote_data=true'), body: { group_id: G.sales, user_id: U.isaac } });
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(G.sales);
    expect(res.json).not.toHaveProperty('remote_data');
  });

  it('truto_exclude_fields[] (bracket syntax) drops each listed field, dotted paths included', async () => {
    const res = await s.call('POST', ADD, {
      query: q(s.account.id, 'truto_exclude_fields[]=description&truto_exclude_fields[]=remote_data._links&truto_exclude_fields[]=created_at'),
      body: { group_id: G.sales, user_id: U.isaac },
    });
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('description');
    expect(res.json).not.toHaveProperty('created_at');
    expect(res.json.remote_data).not.toHaveProperty('_links');
    expect(res.json.remote_data.profile.name).toBe('Sales');
  });

  it('remote_query[...] reaches the provider request', async () => {
    const before = s.okta.requests.length;
    const res = await s.call('POST', ADD, { query: q(s.account.id, 'remote_query[trace]=abc&remote_query[tags][]=x&remote_query[tags][]=y'), body: { group_id: G.sales, user_id: U.john } });
    expect(res.status).toBe(200);
    const put = s.okta.requests.slice(before).find((r) => r.method === 'PUT');
    expect(put?.query).toEqual({ trace: 'abc', tags: ['x', 'y'] });
  });

  it('a body missing a required field is a 400 with details, and nothing is sent to the provider', async () => {
    const before = s.okta.requests.length;
    const res = await s.call('POST', ADD, { query: q(s.account.id), body: { group_id: G.sales } });
    expect(res.status).toBe(400);
    expect(res.json.details).toContainEqual({ path: 'body.user_id', message: expect.any(String) });
    expect(s.okta.requests.length).toBe(before);
  });

  it('routes come from the catalogue: a {id} segment binds to the unified query parameter id', async () => {
    const res = await s.call('GET', `/unified/user-directory/groups/${G.engineering}`, { query: q(s.account.id) });
    const last = s.okta.requests.at(-1)!;
    // Either the integration provides groups.get (then the id reached Okta's path) or the engine says it does not.
    if (res.status === 200) {
      expect(res.json.id).toBe(G.engineering);
      expect(last.path).toBe(`/api/v1/groups/${G.engineering}`);
    } else {
      expect(res.status).toBe(501);
    }
    const encoded = await s.call('GET', '/unified/user-directory/groups/a%2F..%2Fb', { query: q(s.account.id) });
    if (encoded.status !== 501) expect(s.okta.requests.at(-1)!.path).toBe('/api/v1/groups/a%2F..%2Fb');
  });

  it('an id given both in the path and in the query string is a 400', async () => {
    const res = await s.call('GET', `/unified/user-directory/groups/${G.engineering}`, { query: q(s.account.id, 'id=other') });
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([{ path: 'query.id', message: 'is already set by the path' }]);
  });

  describe('remote failures', () => {
    it('a remote 404 keeps its status, with remote_error, the remote status and body', async () => {
      const res = await s.call('POST', ADD, { query: q(s.account.id), body: { group_id: '00gDoesNotExist00000', user_id: U.jane } });
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ statusCode: 404, error: 'Not Found', remote_error: true, remote_status: 404, remote_code: 'E0000007' });
      expect(res.json.remote_body).toMatchObject({ errorCode: 'E0000007' });
      expect(res.headers['ratelimit-limit']).toBeDefined();
    });

    it('a remote 5xx (after the retries of an idempotent step) becomes a 502', async () => {
      s.okta.inject({ kind: 'oktaError', times: 3, match: { method: 'PUT' } });
      const res = await s.call('POST', ADD, { query: q(s.account.id), body: { group_id: G.sales, user_id: U.jane } });
      expect(res.status).toBe(502);
      expect(res.json).toMatchObject({ statusCode: 502, error: 'Bad Gateway', remote_error: true, remote_status: 500 });
      expect(s.okta.pendingFaults).toBe(0);
    });

    it('an unreadable remote answer (an HTML page) becomes a 502', async () => {
      s.okta.inject({ kind: 'html', match: { method: 'GET' } });
      const res = await s.call('POST', ADD, { query: q(s.account.id), body: { group_id: G.sales, user_id: U.jane } });
      expect(res.status).toBe(502);
      expect(res.json.statusCode).toBe(502);
    });

    it('a remote that hangs past the call deadline is a 504', async () => {
      const { url } = await s.serverWith({ callTimeoutMs: 300 });
      s.okta.inject({ kind: 'hang', match: { method: 'PUT' } });
      const started = Date.now();
      const res = await fetch(`${url}${ADD}?${q(s.account.id)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ group_id: G.sales, user_id: U.jane }),
      });
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({ statusCode: 504, error: 'Gateway Timeout', kind: 'remote_timeout' });
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('a remote 429 is a 429 carrying ratelimit-* and retry-after', async () => {
      // Its own account: the engine remembers an exhausted window per account.
      const account = s.newAccount();
      s.okta.inject({ kind: 'rateLimit', resetInSeconds: 3600, match: { method: 'PUT' } });
      const res = await s.call('POST', ADD, { query: q(account.id), body: { group_id: G.sales, user_id: U.jane } });
      expect(res.status).toBe(429);
      expect(res.json).toMatchObject({ statusCode: 429, error: 'Too Many Requests', remote_error: true, remote_status: 429, remote_code: 'E0000047' });
      expect(res.headers['ratelimit-limit']).toBe('10000');
      expect(res.headers['ratelimit-remaining']).toBe('0');
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(3500);
      expect(res.headers['retry-after']).toBe(res.headers['ratelimit-reset']);
    });

    it('an engine failure that is not a UnifiedError is a 500 envelope without internals', async () => {
      const { createServer } = await import('../../engine/server/index.js');
      const broken = { ...s.engine, definitions: s.engine.definitions, execute: async () => { throw new Error('boom at /srv/secret/path.ts:12'); } };
      const server = createServer({ engine: broken, store: s.store, logger: { info() {}, warn() {}, error() {} } });
      const { url } = await server.listen(0);
      try {
        const res = await fetch(`${url}${ADD}?${q(s.account.id)}`, { method: 'POST', headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' }, body: '{}' });
        expect(res.status).toBe(500);
        const body = (await res.json()) as Record<string, unknown>;
        const id = res.headers.get('x-request-id');
        expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', kind: 'internal', message: `An unexpected error occurred; the server log has the details under request id ${id}` });
      } finally {
        await server.close();
      }
    });
  });

  it('GET /health reports status, version, integrations and uptime', async () => {
    const res = await s.call('GET', '/health', { key: null });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', version: expect.any(String), uptime_s: expect.any(Number) });
    expect(res.json.integrations.map((i: { name: string }) => i.name)).toEqual(['okta']);
    expect(res.json.integrations[0].operations).toContain('user-directory/groups/add');
  });

  it('writes one access-log line per request with the route template and no query values', async () => {
    const marker = 'zz-marker-value';
    const before = s.logs.length;
    await s.call('POST', ADD, { query: q(s.account.id, `remote_query[secret]=${marker}`), body: { group_id: G.sales, user_id: U.jane } });
    const lines = s.logs.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 'info', method: 'POST', route: ADD, status: 200, integration: 'okta', environment: 'default', account_id: s.account.id });
    expect(access[0].request_id).toEqual(expect.any(String));
    expect(access[0].duration_ms).toEqual(expect.any(Number));
    expect(s.logs.slice(before).join('\n')).not.toContain(marker);
  });
});
