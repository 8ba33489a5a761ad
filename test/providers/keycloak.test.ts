/**
 * Every Keycloak operation through the engine against the fake Keycloak Admin API, over real HTTP on
 * loopback. The engine's clock and sleep are fakes: a Retry-After wait moves the clock instead of
 * sleeping, so the file stays fast.
 */

import { describe, expect, it } from 'vitest';
import type { UnifiedResult } from '../../engine/index.js';
import {
  DEFAULT_ACCESS_TOKEN,
  SEED_GROUP_IDS as G,
  SEED_SLASH_REALM,
  SEED_USER_IDS as U,
  startFakeKeycloak,
  type FakeKeycloak,
  type RealmState,
} from '../fakes/keycloak/index.js';
import { failure } from '../support/failure.js';
import { useProviderHarness } from '../support/provider-harness.js';

const START = Date.parse('2025-01-15T10:00:00.000Z');
let kc: FakeKeycloak;
const harness = useProviderHarness({ integration: 'keycloak', start: START, startFake: startFakeKeycloak, onStart: (fake) => (kc = fake) });
const { clock, restart: startKeycloak } = harness;

interface Call {
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
  context?: Record<string, unknown>;
  token?: string;
}

function call(resource: string, method: string, { query = {}, body, context = {}, token = DEFAULT_ACCESS_TOKEN }: Call = {}): Promise<UnifiedResult> {
  return harness.engine.execute({
    account: { integration: 'keycloak', context: { host: kc.host, realm: 'acme', ...context }, credentials: { access_token: token } },
    model: 'user-directory',
    resource,
    method,
    query,
    body,
  });
}

const FULL_ACCESS = { view: true, manage: true };
const acme = (): RealmState => kc.state.realm('acme')!;
/** What the fake answers for a group or user right now: the expected remote_data. */
const groupJson = (id: string, realm = acme()) => realm.groupJson(realm.getGroup(id)!, { full: true, access: FULL_ACCESS });
const userJson = (id: string, realm = acme()) => realm.userJson(realm.users.get(id)!, { access: FULL_ACCESS });
/** The requests the fake received, as `METHOD url`. */
const wire = () => kc.requests.map((r) => `${r.method} ${r.url}`);
const R = '/admin/realms/acme';

type ListBody = { result: Array<Record<string, unknown>>; next_cursor: string | null; result_count: number };

const ENGINEERING = { id: G.engineering, name: 'Engineering', description: 'All engineers', group_type: 'group', created_at: null, updated_at: null };
const SALES = { id: G.sales, name: 'Sales', description: null, group_type: 'group', created_at: null, updated_at: null };
const JANE = {
  id: U.jane,
  email: 'jane.doe@example.com',
  first_name: 'Jane',
  last_name: 'Doe',
  name: 'Jane Doe',
  status: 'active',
  created_at: '2023-04-12T09:41:05.123Z',
  updated_at: null,
};
const ISAAC = { ...JANE, id: U.isaac, email: 'isaac.brock@example.com', first_name: 'Isaac', last_name: 'Brock', name: 'Isaac Brock', created_at: '2023-03-01T17:02:11.000Z' };
const JOHN = { ...JANE, id: U.john, email: 'john.smith@example.com', first_name: 'John', last_name: 'Smith', name: 'John Smith', created_at: '2023-04-12T09:45:30.000Z' };

