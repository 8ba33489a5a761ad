/**
 * The fake SCIM service provider against RFC 7644 directly (no engine): media types, error bodies,
 * ListResponse paging, filters, PATCH semantics and faults. Facts cited as in provider-apis.md §5.
 */

import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SCIM_TOKEN,
  ERROR_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  SEED_GROUP_IDS as G,
  SEED_USER_IDS as U,
  startFakeScim,
  type FakeScim,
  type FakeScimOptions,
} from './scim/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { closedAfterEach, rawRequest, type RawResponse as Res } from '../support/fake-tests.js';

const T0 = Date.parse('2025-01-15T10:00:00.000Z');
const clock = new FakeClock(T0);
afterEach(() => clock.reset());
const fake = closedAfterEach((options: FakeScimOptions = {}) => startFakeScim({ now: clock.read, ...options }));

async function call(scim: FakeScim, method: string, path: string, opts: { body?: unknown; auth?: string | null; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { accept: 'application/scim+json', ...opts.headers };
  if (opts.auth !== null) headers.authorization = opts.auth ?? `Bearer ${DEFAULT_SCIM_TOKEN}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/scim+json';
  }
  return rawRequest(`${scim.origin}${scim.basePath}${path}`, { method, headers, body });
}

const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

function expectScimError(res: Res, status: number, scimType?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/scim+json');
  expect(res.json.schemas).toEqual([ERROR_SCHEMA]);
  // [V] RFC7644 §3.12: status is a string.
  expect(res.json.status).toBe(String(status));
  expect(typeof res.json.detail).toBe('string');
  if (scimType) expect(res.json.scimType).toBe(scimType);
  else expect(res.json.scimType).toBeUndefined();
}

describe('fake SCIM: protocol', () => {
  it('answers application/scim+json with the RFC 7643 Group representation', async () => {
    const scim = await fake();
    const res = await call(scim, 'GET', `/Groups/${G.tourGuides}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/scim+json');
    expect(res.headers.etag).toBe(res.json.meta.version);
    expect(res.json).toEqual({
      schemas: [GROUP_SCHEMA],
      id: G.tourGuides,
      displayName: 'Tour Guides',
      members: [
        { value: U.babs, $ref: `${scim.baseUrl}/Users/${U.babs}`, display: 'Babs Jensen', type: 'User' },
        { value: U.john, $ref: `${scim.baseUrl}/Users/${U.john}`, display: 'John Smith', type: 'User' },
      ],
      meta: { resourceType: 'Group', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', location: `${scim.baseUrl}/Groups/${G.tourGuides}`, version: expect.stringMatching(/^W\/"[0-9a-f]{8}"$/) },
    });
  });

  it('refuses missing or wrong credentials with 401 and accepts Basic when configured', async () => {
    const scim = await fake({ basic: [{ username: 'u', password: 'p' }] });
    const none = await call(scim, 'GET', '/Groups', { auth: null });
    expectScimError(none, 401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expectScimError(await call(scim, 'GET', '/Groups', { auth: 'Bearer nope' }), 401);
    expectScimError(await call(scim, 'GET', '/Groups', { auth: `Basic ${Buffer.from('u:wrong').toString('base64')}` }), 401);
    expect((await call(scim, 'GET', '/Groups', { auth: `Basic ${Buffer.from('u:p').toString('base64')}` })).status).toBe(200);
  });

  it('404 for unknown resources and paths, 405 with Allow, 406, 415, 400 invalidSyntax', async () => {
    const scim = await fake();
    const missing = await call(scim, 'GET', '/Groups/nope');
    expectScimError(missing, 404);
    expect(missing.json.detail).toBe('Resource nope not found');
    expectScimError(await call(scim, 'GET', '/Widgets'), 404);
    const outside = await request(`${scim.origin}/other/Groups`, { headers: { authorization: `Bearer ${DEFAULT_SCIM_TOKEN}` } });
    expect(outside.statusCode).toBe(404);
    await outside.body.text();
    const wrong = await call(scim, 'PATCH', '/Users', { body: {} });
    expectScimError(wrong, 405);
    expect(wrong.headers.allow).toBe('GET, POST');
    expectScimError(await call(scim, 'GET', '/Groups', { headers: { accept: 'text/html' } }), 406);
    expectScimError(await call(scim, 'POST', '/Groups', { body: 'displayName=x', headers: { 'content-type': 'text/plain' } }), 415);
    expectScimError(await call(scim, 'POST', '/Groups', { body: '{not json' }), 400, 'invalidSyntax');
    // application/json is accepted as well (RFC 7644 §8.1).
    expect((await call(scim, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'X' }, headers: { 'content-type': 'application/json' } })).status).toBe(201);
  });

  it('POST /Groups: 201 with Location; a taken displayName is 409 uniqueness', async () => {
    clock.now = T0 + 1000;
    const scim = await fake();
    const res = await call(scim, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Support', externalId: 'e-1' } });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${scim.baseUrl}/Groups/${res.json.id}`);
    expect(res.json).toMatchObject({ displayName: 'Support', externalId: 'e-1', meta: { created: '2025-01-15T10:00:01Z', lastModified: '2025-01-15T10:00:01Z' } });
    expect(res.json.members).toBeUndefined();
    expectScimError(await call(scim, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'SUPPORT' } }), 409, 'uniqueness');
    expectScimError(await call(scim, 'POST', '/Groups', { body: { displayName: 'No schemas' } }), 400, 'invalidSyntax');
    expectScimError(await call(scim, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA] } }), 400, 'invalidValue');
  });

  it('DELETE answers 204 and removes the group from other groups', async () => {
    const scim = await fake();
    const res = await call(scim, 'DELETE', `/Groups/${G.engineering}`);
    expect([res.status, res.text]).toEqual([204, '']);
    expect(scim.state.memberIds(G.employees)).toEqual([U.babs, U.mary]);
    expectScimError(await call(scim, 'DELETE', `/Groups/${G.engineering}`), 404);
  });

  it('If-Match with a stale version is 412', async () => {
    const scim = await fake();
    expectScimError(await call(scim, 'PATCH', `/Groups/${G.sales}`, { body: patchOp({ op: 'add', path: 'members', value: [{ value: U.babs }] }), headers: { 'if-match': 'W/"stale"' } }), 412);
    const current = scim.state.version(scim.state.groups.get(G.sales)!);
    expect((await call(scim, 'PATCH', `/Groups/${G.sales}`, { body: patchOp({ op: 'add', path: 'members', value: [{ value: U.babs }] }), headers: { 'if-match': current } })).status).toBe(200);
  });
});

