/**
 * Every Google Workspace (Admin SDK Directory API) operation through the engine against the faithful
 * fake, over real HTTP on loopback. The engine's waits (exponential backoff after a 403 quota error)
 * move a fake clock instead of sleeping.
 */

import { describe, expect, it } from 'vitest';
import type { Exchange, UnifiedResult } from '../../engine/index.js';
import { DEFAULT_ACCESS_TOKEN, SEED_GROUP_IDS as G, SEED_USER_IDS as U, startFakeGoogle, type FakeGoogle } from '../fakes/google/index.js';
import { failure } from '../support/failure.js';
import { useProviderHarness } from '../support/provider-harness.js';

const START = Date.parse('2025-01-15T10:00:00.000Z');
const API = '/admin/directory/v1';
let google: FakeGoogle;
const harness = useProviderHarness({ integration: 'google', start: START, startFake: startFakeGoogle, onStart: (fake) => (google = fake) });
const { clock, restart: startGoogle } = harness;

interface CallOptions {
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
  context?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  exchanges?: Exchange[];
}

function call(resource: string, method: string, options: CallOptions = {}): Promise<UnifiedResult> {
  return harness.engine.execute({
    account: {
      integration: 'google',
      context: options.context ?? { host: google.host },
      credentials: options.credentials ?? { access_token: DEFAULT_ACCESS_TOKEN },
    },
    model: 'user-directory',
    resource,
    method,
    query: options.query,
    body: options.body,
    onExchange: options.exchanges ? (e) => options.exchanges!.push(e) : undefined,
  });
}

type ListBody = { result: Array<Record<string, unknown>>; next_cursor: string | null; result_count: number };

/** Follows next_cursor to the end; returns every unified page. */
async function walk(resource: string, query: Record<string, unknown>): Promise<ListBody[]> {
  const pages: ListBody[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(resource, 'list', { query: cursor ? { ...query, next_cursor: cursor } : query });
    const body = res.body as ListBody;
    pages.push(body);
    cursor = body.next_cursor;
    if (pages.length > 20) throw new Error('the list does not end');
  } while (cursor);
  return pages;
}

/** `METHOD path?query` of every request the fake received. */
const wire = () => google.requests.map((r) => `${r.method} ${r.url}`);
const groupJson = (id: string) => google.state.groupJson(google.state.groups.get(id)!);
const userJson = (id: string) => google.state.userJson(google.state.users.get(id)!);

const ENGINEERING = { id: G.engineering, name: 'Engineering', description: 'All engineers', group_type: 'group', created_at: null, updated_at: null };
const SALES = { id: G.sales, name: 'Sales', description: null, group_type: 'group', created_at: null, updated_at: null };
const ALICE = { id: U.alice, email: 'alice@example.com', first_name: 'Alice', last_name: 'Anders', name: 'Alice Anders', status: 'active', created_at: '2023-03-01T17:02:11.000Z', updated_at: null };
const DAVE = { id: U.dave, email: 'dave@example.com', first_name: 'Dave', last_name: 'Diaz', name: 'Dave Diaz', status: 'suspended', created_at: '2023-06-18T07:55:03.000Z', updated_at: null };
const ERIN = { id: U.erin, email: 'erin@example.com', first_name: 'Erin', last_name: 'Evans', name: 'Erin Evans', status: 'inactive', created_at: '2023-07-21T14:44:10.000Z', updated_at: null };
const FRANK = { id: U.frank, email: 'frank@example.com', first_name: 'Frank', last_name: 'Fischer', name: 'Frank Fischer', status: 'active', created_at: '2024-11-25T09:12:45.000Z', updated_at: null };
const ALL_GROUPS = [G.engineering, G.sales, G.platform, G.allStaff, G.contractors, G.announcements];
const ALL_USERS = [U.alice, U.bob, U.carol, U.dave, U.erin, U.frank];

