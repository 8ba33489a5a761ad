/**
 * Every SCIM 2.0 operation through the engine against the faithful fake SCIM service provider, over
 * real HTTP on loopback. The fake and the engine share one fake clock: the engine's waits (Retry-After)
 * move it instead of sleeping, and the fake stamps meta.created / meta.lastModified from it.
 */

import { describe, expect, it } from 'vitest';
import type { UnifiedResult } from '../../engine/index.js';
import {
  DEFAULT_SCIM_TOKEN,
  ERROR_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  scimDate,
  SEED_GROUP_IDS as G,
  SEED_USER_IDS as U,
  startFakeScim,
  type FakeScim,
  type FakeScimOptions,
} from '../fakes/scim/index.js';
import { failure } from '../support/failure.js';
import { useProviderHarness } from '../support/provider-harness.js';

const START = Date.parse('2025-01-15T10:00:00.000Z');
let scim: FakeScim;
const harness = useProviderHarness({
  integration: 'scim',
  start: START,
  startFake: (options?: FakeScimOptions) => startFakeScim({ basePath: '/scim/v2', ...options }),
  onStart: (fake) => (scim = fake),
});
const { clock, restart: startScim } = harness;

interface Call {
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

function call(resource: string, method: string, { query = {}, body, credentials, context }: Call = {}): Promise<UnifiedResult> {
  return harness.engine.execute({
    account: {
      integration: 'scim',
      context: context ?? { host: scim.host, base_path: '/scim/v2' },
      credentials: credentials ?? { access_token: DEFAULT_SCIM_TOKEN },
    },
    model: 'user-directory',
    resource,
    method,
    query,
    body,
  });
}

/** What the fake answers for a resource right now: the expected remote_data. */
const groupJson = (id: string) => scim.state.groupJson(scim.state.groups.get(id)!, scim.baseUrl);
const userJson = (id: string) => scim.state.userJson(scim.state.users.get(id)!, scim.baseUrl);
const withoutMembers = (json: Record<string, unknown>) => {
  const { members: _members, ...rest } = json;
  return rest;
};
/** The requests the fake received, as `METHOD url`. */
const wire = () => scim.requests.map((r) => `${r.method} ${r.url}`);
const scimError = (status: number, detail: string, scimType?: string) => ({ schemas: [ERROR_SCHEMA], ...(scimType ? { scimType } : {}), detail, status: String(status) });

const TOUR_GUIDES = { id: G.tourGuides, name: 'Tour Guides', description: null, group_type: 'group', created_at: '2010-01-23T04:56:22Z', updated_at: '2011-05-13T04:42:34Z' };
const ENGINEERING = { id: G.engineering, name: 'Engineering', description: null, group_type: 'group', created_at: '2012-04-01T08:00:00Z', updated_at: '2013-07-02T21:36:25Z' };
const SALES = { id: G.sales, name: 'Sales', description: null, group_type: 'group', created_at: '2014-05-05T05:05:05Z', updated_at: '2014-05-05T05:05:05Z' };
const EMPLOYEES = { id: G.employees, name: 'Employees', description: null, group_type: 'group', created_at: '2015-06-06T06:06:06Z', updated_at: '2016-06-06T06:06:06Z' };

const BABS = { id: U.babs, email: 'bjensen@example.com', first_name: 'Barbara', last_name: 'Jensen', name: 'Babs Jensen', status: 'active', created_at: '2010-01-23T04:56:22Z', updated_at: '2011-05-13T04:42:34Z' };
const JOHN = { id: U.john, email: 'john.smith@example.com', first_name: 'John', last_name: 'Smith', name: 'John Smith', status: 'active', created_at: '2012-03-01T09:00:00Z', updated_at: '2013-07-02T21:36:25Z' };
const MARY = { id: U.mary, email: 'mpepper@example.com', first_name: 'Mary', last_name: 'Pepper', name: 'Mary Pepper', status: 'inactive', created_at: '2014-02-10T12:00:00Z', updated_at: '2015-10-05T19:16:43Z' };
const SERVICE = { id: U.service, email: null, first_name: null, last_name: null, name: null, status: null, created_at: '2016-01-01T00:00:00Z', updated_at: '2016-01-01T00:00:00Z' };

/** A group member as group_members.list maps it: a reference holds only an id and a display name. */
const memberRef = (id: string, name: string | null) => ({ id, email: null, first_name: null, last_name: null, name, status: null, created_at: null, updated_at: null });

describe('scim groups.add', () => {
  it('PATCH answering 200 with the group: one request, the group mapped from it', async () => {
    clock.now = START + 60_000;
    const res = await call('groups', 'add', { body: { group_id: G.sales, user_id: U.mary } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...SALES, updated_at: scimDate(clock.now), remote_data: groupJson(G.sales) });
    expect(wire()).toEqual([`PATCH /scim/v2/Groups/${G.sales}`]);
    const [patch] = scim.requests;
    expect(patch.json).toEqual({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [{ value: U.mary }] }] });
    expect(patch.headers['content-type']).toBe('application/scim+json');
    expect(patch.headers.accept).toBe('application/scim+json');
    expect(patch.headers.authorization).toBe(`Bearer ${DEFAULT_SCIM_TOKEN}`);
    expect(scim.state.memberIds(G.sales)).toEqual([U.mary]);
    expect((res.body as { remote_data: { members: unknown[] } }).remote_data.members).toEqual([
      { value: U.mary, $ref: `${scim.baseUrl}/Users/${U.mary}`, display: 'Mary Pepper', type: 'User' },
    ]);
  });