describe('keycloak groups', () => {
  it('get: maps the group; Keycloak groups have no timestamps', async () => {
    const res = await call('groups', 'get', { query: { id: G.engineering } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(wire()).toEqual([`GET ${R}/groups/${G.engineering}`]);
    expect(kc.requests[0].headers.authorization).toBe(`Bearer ${DEFAULT_ACCESS_TOKEN}`);
    expect(kc.requests[0].headers.accept).toBe('application/json');
    expect(res.headers).toEqual({});
    // remote_data is Keycloak's representation, attributes and path included.
    expect((res.body as { remote_data: Record<string, unknown> }).remote_data).toMatchObject({ path: '/Engineering', subGroupCount: 2, attributes: { cost_center: ['ENG-100'] } });
  });

  it('get: a subgroup; a group without description has description null', async () => {
    const backend = await call('groups', 'get', { query: { id: G.backend } });
    expect(backend.body).toEqual({ id: G.backend, name: 'Backend', description: 'Backend services', group_type: 'group', created_at: null, updated_at: null, remote_data: groupJson(G.backend) });
    expect((backend.body as { remote_data: Record<string, unknown> }).remote_data).toMatchObject({ path: '/Engineering/Backend', parentId: G.engineering });
    expect((await call('groups', 'get', { query: { id: G.sales } })).body).toEqual({ ...SALES, remote_data: groupJson(G.sales) });
  });

  it('get: not found is kind not_found (404) with the remote error kept', async () => {
    const err = await failure(call('groups', 'get', { query: { id: 'no-such-group' } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.remote).toEqual({ status: 404, body: { error: 'Could not find group by id' }, code: undefined });
    expect(err.message).toBe('Keycloak (get_group) failed: Could not find group by id');
  });

  it('create: POST answers 201 with a Location and no body; the group is read back by the id in the Location', async () => {
    const res = await call('groups', 'create', { body: { name: 'Platform', description: 'Platform team' } });
    const created = acme().topLevelGroups().find((g) => g.name === 'Platform')!;
    expect(res.body).toEqual({ id: created.id, name: 'Platform', description: 'Platform team', group_type: 'group', created_at: null, updated_at: null, remote_data: groupJson(created.id) });
    expect(kc.requests.map((r) => [r.method, r.url, r.status, r.json])).toEqual([
      ['POST', `${R}/groups`, 201, { name: 'Platform', description: 'Platform team' }],
      ['GET', `${R}/groups/${created.id}`, 200, undefined],
    ]);
    expect(kc.requests[0].headers['content-type']).toBe('application/json');
  });

  it('create: a null description is left out; name is required; a duplicate top-level name is a conflict', async () => {
    const res = await call('groups', 'create', { body: { name: 'No description', description: null } });
    expect(kc.requests[0].json).toEqual({ name: 'No description' });
    expect(res.body).toMatchObject({ name: 'No description', description: null });

    const missing = await failure(call('groups', 'create', { body: { description: 'x' } }));
    expect(missing.kind).toBe('invalid_request');
    expect(missing.details).toEqual([{ path: 'body.name', message: 'is required by keycloak' }]);
    expect(kc.requests).toHaveLength(2);

    const dup = await failure(call('groups', 'create', { body: { name: 'Sales' } }));
    expect(dup.kind).toBe('conflict');
    expect(dup.statusCode).toBe(409);
    expect(dup.message).toBe("Keycloak (create_group) failed: Top level group named 'Sales' already exists.");
    expect(kc.requests).toHaveLength(3);
  });

  it('update: reads the group, PUTs the merged representation (204), reads it back', async () => {
    const res = await call('groups', 'update', { query: { id: G.engineering }, body: { name: 'Engineering (all)' } });
    expect(res.body).toEqual({ ...ENGINEERING, name: 'Engineering (all)', remote_data: groupJson(G.engineering) });
    expect(kc.requests.map((r) => [r.method, r.path, r.status, r.json])).toEqual([
      ['GET', `${R}/groups/${G.engineering}`, 200, undefined],
      ['PUT', `${R}/groups/${G.engineering}`, 204, { id: G.engineering, name: 'Engineering (all)', description: 'All engineers', attributes: { cost_center: ['ENG-100'] } }],
      ['GET', `${R}/groups/${G.engineering}`, 200, undefined],
    ]);
    expect(acme().getGroup(G.engineering)).toMatchObject({ name: 'Engineering (all)', description: 'All engineers', attributes: { cost_center: ['ENG-100'] } });
  });

  it('update: a description alone keeps the name; null clears it; an empty body changes nothing', async () => {
    await call('groups', 'update', { query: { id: G.sales }, body: { description: 'Sales team' } });
    expect(acme().getGroup(G.sales)).toMatchObject({ name: 'Sales', description: 'Sales team' });
    const cleared = await call('groups', 'update', { query: { id: G.sales }, body: { description: null } });
    expect(kc.requests[4].json).toEqual({ id: G.sales, name: 'Sales', description: null, attributes: {} });
    expect(cleared.body).toEqual({ ...SALES, remote_data: groupJson(G.sales) });
    await call('groups', 'update', { query: { id: G.support }, body: {} });
    expect(kc.requests[7].json).toEqual({ id: G.support, name: 'Support', description: 'Customer support', attributes: {} });
    expect(acme().getGroup(G.support)).toMatchObject({ name: 'Support', description: 'Customer support' });
  });

  it('update: not found stops at the read; a sibling name is a conflict', async () => {
    const err = await failure(call('groups', 'update', { query: { id: 'no-such-group' }, body: { name: 'x' } }));
    expect(err.kind).toBe('not_found');
    expect(wire()).toEqual([`GET ${R}/groups/no-such-group`]);
    const dup = await failure(call('groups', 'update', { query: { id: G.frontend }, body: { name: 'Backend' } }));
    expect(dup.kind).toBe('conflict');
    expect(dup.message).toContain("Sibling group named 'Backend' already exists.");
    expect(acme().getGroup(G.frontend)!.name).toBe('Frontend');
  });

  it('delete: 204, returns the id; subgroups and memberships go with it; deleting it again is not_found', async () => {
    const res = await call('groups', 'delete', { query: { id: G.engineering } });
    expect(res.body).toEqual({ id: G.engineering });
    expect(acme().getGroup(G.engineering)).toBeUndefined();
    expect(acme().getGroup(G.backend)).toBeUndefined();
    expect(acme().groupsOf(U.sachin)).toEqual([]);
    const err = await failure(call('groups', 'delete', { query: { id: G.engineering } }));
    expect(err.kind).toBe('not_found');
    expect(kc.requests.map((r) => [r.method, r.url, r.status])).toEqual([
      ['DELETE', `${R}/groups/${G.engineering}`, 204],
      ['DELETE', `${R}/groups/${G.engineering}`, 404],
    ]);
  });

  it('list: one page of the top-level groups in name order, full representations, 100 a page', async () => {
    const body = (await call('groups', 'list')).body as ListBody;
    expect(kc.requests.map((r) => r.query)).toEqual([{ briefRepresentation: 'false', first: '0', max: '100' }]);
    expect(body.result.map((g) => g.name)).toEqual(['Contractors', 'Engineering', 'Sales', 'Support']);
    expect(body.next_cursor).toBeNull();
    expect(body.result_count).toBe(4);
    expect(body.result[1]).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(body.result[0]).toEqual({ id: G.contractors, name: 'Contractors', description: null, group_type: 'group', created_at: null, updated_at: null, remote_data: groupJson(G.contractors) });
  });

  it('list: walks full pages of 2 with next_cursor, every group exactly once; the full last page is followed by an empty one', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const body = (await call('groups', 'list', { query: { limit: 2, ...(cursor ? { next_cursor: cursor } : {}) } })).body as ListBody;
      sizes.push(body.result_count);
      seen.push(...body.result.map((g) => g.id as string));
      cursor = body.next_cursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([2, 2, 0]);
    expect(seen).toEqual([G.contractors, G.engineering, G.sales, G.support]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(kc.requests.map((r) => [r.query.first, r.query.max, r.status])).toEqual([
      ['0', '2', 200],
      ['2', '2', 200],
      ['4', '2', 200],
    ]);
  });

  it('list: remote_query[search] reaches Keycloak, which answers with the top-level groups above the matches', async () => {
    const body = (await call('groups', 'list', { query: { remote_query: { search: 'end' } } })).body as ListBody;
    expect(kc.requests[0].query).toEqual({ briefRepresentation: 'false', search: 'end', first: '0', max: '100' });
    expect(body.result.map((g) => g.name)).toEqual(['Engineering']);
    const subGroups = (body.result[0].remote_data as { subGroups: Array<{ name: string }> }).subGroups;
    expect(subGroups.map((g) => g.name)).toEqual(['Backend', 'Frontend']);
  });
});

describe('keycloak group membership', () => {
  it('add: PUT (204, no body), then the group is read back; the fake shows the membership', async () => {
    expect(acme().isMember(G.sales, U.isaac)).toBe(false);
    const res = await call('groups', 'add', { body: { group_id: G.sales, user_id: U.isaac } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...SALES, remote_data: groupJson(G.sales) });
    expect(acme().isMember(G.sales, U.isaac)).toBe(true);
    expect(kc.requests.map((r) => [r.method, r.url, r.status, r.body])).toEqual([
      ['PUT', `${R}/users/${U.isaac}/groups/${G.sales}`, 204, ''],
      ['GET', `${R}/groups/${G.sales}`, 200, ''],
    ]);
    expect(kc.requests[0].headers['content-length']).toBe('0');
  });

  it('add: a duplicate membership is a silent 204 and a success', async () => {
    const res = await call('groups', 'add', { body: { group_id: G.engineering, user_id: U.jane } });
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(kc.requests[0].status).toBe(204);
    expect(acme().membersOf(G.engineering).map((u) => u.id)).toEqual([U.isaac, U.jane, U.john]);
  });

  it('add: an unknown user or group is not_found with Keycloak message', async () => {
    const user = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: 'no-such-user' } }));
    expect([user.kind, user.statusCode, user.message]).toEqual(['not_found', 404, 'Keycloak (add_member) failed: User not found']);
    const group = await failure(call('groups', 'add', { body: { group_id: 'no-such-group', user_id: U.jane } }));
    expect([group.kind, group.statusCode, group.message]).toEqual(['not_found', 404, 'Keycloak (add_member) failed: Group not found']);
    expect(group.remote?.body).toEqual({ error: 'Group not found' });
    expect(kc.requests).toHaveLength(2); // nothing is read back after a failed change
  });

  it('remove: DELETE (204), then the group is read back', async () => {
    const res = await call('groups', 'remove', { body: { group_id: G.engineering, user_id: U.jane } });
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(acme().isMember(G.engineering, U.jane)).toBe(false);
    expect(kc.requests.map((r) => [r.method, r.url, r.status])).toEqual([
      ['DELETE', `${R}/users/${U.jane}/groups/${G.engineering}`, 204],
      ['GET', `${R}/groups/${G.engineering}`, 200],
    ]);
  });

  it('remove: a user who is not a member is a success (Keycloak answers 204)', async () => {
    const res = await call('groups', 'remove', { body: { group_id: G.contractors, user_id: U.jane } });
    expect(res.body).toMatchObject({ id: G.contractors, name: 'Contractors' });
    expect(kc.requests[0].status).toBe(204);
  });

  it('remove: an unknown group is not_found; both ids are required', async () => {
    expect((await failure(call('groups', 'remove', { body: { group_id: 'no-such-group', user_id: U.jane } }))).kind).toBe('not_found');
    const err = await failure(call('groups', 'remove', { body: { group_id: G.sales } }));
    expect(err.kind).toBe('invalid_request');
    expect(err.details).toEqual([{ path: 'body.user_id', message: 'is required by keycloak' }]);
    expect(kc.requests).toHaveLength(1);
  });

  it('add: remote_query and remote_data reach the main request (the PUT) only', async () => {
    await call('groups', 'add', { body: { group_id: G.sales, user_id: U.isaac, remote_data: { note: 'x' } }, query: { remote_query: { reason: 'onboarding' } } });
    expect(kc.requests[0].url).toBe(`${R}/users/${U.isaac}/groups/${G.sales}?reason=onboarding`);
    expect(kc.requests[0].json).toEqual({ note: 'x' });
    expect(kc.requests[1].url).toBe(`${R}/groups/${G.sales}`);
  });

  it('group_members.list: the direct members as unified users, in username order', async () => {
    const res = await call('group_members', 'list', { query: { group_id: G.sales } });
    expect(kc.requests.map((r) => [r.path, r.query])).toEqual([[`${R}/groups/${G.sales}/members`, { first: '0', max: '100' }]]);
    expect(res.body).toEqual({
      result: [
        { ...JANE, remote_data: userJson(U.jane) },
        {
          id: U.min,
          email: 'min.park@example.com',
          first_name: 'Min',
          last_name: 'Park',
          name: 'Min Park',
          status: 'inactive',
          created_at: '2023-05-02T11:20:02.000Z',
          updated_at: null,
          remote_data: userJson(U.min),
        },
      ],
      next_cursor: null,
      result_count: 2,
    });
  });

  it('group_members.list: pages of 2 (a full page, then a short last one), every member once', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const body = (await call('group_members', 'list', { query: { group_id: G.engineering, limit: 2, ...(cursor ? { next_cursor: cursor } : {}) } })).body as ListBody;
      sizes.push(body.result.length);
      seen.push(...body.result.map((u) => u.id as string));
      cursor = body.next_cursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([2, 1]);
    expect(seen).toEqual([U.isaac, U.jane, U.john]);
  });

  it('group_members.list: an unknown group is not_found', async () => {
    const err = await failure(call('group_members', 'list', { query: { group_id: 'no-such-group' } }));
    expect([err.kind, err.statusCode]).toEqual(['not_found', 404]);
  });
});

