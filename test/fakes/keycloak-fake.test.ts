/**
 * The fake Keycloak Admin API on its own, over raw HTTP: the behaviours the Keycloak definitions rely
 * on, checked against provider-apis.md §4 (and the [I] notes in test/fakes/keycloak/errors.ts).
 */

import { describe, expect, it } from 'vitest';

import { SEED_GROUP_IDS as G, SEED_USER_IDS as U, startFakeKeycloak, type FakeKeycloak } from './keycloak/index.js';
import { closedAfterEach, rawRequest, type RawResponse as Res } from '../support/fake-tests.js';

const fake = closedAfterEach(startFakeKeycloak);

async function call(kc: FakeKeycloak, method: string, path: string, opts: { body?: unknown; auth?: string | null; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.auth !== null) headers.authorization = opts.auth ?? kc.authorization;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  return rawRequest(`${kc.origin}${path}`, { method, headers, body });
}

const R = '/admin/realms/acme';

describe('fake keycloak: authentication and realms', () => {
  it('401 {"error":"HTTP 401 Unauthorized"} without a token or with an unknown one, before the realm is looked at', async () => {
    const kc = await fake();
    for (const auth of [null, 'Bearer nope', 'Basic dXNlcjpwYXNz']) {
      const res = await call(kc, 'GET', '/admin/realms/no-such-realm/groups', { auth });
      expect([res.status, res.json, res.headers['content-type']]).toEqual([401, { error: 'HTTP 401 Unauthorized' }, 'application/json']);
    }
  });

  it('an unknown realm is 404 {"error":"Realm not found."}; the realm is one percent-decoded segment', async () => {
    const kc = await fake();
    expect((await call(kc, 'GET', '/admin/realms/nope/groups')).json).toEqual({ error: 'Realm not found.' });
    const eu = await call(kc, 'GET', '/admin/realms/team%2Feu/groups');
    expect(eu.status).toBe(200);
    expect(eu.json.map((g: { name: string }) => g.name)).toEqual(['EU Ops']);
    // Unencoded, the slash makes "team" the realm.
    expect((await call(kc, 'GET', '/admin/realms/team/eu/groups')).json).toEqual({ error: 'Realm not found.' });
  });

  it('unknown paths, wrong methods and non-integer paging values are the generic 404', async () => {
    const kc = await fake();
    for (const [method, path] of [
      ['GET', `${R}/nothing-here`],
      ['PATCH', `${R}/groups`],
      ['POST', `${R}/groups/${G.sales}/members`],
      ['GET', `${R}/users?first=abc`],
      ['GET', `${R}/groups?max=1.5`],
      ['GET', '/realms/acme/groups'],
    ] as const) {
      const res = await call(kc, method, path);
      expect([method, path, res.status, res.json]).toEqual([method, path, 404, { error: 'HTTP 404 Not Found' }]);
    }
  });

  it('basePath serves the API under /auth only', async () => {
    const kc = await fake({ basePath: '/auth' });
    expect((await call(kc, 'GET', `/auth${R}/groups/${G.sales}`)).status).toBe(200);
    expect((await call(kc, 'GET', `${R}/groups/${G.sales}`)).status).toBe(404);
  });
});