  it('PATCH answering 204: the group is read back with a GET', async () => {
    await startScim({ patchReturns: 204 });
    clock.now = START + 60_000;
    const res = await call('groups', 'add', { body: { group_id: G.engineering, user_id: U.babs } });
    expect(res.body).toEqual({ ...ENGINEERING, updated_at: scimDate(clock.now), remote_data: groupJson(G.engineering) });
    expect(scim.requests.map((r) => [r.method, r.url, r.status])).toEqual([
      ['PATCH', `/scim/v2/Groups/${G.engineering}`, 204],
      ['GET', `/scim/v2/Groups/${G.engineering}`, 200],
    ]);
    expect(scim.state.memberIds(G.engineering)).toEqual([U.john, U.babs]);
  });

  it('adding a member twice succeeds and changes nothing (not even lastModified)', async () => {
    for (const patchReturns of [200, 204] as const) {
      await startScim({ patchReturns });
      clock.now = START + 60_000;
      const res = await call('groups', 'add', { body: { group_id: G.tourGuides, user_id: U.babs } });
      expect(res.body).toEqual({ ...TOUR_GUIDES, remote_data: groupJson(G.tourGuides) });
      expect(scim.state.memberIds(G.tourGuides)).toEqual([U.babs, U.john]);
      expect(scim.requests.map((r) => r.status)).toEqual(patchReturns === 200 ? [200] : [204, 200]);
    }
  });