describe('keycloak users', () => {
  it('get: maps the user (createdTimestamp in epoch ms → RFC 3339; no update time)', async () => {
    const res = await call('users', 'get', { query: { id: U.jane } });
    expect(res.body).toEqual({ ...JANE, remote_data: userJson(U.jane) });
    expect(wire()).toEqual([`GET ${R}/users/${U.jane}`]);
    expect((res.body as { remote_data: Record<string, unknown> }).remote_data).toMatchObject({ username: 'jane.doe', createdTimestamp: 1681292465123, enabled: true });
  });

  it('get: disabled is inactive; missing names and email are null', async () => {
    expect((await call('users', 'get', { query: { id: U.min } })).body).toMatchObject({ status: 'inactive', name: 'Min Park' });
    expect((await call('users', 'get', { query: { id: U.sachin } })).body).toMatchObject({ first_name: 'Sachin', last_name: null, name: 'Sachin', status: 'active' });
    expect((await call('users', 'get', { query: { id: U.svc } })).body).toEqual({
      id: U.svc,
      email: null,
      first_name: null,
      last_name: null,
      name: null,
      status: 'active',
      created_at: '2024-06-18T07:55:03.000Z',
      updated_at: null,
      remote_data: userJson(U.svc),
    });
  });

  it('get: not found is not_found', async () => {
    const err = await failure(call('users', 'get', { query: { id: 'no-such-user' } }));
    expect([err.kind, err.statusCode, err.message]).toEqual(['not_found', 404, 'Keycloak (get_user) failed: User not found']);
  });

  it('list: walks full pages of 3 in username order, every user exactly once; the full last page is followed by an empty one', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const body = (await call('users', 'list', { query: { limit: 3, ...(cursor ? { next_cursor: cursor } : {}) } })).body as ListBody;
      if (sizes.length === 0) expect(body.result.slice(0, 3)).toEqual([
        { ...ISAAC, remote_data: userJson(U.isaac) },
        { ...JANE, remote_data: userJson(U.jane) },
        { ...JOHN, remote_data: userJson(U.john) },
      ]);
      sizes.push(body.result.length);
      seen.push(...body.result.map((u) => u.id as string));
      cursor = body.next_cursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([3, 3, 0]);
    expect(seen).toEqual([U.isaac, U.jane, U.john, U.min, U.sachin, U.svc]);
    expect(new Set(seen).size).toBe(6);
    expect(kc.requests.map((r) => r.query)).toEqual([
      { first: '0', max: '3' },
      { first: '3', max: '3' },
      { first: '6', max: '3' },
    ]);
  });

  it('list: remote_query[enabled] reaches Keycloak', async () => {
    const body = (await call('users', 'list', { query: { remote_query: { enabled: 'false' } } })).body as ListBody;
    expect(kc.requests[0].query).toEqual({ enabled: 'false', first: '0', max: '100' });
    expect(body.result.map((u) => [u.id, u.status])).toEqual([[U.min, 'inactive']]);
  });
});

