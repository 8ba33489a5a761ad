import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Logger } from '../../engine/index.js';
import { failure } from '../support/failure.js';
import { FakeClock } from '../support/fake-clock.js';
import { integrationsDir } from '../support/paths.js';
import { useTempIntegrations } from '../support/temp-integrations.js';

const ORIGIN = 'https://acme.okta.com';
const account = { id: 'acct-1', integration: 'okta', context: { domain: 'acme.okta.com' }, credentials: { api_token: 'tok-SECRET-123' } };
const group = {
  id: '00gb64ui4gnBHnTQY0h7',
  created: '2017-07-13T22:08:42.000Z',
  lastUpdated: '2017-07-13T22:08:42.000Z',
  lastMembershipUpdated: '2017-07-13T22:09:00.000Z',
  objectClass: ['okta:user_group'],
  type: 'OKTA_GROUP',
  profile: { name: 'Group-Member API Test Group', description: null },
  _links: { users: { href: `${ORIGIN}/api/v1/groups/00gb64ui4gnBHnTQY0h7/users` } },
};
const json = { 'content-type': 'application/json' };
const notFound = (what: string) => ({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${what}`, errorLink: 'E0000007', errorId: 'oaeXk9H0Q2Y2m8b3QnKw2Xk1A', errorCauses: [] });

function add(body: Record<string, unknown>, query: Record<string, unknown> = {}) {
  return { account, model: 'user-directory', resource: 'groups', method: 'add', body, query };
}

describe('runtime pipeline (Okta groups add through a mock dispatcher)', () => {
  let agent: MockAgent;
  let engine: Engine;
  let logs: Record<string, unknown>[];
  const now = 1_700_000_000_000;
  const clock = new FakeClock(now);

  beforeEach(async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    logs = [];
    clock.reset();
    const logger: Logger = { info: (r) => logs.push(r), warn: (r) => logs.push(r), error: (r) => logs.push(r) };
    engine = await createEngine({ dispatcher: agent, only: ['okta'], ...clock.engineOptions(), logger });
  });
  afterEach(async () => {
    await agent.close();
  });

  it('adds the user, reads the group back and maps it', async () => {
    const pool = agent.get(ORIGIN);
    let putHeaders: Record<string, string> = {};
    pool.intercept({ path: '/api/v1/groups/00gb64ui4gnBHnTQY0h7/users/00ub64epvgAGkGZ0e0h7', method: 'PUT' }).reply(204, (opts) => {
      putHeaders = opts.headers as Record<string, string>;
      return '';
    });
    pool.intercept({ path: '/api/v1/groups/00gb64ui4gnBHnTQY0h7', method: 'GET' }).reply(200, group, {
      headers: { ...json, 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '598', 'x-rate-limit-reset': String(now / 1000 + 42) },
    });
    const result = await engine.execute(add({ group_id: '00gb64ui4gnBHnTQY0h7', user_id: '00ub64epvgAGkGZ0e0h7' }));
    expect(result.body).toEqual({
      id: '00gb64ui4gnBHnTQY0h7',
      name: 'Group-Member API Test Group',
      description: null,
      group_type: 'group',
      created_at: '2017-07-13T22:08:42.000Z',
      updated_at: '2017-07-13T22:09:00.000Z',
      remote_data: group,
    });
    expect(result.headers).toEqual({ 'ratelimit-limit': '600', 'ratelimit-remaining': '598', 'ratelimit-reset': '42' });
    expect(putHeaders.authorization).toBe('SSWS tok-SECRET-123');
    expect(putHeaders.accept).toBe('application/json');
    agent.assertNoPendingInterceptors();
  });

  it('sends nothing when the body is invalid, and names every failing field', async () => {
    const err = await failure(engine.execute(add({ group_id: 7, extra: true })));
    expect(err.statusCode).toBe(400);
    expect(err.details).toEqual(
      expect.arrayContaining([
        { path: 'body.extra', message: 'is not a known field' },
        { path: 'body.group_id', message: 'must be string' },
        { path: 'body.user_id', message: 'is required by okta' },
      ]),
    );
  });

  it('keeps a hostile id in one encoded path segment', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v1/groups/..%2F..%2Fusers%2Fx/users/u%3Fa%3D1', method: 'PUT' }).reply(404, notFound('../../users/x (UserGroup)'), { headers: json });
    const err = await failure(engine.execute(add({ group_id: '../../users/x', user_id: 'u?a=1' })));
    expect(err.kind).toBe('not_found');
    agent.assertNoPendingInterceptors();
  });

  it('passes remote_query to the query string and remote_data to the body of the main request only', async () => {
    const pool = agent.get(ORIGIN);
    let putBody: unknown;
    pool.intercept({ path: '/api/v1/groups/g1/users/u1?expand=stats&tags=a&tags=b', method: 'PUT' }).reply(204, (opts) => {
      putBody = JSON.parse(String(opts.body));
      return '';
    });
    pool.intercept({ path: '/api/v1/groups/g1', method: 'GET' }).reply(200, { ...group, id: 'g1' }, { headers: json });
    await engine.execute(add({ group_id: 'g1', user_id: 'u1', remote_data: { note: 'x', __proto__: { polluted: true } } }, { remote_query: { expand: 'stats', tags: ['a', 'b'] } }));
    expect(putBody).toEqual({ note: 'x' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    agent.assertNoPendingInterceptors();
  });

  it('maps an Okta 404 to a not-found error that keeps the remote status and body', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v1/groups/nope/users/u1', method: 'PUT' }).reply(404, notFound('nope (UserGroup)'), { headers: json });
    const err = await failure(engine.execute(add({ group_id: 'nope', user_id: 'u1' })));
    expect(err.toEnvelope()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      kind: 'not_found',
      message: 'Okta (add_member) failed: Not found: Resource not found: nope (UserGroup)',
      remote_error: true,
      remote_status: 404,
      remote_code: 'E0000007',
      remote_body: notFound('nope (UserGroup)'),
    });
  });

  it('waits for X-Rate-Limit-Reset after a 429 and retries', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v1/groups/g1/users/u1', method: 'PUT' }).reply(
      429,
      { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.', errorLink: 'E0000047', errorId: 'oae6dB62BdhRFCF_9ltxiklFQ', errorCauses: [] },
      { headers: { ...json, 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(now / 1000 + 3) } },
    );
    pool.intercept({ path: '/api/v1/groups/g1/users/u1', method: 'PUT' }).reply(204, '');
    pool.intercept({ path: '/api/v1/groups/g1', method: 'GET' }).reply(200, { ...group, id: 'g1' }, { headers: json });
    const result = await engine.execute(add({ group_id: 'g1', user_id: 'u1' }));
    expect((result.body as { id: string }).id).toBe('g1');
    expect(clock.sleeps).toEqual([3250]);
    expect(logs.find((l) => l.msg === 'retrying remote request')).toMatchObject({ reason: 'rate limited (429)', attempt: 1, integration: 'okta', step: 'add_member' });
  });

  it('retries an idempotent request after a 5xx with backoff, then reports 502 with the remote body', async () => {
    const pool = agent.get(ORIGIN);
    const boom = { errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorLink: 'E0000009', errorId: 'oaeAAAAAAAAAAAAAAAAAAAAAA', errorCauses: [] };
    pool.intercept({ path: '/api/v1/groups/g1/users/u1', method: 'PUT' }).reply(500, boom, { headers: json }).times(3);
    const err = await failure(engine.execute(add({ group_id: 'g1', user_id: 'u1' })));
    expect(err.statusCode).toBe(502);
    expect(err.remote).toMatchObject({ status: 500, body: boom });
    expect(clock.sleeps).toEqual([100, 200]);
  });

  it('honours Retry-After on a 503 before retrying an idempotent request', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v1/groups/g1/users/u1', method: 'PUT' }).reply(204, '');
    pool.intercept({ path: '/api/v1/groups/g1', method: 'GET' }).reply(503, 'busy', { headers: { 'retry-after': '2' } });
    pool.intercept({ path: '/api/v1/groups/g1', method: 'GET' }).reply(200, { ...group, id: 'g1' }, { headers: json });
    const result = await engine.execute(add({ group_id: 'g1', user_id: 'u1' }));
    expect((result.body as { id: string }).id).toBe('g1');
    expect(clock.sleeps).toEqual([2000]);
  });

  it('turns a 200 with an HTML body into a clear 502', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v1/groups/g1/users/u1', method: 'PUT' }).reply(204, '');
    pool.intercept({ path: '/api/v1/groups/g1', method: 'GET' }).reply(200, '<html>maintenance</html>', { headers: { 'content-type': 'text/html' } });
    const err = await failure(engine.execute(add({ group_id: 'g1', user_id: 'u1' })));
    expect(err.statusCode).toBe(502);
    expect(err.message).toContain('not valid JSON (text/html)');
  });

  it('honours the response options', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v1/groups/g1/users/u1', method: 'PUT' }).reply(204, '').times(3);
    pool.intercept({ path: '/api/v1/groups/g1', method: 'GET' }).reply(200, { ...group, id: 'g1' }, { headers: json }).times(3);
    const raw = await engine.execute(add({ group_id: 'g1', user_id: 'u1' }, { truto_response_format: 'raw' }));
    expect(raw.body).toEqual({ ...group, id: 'g1' });
    const normalized = await engine.execute(add({ group_id: 'g1', user_id: 'u1' }, { truto_response_format: 'normalized', truto_exclude_fields: ['created_at'] }));
    expect(Object.keys(normalized.body as object).sort()).toEqual(['description', 'group_type', 'id', 'name', 'updated_at']);
    const lean = await engine.execute(add({ group_id: 'g1', user_id: 'u1' }, { truto_ignore_remote_data: 'true' }));
    expect(lean.body).not.toHaveProperty('remote_data');
    await expect(engine.execute(add({ group_id: 'g1', user_id: 'u1' }, { truto_response_format: 'xml' }))).rejects.toMatchObject({ statusCode: 400 });
  });

  it('never puts the credential in an error', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v1/groups/g1/users/u1', method: 'PUT' }).reply(401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'oaeBBBBBBBBBBBBBBBBBBBBBB', errorCauses: [] }, { headers: json });
    const err = await failure(engine.execute(add({ group_id: 'g1', user_id: 'u1' })));
    expect(err.statusCode).toBe(401);
    expect(err.kind).toBe('unauthorized');
    expect(JSON.stringify(err.toEnvelope()) + err.message + JSON.stringify(logs)).not.toContain('tok-SECRET-123');
  });

  it('refuses an account context that is not a host name', async () => {
    const err = await failure(engine.execute({ ...add({ group_id: 'g1', user_id: 'u1' }), account: { ...account, context: { domain: 'evil.com/x?' } } }));
    expect(err.statusCode).toBe(422);
  });

  it('answers 501 for an operation the integration does not provide and 404 for an unknown one', async () => {
    await expect(engine.execute({ ...add({}), method: 'frobnicate' })).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('expression guards', () => {
  const makeDir = useTempIntegrations();

  it('stops a looping mapping with a definition error and keeps serving', async () => {
    const op = readFileSync(path.join(integrationsDir, 'okta/groups.add.yaml'), 'utf8').replace(
      '"group_type": "group",',
      '"group_type": ($loop := function($n) { $loop($n + 1) }; $loop(0)),',
    );
    const dir = makeDir({ 'okta/integration.yaml': readFileSync(path.join(integrationsDir, 'okta/integration.yaml'), 'utf8'), 'okta/groups.add.yaml': op });
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v1/groups/g1/users/u1', method: 'PUT' }).reply(204, '');
    pool.intercept({ path: '/api/v1/groups/g1', method: 'GET' }).reply(200, { ...group, id: 'g1' }, { headers: json });
    const engine = await createEngine({ integrationsDir: dir, displayRoot: dir, dispatcher: agent, evaluationLimits: { timeoutMs: 100, maxDepth: 100 } });
    const started = Date.now();
    const err = await failure(engine.execute(add({ group_id: 'g1', user_id: 'u1' })));
    expect(err.kind).toBe('definition_error');
    expect(err.statusCode).toBe(500);
    expect(err.message).toMatch(/time\/depth limit at okta\/groups\.add\.yaml:\d+:\d+ \(response\.mapping\)/);
    expect(Date.now() - started).toBeLessThan(2000);
    await agent.close();
  });
});