  it('an unknown group is not_found (404), with the SCIM error kept', async () => {
    const err = await failure(call('groups', 'add', { body: { group_id: 'no-such-group', user_id: U.babs } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.message).toBe('SCIM 2.0 (add_member) failed: Resource no-such-group not found');
    expect(err.remote).toEqual({ status: 404, body: scimError(404, 'Resource no-such-group not found'), code: undefined });
    expect(wire()).toEqual(['PATCH /scim/v2/Groups/no-such-group']);
  });

  it('an unknown user is the server\'s 400 invalidValue (RFC 7644 leaves the status to the server)', async () => {
    const err = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: 'nobody' } }));
    expect(err.kind).toBe('invalid_request');
    expect(err.statusCode).toBe(400);
    expect(err.remote?.code).toBe('invalidValue');
  });

  it('a 429 with Retry-After is waited out, then the PATCH is sent again', async () => {
    scim.inject({ kind: 'rateLimit', retryAfter: 2, match: { method: 'PATCH', path: '/Groups/*' } });
    const res = await call('groups', 'add', { body: { group_id: G.sales, user_id: U.john } });
    expect(clock.sleeps).toEqual([2000]);
    expect(res.body).toMatchObject({ id: G.sales, updated_at: scimDate(START + 2000) });
    expect(scim.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
      ['PATCH', 429, 'rateLimit'],
      ['PATCH', 200, undefined],
    ]);
    expect(scim.state.memberIds(G.sales)).toEqual([U.john]);
  });

  it('a rate limit that does not clear is rate_limited (429) after three attempts', async () => {
    scim.inject({ kind: 'rateLimit', retryAfter: 1, times: 3 });
    const err = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: U.john } }));
    expect(err.kind).toBe('rate_limited');
    expect(err.statusCode).toBe(429);
    expect(err.remote?.body).toEqual(scimError(429, 'Too many requests'));
    expect(clock.sleeps).toEqual([1000, 1000]);
    expect(scim.state.memberIds(G.sales)).toEqual([]);
  });

  it('passes remote_data into the PatchOp body (arrays are replaced, not merged)', async () => {
    const res = await call('groups', 'add', {
      body: { group_id: G.sales, user_id: U.john, remote_data: { Operations: [{ op: 'Add', path: 'members', value: [{ value: U.john }, { value: U.mary }] }] } },
    });
    expect(scim.requests[0].json).toEqual({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'Add', path: 'members', value: [{ value: U.john }, { value: U.mary }] }] });
    expect(scim.state.memberIds(G.sales)).toEqual([U.john, U.mary]);
    expect(res.body).toMatchObject({ id: G.sales });
  });
});

describe('scim groups.remove', () => {
  it('PATCH remove with a value filter; 200 carries the group', async () => {
    clock.now = START + 60_000;
    const res = await call('groups', 'remove', { body: { group_id: G.tourGuides, user_id: U.john } });
    expect(res.body).toEqual({ ...TOUR_GUIDES, updated_at: scimDate(clock.now), remote_data: groupJson(G.tourGuides) });
    expect(scim.requests[0].json).toEqual({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'remove', path: `members[value eq "${U.john}"]` }] });
    expect(scim.state.memberIds(G.tourGuides)).toEqual([U.babs]);
    expect(wire()).toEqual([`PATCH /scim/v2/Groups/${G.tourGuides}`]);
  });

  it('PATCH answering 204: the group is read back', async () => {
    await startScim({ patchReturns: 204 });
    const res = await call('groups', 'remove', { body: { group_id: G.tourGuides, user_id: U.babs } });
    expect(res.body).toMatchObject({ id: G.tourGuides, updated_at: scimDate(START) });
    expect(wire()).toEqual([`PATCH /scim/v2/Groups/${G.tourGuides}`, `GET /scim/v2/Groups/${G.tourGuides}`]);
    expect(scim.state.memberIds(G.tourGuides)).toEqual([U.john]);
  });

  it('removing a non-member succeeds without a change, whether the server finds nothing or says noTarget', async () => {
    for (const removeMissing of ['success', 'noTarget'] as const) {
      await startScim({ removeMissing });
      const res = await call('groups', 'remove', { body: { group_id: G.tourGuides, user_id: U.mary } });
      expect(res.body).toEqual({ ...TOUR_GUIDES, remote_data: groupJson(G.tourGuides) });
      expect(scim.requests.map((r) => [r.method, r.status])).toEqual(removeMissing === 'success' ? [['PATCH', 200]] : [['PATCH', 400], ['GET', 200]]);
    }
  });

  it('escapes quotes and backslashes of the user id inside the filter', async () => {
    const odd = 'od"d\\id';
    scim.state.addUser({ id: odd, userName: 'odd' });
    scim.state.groups.get(G.sales)!.members.push({ value: odd, type: 'User' });
    await call('groups', 'remove', { body: { group_id: G.sales, user_id: odd } });
    expect(scim.requests[0].json).toMatchObject({ Operations: [{ op: 'remove', path: 'members[value eq "od\\"d\\\\id"]' }] });
    expect(scim.state.memberIds(G.sales)).toEqual([]);
  });

  it('an unknown group is not_found', async () => {
    const err = await failure(call('groups', 'remove', { body: { group_id: 'gone', user_id: U.babs } }));
    expect([err.kind, err.statusCode]).toEqual(['not_found', 404]);
  });
});