describe('fake keycloak: groups', () => {
  it('GET /groups/{id}: the full representation, JSON with charset and no-cache', async () => {
    const kc = await fake();
    const res = await call(kc, 'GET', `${R}/groups/${G.backend}`);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.json).toEqual({
      id: G.backend,
      name: 'Backend',
      description: 'Backend services',
      path: '/Engineering/Backend',
      parentId: G.engineering,
      subGroupCount: 0,
      subGroups: [],
      attributes: {},
      realmRoles: [],
      clientRoles: {},
      access: { view: true, viewMembers: true, manageMembers: true, manage: true, manageMembership: true },
    });
    expect((await call(kc, 'GET', `${R}/groups/nope`)).json).toEqual({ error: 'Could not find group by id' });
    expect((await call(kc, 'GET', `${R}/groups/nope/members`)).json).toEqual({ error: 'Could not find group by id' });
  });

  it('GET /groups: top-level only, brief by default, offset paging without totals', async () => {
    const kc = await fake();
    const all = await call(kc, 'GET', `${R}/groups`);
    expect(all.json.map((g: { name: string }) => g.name)).toEqual(['Contractors', 'Engineering', 'Sales', 'Support']);
    expect(all.json[1]).not.toHaveProperty('attributes');
    expect((await call(kc, 'GET', `${R}/groups?briefRepresentation=false`)).json[1].attributes).toEqual({ cost_center: ['ENG-100'] });
    const page = async (first: number, max: number) => (await call(kc, 'GET', `${R}/groups?first=${first}&max=${max}`)).json.map((g: { name: string }) => g.name);
    expect([await page(0, 2), await page(2, 2), await page(4, 2)]).toEqual([['Contractors', 'Engineering'], ['Sales', 'Support'], []]);
    expect(all.headers.link).toBeUndefined();
  });

  it('POST /groups: 201, absolute Location, empty body; duplicates 409; blank names 400', async () => {
    const kc = await fake();
    const res = await call(kc, 'POST', `${R}/groups`, { body: { name: 'Platform' } });
    expect([res.status, res.text, res.headers['content-length'], res.headers['content-type']]).toEqual([201, '', '0', undefined]);
    const location = res.headers.location as string;
    expect(location).toMatch(new RegExp(`^${kc.origin}${R}/groups/[0-9a-f-]{36}$`));
    expect((await call(kc, 'GET', location.slice(kc.origin.length))).json).toMatchObject({ name: 'Platform', path: '/Platform' });
    expect(await call(kc, 'POST', `${R}/groups`, { body: { name: 'Platform' } })).toMatchObject({ status: 409, json: { errorMessage: "Top level group named 'Platform' already exists." } });
    expect(await call(kc, 'POST', `${R}/groups`, { body: { name: ' ' } })).toMatchObject({ status: 400, json: { errorMessage: 'Group name is missing' } });
  });

  it("POST and PUT read the body as Keycloak's Jackson does", async () => {
    const kc = await fake();
    const bad = { error: 'unknown_error', error_description: 'Cannot parse the JSON' };
    expect(await call(kc, 'POST', `${R}/groups`, { body: '{"name":' })).toMatchObject({ status: 400, json: bad });
    expect(await call(kc, 'POST', `${R}/groups`, { body: { name: 'X', colour: 'blue' } })).toMatchObject({ status: 400, json: bad });
    expect(await call(kc, 'POST', `${R}/groups`, { body: { name: 'X', attributes: { a: 'not-a-list' } } })).toMatchObject({ status: 400, json: bad });
    expect(await call(kc, 'POST', `${R}/groups`, { body: { name: 'X' }, headers: { 'content-type': 'text/plain' } })).toMatchObject({ status: 415 });
  });

  it('PUT /groups/{id}: 204; description follows the body (absent clears it); attributes only when given', async () => {
    const kc = await fake();
    const put = (body: unknown) => call(kc, 'PUT', `${R}/groups/${G.engineering}`, { body });
    expect((await put({ name: 'Eng' })).status).toBe(204);
    expect(kc.state.realm('acme')!.getGroup(G.engineering)).toMatchObject({ name: 'Eng', description: null, attributes: { cost_center: ['ENG-100'] } });
    expect(await put({ name: 'Eng', id: G.sales })).toMatchObject({ status: 400, json: { errorMessage: 'Invalid group id' } });
    expect(await put({ name: 'Sales' })).toMatchObject({ status: 409, json: { errorMessage: "Sibling group named 'Sales' already exists." } });
    expect(await put({ description: 'x' })).toMatchObject({ status: 400, json: { errorMessage: 'Group name is missing' } });
  });

  it('DELETE /groups/{id}: 204, subgroups and memberships go too', async () => {
    const kc = await fake();
    expect((await call(kc, 'DELETE', `${R}/groups/${G.engineering}`)).status).toBe(204);
    const acme = kc.state.realm('acme')!;
    expect([acme.getGroup(G.backend), acme.groupsOf(U.sachin)]).toEqual([undefined, []]);
  });
});