describe('fake SCIM: lists', () => {
  it('ListResponse with 1-based startIndex and count; totalResults tells the end', async () => {
    const scim = await fake();
    const page = await call(scim, 'GET', '/Groups?startIndex=3&count=2');
    expect(page.json).toMatchObject({ schemas: [LIST_RESPONSE_SCHEMA], totalResults: 4, itemsPerPage: 2, startIndex: 3 });
    expect(page.json.Resources.map((g: { id: string }) => g.id)).toEqual([G.sales, G.employees]);
    // "A value less than 1 SHALL be interpreted as 1"; a negative count as 0.
    expect((await call(scim, 'GET', '/Groups?startIndex=0&count=1')).json).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    expect((await call(scim, 'GET', '/Groups?count=-5')).json).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    expect((await call(scim, 'GET', '/Groups?startIndex=9')).json).toMatchObject({ totalResults: 4, itemsPerPage: 0, startIndex: 9, Resources: [] });
    expectScimError(await call(scim, 'GET', '/Groups?count=ten'), 400, 'invalidValue');
  });

  it('clamps count to maxResults', async () => {
    const scim = await fake({ maxResults: 3 });
    expect((await call(scim, 'GET', '/Users?count=50')).json).toMatchObject({ totalResults: 4, itemsPerPage: 3 });
  });

  it('filters: case-insensitive names and operators, caseExact ids, and/or/not, value paths', async () => {
    const scim = await fake();
    const ids = async (path: string) => (await call(scim, 'GET', path)).json.Resources.map((r: { id: string }) => r.id);
    const q = (f: string) => `?filter=${encodeURIComponent(f)}`;
    expect(await ids(`/Groups${q('DISPLAYNAME EQ "tour guides"')}`)).toEqual([G.tourGuides]);
    expect(await ids(`/Groups${q(`id eq "${G.sales.toUpperCase()}"`)}`)).toEqual([]);
    expect(await ids(`/Groups${q(`members[value eq "${U.john}"]`)}`)).toEqual([G.tourGuides, G.engineering]);
    expect(await ids(`/Groups${q(`members.value eq "${U.john}" and not (displayName sw "Eng")`)}`)).toEqual([G.tourGuides]);
    expect(await ids(`/Users${q('emails[type eq "work" and value co "@example.com"]')}`)).toEqual([U.babs, U.john, U.mary]);
    expect(await ids(`/Users${q('active eq false or userName sw "svc"')}`)).toEqual([U.mary, U.service]);
    expect(await ids(`/Users${q('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "jensen"')}`)).toEqual([U.babs]);
    expect(await ids(`/Users${q('meta.created gt "2013-01-01T00:00:00Z"')}`)).toEqual([U.mary, U.service]);
    expectScimError(await call(scim, 'GET', `/Groups${q('displayName eq')}`), 400, 'invalidFilter');
    expectScimError(await call(scim, 'GET', `/Users${q('active gt true')}`), 400, 'invalidFilter');
  });

  it('attributes and excludedAttributes', async () => {
    const scim = await fake();
    expect((await call(scim, 'GET', `/Groups/${G.engineering}?attributes=members`)).json).toEqual({
      schemas: [GROUP_SCHEMA],
      id: G.engineering,
      members: [{ value: U.john, $ref: `${scim.baseUrl}/Users/${U.john}`, display: 'John Smith', type: 'User' }],
    });
    expect((await call(scim, 'GET', `/Groups/${G.sales}?attributes=members`)).json).toEqual({ schemas: [GROUP_SCHEMA], id: G.sales });
    const listed = (await call(scim, 'GET', '/Groups?excludedAttributes=members')).json.Resources;
    expect(listed.every((g: Record<string, unknown>) => !('members' in g) && 'meta' in g)).toBe(true);
    expect((await call(scim, 'GET', `/Users/${U.babs}?attributes=name.givenName,userName`)).json).toEqual({ schemas: expect.any(Array), id: U.babs, userName: 'bjensen@example.com', name: { givenName: 'Barbara' } });
  });
});