describe('scim groups get/list/create/update/delete', () => {
  it('get maps the group; remote_data is the whole resource', async () => {
    const res = await call('groups', 'get', { query: { id: G.tourGuides } });
    expect(res).toEqual({ status: 200, body: { ...TOUR_GUIDES, remote_data: groupJson(G.tourGuides) }, headers: {} });
    expect(wire()).toEqual([`GET /scim/v2/Groups/${G.tourGuides}`]);
    expect(scim.requests[0].headers.accept).toBe('application/scim+json');
    expect(scim.requests[0].headers['content-type']).toBeUndefined();
  });

  it('get of an unknown group is not_found', async () => {
    const err = await failure(call('groups', 'get', { query: { id: 'missing' } }));
    expect([err.kind, err.statusCode]).toEqual(['not_found', 404]);
    expect(err.remote?.body).toEqual(scimError(404, 'Resource missing not found'));
  });

  it('list walks two pages with next_cursor; the last page is full and ends the list (totalResults)', async () => {
    const first = await call('groups', 'list', { query: { limit: 2 } });
    const page1 = first.body as { result: unknown[]; next_cursor: string | null; result_count: number };
    expect(page1.result).toEqual([
      { ...TOUR_GUIDES, remote_data: withoutMembers(groupJson(G.tourGuides)) },
      { ...ENGINEERING, remote_data: withoutMembers(groupJson(G.engineering)) },
    ]);
    expect(page1.result_count).toBe(2);
    expect(page1.next_cursor).toEqual(expect.any(String));

    const second = await call('groups', 'list', { query: { limit: 2, next_cursor: page1.next_cursor } });
    const page2 = second.body as { result: unknown[]; next_cursor: string | null };
    expect(page2.result).toEqual([
      { ...SALES, remote_data: withoutMembers(groupJson(G.sales)) },
      { ...EMPLOYEES, remote_data: withoutMembers(groupJson(G.employees)) },
    ]);
    expect(page2.next_cursor).toBeNull();
    expect(wire()).toEqual([
      'GET /scim/v2/Groups?excludedAttributes=members&count=2&startIndex=1',
      'GET /scim/v2/Groups?excludedAttributes=members&count=2&startIndex=3',
    ]);
  });

  it('list: walking with any page size yields every group exactly once, then the end', async () => {
    for (const limit of [1, 2, 3, 4, 5]) {
      await startScim();
      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const res = await call('groups', 'list', { query: { limit, ...(cursor ? { next_cursor: cursor } : {}) } });
        const body = res.body as { result: Array<{ id: string }>; next_cursor: string | null };
        seen.push(...body.result.map((g) => g.id));
        cursor = body.next_cursor;
      } while (cursor);
      expect(seen).toEqual([G.tourGuides, G.engineering, G.sales, G.employees]);
      expect(scim.requests).toHaveLength(Math.ceil(4 / limit));
    }
  });

  it('list honours a server that returns fewer items than asked (its own maximum)', async () => {
    await startScim({ maxResults: 3 });
    const first = (await call('groups', 'list', { query: { limit: 10 } })).body as { result: Array<{ id: string }>; next_cursor: string };
    expect(first.result.map((g) => g.id)).toEqual([G.tourGuides, G.engineering, G.sales]);
    const second = (await call('groups', 'list', { query: { limit: 10, next_cursor: first.next_cursor } })).body as { result: Array<{ id: string }>; next_cursor: string | null };
    expect(second.result.map((g) => g.id)).toEqual([G.employees]);
    expect(second.next_cursor).toBeNull();
    expect(scim.requests.map((r) => r.query.startIndex)).toEqual(['1', '4']);
  });

  it('list without a limit asks for 100 and gets one page', async () => {
    const body = (await call('groups', 'list')).body as { result: unknown[]; next_cursor: string | null };
    expect(body.result).toHaveLength(4);
    expect(body.next_cursor).toBeNull();
    expect(wire()).toEqual(['GET /scim/v2/Groups?excludedAttributes=members&count=100&startIndex=1']);
  });

  it('remote_query reaches the server: a SCIM filter', async () => {
    const body = (await call('groups', 'list', { query: { remote_query: { filter: 'displayName eq "sales"' } } })).body as { result: unknown[] };
    expect(body.result).toEqual([{ ...SALES, remote_data: withoutMembers(groupJson(G.sales)) }]);
    expect(scim.requests[0].query).toEqual({ excludedAttributes: 'members', filter: 'displayName eq "sales"', count: '100', startIndex: '1' });
  });

  it('an invalid filter is the server\'s 400 invalidFilter', async () => {
    const err = await failure(call('groups', 'list', { query: { remote_query: { filter: 'displayName eq' } } }));
    expect([err.kind, err.statusCode, err.remote?.code]).toEqual(['invalid_request', 400, 'invalidFilter']);
  });

  it('create posts a Group and maps the 201', async () => {
    clock.now = START + 5_000;
    const res = await call('groups', 'create', { body: { name: 'Support' } });
    const created = scim.state.listGroups().find((g) => g.displayName === 'Support')!;
    expect(res.body).toEqual({ id: created.id, name: 'Support', description: null, group_type: 'group', created_at: scimDate(clock.now), updated_at: scimDate(clock.now), remote_data: groupJson(created.id) });
    expect(scim.requests.map((r) => [r.method, r.url, r.status])).toEqual([['POST', '/scim/v2/Groups', 201]]);
    expect(scim.requests[0].json).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Support' });
    expect(scim.requests[0].headers['content-type']).toBe('application/scim+json');
  });

  it('create: remote_data reaches the server', async () => {
    const res = await call('groups', 'create', { body: { name: 'Support', remote_data: { externalId: 'ext-7' } } });
    expect(scim.requests[0].json).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Support', externalId: 'ext-7' });
    expect((res.body as { remote_data: { externalId: string } }).remote_data.externalId).toBe('ext-7');
  });

  it('create with a displayName in use is a conflict (409 uniqueness)', async () => {
    const err = await failure(call('groups', 'create', { body: { name: 'tour guides' } }));
    expect([err.kind, err.statusCode, err.remote?.code]).toEqual(['conflict', 409, 'uniqueness']);
    expect(err.remote?.body).toEqual(scimError(409, 'displayName "tour guides" is already in use', 'uniqueness'));
  });

  it('create requires a name', async () => {
    const err = await failure(call('groups', 'create', { body: { description: 'x' } }));
    expect([err.kind, err.statusCode]).toEqual(['invalid_request', 400]);
    expect(scim.requests).toHaveLength(0);
  });

  it('update renames with a PATCH replace (200 and 204)', async () => {
    for (const patchReturns of [200, 204] as const) {
      await startScim({ patchReturns });
      clock.now = START + 7_000;
      const res = await call('groups', 'update', { query: { id: G.sales }, body: { name: 'Sales EMEA' } });
      expect(res.body).toEqual({ ...SALES, name: 'Sales EMEA', updated_at: scimDate(clock.now), remote_data: groupJson(G.sales) });
      expect(scim.requests[0].json).toEqual({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'displayName', value: 'Sales EMEA' }] });
      expect(wire()).toEqual(patchReturns === 200 ? [`PATCH /scim/v2/Groups/${G.sales}`] : [`PATCH /scim/v2/Groups/${G.sales}`, `GET /scim/v2/Groups/${G.sales}`]);
      // Members are untouched by a replace of displayName.
      expect(scim.state.memberIds(G.sales)).toEqual([]);
    }
  });

  it('update without a name only reads the group', async () => {
    const res = await call('groups', 'update', { query: { id: G.engineering }, body: {} });
    expect(res.body).toEqual({ ...ENGINEERING, remote_data: groupJson(G.engineering) });
    expect(wire()).toEqual([`GET /scim/v2/Groups/${G.engineering}`]);
  });

  it('update of an unknown group is not_found; to a name in use is a conflict', async () => {
    const missing = await failure(call('groups', 'update', { query: { id: 'missing' }, body: { name: 'X' } }));
    expect([missing.kind, missing.statusCode]).toEqual(['not_found', 404]);
    const clash = await failure(call('groups', 'update', { query: { id: G.sales }, body: { name: 'Engineering' } }));
    expect([clash.kind, clash.statusCode]).toEqual(['conflict', 409]);
  });

  it('delete returns the id; the group is gone', async () => {
    const res = await call('groups', 'delete', { query: { id: G.sales } });
    expect(res.body).toEqual({ id: G.sales });
    expect(scim.requests.map((r) => [r.method, r.url, r.status])).toEqual([['DELETE', `/scim/v2/Groups/${G.sales}`, 204]]);
    expect(scim.state.groups.has(G.sales)).toBe(false);
    const err = await failure(call('groups', 'delete', { query: { id: G.sales } }));
    expect([err.kind, err.statusCode]).toEqual(['not_found', 404]);
  });
});