describe('google groups', () => {
  it('get: maps the group (no timestamps in Google: null); sends the Bearer token', async () => {
    const res = await call('groups', 'get', { query: { id: G.engineering } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(res.headers).toEqual({}); // Google reports no rate-limit headers
    expect(wire()).toEqual([`GET ${API}/groups/${G.engineering}`]);
    expect(google.requests[0].headers.authorization).toBe(`Bearer ${DEFAULT_ACCESS_TOKEN}`);
  });

  it('get: by email or alias; an empty description is null', async () => {
    expect((await call('groups', 'get', { query: { id: 'eng@example.com' } })).body).toMatchObject(ENGINEERING);
    expect((await call('groups', 'get', { query: { id: 'sales@example.com' } })).body).toEqual({ ...SALES, remote_data: groupJson(G.sales) });
    expect(google.requests[1].path).toBe(`${API}/groups/sales%40example.com`);
  });

  it('get: an unknown group is not_found (404) with the Google error kept', async () => {
    const err = await failure(call('groups', 'get', { query: { id: 'nope@example.com' } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.remote).toEqual({
      status: 404,
      code: 'notFound',
      body: { error: { code: 404, message: 'Resource Not Found: groupKey', errors: [{ message: 'Resource Not Found: groupKey', domain: 'global', reason: 'notFound' }] } },
    });
    expect(err.message).toBe('Google Workspace (get_group) failed: Resource Not Found: groupKey');
  });

  it('list: one page of every group, for the context customer (my_customer by default)', async () => {
    const res = await call('groups', 'list');
    const body = res.body as ListBody;
    expect(body.result.map((g) => g.id)).toEqual(ALL_GROUPS);
    expect(body.result[0]).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(body.result[1]).toEqual({ ...SALES, remote_data: groupJson(G.sales) });
    expect(body).toMatchObject({ next_cursor: null, result_count: 6 });
    expect(wire()).toEqual([`GET ${API}/groups?customer=my_customer`]);
  });

  it('list: pages of 2 end on a full last page without a token; every group exactly once', async () => {
    const pages = await walk('groups', { limit: 2 });
    expect(pages.map((p) => p.result.map((g) => g.id))).toEqual([ALL_GROUPS.slice(0, 2), ALL_GROUPS.slice(2, 4), ALL_GROUPS.slice(4, 6)]);
    expect(pages.map((p) => p.next_cursor === null)).toEqual([false, false, true]);
    expect(google.requests.map((r) => r.query)).toEqual([
      { customer: 'my_customer', maxResults: '2' },
      { customer: 'my_customer', maxResults: '2', pageToken: expect.any(String) },
      { customer: 'my_customer', maxResults: '2', pageToken: expect.any(String) },
    ]);
  });

  it('list: a token on a full last page leads to an empty page (no `groups` key), which ends the list', async () => {
    await startGoogle({ tokenOnFullLastPage: true });
    const pages = await walk('groups', { limit: 3 });
    expect(pages.map((p) => p.result.map((g) => g.id))).toEqual([ALL_GROUPS.slice(0, 3), ALL_GROUPS.slice(3, 6), []]);
    expect(pages[2]).toEqual({ result: [], next_cursor: null, result_count: 0 });
    expect(google.requests).toHaveLength(3);
    const last = await fetch(`${google.origin}${google.requests[2].url}`, { headers: { authorization: google.authorization } });
    expect(Object.keys((await last.json()) as object)).toEqual(['kind', 'etag']);
  });

  it('list: a short last page ends the list; a limit above 200 is clamped to 200', async () => {
    const pages = await walk('groups', { limit: 4 });
    expect(pages.map((p) => p.result_count)).toEqual([4, 2]);
    expect(pages.flatMap((p) => p.result.map((g) => g.id))).toEqual(ALL_GROUPS);
    await call('groups', 'list', { query: { limit: 1000 } });
    expect(google.requests.at(-1)!.query.maxResults).toBe('200');
  });

  it('list: remote_query reaches Google (orderBy/sortOrder, query)', async () => {
    const res = await call('groups', 'list', { query: { remote_query: { orderBy: 'email', sortOrder: 'DESCENDING' } } });
    expect((res.body as ListBody).result.map((g) => g.remote_data && (g.remote_data as { email: string }).email)).toEqual([
      'sales@example.com',
      'platform@example.com',
      'engineering@example.com',
      'contractors@example.com',
      'announcements@example.com',
      'all-staff@example.com',
    ]);
    expect(google.requests[0].query).toEqual({ customer: 'my_customer', orderBy: 'email', sortOrder: 'DESCENDING' });
    const found = await call('groups', 'list', { query: { remote_query: { query: 'email:plat*' } } });
    expect((found.body as ListBody).result.map((g) => g.id)).toEqual([G.platform]);
  });

  it('list: the context customer is sent as is; another customer is forbidden', async () => {
    await call('groups', 'list', { context: { host: google.host, customer: 'C03az79cb' } });
    expect(google.requests[0].query).toEqual({ customer: 'C03az79cb' });
    const err = await failure(call('groups', 'list', { context: { host: google.host, customer: 'C0other' } }));
    expect(err.kind).toBe('forbidden');
    expect(err.statusCode).toBe(403);
    expect(clock.sleeps).toEqual([]); // a 403 that is not a quota error is not retried
  });

  it('create: POST /groups with the email from remote_data answers 200 with the new group', async () => {
    const res = await call('groups', 'create', { body: { name: 'Design', description: 'Design team', remote_data: { email: 'design@example.com' } } });
    const created = google.state.findGroup('design@example.com')!;
    expect(res.body).toEqual({ id: created.id, name: 'Design', description: 'Design team', group_type: 'group', created_at: null, updated_at: null, remote_data: groupJson(created.id) });
    expect(google.requests.map((r) => [r.method, r.path, r.json])).toEqual([['POST', `${API}/groups`, { name: 'Design', description: 'Design team', email: 'design@example.com' }]]);
  });

  it('create: without an email Google says 400 "Missing required field: email" (invalid_request naming remote_data.email)', async () => {
    const err = await failure(call('groups', 'create', { body: { name: 'No email', description: null } }));
    expect(google.requests[0].json).toEqual({ name: 'No email' });
    expect(err.kind).toBe('invalid_request');
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('pass it as remote_data.email (Missing required field: email)');
    const missingName = await failure(call('groups', 'create', { body: { remote_data: { email: 'x@example.com' } } }));
    expect(missingName.details).toEqual([{ path: 'body.name', message: 'is required by google' }]);
    expect(google.requests).toHaveLength(1);
  });

  it('create: an address already in use is a conflict (409 duplicate)', async () => {
    const err = await failure(call('groups', 'create', { body: { name: 'Again', remote_data: { email: 'sales@example.com' } } }));
    expect(err.kind).toBe('conflict');
    expect(err.statusCode).toBe(409);
    expect(err.remote?.code).toBe('duplicate');
  });

  it('update: PATCH with the changed fields only; a null description clears it', async () => {
    const res = await call('groups', 'update', { query: { id: G.engineering }, body: { name: 'Engineering (all)' } });
    expect(res.body).toEqual({ ...ENGINEERING, name: 'Engineering (all)', remote_data: groupJson(G.engineering) });
    const cleared = await call('groups', 'update', { query: { id: G.engineering }, body: { description: null } });
    expect(cleared.body).toMatchObject({ name: 'Engineering (all)', description: null });
    expect(google.requests.map((r) => [r.method, r.path, r.json])).toEqual([
      ['PATCH', `${API}/groups/${G.engineering}`, { name: 'Engineering (all)' }],
      ['PATCH', `${API}/groups/${G.engineering}`, { description: '' }],
    ]);
    expect(google.state.groups.get(G.engineering)).toMatchObject({ name: 'Engineering (all)', description: '' });
    const err = await failure(call('groups', 'update', { query: { id: 'nope' }, body: { name: 'x' } }));
    expect(err.kind).toBe('not_found');
  });

  it('delete: 204, returns the id; deleting it again is not_found', async () => {
    const res = await call('groups', 'delete', { query: { id: G.contractors } });
    expect(res.body).toEqual({ id: G.contractors });
    expect(google.state.groups.has(G.contractors)).toBe(false);
    expect(google.requests[0].status).toBe(204);
    const err = await failure(call('groups', 'delete', { query: { id: G.contractors } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
  });
});

describe('google membership changes', () => {
  it('add: POST the member by id, then read the group back', async () => {
    const exchanges: Exchange[] = [];
    const res = await call('groups', 'add', { body: { group_id: G.sales, user_id: U.bob }, exchanges });
    expect(res.body).toEqual({ ...SALES, remote_data: groupJson(G.sales) });
    expect((res.body as { remote_data: { directMembersCount: string } }).remote_data.directMembersCount).toBe('2');
    expect(google.state.isMember(G.sales, U.bob)).toBe(true);
    expect(google.requests.map((r) => [r.method, r.path, r.json])).toEqual([
      ['POST', `${API}/groups/${G.sales}/members`, { id: U.bob, role: 'MEMBER' }],
      ['GET', `${API}/groups/${G.sales}`, undefined],
    ]);
    expect(exchanges.map((e) => [e.step, e.response?.status])).toEqual([['add_member', 200], ['get_group', 200]]);
    expect(exchanges[0].response?.body).toMatchObject({ kind: 'admin#directory#member', id: U.bob, email: 'bob@example.com', role: 'MEMBER', type: 'USER', status: 'ACTIVE', delivery_settings: 'ALL_MAIL' });
  });

  it('add: an email address is sent as `email`; remote_data reaches the Member body (role)', async () => {
    await call('groups', 'add', { body: { group_id: 'sales@example.com', user_id: 'carol@example.com', remote_data: { role: 'MANAGER' } } });
    expect(google.requests[0].json).toEqual({ email: 'carol@example.com', role: 'MANAGER' });
    expect(google.state.findMember(G.sales, U.carol)?.role).toBe('MANAGER');
  });

  it('add: a duplicate membership (409 "Member already exists.") is a success', async () => {
    const exchanges: Exchange[] = [];
    const res = await call('groups', 'add', { body: { group_id: G.engineering, user_id: U.bob }, exchanges });
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(exchanges.map((e) => [e.step, e.response?.status])).toEqual([['add_member', 409], ['get_group', 200]]);
    expect(exchanges[0].response?.body).toEqual({ error: { code: 409, message: 'Member already exists.', errors: [{ message: 'Member already exists.', domain: 'global', reason: 'duplicate' }] } });
    expect(google.state.members(G.engineering)).toHaveLength(5);
  });

  it('add: an unknown group is not_found (404 groupKey) and nothing is read back', async () => {
    const err = await failure(call('groups', 'add', { body: { group_id: 'nope@example.com', user_id: U.bob } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.remote?.code).toBe('notFound');
    expect(google.requests).toHaveLength(1);
  });

  it('add: an unknown user is Google\'s 400 "Invalid Input: memberKey" (invalid_request)', async () => {
    const err = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: '100000000000000000000' } }));
    expect(err.kind).toBe('invalid_request');
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('Invalid Input: memberKey');
  });

  it('add: a 403 userRateLimitExceeded is retried after a backoff, then succeeds', async () => {
    google.inject({ kind: 'rateLimit', match: { method: 'POST', path: `${API}/groups/*/members` } });
    const res = await call('groups', 'add', { body: { group_id: G.sales, user_id: U.bob } });
    expect(res.body).toMatchObject(SALES);
    expect(google.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
      ['POST', 403, 'rateLimit'],
      ['POST', 200, undefined],
      ['GET', 200, undefined],
    ]);
    expect(clock.sleeps).toEqual([500]); // base 1000 ms, full jitter at random() = 0.5
    expect(google.state.isMember(G.sales, U.bob)).toBe(true);
  });

  it('rate limits: rateLimitExceeded, quotaExceeded and a 429 are retried too; backoff doubles', async () => {
    google.inject([
      { kind: 'rateLimit', reason: 'rateLimitExceeded' },
      { kind: 'rateLimit', reason: 'quotaExceeded' },
      { kind: 'rateLimit', status: 429 },
    ]);
    const res = await call('groups', 'get', { query: { id: G.sales } });
    expect(res.body).toMatchObject(SALES);
    expect(google.requests.map((r) => r.status)).toEqual([403, 403, 429, 200]);
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
  });

  it('rate limits: still limited after every attempt is rate_limited (429) with the Google error kept', async () => {
    google.inject({ kind: 'rateLimit', times: Infinity });
    const err = await failure(call('users', 'get', { query: { id: U.alice } }));
    expect(err.kind).toBe('rate_limited');
    expect(err.statusCode).toBe(429);
    expect(err.remote).toEqual({
      status: 403,
      code: 'userRateLimitExceeded',
      body: { error: { code: 403, message: 'User Rate Limit Exceeded', errors: [{ message: 'User Rate Limit Exceeded', domain: 'usageLimits', reason: 'userRateLimitExceeded' }] } },
    });
    expect(google.requests).toHaveLength(4); // max_attempts
  });

  it('rate limits: the fake\'s own per-user quota answers 403 userRateLimitExceeded; the engine waits it out', async () => {
    await startGoogle({ rateLimit: { limit: 2, windowSeconds: 1 } });
    await call('groups', 'get', { query: { id: G.sales } });
    await call('groups', 'get', { query: { id: G.sales } });
    const res = await call('groups', 'get', { query: { id: G.sales } });
    expect(res.body).toMatchObject(SALES);
    expect(google.requests.map((r) => r.status)).toEqual([200, 200, 403, 403, 200]);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('remove: DELETE the member (204), then read the group back', async () => {
    const res = await call('groups', 'remove', { body: { group_id: G.engineering, user_id: U.bob } });
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(google.state.isMember(G.engineering, U.bob)).toBe(false);
    expect(google.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['DELETE', `${API}/groups/${G.engineering}/members/${U.bob}`, 204],
      ['GET', `${API}/groups/${G.engineering}`, 200],
    ]);
  });

  it('remove: a non-member (404 "Resource Not Found: memberKey") is a success', async () => {
    const exchanges: Exchange[] = [];
    const res = await call('groups', 'remove', { body: { group_id: G.sales, user_id: 'bob@example.com' }, exchanges });
    expect(res.body).toEqual({ ...SALES, remote_data: groupJson(G.sales) });
    expect(google.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['DELETE', `${API}/groups/${G.sales}/members/bob%40example.com`, 404],
      ['GET', `${API}/groups/${G.sales}`, 200],
    ]);
    expect(exchanges[0].response?.body).toEqual({ error: { code: 404, message: 'Resource Not Found: memberKey', errors: [{ message: 'Resource Not Found: memberKey', domain: 'global', reason: 'notFound' }] } });
  });

  it('remove: an unknown group (404 "Resource Not Found: groupKey") is not_found', async () => {
    const err = await failure(call('groups', 'remove', { body: { group_id: 'nope@example.com', user_id: U.bob } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.message).toContain('Resource Not Found: groupKey');
    expect(google.requests).toHaveLength(1);
  });
});

describe('google group members', () => {
  it('list: the user members of a group (nested groups left out); status from the member status', async () => {
    const res = await call('group_members', 'list', { query: { group_id: G.engineering } });
    const body = res.body as ListBody;
    const member = (id: string, email: string, status: string) => ({ id, email, first_name: null, last_name: null, name: null, status, created_at: null, updated_at: null });
    expect(body.result.map(({ remote_data: _r, ...rest }) => rest)).toEqual([
      member(U.alice, 'alice@example.com', 'active'),
      member(U.bob, 'bob@example.com', 'active'),
      member(U.carol, 'carol@example.com', 'active'),
      member(U.dave, 'dave@example.com', 'suspended'),
    ]);
    expect(body.result[0].remote_data).toEqual({ kind: 'admin#directory#member', etag: expect.any(String), id: U.alice, email: 'alice@example.com', role: 'OWNER', type: 'USER', status: 'ACTIVE' });
    expect(body.next_cursor).toBeNull();
    expect(wire()).toEqual([`GET ${API}/groups/${G.engineering}/members`]);
  });

  it('list: pages of 1 skip a page holding only a nested group; every user once, full last page ends it', async () => {
    const pages = await walk('group_members', { group_id: G.engineering, limit: 1 });
    expect(pages.map((p) => p.result.map((m) => m.id))).toEqual([[U.alice], [U.bob], [U.carol], [U.dave]]);
    expect(pages.at(-1)!.next_cursor).toBeNull();
    expect(google.requests).toHaveLength(5); // the GROUP member's page was read and skipped
  });

  it('list: an empty group (no `members` key) and a group of "all users" (CUSTOMER) list no users', async () => {
    expect((await call('group_members', 'list', { query: { group_id: G.announcements } })).body).toEqual({ result: [], next_cursor: null, result_count: 0 });
    expect((await call('group_members', 'list', { query: { group_id: G.allStaff } })).body).toEqual({ result: [], next_cursor: null, result_count: 0 });
  });

  it('list: remote_query reaches Google (roles)', async () => {
    const res = await call('group_members', 'list', { query: { group_id: G.engineering, remote_query: { roles: 'OWNER' } } });
    expect((res.body as ListBody).result.map((m) => m.id)).toEqual([U.alice]);
    expect(google.requests[0].query).toEqual({ roles: 'OWNER' });
  });

  it('list: an unknown group is not_found', async () => {
    const err = await failure(call('group_members', 'list', { query: { group_id: 'nope@example.com' } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
  });
});

describe('google users', () => {
  it('get: maps the user; archived is inactive, suspended is suspended, never signed in is still active', async () => {
    expect((await call('users', 'get', { query: { id: U.alice } })).body).toEqual({ ...ALICE, remote_data: userJson(U.alice) });
    expect((await call('users', 'get', { query: { id: 'dave@example.com' } })).body).toEqual({ ...DAVE, remote_data: userJson(U.dave) });
    expect((await call('users', 'get', { query: { id: U.erin } })).body).toEqual({ ...ERIN, remote_data: userJson(U.erin) });
    expect((await call('users', 'get', { query: { id: U.frank } })).body).toEqual({ ...FRANK, remote_data: userJson(U.frank) });
    expect((await call('users', 'get', { query: { id: 'a.anders@example.com' } })).body).toMatchObject({ id: U.alice });
  });

  it('get: an unknown user is not_found (404 userKey)', async () => {
    const err = await failure(call('users', 'get', { query: { id: 'nobody@example.com' } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.message).toContain('Resource Not Found: userKey');
  });

  it('list: one page (Google default 100), every user', async () => {
    const body = (await call('users', 'list')).body as ListBody;
    expect(body.result.map((u) => u.id)).toEqual(ALL_USERS);
    expect(body.result[0]).toEqual({ ...ALICE, remote_data: userJson(U.alice) });
    expect(body.result.map((u) => u.status)).toEqual(['active', 'active', 'active', 'suspended', 'inactive', 'active']);
    expect(body.next_cursor).toBeNull();
    expect(wire()).toEqual([`GET ${API}/users?customer=my_customer`]);
  });

  it('list: pages of 3 end on a full last page; every user exactly once; users take up to 500 a page', async () => {
    const pages = await walk('users', { limit: 3 });
    expect(pages.map((p) => p.result.map((u) => u.id))).toEqual([ALL_USERS.slice(0, 3), ALL_USERS.slice(3)]);
    expect(pages[1].next_cursor).toBeNull();
    expect(google.requests[1].query).toEqual({ customer: 'my_customer', maxResults: '3', pageToken: expect.any(String) });
    await call('users', 'list', { query: { limit: 100000 } });
    expect(google.requests.at(-1)!.query.maxResults).toBe('500');
  });

  it('list: with a token on the full last page the walk still ends, each user once', async () => {
    await startGoogle({ tokenOnFullLastPage: true });
    const pages = await walk('users', { limit: 2 });
    expect(pages.map((p) => p.result_count)).toEqual([2, 2, 2, 0]);
    expect(pages.flatMap((p) => p.result.map((u) => u.id))).toEqual(ALL_USERS);
  });

  it('list: remote_query reaches Google (query)', async () => {
    const body = (await call('users', 'list', { query: { remote_query: { query: 'isSuspended=true' } } })).body as ListBody;
    expect(body.result.map((u) => u.id)).toEqual([U.dave]);
    expect(google.requests[0].query).toEqual({ customer: 'my_customer', query: 'isSuspended=true' });
  });

  it('a bad next_cursor is refused before anything is sent; a token Google refuses is invalid_request', async () => {
    const err = await failure(call('users', 'list', { query: { next_cursor: 'not a cursor' } }));
    expect(err.kind).toBe('invalid_request');
    expect(google.requests).toHaveLength(0);
    const forged = Buffer.from(JSON.stringify({ v: 1, kind: 'token', token: 'CgForged' })).toString('base64url');
    const refused = await failure(call('users', 'list', { query: { next_cursor: forged } }));
    expect(refused.kind).toBe('invalid_request');
    expect(refused.message).toContain('Invalid Input: CgForged');
  });
});

describe('google auth', () => {
  it('an unknown token is unauthorized (401 authError), not retried', async () => {
    const err = await failure(call('groups', 'get', { query: { id: G.sales }, credentials: { access_token: 'ya29.expired' } }));
    expect(err.kind).toBe('unauthorized');
    expect(err.statusCode).toBe(401);
    expect(err.remote?.code).toBe('authError');
    expect(google.requests).toHaveLength(1);
  });

  it('a token without the group scope is forbidden (403 insufficientPermissions), not retried as a rate limit', async () => {
    await startGoogle({ tokens: [{ token: 'ya29.readonly', scopes: ['https://www.googleapis.com/auth/admin.directory.group.readonly'] }] });
    expect((await call('groups', 'get', { query: { id: G.sales }, credentials: { access_token: 'ya29.readonly' } })).body).toMatchObject(SALES);
    const err = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: U.bob }, credentials: { access_token: 'ya29.readonly' } }));
    expect(err.kind).toBe('forbidden');
    expect(err.statusCode).toBe(403);
    expect(clock.sleeps).toEqual([]);
  });
});
