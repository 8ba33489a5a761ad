/**
 * Microsoft Entra ID (integration `msgraph`) end to end: every unified operation through the engine,
 * over real HTTP, against the fake Microsoft Graph in test/fakes/msgraph.
 */

import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createEngine, type UnifiedCall } from '../../engine/index.js';
import { SEED_GROUP_IDS as G, SEED_USER_IDS as U, startFakeMsGraph, type FakeGraph } from '../fakes/msgraph/index.js';
import { failure } from '../support/failure.js';
import { useProviderHarness } from '../support/provider-harness.js';

const START = Date.parse('2025-03-04T05:06:07.000Z');
/** The $select the user operations send. */
const USER_SELECT = ['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'accountEnabled', 'createdDateTime', 'externalUserState', 'userType'];

let graph: FakeGraph;
const harness = useProviderHarness({ integration: 'msgraph', start: START, startFake: startFakeMsGraph, onStart: (fake) => (graph = fake) });
const { clock, restart: useGraph } = harness;

function call(resource: string, method: string, args: { query?: Record<string, unknown>; body?: unknown; token?: string } = {}): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  const unified: UnifiedCall = {
    account: { integration: 'msgraph', context: { host: graph.host }, credentials: { access_token: args.token ?? graph.token } },
    model: 'user-directory',
    resource,
    method,
    query: args.query,
    body: args.body,
  };
  return harness.engine.execute(unified);
}

/** The group as the fake serves it on GET /groups/{id}. */
function remoteGroup(id: string) {
  return { '@odata.context': `${graph.origin}/v1.0/$metadata#groups/$entity`, ...graph.state.groupJson(graph.state.groups.get(id)!) };
}
function pick(obj: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}
function remoteUser(id: string, context?: string) {
  const projected = pick(graph.state.userJson(graph.state.users.get(id)!), USER_SELECT);
  return context ? { '@odata.context': context, ...projected } : projected;
}
const paths = () => graph.requests.map((r) => `${r.method} ${decodeURIComponent(r.url)}`);

const ENGINEERING = {
  id: G.engineering,
  name: 'Engineering',
  description: 'Engineering staff',
  group_type: 'group',
  created_at: '2021-02-01T10:00:00Z',
  updated_at: null,
};
const HR_TASKFORCE = {
  id: G.hrTaskforce,
  name: 'HR Taskforce',
  description: 'Welcome to the HR Taskforce team.',
  group_type: 'team',
  created_at: '2017-07-31T18:56:16Z',
  updated_at: null,
};
const USERS = {
  adele: { id: U.adele, email: 'AdeleV@contoso.onmicrosoft.com', first_name: 'Adele', last_name: 'Vance', name: 'Adele Vance', status: 'active', created_at: '2019-03-12T09:14:03Z', updated_at: null },
  alex: { id: U.alex, email: 'AlexW@contoso.onmicrosoft.com', first_name: 'Alex', last_name: 'Wilber', name: 'Alex Wilber', status: 'active', created_at: '2019-03-12T09:14:11Z', updated_at: null },
  megan: { id: U.megan, email: 'MeganB@contoso.onmicrosoft.com', first_name: 'Megan', last_name: 'Bowen', name: 'Megan Bowen', status: 'inactive', created_at: '2019-03-12T09:14:20Z', updated_at: null },
  lidia: { id: U.lidia, email: 'LidiaH@contoso.onmicrosoft.com', first_name: 'Lidia', last_name: 'Holloway', name: 'Lidia Holloway', status: 'active', created_at: null, updated_at: null },
  pat: { id: U.pat, email: 'pat@fabrikam.com', first_name: null, last_name: null, name: 'Pat Guest', status: 'pending', created_at: '2024-05-02T16:40:00Z', updated_at: null },
};