describe('scim group_members.list', () => {
  it('maps member references (id = value, name = display) in one page', async () => {
    const res = await call('group_members', 'list', { query: { group_id: G.tourGuides } });
    const members = groupJson(G.tourGuides).members as unknown[];
    expect(res.body).toEqual({
      result: [
        { ...memberRef(U.babs, 'Babs Jensen'), remote_data: members[0] },
        { ...memberRef(U.john, 'John Smith'), remote_data: members[1] },
      ],
      next_cursor: null,
      result_count: 2,
    });
    expect(wire()).toEqual([`GET /scim/v2/Groups/${G.tourGuides}?attributes=members`]);
  });

  it('leaves nested groups out', async () => {
    const body = (await call('group_members', 'list', { query: { group_id: G.employees } })).body as { result: Array<{ id: string }>; next_cursor: null };
    expect(body.result.map((m) => m.id)).toEqual([U.babs, U.mary]);
    expect(body.next_cursor).toBeNull();
  });

  it('a group without members is an empty page; a limit pages the members the engine read whole', async () => {
    expect((await call('group_members', 'list', { query: { group_id: G.sales } })).body).toEqual({ result: [], next_cursor: null, result_count: 0 });
    const first = (await call('group_members', 'list', { query: { group_id: G.tourGuides, limit: 1 } })).body as { result: Array<{ id: string }>; next_cursor: string };
    expect(first.result.map((m) => m.id)).toEqual([U.babs]);
    expect(typeof first.next_cursor).toBe('string');
    const second = (await call('group_members', 'list', { query: { group_id: G.tourGuides, limit: 1, next_cursor: first.next_cursor } })).body as { result: Array<{ id: string }>; next_cursor: null };
    expect(second.result.map((m) => m.id)).toEqual([U.john]);
    expect(second.next_cursor).toBeNull();
  });

  it('a member without a display has a null name; a member without a type counts as a user', async () => {
    scim.inject({ kind: 'status', status: 200, body: { schemas: [GROUP_SCHEMA], id: G.sales, members: [{ value: 'u-1' }, { value: 'g-1', type: 'Group' }] } });
    const body = (await call('group_members', 'list', { query: { group_id: G.sales } })).body as { result: unknown[] };
    expect(body.result).toEqual([{ ...memberRef('u-1', null), remote_data: { value: 'u-1' } }]);
  });

  it('an unknown group is not_found', async () => {
    const err = await failure(call('group_members', 'list', { query: { group_id: 'missing' } }));
    expect([err.kind, err.statusCode]).toEqual(['not_found', 404]);
  });
});