describe('fake keycloak: memberships and users', () => {
  it('PUT /users/{id}/groups/{gid}: 204 with no body, and again 204 for an existing member ([V] KCUR)', async () => {
    const kc = await fake();
    const path = `${R}/users/${U.isaac}/groups/${G.sales}`;
    for (let i = 0; i < 2; i++) expect(await call(kc, 'PUT', path)).toMatchObject({ status: 204, text: '' });
    expect(kc.state.realm('acme')!.membersOf(G.sales).map((u) => u.id)).toEqual([U.isaac, U.jane, U.min]);
  });

  it('DELETE membership: 204 whether or not the user was a member', async () => {
    const kc = await fake();
    const path = `${R}/users/${U.jane}/groups/${G.sales}`;
    for (let i = 0; i < 2; i++) expect((await call(kc, 'DELETE', path)).status).toBe(204);
    expect(kc.state.realm('acme')!.isMember(G.sales, U.jane)).toBe(false);
  });

  it('the user is looked up before the group: "User not found", then "Group not found"', async () => {
    const kc = await fake();
    expect((await call(kc, 'PUT', `${R}/users/nope/groups/nope`)).json).toEqual({ error: 'User not found' });
    expect(await call(kc, 'PUT', `${R}/users/${U.jane}/groups/nope`)).toMatchObject({ status: 404, json: { error: 'Group not found' } });
    expect(await call(kc, 'DELETE', `${R}/users/${U.jane}/groups/nope`)).toMatchObject({ status: 404, json: { error: 'Group not found' } });
  });

  it('a view-users token reads but cannot change: 403 {"error":"HTTP 403 Forbidden"}; access maps follow the roles', async () => {
    const kc = await fake({ tokens: [{ token: 'reader', roles: ['view-users'] }] });
    const auth = 'Bearer reader';
    expect(await call(kc, 'PUT', `${R}/users/${U.isaac}/groups/${G.sales}`, { auth })).toMatchObject({ status: 403, json: { error: 'HTTP 403 Forbidden' } });
    expect((await call(kc, 'GET', `${R}/users/${U.jane}`, { auth })).json.access).toEqual({ manageGroupMembership: false, view: true, mapRoles: false, impersonate: false, manage: false });
    expect((await call(kc, 'GET', `${R}/groups/${G.sales}`, { auth })).json.access).toMatchObject({ view: true, manage: false });
  });

  it('GET /users: username order, 100 a page unless max is given; members likewise', async () => {
    const kc = await fake();
    const acme = kc.state.realm('acme')!;
    for (let i = 0; i < 120; i++) {
      const u = acme.addUser({ username: `bulk-${String(i).padStart(3, '0')}` });
      acme.join(G.support, u.id);
    }
    const users = await call(kc, 'GET', `${R}/users`);
    expect(users.json).toHaveLength(100);
    expect(users.json[0].username).toBe('bulk-000');
    expect((await call(kc, 'GET', `${R}/users?first=120`)).json.map((u: { username: string }) => u.username)).toEqual(['isaac.brock', 'jane.doe', 'john.smith', 'min.park', 'sachin.patel', 'svc-reporting']);
    expect((await call(kc, 'GET', `${R}/users?first=200&max=10`)).json).toEqual([]);
    expect((await call(kc, 'GET', `${R}/groups/${G.support}/members`)).json).toHaveLength(100);
    expect((await call(kc, 'GET', `${R}/groups/${G.support}/members?first=100&max=50`)).json).toHaveLength(20);
  });

  it('GET /users/{id}: the full representation; brief on request', async () => {
    const kc = await fake();
    const res = await call(kc, 'GET', `${R}/users/${U.jane}`);
    expect(Object.keys(res.json)).toEqual(['id', 'createdTimestamp', 'username', 'enabled', 'totp', 'emailVerified', 'firstName', 'lastName', 'email', 'disableableCredentialTypes', 'requiredActions', 'notBefore', 'access']);
    const brief = await call(kc, 'GET', `${R}/users?briefRepresentation=true&username=jane.doe&exact=true`);
    expect(brief.json).toEqual([{ id: U.jane, createdTimestamp: Date.parse('2023-04-12T09:41:05.123Z'), username: 'jane.doe', enabled: true, emailVerified: true, firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com' }]);
    expect(await call(kc, 'GET', `${R}/users/nope`)).toMatchObject({ status: 404, json: { error: 'User not found' } });
  });
});

describe('fake keycloak: faults', () => {
  it('rateLimit: 429 with Retry-After and a proxy page (or JSON), consumed once', async () => {
    const kc = await fake();
    kc.inject([
      { kind: 'rateLimit', retryAfter: 7, match: { method: 'GET', path: `${R}/groups` } },
      { kind: 'rateLimit', body: 'json', match: { path: `${R}/users/*` } },
    ]);
    const first = await call(kc, 'GET', `${R}/groups`);
    expect([first.status, first.headers['retry-after'], first.headers['content-type']]).toEqual([429, '7', 'text/html']);
    expect(first.text).toContain('429 Too Many Requests');
    expect((await call(kc, 'GET', `${R}/groups`)).status).toBe(200);
    expect(await call(kc, 'GET', `${R}/users/${U.jane}`)).toMatchObject({ status: 429, json: { error: 'Too Many Requests' } });
    expect(kc.requests.map((r) => [r.status, r.fault])).toEqual([
      [429, 'rateLimit'],
      [200, undefined],
      [429, 'rateLimit'],
    ]);
    expect(kc.pendingFaults).toBe(0);
  });
});
