/**
 * The fake Microsoft Graph checked over raw HTTP against the facts of provider-apis.md §2
 * (GR-ADD, GR-GET, GR-ERR, GR-THR, GR-PAGE, GR-TYPES): statuses, error bodies, headers and paging.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_GROUP_IDS as G, SEED_USER_IDS as U, startFakeMsGraph, type FakeGraph } from './msgraph/index.js';

let graph: FakeGraph;
const NOW = Date.parse('2024-01-01T00:00:00Z');

beforeEach(async () => {
  graph = await startFakeMsGraph({ now: () => NOW });
});
afterEach(async () => {
  await graph.close();
});

async function req(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${graph.origin}${path}`, {
    method,
    headers: { authorization: graph.authorization, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as any) : undefined };
}
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

describe('errors and headers', () => {
  it('sends the OData error envelope with innerError and Graph headers', async () => {
    const r = await req('GET', '/v1.0/groups/0f0e0d0c-0b0a-4909-8807-060504030201', undefined, { 'client-request-id': 'abc-123' });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('client-request-id')).toBe('abc-123');
    expect(r.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('date')).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    expect(r.json).toEqual({
      error: {
        code: 'Request_ResourceNotFound',
        message: "Resource '0f0e0d0c-0b0a-4909-8807-060504030201' does not exist or one of its queried reference-property objects are not present.",
        innerError: { date: '2024-01-01T00:00:00', 'request-id': r.headers.get('request-id'), 'client-request-id': 'abc-123' },
      },
    });
  });

  it('refuses missing and unknown bearer tokens with 401 InvalidAuthenticationToken', async () => {
    const empty = await fetch(`${graph.origin}/v1.0/groups`);
    expect(empty.status).toBe(401);
    expect(empty.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await empty.json()) as any).error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
    const bad = await req('GET', '/v1.0/groups', undefined, { authorization: 'Bearer nope' });
    expect(bad.json.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' });
  });

  it('answers a success with OData JSON and the GR-GET group shape', async () => {
    const r = await req('GET', `/v1.0/groups/${G.hrTaskforce}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8');
    expect(r.headers.get('odata-version')).toBe('4.0');
    expect(r.json).toMatchObject({
      '@odata.context': `${graph.origin}/v1.0/$metadata#groups/$entity`,
      id: '02bd9fd6-8f93-4758-87c3-1fb73740a315',
      createdDateTime: '2017-07-31T18:56:16Z',
      displayName: 'HR Taskforce',
      groupTypes: ['Unified'],
      mail: 'HRTaskforce@contoso.onmicrosoft.com',
      mailEnabled: true,
      securityEnabled: false,
      securityIdentifier: 'S-1-12-1-45981654-1196986259-3072312199-363020343',
      visibility: 'Private',
    });
  });

  it('refuses non-GUID ids, unknown segments and wrong methods', async () => {
    expect((await req('GET', '/v1.0/groups/abc')).json.error).toMatchObject({ code: 'Request_BadRequest', message: "Invalid object identifier 'abc'." });
    const seg = await req('GET', '/v1.0/grops');
    expect(seg.status).toBe(400);
    expect(seg.json.error.code).toBe('BadRequest');
    expect((await req('PUT', `/v1.0/groups/${G.sales}`, {})).status).toBe(405);
  });

  it('throttles with 429 and Retry-After in seconds', async () => {
    graph.inject({ kind: 'throttle', retryAfterSeconds: 7 });
    const r = await req('GET', '/v1.0/users');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.json.error.code).toBe('TooManyRequests');
    expect((await req('GET', '/v1.0/users')).status).toBe(200);
  });

  it('throttles by window when configured', async () => {
    await graph.close();
    graph = await startFakeMsGraph({ now: () => NOW + 2_500, throttle: { limit: 2, windowSeconds: 10 } });
    expect((await req('GET', '/v1.0/users')).status).toBe(200);
    expect((await req('GET', '/v1.0/users')).status).toBe(200);
    const third = await req('GET', '/v1.0/users');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('8');
  });
});

describe('paging (GR-PAGE)', () => {
  it('pages with $top and an absolute @odata.nextLink on its own origin, keeping the other options', async () => {
    const first = await req('GET', "/v1.0/groups?$top=4&$filter=startswith(displayName,'')");
    expect(first.json.value).toHaveLength(4);
    const next: string = first.json['@odata.nextLink'];
    expect(next.startsWith(`${graph.origin}/v1.0/groups?$top=4&$filter=`)).toBe(true);
    expect(next).toMatch(/&\$skiptoken=RFNwdAIA[A-Za-z0-9_-]+$/);
    const second = await req('GET', next.slice(graph.origin.length));
    expect(second.json.value.map((g: { id: string }) => g.id)).toEqual([G.marketing, G.allStaff]);
    expect(second.json).not.toHaveProperty('@odata.nextLink');
  });

  it('sends no next link after a full last page, unless asked to add a trailing empty page', async () => {
    const full = await req('GET', '/v1.0/groups?$top=6');
    expect(full.json.value).toHaveLength(6);
    expect(full.json).not.toHaveProperty('@odata.nextLink');
    await graph.close();
    graph = await startFakeMsGraph({ trailingEmptyPage: true });
    const withLink = await req('GET', '/v1.0/groups?$top=6');
    const empty = await req('GET', withLink.json['@odata.nextLink'].slice(graph.origin.length));
    expect(empty.json).toEqual({ '@odata.context': `${graph.origin}/v1.0/$metadata#groups`, value: [] });
  });

  it('refuses a bad $top, an altered $skiptoken and an unknown $select', async () => {
    expect((await req('GET', '/v1.0/users?$top=1000')).json.error.code).toBe('Request_UnsupportedQuery');
    const first = await req('GET', '/v1.0/users?$top=2');
    const altered = first.json['@odata.nextLink'].slice(graph.origin.length).replace(/skiptoken=RFNwdAIA./, 'skiptoken=RFNwdAIAx');
    expect((await req('GET', altered)).status).toBe(400);
    expect((await req('GET', '/v1.0/users?$select=id,nope')).json.error.message).toBe("Could not find a property named 'nope' on type 'Microsoft.DirectoryServices.User'.");
  });

  it('returns users with the default properties unless $select asks for others', async () => {
    const plain = await req('GET', `/v1.0/users/${U.megan}`);
    expect(Object.keys(plain.json).sort()).toEqual(['@odata.context', 'businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'].sort());
    const sel = await req('GET', `/v1.0/users/${U.megan}?$select=id,accountEnabled`);
    expect(sel.json).toEqual({ '@odata.context': `${graph.origin}/v1.0/$metadata#users(id,accountEnabled)/$entity`, id: U.megan, accountEnabled: false });
  });

  it('lists mixed members with @odata.type, and only users through the cast', async () => {
    const all = await req('GET', `/v1.0/groups/${G.engineering}/members`);
    expect(all.json.value.map((m: Record<string, string>) => m['@odata.type'])).toEqual(['#microsoft.graph.user', '#microsoft.graph.user', '#microsoft.graph.group']);
    const users = await req('GET', `/v1.0/groups/${G.engineering}/members/microsoft.graph.user`);
    expect(users.json.value.map((m: { id: string }) => m.id)).toEqual([U.adele, U.alex]);
  });
});

describe('memberships (GR-ADD, GR-TYPES)', () => {
  it('adds with 204 and no body, then refuses the duplicate with 400 Request_BadRequest', async () => {
    const add = await req('POST', `/v1.0/groups/${G.sales}/members/$ref`, ref(U.adele));
    expect(add.status).toBe(204);
    expect(add.text).toBe('');
    const dup = await req('POST', `/v1.0/groups/${G.sales}/members/$ref`, ref(U.adele));
    expect(dup.status).toBe(400);
    expect(dup.json.error).toMatchObject({ code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'members'." });
  });

  it('answers 404 for a missing object, and needs $ref on membership writes', async () => {
    const missing = await req('POST', `/v1.0/groups/${G.sales}/members/$ref`, ref('0f0e0d0c-0b0a-4909-8807-060504030201'));
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('Request_ResourceNotFound');
    const noRef = await req('POST', `/v1.0/groups/${G.sales}/members`, ref(U.adele));
    expect(noRef.json.error).toMatchObject({ code: 'BadRequest', message: 'Write requests are only supported on contained entities' });
    expect((await req('DELETE', `/v1.0/groups/${G.engineering}/members/${U.adele}`)).status).toBe(400);
  });

  it('removes with 204; a non-member gets the same 404 as a missing group', async () => {
    expect((await req('DELETE', `/v1.0/groups/${G.engineering}/members/${U.adele}/$ref`)).status).toBe(204);
    const again = await req('DELETE', `/v1.0/groups/${G.engineering}/members/${U.adele}/$ref`);
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe('Request_ResourceNotFound');
  });

  it('lets a Microsoft 365 group take only users', async () => {
    const r = await req('POST', `/v1.0/groups/${G.hrTaskforce}/members/$ref`, ref(G.sales));
    expect(r.status).toBe(400);
    expect(graph.state.isMember(G.hrTaskforce, G.sales)).toBe(false);
  });

  it('bulk-adds through members@odata.bind all or nothing', async () => {
    const binds = [U.adele, U.megan].map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`);
    const fails = await req('PATCH', `/v1.0/groups/${G.engineering}`, { 'members@odata.bind': binds });
    expect(fails.status).toBe(400);
    expect(graph.state.isMember(G.engineering, U.megan)).toBe(false);
    expect((await req('PATCH', `/v1.0/groups/${G.sales}`, { 'members@odata.bind': binds })).status).toBe(204);
    expect(graph.state.groups.get(G.sales)!.members).toEqual([U.adele, U.megan]);
  });
});

describe('group writes', () => {
  it('creates with 201 and requires mailNickname, mailEnabled and securityEnabled', async () => {
    const bad = await req('POST', '/v1.0/groups', { displayName: 'x', mailEnabled: false, securityEnabled: true });
    expect(bad.json.error).toMatchObject({ code: 'Request_BadRequest', message: "Invalid value specified for property 'mailNickname' of resource 'Group'." });
    const ok = await req('POST', '/v1.0/groups', { displayName: 'x', mailNickname: 'x', mailEnabled: false, securityEnabled: true });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ displayName: 'x', createdDateTime: '2024-01-01T00:00:00Z', groupTypes: [] });
    expect((await req('POST', '/v1.0/groups', { displayName: 'x', mailNickname: 'x', mailEnabled: false, securityEnabled: true, colour: 'red' })).json.error.code).toBe('BadRequest');
    expect((await req('POST', '/v1.0/groups', '{not json')).status).toBe(400);
  });

  it('updates with 204 and deletes with 204', async () => {
    expect((await req('PATCH', `/v1.0/groups/${G.sales}`, { description: 'Sales team' })).status).toBe(204);
    expect(graph.state.groups.get(G.sales)!.description).toBe('Sales team');
    expect((await req('DELETE', `/v1.0/groups/${G.sales}`)).status).toBe(204);
    expect((await req('GET', `/v1.0/groups/${G.sales}`)).status).toBe(404);
  });
});