describe('scim users', () => {
  it('list: two full pages, mapping primary email, names and active', async () => {
    const first = (await call('users', 'list', { query: { limit: 2 } })).body as { result: unknown[]; next_cursor: string };
    expect(first.result).toEqual([
      { ...BABS, remote_data: userJson(U.babs) },
      { ...JOHN, remote_data: userJson(U.john) },
    ]);
    const second = (await call('users', 'list', { query: { limit: 2, next_cursor: first.next_cursor } })).body as { result: unknown[]; next_cursor: string | null };
    expect(second.result).toEqual([
      { ...MARY, remote_data: userJson(U.mary) },
      { ...SERVICE, remote_data: userJson(U.service) },
    ]);
    expect(second.next_cursor).toBeNull();
    expect(wire()).toEqual(['GET /scim/v2/Users?count=2&startIndex=1', 'GET /scim/v2/Users?count=2&startIndex=3']);
  });

  it('list: remote_query filter', async () => {
    const body = (await call('users', 'list', { query: { remote_query: { filter: 'userName eq "BJENSEN@example.com"' } } })).body as { result: unknown[] };
    expect(body.result).toEqual([{ ...BABS, remote_data: userJson(U.babs) }]);
  });

  it('get maps one user; an unknown one is not_found', async () => {
    expect((await call('users', 'get', { query: { id: U.mary } })).body).toEqual({ ...MARY, remote_data: userJson(U.mary) });
    expect((await call('users', 'get', { query: { id: U.service } })).body).toEqual({ ...SERVICE, remote_data: userJson(U.service) });
    const err = await failure(call('users', 'get', { query: { id: 'nobody' } }));
    expect([err.kind, err.statusCode]).toEqual(['not_found', 404]);
  });

  it('name falls back to name.formatted; email to the first one', async () => {
    const u = scim.state.addUser({ userName: 'x', name: { formatted: 'Dr. X' }, emails: [{ value: 'a@x.example' }, { value: 'b@x.example' }], active: true });
    expect((await call('users', 'get', { query: { id: u.id } })).body).toMatchObject({ name: 'Dr. X', email: 'a@x.example', first_name: null, status: 'active' });
  });
});