describe('fake SCIM: PATCH /Groups', () => {
  it('add is case-insensitive in op and a duplicate add changes nothing, not even lastModified ([V] RFC7644 §3.5.2.1)', async () => {
    clock.now = T0 + 5000;
    const scim = await fake();
    const before = (await call(scim, 'GET', `/Groups/${G.tourGuides}`)).json;
    const dup = await call(scim, 'PATCH', `/Groups/${G.tourGuides}`, { body: patchOp({ op: 'Add', path: 'members', value: [{ value: U.babs }] }) });
    expect(dup.status).toBe(200);
    expect(dup.json).toEqual(before);
    const added = await call(scim, 'PATCH', `/Groups/${G.tourGuides}`, { body: patchOp({ op: 'ADD', path: 'members', value: [{ value: U.mary, display: 'ignored' }] }) });
    expect(added.json.members.map((m: { value: string }) => m.value)).toEqual([U.babs, U.john, U.mary]);
    expect(added.json.meta.lastModified).toBe('2025-01-15T10:00:05Z');
    expect(added.json.meta.version).not.toBe(before.meta.version);
  });

  it('204 when configured, with no body', async () => {
    const scim = await fake({ patchReturns: 204 });
    const res = await call(scim, 'PATCH', `/Groups/${G.sales}`, { body: patchOp({ op: 'add', path: 'members', value: [{ value: U.babs }] }) });
    expect([res.status, res.text, res.headers['content-type']]).toEqual([204, '', undefined]);
    expect(scim.state.memberIds(G.sales)).toEqual([U.babs]);
  });

  it('remove by value filter; without path it is 400 noTarget ([V] RFC7644 §3.5.2.2)', async () => {
    const scim = await fake();
    const res = await call(scim, 'PATCH', `/Groups/${G.tourGuides}`, { body: patchOp({ op: 'remove', path: `members[value eq "${U.babs}"]` }) });
    expect(res.json.members.map((m: { value: string }) => m.value)).toEqual([U.john]);
    expectScimError(await call(scim, 'PATCH', `/Groups/${G.tourGuides}`, { body: patchOp({ op: 'remove' }) }), 400, 'noTarget');
    // A filter that matches nothing: success by default, noTarget when configured.
    expect((await call(scim, 'PATCH', `/Groups/${G.tourGuides}`, { body: patchOp({ op: 'remove', path: `members[value eq "${U.mary}"]` }) })).status).toBe(200);
    const strict = await fake({ removeMissing: 'noTarget' });
    expectScimError(await call(strict, 'PATCH', `/Groups/${G.tourGuides}`, { body: patchOp({ op: 'remove', path: `members[value eq "${U.mary}"]` }) }), 400, 'noTarget');
  });

  it('replace displayName and members; operations are atomic', async () => {
    const scim = await fake();
    const res = await call(scim, 'PATCH', `/Groups/${G.sales}`, { body: patchOp({ op: 'replace', path: 'displayName', value: 'Sales EMEA' }, { op: 'replace', value: { members: [{ value: U.mary }] } }) });
    expect(res.json).toMatchObject({ displayName: 'Sales EMEA', members: [{ value: U.mary }] });
    const failed = await call(scim, 'PATCH', `/Groups/${G.sales}`, { body: patchOp({ op: 'replace', path: 'displayName', value: 'Renamed' }, { op: 'add', path: 'members', value: [{ value: 'nobody' }] }) });
    expectScimError(failed, 400, 'invalidValue');
    expect(scim.state.groups.get(G.sales)!.displayName).toBe('Sales EMEA');
    expectScimError(await call(scim, 'PATCH', `/Groups/${G.sales}`, { body: patchOp({ op: 'replace', path: 'displayName', value: 'Engineering' }) }), 409, 'uniqueness');
    expectScimError(await call(scim, 'PATCH', `/Groups/${G.sales}`, { body: patchOp({ op: 'replace', path: `members[value eq "${U.babs}"]`, value: { value: U.john } }) }), 400, 'noTarget');
  });

  it('rejects malformed PatchOps', async () => {
    const scim = await fake();
    const p = (body: unknown) => call(scim, 'PATCH', `/Groups/${G.sales}`, { body });
    expectScimError(await p({ Operations: [{ op: 'add', path: 'members', value: [] }] }), 400, 'invalidSyntax');
    expectScimError(await p(patchOp()), 400, 'invalidSyntax');
    expectScimError(await p(patchOp({ op: 'move', path: 'members' })), 400, 'invalidSyntax');
    expectScimError(await p(patchOp({ op: 'add', path: 'nonsense', value: 1 })), 400, 'invalidPath');
    expectScimError(await p(patchOp({ op: 'add', path: 'members[value eq', value: [] })), 400, 'invalidPath');
    expectScimError(await p(patchOp({ op: 'replace', path: 'id', value: 'x' })), 400, 'mutability');
    expectScimError(await p(patchOp({ op: 'add', path: 'members', value: [{ value: G.sales }] })), 400, 'invalidValue');
  });
});

describe('fake SCIM: faults', () => {
  it('rateLimit answers 429 with Retry-After and a SCIM error body; it is consumed', async () => {
    const scim = await fake();
    scim.inject({ kind: 'rateLimit', retryAfter: 7, match: { method: 'GET', path: '/Groups/*' } });
    expect((await call(scim, 'GET', '/Groups')).status).toBe(200);
    const limited = await call(scim, 'GET', `/Groups/${G.sales}`);
    expectScimError(limited, 429);
    expect(limited.headers['retry-after']).toBe('7');
    expect((await call(scim, 'GET', `/Groups/${G.sales}`)).status).toBe(200);
    expect(scim.requests.map((r) => [r.resourcePath, r.status, r.fault])).toEqual([
      ['/Groups', 200, undefined],
      [`/Groups/${G.sales}`, 429, 'rateLimit'],
      [`/Groups/${G.sales}`, 200, undefined],
    ]);
  });
});