/** Walks a list with next_cursor until it ends; returns each page's ids. */
async function walk(resource: string, query: Record<string, unknown>): Promise<{ pages: string[][]; items: any[] }> {
  const pages: string[][] = [];
  const items: any[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10; i++) {
    const { body } = await call(resource, 'list', { query: cursor ? { ...query, next_cursor: cursor } : query });
    pages.push(body.result.map((r: { id: string }) => r.id));
    items.push(...body.result);
    expect(body.result_count).toBe(body.result.length);
    if (body.next_cursor === null) return { pages, items };
    cursor = body.next_cursor;
  }
  throw new Error('the list did not end');
}

describe('groups get', () => {
  it('maps a security group and keeps the remote object', async () => {
    const { status, body } = await call('groups', 'get', { query: { id: G.engineering } });
    expect(status).toBe(200);
    expect(body).toEqual({ ...ENGINEERING, remote_data: remoteGroup(G.engineering) });
    expect(paths()).toEqual([`GET /v1.0/groups/${G.engineering}`]);
    expect(graph.requests[0].headers.authorization).toBe(`Bearer ${graph.token}`);
  });

  it('maps a Microsoft 365 group (groupTypes Unified) to a team', async () => {
    const { body } = await call('groups', 'get', { query: { id: G.hrTaskforce } });
    expect(body).toEqual({ ...HR_TASKFORCE, remote_data: remoteGroup(G.hrTaskforce) });
    expect(body.remote_data.securityIdentifier).toBe('S-1-12-1-45981654-1196986259-3072312199-363020343'); // GR-GET example
  });

  it('reports a missing group as not_found (404 Request_ResourceNotFound)', async () => {
    const missing = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const err = await failure(call('groups', 'get', { query: { id: missing } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.remote?.status).toBe(404);
    expect(err.remote?.code).toBe('Request_ResourceNotFound');
    expect(err.message).toContain(`Resource '${missing}' does not exist`);
  });

  it('reports an id that is not a GUID as not_found although Graph answers 400', async () => {
    const err = await failure(call('groups', 'get', { query: { id: 'no-such-group' } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.remote).toMatchObject({ status: 400, code: 'Request_BadRequest' });
  });

  it('reports a rejected token as unauthorized', async () => {
    const err = await failure(call('groups', 'get', { query: { id: G.engineering }, token: 'not-a-token' }));
    expect(err.kind).toBe('unauthorized');
    expect(err.statusCode).toBe(401);
    expect(err.remote?.code).toBe('InvalidAuthenticationToken');
  });
});

describe('groups list (paging with $top and @odata.nextLink)', () => {
  it('walks two pages whose last one is full, each group exactly once, then ends', async () => {
    const { pages, items } = await walk('groups', { limit: 3 });
    expect(pages).toEqual([
      [G.engineering, G.platform, G.hrTaskforce],
      [G.sales, G.marketing, G.allStaff],
    ]);
    expect(items[0]).toEqual({ ...ENGINEERING, remote_data: graph.state.groupJson(graph.state.groups.get(G.engineering)!) });
    expect(items[2]).toMatchObject({ id: G.hrTaskforce, group_type: 'team' });
    expect(items[3]).toMatchObject({ id: G.sales, name: 'Sales', description: null, group_type: 'group', created_at: '2022-06-15T08:30:00Z', updated_at: null });
    // The first request carries $top; the second is Graph's own next link, on the fake's origin.
    expect(graph.requests).toHaveLength(2);
    expect(graph.requests[0].query).toEqual({ $top: '3' });
    expect(graph.requests[1].query).toEqual({ $top: '3', $skiptoken: expect.stringMatching(/^RFNwdAIA/) });
  });

  it('ends on an empty page when Graph sends a next link after a full last page', async () => {
    await useGraph({ trailingEmptyPage: true });
    const { pages } = await walk('groups', { limit: 3 });
    expect(pages).toEqual([[G.engineering, G.platform, G.hrTaskforce], [G.sales, G.marketing, G.allStaff], []]);
    expect(graph.requests).toHaveLength(3);
  });

  it('uses one page when no limit is given (Graph default page size)', async () => {
    const { body } = await call('groups', 'list');
    expect(body.result).toHaveLength(6);
    expect(body.next_cursor).toBeNull();
    expect(graph.requests[0].query).toEqual({});
  });

  it('passes remote_query to Graph, which carries it into its next links', async () => {
    const { pages } = await walk('groups', { limit: 1, remote_query: { $filter: "startswith(displayName,'Mar') and mailEnabled eq true" } });
    expect(pages).toEqual([[G.marketing]]);
    const { pages: two } = await walk('groups', { limit: 2, remote_query: { $filter: 'securityEnabled eq true' } });
    expect(two).toEqual([[G.engineering, G.platform], [G.sales, G.allStaff]]);
    const last = graph.requests[graph.requests.length - 1];
    expect(last.query.$filter).toBe('securityEnabled eq true');
    expect(last.query.$skiptoken).toBeDefined();
  });
});

describe('users', () => {
  it('lists users over three pages with the status and date mapping', async () => {
    const { pages, items } = await walk('users', { limit: 2 });
    expect(pages).toEqual([[U.adele, U.alex], [U.megan, U.lidia], [U.pat]]);
    expect(items).toEqual([
      { ...USERS.adele, remote_data: remoteUser(U.adele) },
      { ...USERS.alex, remote_data: remoteUser(U.alex) },
      { ...USERS.megan, remote_data: remoteUser(U.megan) },
      { ...USERS.lidia, remote_data: remoteUser(U.lidia) },
      { ...USERS.pat, remote_data: remoteUser(U.pat) },
    ]);
    expect(graph.requests[0].query).toEqual({ $select: USER_SELECT.join(','), $top: '2' });
  });

  it('gets one user, by id or by userPrincipalName', async () => {
    const { body } = await call('users', 'get', { query: { id: U.pat } });
    expect(body).toEqual({ ...USERS.pat, remote_data: remoteUser(U.pat, `${graph.origin}/v1.0/$metadata#users(${USER_SELECT.join(',')})/$entity`) });
    const byUpn = await call('users', 'get', { query: { id: 'MeganB@contoso.onmicrosoft.com' } });
    expect(byUpn.body).toMatchObject(USERS.megan);
  });

  it('reports a missing user as not_found', async () => {
    const err = await failure(call('users', 'get', { query: { id: 'nobody@contoso.onmicrosoft.com' } }));
    expect(err.kind).toBe('not_found');
    expect(err.statusCode).toBe(404);
    expect(err.remote?.code).toBe('Request_ResourceNotFound');
  });
});

describe('group_members list', () => {
  it('lists only the users among the members (a nested group is left out)', async () => {
    const { body } = await call('group_members', 'list', { query: { group_id: G.engineering } });
    expect(body).toEqual({
      result: [
        { ...USERS.adele, remote_data: remoteUser(U.adele) },
        { ...USERS.alex, remote_data: remoteUser(U.alex) },
      ],
      next_cursor: null,
      result_count: 2,
    });
    expect(paths()[0]).toBe(`GET /v1.0/groups/${G.engineering}/members/microsoft.graph.user?$select=${USER_SELECT.join(',')}`);
  });

  it('pages through members, including a full last page', async () => {
    const three = await walk('group_members', { group_id: G.allStaff, limit: 2 });
    expect(three.pages).toEqual([[U.adele, U.alex], [U.megan, U.lidia], [U.pat]]);
    expect(three.items.map((u) => u.status)).toEqual(['active', 'active', 'inactive', 'active', 'pending']);
    await useGraph({ trailingEmptyPage: true });
    const full = await walk('group_members', { group_id: G.allStaff, limit: 5 });
    expect(full.pages).toEqual([[U.adele, U.alex, U.megan, U.lidia, U.pat], []]);
  });

  it('reports a missing group as not_found', async () => {
    const err = await failure(call('group_members', 'list', { query: { group_id: '0f0e0d0c-0b0a-4909-8807-060504030201' } }));
    expect(err.kind).toBe('not_found');
  });
});

describe('groups add', () => {
  it('adds the user with a $ref on the account host and returns the group read back', async () => {
    const { body } = await call('groups', 'add', { body: { group_id: G.sales, user_id: U.adele } });
    expect(body).toEqual({ id: G.sales, name: 'Sales', description: null, group_type: 'group', created_at: '2022-06-15T08:30:00Z', updated_at: null, remote_data: remoteGroup(G.sales) });
    expect(graph.state.isMember(G.sales, U.adele)).toBe(true);
    expect(paths()).toEqual([`POST /v1.0/groups/${G.sales}/members/$ref`, `GET /v1.0/groups/${G.sales}`]);
    expect(graph.requests[0].json).toEqual({ '@odata.id': `https://${graph.host}/v1.0/directoryObjects/${U.adele}` });
    expect(graph.requests[0].headers['content-type']).toBe('application/json');
    expect(graph.requests[0].status).toBe(204);
  });

  it('treats a duplicate add (400 "already exist") as success', async () => {
    expect(graph.state.isMember(G.engineering, U.alex)).toBe(true);
    const { body } = await call('groups', 'add', { body: { group_id: G.engineering, user_id: U.alex } });
    expect(body).toEqual({ ...ENGINEERING, remote_data: remoteGroup(G.engineering) });
    expect(graph.requests.map((r) => r.status)).toEqual([400, 200]);
    expect(graph.requests[0].json).toEqual({ '@odata.id': `https://${graph.host}/v1.0/directoryObjects/${U.alex}` });
  });

  it('reports a missing user or group as not_found', async () => {
    const missing = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const noUser = await failure(call('groups', 'add', { body: { group_id: G.sales, user_id: missing } }));
    expect(noUser).toMatchObject({ kind: 'not_found', statusCode: 404 });
    expect(noUser.message).toContain(missing);
    const noGroup = await failure(call('groups', 'add', { body: { group_id: missing, user_id: U.adele } }));
    expect(noGroup).toMatchObject({ kind: 'not_found', statusCode: 404 });
  });

  it('requires group_id and user_id', async () => {
    const err = await failure(call('groups', 'add', { body: { group_id: G.sales } }));
    expect(err.kind).toBe('invalid_request');
    expect(graph.requests).toHaveLength(0);
  });
});

describe('groups remove', () => {
  it('removes the member and returns the group', async () => {
    const { body } = await call('groups', 'remove', { body: { group_id: G.engineering, user_id: U.alex } });
    expect(body).toEqual({ ...ENGINEERING, remote_data: remoteGroup(G.engineering) });
    expect(graph.state.isMember(G.engineering, U.alex)).toBe(false);
    expect(paths()).toEqual([`DELETE /v1.0/groups/${G.engineering}/members/${U.alex}/$ref`, `GET /v1.0/groups/${G.engineering}`]);
  });

  it('treats removing a non-member as success (the group read-back exists)', async () => {
    const { body } = await call('groups', 'remove', { body: { group_id: G.sales, user_id: U.megan } });
    expect(body).toMatchObject({ id: G.sales, name: 'Sales' });
    expect(graph.requests.map((r) => r.status)).toEqual([404, 200]);
  });

  it('reports a missing group as not_found (from the read-back)', async () => {
    const missing = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const err = await failure(call('groups', 'remove', { body: { group_id: missing, user_id: U.megan } }));
    expect(err).toMatchObject({ kind: 'not_found', statusCode: 404 });
    expect(graph.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['DELETE 404', 'GET 404']);
  });
});

describe('groups create, update, delete', () => {
  it('creates a security group with a mailNickname derived from the name', async () => {
    const { status, body } = await call('groups', 'create', { body: { name: 'Data & Analytics (EU)', description: 'Data people' } });
    expect(status).toBe(200);
    const created = graph.state.listGroups().at(-1)!;
    expect(body).toEqual({
      id: created.id,
      name: 'Data & Analytics (EU)',
      description: 'Data people',
      group_type: 'group',
      created_at: '2025-03-04T05:06:07Z',
      updated_at: null,
      remote_data: { '@odata.context': `${graph.origin}/v1.0/$metadata#groups/$entity`, ...graph.state.groupJson(created) },
    });
    expect(graph.requests[0].json).toEqual({
      displayName: 'Data & Analytics (EU)',
      description: 'Data people',
      mailNickname: 'DataAnalyticsEU',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
    });
    expect(graph.requests[0].status).toBe(201);
  });

  it('lets remote_data override the defaults (a Microsoft 365 group)', async () => {
    const { body } = await call('groups', 'create', {
      body: { name: 'Project Falcon', remote_data: { mailNickname: 'falcon', groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, visibility: 'Private' } },
    });
    expect(body).toMatchObject({ name: 'Project Falcon', description: null, group_type: 'team' });
    expect(body.remote_data).toMatchObject({ mailNickname: 'falcon', mail: 'falcon@contoso.onmicrosoft.com', visibility: 'Private', groupTypes: ['Unified'] });
    expect(graph.requests[0].json).toEqual({ displayName: 'Project Falcon', mailNickname: 'falcon', mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'], visibility: 'Private' });
  });

  it('falls back to a fixed mailNickname when the name has no usable character', async () => {
    await call('groups', 'create', { body: { name: 'Équipe été' } });
    expect((graph.requests[0].json as { mailNickname: string }).mailNickname).toBe('quipet');
    graph.requests.length = 0;
    await call('groups', 'create', { body: { name: '设计' } });
    expect((graph.requests[0].json as { mailNickname: string }).mailNickname).toBe('group');
  });

  it('updates only the given fields and reads the group back', async () => {
    const { body } = await call('groups', 'update', { query: { id: G.platform }, body: { name: 'Platform engineering', remote_data: { visibility: 'Private' } } });
    expect(body).toMatchObject({ id: G.platform, name: 'Platform engineering', description: null, group_type: 'group' });
    expect(paths()).toEqual([`PATCH /v1.0/groups/${G.platform}`, `GET /v1.0/groups/${G.platform}`]);
    expect(graph.requests[0].json).toEqual({ displayName: 'Platform engineering', visibility: 'Private' });
    expect(graph.requests[0].status).toBe(204);
    const cleared = await call('groups', 'update', { query: { id: G.engineering }, body: { description: null } });
    expect(cleared.body).toEqual({ ...ENGINEERING, description: null, remote_data: remoteGroup(G.engineering) });
  });

  it('reports updating a missing group as not_found', async () => {
    const err = await failure(call('groups', 'update', { query: { id: '0f0e0d0c-0b0a-4909-8807-060504030201' }, body: { name: 'x' } }));
    expect(err).toMatchObject({ kind: 'not_found', statusCode: 404 });
  });

  it('deletes a group and returns its id', async () => {
    const { body } = await call('groups', 'delete', { query: { id: G.platform } });
    expect(body).toEqual({ id: G.platform });
    expect(graph.state.groups.has(G.platform)).toBe(false);
    expect(graph.state.isMember(G.engineering, G.platform)).toBe(false);
    const again = await failure(call('groups', 'delete', { query: { id: G.platform } }));
    expect(again).toMatchObject({ kind: 'not_found', statusCode: 404 });
  });
});

describe('rate limits (429 + Retry-After)', () => {
  it('waits Retry-After seconds and retries a read', async () => {
    graph.inject({ kind: 'throttle', retryAfterSeconds: 3, match: { method: 'GET', path: '/v1.0/groups/*' } });
    const { body } = await call('groups', 'get', { query: { id: G.engineering } });
    expect(body).toMatchObject(ENGINEERING);
    expect(clock.sleeps).toEqual([3000]);
    expect(graph.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries a throttled add (the provider did not act) and a throttled list page', async () => {
    graph.inject({ kind: 'throttle', retryAfterSeconds: 2, match: { method: 'POST' } });
    await call('groups', 'add', { body: { group_id: G.sales, user_id: U.pat } });
    expect(graph.state.isMember(G.sales, U.pat)).toBe(true);
    graph.inject({ kind: 'throttle', retryAfterSeconds: 1, match: { path: '/v1.0/users' } });
    const { body } = await call('users', 'list', { query: { limit: 2 } });
    expect(body.result).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000, 1000]);
  });

  it('honours the window of the fake throttle and reports persistent throttling as rate_limited', async () => {
    await useGraph({ throttle: { limit: 1, windowSeconds: 10 } });
    clock.now = Math.floor(START / 10_000) * 10_000 + 4_000; // 6 s left in the window
    await call('groups', 'get', { query: { id: G.sales } });
    await call('groups', 'get', { query: { id: G.sales } });
    expect(clock.sleeps).toEqual([6000]);

    graph.inject({ kind: 'throttle', retryAfterSeconds: 1, times: 3 });
    const err = await failure(call('groups', 'get', { query: { id: G.sales } }));
    expect(err).toMatchObject({ kind: 'rate_limited', statusCode: 429 });
    expect(err.remote).toMatchObject({ status: 429, code: 'TooManyRequests' });
    expect(err.headers).toEqual({ 'ratelimit-reset': '1' });
  });
});

describe('account context', () => {
  it('talks to graph.microsoft.com when the account gives no host', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const offline = await createEngine({ only: ['msgraph'], dispatcher: agent });
    try {
      agent
        .get('https://graph.microsoft.com')
        .intercept({ path: `/v1.0/groups/${G.sales}/members/$ref`, method: 'POST', body: JSON.stringify({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${U.pat}` }) })
        .reply(204, '');
      agent
        .get('https://graph.microsoft.com')
        .intercept({ path: `/v1.0/groups/${G.sales}`, method: 'GET' })
        .reply(200, { id: G.sales, displayName: 'Sales', description: null, groupTypes: [], createdDateTime: '2022-06-15T08:30:00Z' }, { headers: { 'content-type': 'application/json' } });
      const context = {};
      const { body } = await offline.execute({
        account: { integration: 'msgraph', context, credentials: { access_token: 't' } },
        model: 'user-directory',
        resource: 'groups',
        method: 'add',
        body: { group_id: G.sales, user_id: U.pat },
      });
      expect(body).toMatchObject({ id: G.sales, name: 'Sales', group_type: 'group' });
      expect(context).toEqual({}); // the caller's context is not changed
      agent.assertNoPendingInterceptors();
    } finally {
      await offline.close();
      await agent.close();
    }
  });

  it('talks to a national cloud host, references included, when the account names one', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const offline = await createEngine({ only: ['msgraph'], dispatcher: agent });
    try {
      const pool = agent.get('https://graph.microsoft.us');
      pool
        .intercept({ path: `/v1.0/groups/${G.sales}/members/$ref`, method: 'POST', body: JSON.stringify({ '@odata.id': `https://graph.microsoft.us/v1.0/directoryObjects/${U.pat}` }) })
        .reply(204, '');
      pool.intercept({ path: `/v1.0/groups/${G.sales}`, method: 'GET' }).reply(200, { id: G.sales, displayName: 'Sales', description: null, groupTypes: ['Unified'], createdDateTime: '2022-06-15T08:30:00Z' }, { headers: { 'content-type': 'application/json' } });
      const { body } = await offline.execute({
        account: { integration: 'msgraph', context: { host: 'graph.microsoft.us' }, credentials: { access_token: 't' } },
        model: 'user-directory',
        resource: 'groups',
        method: 'add',
        body: { group_id: G.sales, user_id: U.pat },
      });
      expect(body).toMatchObject({ id: G.sales, group_type: 'team' });
      agent.assertNoPendingInterceptors();
    } finally {
      await offline.close();
      await agent.close();
    }
  });
});