describe('scim accounts and auth', () => {
  it('HTTP Basic when the account has username and password', async () => {
    await startScim({ basic: [{ username: 'provisioner', password: 's3cret' }] });
    const res = await call('groups', 'get', { query: { id: G.sales }, credentials: { username: 'provisioner', password: 's3cret' } });
    expect(res.body).toMatchObject({ id: G.sales });
    expect(scim.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('provisioner:s3cret').toString('base64')}`);
  });

  it('a refused token is unauthorized (401)', async () => {
    const err = await failure(call('groups', 'get', { query: { id: G.sales }, credentials: { access_token: 'wrong' } }));
    expect([err.kind, err.statusCode]).toEqual(['unauthorized', 401]);
    expect(err.remote?.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
  });

  it('base_path may be left out when the SCIM endpoints are at the root', async () => {
    await startScim({ basePath: '' });
    const res = await call('groups', 'get', { query: { id: G.sales }, context: { host: scim.host } });
    expect(res.body).toMatchObject({ id: G.sales, remote_data: { meta: { location: `${scim.origin}/Groups/${G.sales}` } } });
    expect(wire()).toEqual([`GET /Groups/${G.sales}`]);
  });

  it('a base_path that would climb is refused before any request', async () => {
    const err = await failure(call('groups', 'get', { query: { id: G.sales }, context: { host: scim.host, base_path: '/scim/../admin' } }));
    expect([err.kind, err.statusCode]).toEqual(['invalid_request', 422]);
    expect(scim.requests).toHaveLength(0);
  });

  it('truto_response_format=raw returns the SCIM resource as is', async () => {
    const res = await call('groups', 'get', { query: { id: G.tourGuides, truto_response_format: 'raw' } });
    expect(res.body).toEqual(groupJson(G.tourGuides));
  });
});
