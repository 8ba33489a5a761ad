/**
 * Every Okta operation through the engine against the faithful fake Okta, over real HTTP on loopback.
 * The fake and the engine share one fake clock: the engine's waits (rate-limit resets) move it instead
 * of sleeping, and the fake stamps created/lastUpdated and X-Rate-Limit-Reset from it.
 */

import { describe, expect, it } from 'vitest';
import type { Exchange, UnifiedResult } from '../../engine/index.js';
import { DEFAULT_API_TOKEN, SEED_GROUP_IDS as G, SEED_USER_IDS as U, startFakeOkta, type FakeOkta } from '../fakes/okta/index.js';
import { failure } from '../support/failure.js';
import { useProviderHarness } from '../support/provider-harness.js';

const START = Date.parse('2025-01-15T10:00:00.000Z');
let okta: FakeOkta;
const harness = useProviderHarness({ integration: 'okta', start: START, startFake: startFakeOkta, onStart: (fake) => (okta = fake) });
const { clock } = harness;

interface Call {
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

function call(resource: string, method: string, { query = {}, body }: Call = {}, exchanges?: Exchange[]): Promise<UnifiedResult> {
  return harness.engine.execute({
    account: { integration: 'okta', context: { domain: okta.host }, credentials: { api_token: DEFAULT_API_TOKEN } },
    model: 'user-directory',
    resource,
    method,
    query,
    body,
    onExchange: exchanges ? (e) => exchanges.push(e) : undefined,
  });
}

/** What the fake would answer for a group or user right now: the expected remote_data. */
const groupJson = (id: string) => okta.state.groupJson(okta.state.getGroup(id)!, okta.origin);
const userJson = (id: string, form: 'full' | 'list') => okta.state.userJson(okta.state.users.get(id)!, okta.origin, form);
const iso = (ms: number) => new Date(ms).toISOString();
/** The requests the fake received, as `METHOD url`. */
const wire = () => okta.requests.map((r) => `${r.method} ${r.url}`);

const ENGINEERING = {
  id: G.engineering,
  name: 'Engineering',
  description: 'All engineers',
  group_type: 'group',
  created_at: '2023-04-12T09:30:00.000Z',
  updated_at: '2024-11-20T08:43:55.000Z',
};
const SALES = {
  id: G.sales,
  name: 'Sales',
  description: null,
  group_type: 'group',
  created_at: '2023-05-02T11:15:42.000Z',
  updated_at: '2024-09-03T16:20:18.000Z',
};
const JANE = {
  id: U.jane,
  email: 'jane.doe@example.com',
  first_name: 'Jane',
  last_name: 'Doe',
  name: 'Jane Doe',
  status: 'active',
  created_at: '2023-04-12T09:41:05.000Z',
  updated_at: '2024-03-05T10:12:44.000Z',
};

describe('okta groups', () => {
  it('get: maps the group (updated_at is the later of lastUpdated and lastMembershipUpdated)', async () => {
    const res = await call('groups', 'get', { query: { id: G.engineering } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(wire()).toEqual([`GET /api/v1/groups/${G.engineering}`]);
    expect(res.headers).toEqual({ 'ratelimit-limit': '10000', 'ratelimit-remaining': '9999', 'ratelimit-reset': '60' });
  });

  it('get: an APP_GROUP is a group too; a null description stays null', async () => {
    expect((await call('groups', 'get', { query: { id: G.adEngineering } })).body).toEqual({
      id: G.adEngineering,
      name: 'Engineering users',
      description: 'All users in the engineering department',
      group_type: 'group',
      created_at: '2023-08-15T19:15:17.000Z',
      updated_at: '2024-10-07T22:10:45.000Z',
      remote_data: groupJson(G.adEngineering),
    });
    expect((await call('groups', 'get', { query: { id: G.sales } })).body).toEqual({ ...SALES, remote_data: groupJson(G.sales) });
  });

  it('get: not found is kind not_found (404) with the remote error kept', async () => {
    const err = await failure(call('groups', 'get', { query: { id: '00gnope0000000000000' } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.remote?.status).toBe(404);
    expect(err.remote?.code).toBe('E0000007');
    expect(err.message).toContain('Not found: Resource not found: 00gnope0000000000000 (UserGroup)');
  });

  it('create: POST /api/v1/groups answers 200 and returns the new group', async () => {
    const res = await call('groups', 'create', { body: { name: 'Platform', description: 'Platform team' } });
    const created = [...okta.state.groups.values()].find((g) => g.profile.name === 'Platform')!;
    expect(res.body).toEqual({
      id: created.id,
      name: 'Platform',
      description: 'Platform team',
      group_type: 'group',
      created_at: iso(START),
      updated_at: iso(START),
      remote_data: groupJson(created.id),
    });
    expect(okta.requests.map((r) => [r.method, r.path, r.json])).toEqual([['POST', '/api/v1/groups', { profile: { name: 'Platform', description: 'Platform team' } }]]);
  });

  it('create: a null description is left out (Okta stores null); name is required', async () => {
    const res = await call('groups', 'create', { body: { name: 'No description', description: null } });
    expect(okta.requests[0].json).toEqual({ profile: { name: 'No description' } });
    expect(res.body).toMatchObject({ name: 'No description', description: null });
    const err = await failure(call('groups', 'create', { body: { description: 'x' } }));
    expect(err.kind).toBe('invalid_request');
    expect(err.details).toEqual([{ path: 'body.name', message: 'is required by okta' }]);
    expect(okta.requests).toHaveLength(1);
  });

  it('update: reads the group, merges the change over its profile and PUTs the whole profile', async () => {
    clock.now = START + 5000;
    const res = await call('groups', 'update', { query: { id: G.engineering }, body: { name: 'Engineering (all)' } });
    expect(res.body).toEqual({
      ...ENGINEERING,
      name: 'Engineering (all)',
      updated_at: iso(START + 5000),
      remote_data: groupJson(G.engineering),
    });
    expect(okta.requests.map((r) => [r.method, r.path, r.json])).toEqual([
      ['GET', `/api/v1/groups/${G.engineering}`, undefined],
      ['PUT', `/api/v1/groups/${G.engineering}`, { profile: { name: 'Engineering (all)', description: 'All engineers' } }],
    ]);
    expect(okta.state.getGroup(G.engineering)!.profile).toEqual({ name: 'Engineering (all)', description: 'All engineers' });
  });

  it('update: a description alone keeps the name; null clears it; an empty body changes nothing', async () => {
    await call('groups', 'update', { query: { id: G.sales }, body: { description: 'Sales team' } });
    expect(okta.state.getGroup(G.sales)!.profile).toEqual({ name: 'Sales', description: 'Sales team' });
    const cleared = await call('groups', 'update', { query: { id: G.sales }, body: { description: null } });
    expect(okta.requests[3].json).toEqual({ profile: { name: 'Sales' } });
    expect(cleared.body).toMatchObject({ name: 'Sales', description: null });
    await call('groups', 'update', { query: { id: G.sales }, body: {} });
    expect(okta.requests[5].json).toEqual({ profile: { name: 'Sales' } });
    expect(okta.state.getGroup(G.sales)!.profile).toEqual({ name: 'Sales', description: null });
  });

  it('update: not found stops at the read; an APP_GROUP cannot be replaced (forbidden)', async () => {
    const err = await failure(call('groups', 'update', { query: { id: '00gnope0000000000000' }, body: { name: 'x' } }));
    expect(err.kind).toBe('not_found');
    expect(wire()).toEqual(['GET /api/v1/groups/00gnope0000000000000']);
    const denied = await failure(call('groups', 'update', { query: { id: G.adEngineering }, body: { name: 'x' } }));
    expect(denied.kind).toBe('forbidden');
    expect(denied.statusCode).toBe(403);
  });

  it('delete: 204, returns the id; deleting it again is not_found', async () => {
    const res = await call('groups', 'delete', { query: { id: G.contractors } });
    expect(res.body).toEqual({ id: G.contractors });
    expect(okta.state.getGroup(G.contractors)).toBeUndefined();
    const err = await failure(call('groups', 'delete', { query: { id: G.contractors } }));
    expect(err.kind).toBe('not_found');
    expect(wire()).toEqual([`DELETE /api/v1/groups/${G.contractors}`, `DELETE /api/v1/groups/${G.contractors}`]);
  });

  it('list: one page with the default page size of 200', async () => {
    const res = await call('groups', 'list');
    const body = res.body as { result: Array<Record<string, unknown>>; next_cursor: string | null; result_count: number };
    expect(wire()).toEqual(['GET /api/v1/groups?limit=200']);
    expect(body.next_cursor).toBeNull();
    expect(body.result_count).toBe(6);
    expect(body.result.map((g) => g.id)).toEqual([G.everyone, G.engineering, G.sales, G.contractors, G.adEngineering, G.googleMarketing]);
    expect(body.result[1]).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(body.result[5]).toEqual({
      id: G.googleMarketing,
      name: 'marketing',
      description: '',
      group_type: 'group',
      created_at: '2023-09-21T12:00:58.000Z',
      updated_at: '2023-09-21T12:25:54.000Z',
      remote_data: groupJson(G.googleMarketing),
    });
  });

  it('list: a limit above 200 is clamped to 200', async () => {
    await call('groups', 'list', { query: { limit: 5000 } });
    expect(wire()).toEqual(['GET /api/v1/groups?limit=200']);
  });

  it('list: walks two full pages with next_cursor, every group exactly once, then the end', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call('groups', 'list', { query: { limit: 3, ...(cursor ? { next_cursor: cursor } : {}) } });
      const body = res.body as { result: Array<{ id: string }>; next_cursor: string | null; result_count: number };
      expect(body.result_count).toBe(3); // both pages are full
      seen.push(...body.result.map((g) => g.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual([G.everyone, G.engineering, G.sales, G.contractors, G.adEngineering, G.googleMarketing]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(okta.requests).toHaveLength(2);
    expect(okta.requests[0].url).toBe('/api/v1/groups?limit=3');
    // The second page is Okta's own next link: same limit, plus its opaque `after`.
    expect(okta.requests[1].query).toEqual({ limit: '3', after: expect.any(String) });
  });

  it('list: remote_query reaches Okta (search) and is kept on the following pages', async () => {
    const search = 'type eq "OKTA_GROUP"';
    const first = (await call('groups', 'list', { query: { limit: 2, remote_query: { search } } })).body as { result: Array<{ id: string }>; next_cursor: string };
    expect(okta.requests[0].query).toEqual({ limit: '2', search });
    expect(first.result.map((g) => g.id)).toEqual([G.engineering, G.sales]);
    const second = (await call('groups', 'list', { query: { limit: 2, next_cursor: first.next_cursor } })).body as { result: Array<{ id: string }>; next_cursor: string | null };
    expect(okta.requests[1].query).toEqual({ limit: '2', search, after: expect.any(String) });
    expect(second.result.map((g) => g.id)).toEqual([G.contractors]);
    expect(second.next_cursor).toBeNull();
  });
});

describe('okta group membership', () => {
  it('add: the full flow of the issue — PUT (204), read the group back, unified Group, fake shows the membership', async () => {
    clock.now = START + 60_000;
    expect(okta.state.isMember(G.sales, U.isaac)).toBe(false);
    const res = await call('groups', 'add', { body: { group_id: G.sales, user_id: U.isaac } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...SALES, updated_at: iso(START + 60_000), remote_data: groupJson(G.sales) });
    expect(okta.state.isMember(G.sales, U.isaac)).toBe(true);
    expect(okta.requests.map((r) => [r.method, r.url, r.status])).toEqual([
      ['PUT', `/api/v1/groups/${G.sales}/users/${U.isaac}`, 204],
      ['GET', `/api/v1/groups/${G.sales}`, 200],
    ]);
    expect(okta.requests[0].headers['content-length']).toBe('0');
    expect(okta.requests[0].headers.authorization).toBe(`SSWS ${DEFAULT_API_TOKEN}`);
  });

  it('add: a duplicate membership is a success and changes nothing', async () => {
    clock.now = START + 60_000;
    const res = await call('groups', 'add', { body: { group_id: G.engineering, user_id: U.jane } });
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(okta.state.getGroup(G.engineering)!.lastMembershipUpdated).toBe('2024-11-20T08:43:55.000Z');
    expect(okta.state.members(G.engineering).map((u) => u.id)).toEqual([U.isaac, U.jane, U.john]);
  });

  it('add: an unknown group or user is not_found', async () => {
    expect((await failure(call('groups', 'add', { body: { group_id: '00gnope0000000000000', user_id: U.jane } }))).kind).toBe('not_found');
    const err = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: '00unope0000000000000' } }));
    expect(err.kind).toBe('not_found');
    expect(err.message).toContain('(User)');
  });

  it('remove: DELETE (204), then the group is read back', async () => {
    clock.now = START + 90_000;
    const res = await call('groups', 'remove', { body: { group_id: G.engineering, user_id: U.jane } });
    expect(res.body).toEqual({ ...ENGINEERING, updated_at: iso(START + 90_000), remote_data: groupJson(G.engineering) });
    expect(okta.state.isMember(G.engineering, U.jane)).toBe(false);
    expect(okta.requests.map((r) => [r.method, r.url, r.status])).toEqual([
      ['DELETE', `/api/v1/groups/${G.engineering}/users/${U.jane}`, 204],
      ['GET', `/api/v1/groups/${G.engineering}`, 200],
    ]);
  });

  it('remove: a user who is not a member is a success (Okta answers 204)', async () => {
    const res = await call('groups', 'remove', { body: { group_id: G.contractors, user_id: U.jane } });
    expect(res.body).toEqual({
      id: G.contractors,
      name: 'Contractors',
      description: null,
      group_type: 'group',
      created_at: '2024-06-18T07:55:03.000Z',
      updated_at: '2024-06-18T07:55:03.000Z',
      remote_data: groupJson(G.contractors),
    });
  });

  it('remove: an unknown group is not_found; both ids are required', async () => {
    expect((await failure(call('groups', 'remove', { body: { group_id: '00gnope0000000000000', user_id: U.jane } }))).kind).toBe('not_found');
    const err = await failure(call('groups', 'remove', { body: { group_id: G.sales } }));
    expect(err.kind).toBe('invalid_request');
    expect(err.details).toEqual([{ path: 'body.user_id', message: 'is required by okta' }]);
  });

  it('add: remote_data and remote_query reach the main request (the PUT) only', async () => {
    await call('groups', 'add', { body: { group_id: G.sales, user_id: U.isaac, remote_data: { note: 'x' } }, query: { remote_query: { reason: 'onboarding' } } });
    expect(okta.requests[0].url).toBe(`/api/v1/groups/${G.sales}/users/${U.isaac}?reason=onboarding`);
    expect(okta.requests[0].json).toEqual({ note: 'x' });
    expect(okta.requests[1].url).toBe(`/api/v1/groups/${G.sales}`);
  });

  it('group_members.list: the members as unified users', async () => {
    const res = await call('group_members', 'list', { query: { group_id: G.sales } });
    expect(wire()).toEqual([`GET /api/v1/groups/${G.sales}/users?limit=200`]);
    expect(res.body).toEqual({
      result: [
        { ...JANE, remote_data: userJson(U.jane, 'list') },
        {
          id: U.suspended,
          email: 'min.park@example.com',
          first_name: 'Min',
          last_name: 'Park',
          name: 'Min Park',
          status: 'suspended',
          created_at: '2023-05-02T11:20:02.000Z',
          updated_at: '2024-05-30T18:40:20.000Z',
          remote_data: userJson(U.suspended, 'list'),
        },
        {
          id: U.deprovisioned,
          email: 'ada.okafor@example.com',
          first_name: 'Ada',
          last_name: 'Okafor',
          name: 'Ada Okafor',
          status: 'inactive',
          created_at: '2023-05-02T11:22:10.000Z',
          updated_at: '2024-09-03T16:20:18.000Z',
          remote_data: userJson(U.deprovisioned, 'list'),
        },
      ],
      next_cursor: null,
      result_count: 3,
    });
  });

  it('group_members.list: pages of 2 (a full page, then a short last one), every member once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const res = await call('group_members', 'list', { query: { group_id: G.engineering, limit: 2, ...(cursor ? { next_cursor: cursor } : {}) } });
      const body = res.body as { result: Array<{ id: string }>; next_cursor: string | null };
      sizes.push(body.result.length);
      seen.push(...body.result.map((u) => u.id));
      cursor = body.next_cursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([2, 1]);
    expect(seen).toEqual([U.isaac, U.jane, U.john]);
  });

  it('group_members.list: an unknown group is not_found', async () => {
    const err = await failure(call('group_members', 'list', { query: { group_id: '00gnope0000000000000' } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
  });
});

describe('okta users', () => {
  it('get: by id, and by login (Okta accepts both)', async () => {
    expect((await call('users', 'get', { query: { id: U.jane } })).body).toEqual({ ...JANE, remote_data: userJson(U.jane, 'full') });
    expect((await call('users', 'get', { query: { id: 'jane.doe@example.com' } })).body).toEqual({ ...JANE, remote_data: userJson(U.jane, 'full') });
    expect(wire()).toEqual([`GET /api/v1/users/${U.jane}`, 'GET /api/v1/users/jane.doe%40example.com']);
  });

  it('get: name is displayName when set; not found is not_found', async () => {
    expect((await call('users', 'get', { query: { id: U.isaac } })).body).toEqual({
      id: U.isaac,
      email: 'isaac.brock@example.com',
      first_name: 'Isaac',
      last_name: 'Brock',
      name: 'Isaac Brock',
      status: 'active',
      created_at: '2023-03-01T17:02:11.000Z',
      updated_at: '2024-07-02T21:36:25.344Z',
      remote_data: userJson(U.isaac, 'full'),
    });
    const err = await failure(call('users', 'get', { query: { id: 'nobody@example.com' } }));
    expect(err.kind).toBe('not_found');
    expect(err.message).toContain('nobody@example.com (User)');
  });

  it('get: every Okta status maps to the unified status', async () => {
    const expected: Record<string, string> = {
      ACTIVE: 'active',
      PASSWORD_EXPIRED: 'active',
      RECOVERY: 'active',
      STAGED: 'pending',
      PROVISIONED: 'pending',
      SUSPENDED: 'suspended',
      LOCKED_OUT: 'suspended',
      DEPROVISIONED: 'inactive',
    };
    for (const [status, unified] of Object.entries(expected)) {
      const user = okta.state.addUser({
        status: status as never,
        profile: { login: `${status.toLowerCase()}@example.com`, email: `${status.toLowerCase()}@example.com`, firstName: status, lastName: 'User', displayName: `The ${status} user` },
      });
      const res = (await call('users', 'get', { query: { id: user.id } })).body as Record<string, unknown>;
      expect([status, res.status, res.name]).toEqual([status, unified, `The ${status} user`]);
    }
  });

  it('get: without names, name is null', async () => {
    const user = okta.state.addUser({ profile: { login: 'svc@example.com', email: 'svc@example.com' } });
    expect((await call('users', 'get', { query: { id: user.id } })).body).toEqual({
      id: user.id,
      email: 'svc@example.com',
      name: null,
      status: 'active',
      created_at: iso(START),
      updated_at: iso(START),
      remote_data: userJson(user.id, 'full'),
    });
  });

  it('list: walks two full pages of 3 (DEPROVISIONED left out, as Okta does), every user exactly once, then the end', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const res = await call('users', 'list', { query: { limit: 3, ...(cursor ? { next_cursor: cursor } : {}) } });
      const body = res.body as { result: Array<Record<string, unknown>>; next_cursor: string | null };
      sizes.push(body.result.length);
      if (sizes.length === 1) expect(body.result[1]).toEqual({ ...JANE, remote_data: userJson(U.jane, 'list') });
      seen.push(...body.result.map((u) => u.id as string));
      cursor = body.next_cursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([3, 3]);
    expect(seen).toEqual([U.isaac, U.jane, U.john, U.sachin, U.suspended, U.lockedOut]);
    expect(okta.requests.map((r) => r.query.limit)).toEqual(['3', '3']);
  });

  it('list: remote_query[filter] reaches Okta', async () => {
    const res = await call('users', 'list', { query: { remote_query: { filter: 'status eq "DEPROVISIONED"' } } });
    expect(okta.requests[0].query).toEqual({ limit: '200', filter: 'status eq "DEPROVISIONED"' });
    expect((res.body as { result: Array<{ id: string; status: string }> }).result.map((u) => [u.id, u.status])).toEqual([[U.deprovisioned, 'inactive']]);
  });
});

describe('okta rate limits and remote_data', () => {
  it('a 429 is waited out until X-Rate-Limit-Reset, then the call succeeds', async () => {
    okta.inject({ kind: 'rateLimit', resetInSeconds: 7, match: { method: 'GET', path: '/api/v1/groups/*' } });
    const res = await call('groups', 'get', { query: { id: G.engineering } });
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(okta.requests.map((r) => [r.method, r.url, r.status, r.fault])).toEqual([
      ['GET', `/api/v1/groups/${G.engineering}`, 429, 'rateLimit'],
      ['GET', `/api/v1/groups/${G.engineering}`, 200, undefined],
    ]);
    // Reset − now, plus the engine's 250 ms margin for clock skew; the fake clock moved, nothing slept.
    expect(clock.sleeps).toEqual([7250]);
  });

  it('a 429 on a page of a list is retried too', async () => {
    okta.inject({ kind: 'rateLimit', resetInSeconds: 2, match: { method: 'GET', path: '/api/v1/users' } });
    const res = await call('users', 'list', { query: { limit: 2 } });
    expect((res.body as { result: unknown[] }).result).toHaveLength(2);
    expect(okta.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(clock.sleeps).toEqual([2250]);
  });

  it('rate limited on every attempt: kind rate_limited (429) with the normalized headers', async () => {
    okta.inject({ kind: 'rateLimit', resetInSeconds: 1, times: 3, match: { method: 'PUT' } });
    const err = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: U.isaac } }));
    expect(err.kind).toBe('rate_limited');
    expect(err.statusCode).toBe(429);
    expect(err.remote?.code).toBe('E0000047');
    expect(err.headers).toMatchObject({ 'ratelimit-limit': '10000', 'ratelimit-remaining': '0' });
    expect(okta.requests).toHaveLength(3);
    expect(okta.state.isMember(G.sales, U.isaac)).toBe(false);
  });

  it('remote_data reaches the create body (deep-merged over the mapped profile)', async () => {
    const res = await call('groups', 'create', { body: { name: 'Support', description: 'mapped', remote_data: { profile: { description: 'from remote_data' } } } });
    expect(okta.requests[0].json).toEqual({ profile: { name: 'Support', description: 'from remote_data' } });
    expect(res.body).toMatchObject({ name: 'Support', description: 'from remote_data' });
  });

  it('remote_data reaches the update PUT, not the read', async () => {
    await call('groups', 'update', { query: { id: G.sales }, body: { name: 'Sales EMEA', remote_data: { profile: { description: 'EMEA' } } } });
    expect(okta.requests.map((r) => [r.method, r.json])).toEqual([
      ['GET', undefined],
      ['PUT', { profile: { name: 'Sales EMEA', description: 'EMEA' } }],
    ]);
    expect(okta.state.getGroup(G.sales)!.profile).toEqual({ name: 'Sales EMEA', description: 'EMEA' });
  });

  it('remote_query[expand] reaches a list, and the raw Okta object is remote_data', async () => {
    const res = await call('groups', 'list', { query: { limit: 1, remote_query: { expand: 'stats' } } });
    expect(okta.requests[0].query).toEqual({ limit: '1', expand: 'stats' });
    const [everyone] = (res.body as { result: Array<{ remote_data: { _embedded: unknown } }> }).result;
    expect(everyone.remote_data._embedded).toEqual({
      stats: { usersCount: 7, appsCount: 0, groupPushMappingsCount: 0, hasAdminPrivlege: false },
    });
  });
});
