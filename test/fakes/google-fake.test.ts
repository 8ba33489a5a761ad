/**
 * The fake Google Directory API on its own, over HTTP: the wire details the engine tests do not look
 * at (headers, pretty-printing, auth answers, routing, paging tokens, body validation). Each
 * expectation follows provider-apis.md §3; see the comments in test/fakes/google/ for what is [I].
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_GROUP_IDS as G, SEED_USER_IDS as U, startFakeGoogle, type FakeGoogle } from './google/index.js';

const API = '/admin/directory/v1';
let google: FakeGoogle;

beforeEach(async () => {
  google = await startFakeGoogle({ now: () => Date.parse('2025-01-15T10:00:00.000Z') });
});
afterEach(async () => {
  await google.close();
});

async function req(method: string, path: string, options: { body?: unknown; auth?: string | null; raw?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.auth !== null) headers.authorization = options.auth ?? google.authorization;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${google.origin}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
}

describe('fake google directory: wire format', () => {
  it('pretty-prints JSON by default and not with prettyPrint=false; Google front-end headers; no rate headers', async () => {
    const pretty = await req('GET', `${API}/groups/${G.sales}`);
    expect(pretty.status).toBe(200);
    expect(pretty.text).toBe(`${JSON.stringify(pretty.json, null, 2)}\n`);
    expect(pretty.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(pretty.headers.get('server')).toBe('ESF');
    expect(pretty.headers.get('date')).toBe('Wed, 15 Jan 2025 10:00:00 GMT');
    expect([...pretty.headers.keys()].filter((h) => /rate|retry/i.test(h))).toEqual([]);
    const compact = await req('GET', `${API}/groups/${G.sales}?prettyPrint=false`);
    expect(compact.text).toBe(JSON.stringify(compact.json));
    expect(pretty.json).toEqual({
      kind: 'admin#directory#group',
      id: G.sales,
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]{27}\/[A-Za-z0-9_-]{27}"$/),
      email: 'sales@example.com',
      name: 'Sales',
      directMembersCount: '1',
      description: '',
      adminCreated: true,
      nonEditableAliases: ['sales@example.com.test-google-a.com'],
    });
  });

  it('401 without a token (required) and with an unknown one (authError); 403 for a missing scope', async () => {
    const none = await req('GET', `${API}/groups/${G.sales}`, { auth: null });
    expect(none.status).toBe(401);
    expect(none.json.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'required', location: 'Authorization', locationType: 'header' }] });
    const bad = await req('GET', `${API}/groups/${G.sales}`, { auth: 'Bearer nope' });
    expect(bad.status).toBe(401);
    expect(bad.json.error.errors[0]).toEqual({ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' });
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await google.close();
    google = await startFakeGoogle({ tokens: [{ token: 'ro', scopes: ['https://www.googleapis.com/auth/admin.directory.user.readonly'] }] });
    const scoped = await req('GET', `${API}/groups/${G.sales}`, { auth: 'Bearer ro' });
    expect(scoped.status).toBe(403);
    expect(scoped.json.error).toMatchObject({ code: 403, message: 'Request had insufficient authentication scopes.', errors: [{ reason: 'insufficientPermissions' }] });
    expect((await req('GET', `${API}/users/${U.bob}`, { auth: 'Bearer ro' })).status).toBe(200);
  });

  it('an unknown path or method is the HTML 404 page', async () => {
    for (const [method, path] of [['GET', `${API}/nope`], ['POST', `${API}/users/${U.bob}`]]) {
      const res = await req(method, path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(res.text).toContain('Error 404 (Not Found)!!1');
    }
  });

  it('the quota is a 403 userRateLimitExceeded in the usageLimits domain', async () => {
    await google.close();
    google = await startFakeGoogle({ rateLimit: { limit: 1, windowSeconds: 60 }, now: () => 0 });
    expect((await req('GET', `${API}/users/${U.bob}`)).status).toBe(200);
    const limited = await req('GET', `${API}/users/${U.bob}`);
    expect(limited.status).toBe(403);
    expect(limited.json).toEqual({ error: { code: 403, message: 'User Rate Limit Exceeded', errors: [{ message: 'User Rate Limit Exceeded', domain: 'usageLimits', reason: 'userRateLimitExceeded' }] } });
  });
});

describe('fake google directory: lists', () => {
  it('needs customer or domain; another customer is 403', async () => {
    expect((await req('GET', `${API}/groups`)).json.error).toMatchObject({ code: 400, errors: [{ reason: 'badRequest' }] });
    expect((await req('GET', `${API}/users?customer=C0other`)).status).toBe(403);
    expect((await req('GET', `${API}/users?domain=example.com`)).json.users).toHaveLength(6);
    expect((await req('GET', `${API}/groups?customer=C03az79cb`)).json.groups).toHaveLength(6);
    // customer + userKey is refused (nodejs client #2515); domain + userKey lists the user's groups.
    expect((await req('GET', `${API}/groups?customer=my_customer&userKey=carol@example.com`)).status).toBe(400);
    const carols = await req('GET', `${API}/groups?domain=example.com&userKey=carol@example.com`);
    expect(carols.json.groups.map((g: { id: string }) => g.id)).toEqual([G.engineering, G.platform]);
  });

  it('pages with maxResults and pageToken; the last page has no nextPageToken; tokens are checked', async () => {
    const first = await req('GET', `${API}/groups?customer=my_customer&maxResults=4`);
    expect(Object.keys(first.json)).toEqual(['kind', 'etag', 'groups', 'nextPageToken']);
    expect(first.json.kind).toBe('admin#directory#groups');
    const second = await req('GET', `${API}/groups?customer=my_customer&maxResults=4&pageToken=${first.json.nextPageToken}`);
    expect(second.json.groups).toHaveLength(2);
    expect(second.json.nextPageToken).toBeUndefined();
    // A token from another list is refused like an altered one.
    const other = await req('GET', `${API}/users?customer=my_customer&pageToken=${first.json.nextPageToken}`);
    expect(other.json.error).toMatchObject({ code: 400, message: `Invalid Input: ${first.json.nextPageToken}`, errors: [{ reason: 'invalid' }] });
    expect((await req('GET', `${API}/groups?customer=my_customer&maxResults=0`)).json.error.errors[0]).toMatchObject({ reason: 'invalidParameter', location: 'maxResults' });
    expect((await req('GET', `${API}/groups?customer=my_customer&maxResults=9999`)).json.groups).toHaveLength(6);
  });

  it('members.list: Members with id, email, role, type, status; CUSTOMER members have no email; includeDerivedMembership', async () => {
    const res = await req('GET', `${API}/groups/${G.allStaff}/members`);
    expect(res.json.members).toEqual([{ kind: 'admin#directory#member', etag: expect.any(String), id: 'C03az79cb', role: 'MEMBER', type: 'CUSTOMER' }]);
    const empty = await req('GET', `${API}/groups/${G.announcements}/members`);
    expect(Object.keys(empty.json)).toEqual(['kind', 'etag']);
    const derived = await req('GET', `${API}/groups/${G.engineering}/members?includeDerivedMembership=true`);
    expect(derived.json.members.map((m: { email: string }) => m.email)).toEqual(['alice@example.com', 'bob@example.com', 'platform@example.com', 'carol@example.com', 'dave@example.com']);
    expect((await req('GET', `${API}/groups/${G.engineering}/hasMember/carol@example.com`)).json).toEqual({ isMember: true });
  });
});

describe('fake google directory: writes', () => {
  it('members.insert: 200 + Member with delivery_settings; 409 duplicate; 400 for a missing body, key or unknown member', async () => {
    const added = await req('POST', `${API}/groups/${G.sales}/members`, { body: { email: 'bob@example.com', role: 'MEMBER' } });
    expect(added.status).toBe(200);
    expect(added.json).toEqual({ kind: 'admin#directory#member', etag: expect.any(String), id: U.bob, email: 'bob@example.com', role: 'MEMBER', type: 'USER', status: 'ACTIVE', delivery_settings: 'ALL_MAIL' });
    const again = await req('POST', `${API}/groups/${G.sales}/members`, { body: { id: U.bob } });
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual({ code: 409, message: 'Member already exists.', errors: [{ message: 'Member already exists.', domain: 'global', reason: 'duplicate' }] });
    expect((await req('POST', `${API}/groups/${G.sales}/members`)).json.error.message).toBe('Missing required field: member');
    expect((await req('POST', `${API}/groups/${G.sales}/members`, { body: { role: 'MEMBER' } })).json.error.message).toBe('Missing required field: memberKey');
    expect((await req('POST', `${API}/groups/${G.sales}/members`, { body: { email: 'ghost@example.com' } })).json.error).toMatchObject({ code: 400, message: 'Invalid Input: memberKey' });
    expect((await req('POST', `${API}/groups/${G.sales}/members`, { raw: '{oops' })).json.error.errors[0].reason).toBe('parseError');
    expect((await req('POST', `${API}/groups/nope/members`, { body: { id: U.bob } })).json.error.message).toBe('Resource Not Found: groupKey');
  });

  it('members.delete: 204 with no body; a non-member is 404 memberKey; an unknown group 404 groupKey', async () => {
    const removed = await req('DELETE', `${API}/groups/${G.engineering}/members/bob@example.com`);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect(removed.headers.get('content-type')).toBeNull();
    expect((await req('DELETE', `${API}/groups/${G.engineering}/members/${U.bob}`)).json.error).toMatchObject({ code: 404, message: 'Resource Not Found: memberKey' });
    expect((await req('DELETE', `${API}/groups/nope/members/${U.bob}`)).json.error).toMatchObject({ code: 404, message: 'Resource Not Found: groupKey' });
  });

  it('groups.insert/patch/delete: email required and unique; directMembersCount is a string', async () => {
    expect((await req('POST', `${API}/groups`, { body: { name: 'x' } })).json.error).toMatchObject({ code: 400, message: 'Missing required field: email', errors: [{ reason: 'required' }] });
    expect((await req('POST', `${API}/groups`, { body: { email: 'bob@example.com' } })).json.error).toMatchObject({ code: 409, message: 'Entity already exists.' });
    expect((await req('POST', `${API}/groups`, { body: { email: 'x@elsewhere.org' } })).status).toBe(403);
    const created = await req('POST', `${API}/groups`, { body: { email: 'New@Example.com' } });
    expect(created.json).toMatchObject({ email: 'new@example.com', name: 'new', description: '', directMembersCount: '0' });
    const patched = await req('PATCH', `${API}/groups/new@example.com`, { body: { description: 'Now described' } });
    expect(patched.json).toMatchObject({ id: created.json.id, name: 'new', description: 'Now described' });
    expect(patched.json.etag).not.toBe(created.json.etag);
    expect((await req('DELETE', `${API}/groups/${created.json.id}`)).status).toBe(204);
    expect((await req('GET', `${API}/groups/${created.json.id}`)).status).toBe(404);
  });
});