describe('keycloak rate limits', () => {
  it('a 429 from a proxy is waited out for Retry-After, then the call succeeds', async () => {
    kc.inject({ kind: 'rateLimit', retryAfter: 3, match: { method: 'GET', path: `${R}/groups/*` } });
    const res = await call('groups', 'get', { query: { id: G.engineering } });
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(kc.requests.map((r) => [r.method, r.url, r.status, r.fault])).toEqual([
      ['GET', `${R}/groups/${G.engineering}`, 429, 'rateLimit'],
      ['GET', `${R}/groups/${G.engineering}`, 200, undefined],
    ]);
    expect(clock.sleeps).toEqual([3000]); // exactly Retry-After; the fake clock moved, nothing slept
  });

  it('a 429 on the membership PUT, and on a page of a list, is retried too (Retry-After as an HTTP date)', async () => {
    kc.inject({ kind: 'rateLimit', retryAfter: new Date(START + 2000).toUTCString(), body: 'json', match: { method: 'PUT' } });
    await call('groups', 'add', { body: { group_id: G.sales, user_id: U.isaac } });
    expect(kc.requests.map((r) => [r.method, r.status])).toEqual([
      ['PUT', 429],
      ['PUT', 204],
      ['GET', 200],
    ]);
    expect(acme().isMember(G.sales, U.isaac)).toBe(true);
    kc.inject({ kind: 'rateLimit', retryAfter: 1, match: { path: `${R}/users` } });
    const body = (await call('users', 'list', { query: { limit: 2 } })).body as ListBody;
    expect(body.result).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000, 1000]);
  });

  it('rate limited on every attempt: kind rate_limited (429), nothing changed', async () => {
    kc.inject({ kind: 'rateLimit', retryAfter: 1, times: 3, match: { method: 'PUT' } });
    const err = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: U.isaac } }));
    expect([err.kind, err.statusCode]).toEqual(['rate_limited', 429]);
    expect(err.headers).toEqual({ 'ratelimit-reset': '1' });
    expect(kc.requests).toHaveLength(3);
    expect(acme().isMember(G.sales, U.isaac)).toBe(false);
  });
});

describe('keycloak realms, base path, auth', () => {
  it('a realm with a `/` in its name stays one path segment', async () => {
    const context = { realm: SEED_SLASH_REALM };
    const eu = kc.state.realm(SEED_SLASH_REALM)!;
    const res = await call('groups', 'get', { query: { id: G.euOps }, context });
    expect(res.body).toEqual({ id: G.euOps, name: 'EU Ops', description: 'Operations, EU region', group_type: 'group', created_at: null, updated_at: null, remote_data: groupJson(G.euOps, eu) });
    const users = (await call('users', 'list', { context })).body as ListBody;
    expect(users.result.map((u) => u.name)).toEqual(['Lena Fischer']);
    expect(kc.requests.map((r) => r.path)).toEqual([`/admin/realms/team%2Feu/groups/${G.euOps}`, '/admin/realms/team%2Feu/users']);
  });

  it('an unknown realm is an account problem (422), not a missing group', async () => {
    const err = await failure(call('groups', 'get', { query: { id: G.sales }, context: { realm: 'nope' } }));
    expect([err.kind, err.statusCode]).toEqual(['invalid_request', 422]);
    expect(err.message).toContain('The realm of this integrated account does not exist on the Keycloak server (Keycloak: Realm not found.)');
    expect(err.remote?.body).toEqual({ error: 'Realm not found.' });
  });

  it('base_path puts the API under /auth (legacy WildFly distributions)', async () => {
    await startKeycloak({ basePath: '/auth' });
    const res = await call('groups', 'get', { query: { id: G.sales }, context: { base_path: '/auth' } });
    expect(res.body).toMatchObject({ id: G.sales, name: 'Sales' });
    expect(kc.requests[0].path).toBe(`/auth/admin/realms/acme/groups/${G.sales}`);
    const err = await failure(call('groups', 'get', { query: { id: G.sales } }));
    expect(err.kind).toBe('not_found');
    expect(err.remote?.body).toEqual({ error: 'HTTP 404 Not Found' });
  });

  it('an invalid token is unauthorized (401); a read-only token cannot change memberships (403)', async () => {
    const bad = await failure(call('groups', 'get', { query: { id: G.sales }, token: 'expired' }));
    expect([bad.kind, bad.statusCode, bad.message]).toEqual(['unauthorized', 401, 'Keycloak (get_group) failed: HTTP 401 Unauthorized']);
    await startKeycloak({ tokens: [{ token: 'reader', roles: ['view-users'] }] });
    expect((await call('groups', 'get', { query: { id: G.sales }, token: 'reader' })).body).toMatchObject({ id: G.sales });
    const denied = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: U.isaac }, token: 'reader' }));
    expect([denied.kind, denied.statusCode]).toEqual(['forbidden', 403]);
    expect(acme().isMember(G.sales, U.isaac)).toBe(false);
  });
});

describe('keycloak remote_data', () => {
  it('remote_data reaches the create body (e.g. attributes)', async () => {
    const res = await call('groups', 'create', { body: { name: 'EMEA', remote_data: { attributes: { region: ['emea'] } } } });
    expect(kc.requests[0].json).toEqual({ name: 'EMEA', attributes: { region: ['emea'] } });
    expect((res.body as { remote_data: { attributes: unknown } }).remote_data.attributes).toEqual({ region: ['emea'] });
  });

  it('remote_data reaches the update PUT, not the reads', async () => {
    await call('groups', 'update', { query: { id: G.sales }, body: { name: 'Sales EMEA', remote_data: { attributes: { region: ['emea'] } } } });
    expect(kc.requests.map((r) => [r.method, r.json])).toEqual([
      ['GET', undefined],
      ['PUT', { id: G.sales, name: 'Sales EMEA', attributes: { region: ['emea'] } }],
      ['GET', undefined],
    ]);
    expect(acme().getGroup(G.sales)).toMatchObject({ name: 'Sales EMEA', attributes: { region: ['emea'] } });
  });

  it('a representation Keycloak cannot read is invalid_request with its error_description', async () => {
    const err = await failure(call('groups', 'create', { body: { name: 'X', remote_data: { colour: 'blue' } } }));
    expect([err.kind, err.statusCode, err.message]).toEqual(['invalid_request', 400, 'Keycloak (create_group) failed: Cannot parse the JSON']);
    expect(err.remote?.code).toBe('unknown_error');
  });
});
