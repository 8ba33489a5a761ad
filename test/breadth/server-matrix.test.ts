import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, createServer, openStore, type Engine, type Store, type UnifiedServer } from '../../engine/index.js';
import * as google from '../fakes/google/index.js';
import * as keycloak from '../fakes/keycloak/index.js';
import * as msgraph from '../fakes/msgraph/index.js';
import * as okta from '../fakes/okta/index.js';
import * as scim from '../fakes/scim/index.js';
import { call, type Reply } from '../server/helpers.js';

/**
 * Issue 6's claim, cell by cell: every provider × user-directory operation works against the
 * provider's faithful fake through the real HTTP server, with one server and every integration loaded.
 */

interface Provider {
  integration: string;
  start(): Promise<{ host: string; close(): Promise<void> }>;
  context(host: string): Record<string, unknown>;
  credentials: Record<string, unknown>;
  user: string;
  /** Provider-specific extras a create needs (e.g. Google's group email). */
  createExtras?: Record<string, unknown>;
}

const providers: Provider[] = [
  { integration: 'okta', start: () => okta.startFakeOkta(), context: (host) => ({ domain: host }), credentials: { api_token: okta.DEFAULT_API_TOKEN }, user: okta.SEED_USER_IDS.jane },
  { integration: 'msgraph', start: () => msgraph.startFakeMsGraph(), context: (host) => ({ host }), credentials: { access_token: msgraph.DEFAULT_ACCESS_TOKEN }, user: msgraph.SEED_USER_IDS.alex },
  {
    integration: 'google',
    start: () => google.startFakeGoogle(),
    context: (host) => ({ host }),
    credentials: { access_token: google.DEFAULT_ACCESS_TOKEN },
    user: google.SEED_USER_IDS.bob,
    createExtras: { remote_data: { email: 'matrix-group@example.com' } },
  },
  { integration: 'keycloak', start: () => keycloak.startFakeKeycloak(), context: (host) => ({ host, realm: keycloak.SEED_REALM }), credentials: { access_token: keycloak.DEFAULT_ACCESS_TOKEN }, user: keycloak.SEED_USER_IDS.jane },
  { integration: 'scim', start: () => scim.startFakeScim(), context: (host) => ({ host, base_path: '/scim/v2' }), credentials: { access_token: scim.DEFAULT_SCIM_TOKEN }, user: scim.SEED_USER_IDS.john },
];

let engine: Engine;
let store: Store;
let server: UnifiedServer;
let url: string;
let key: string;
let dataDir: string;
const agent = new Agent({ connections: 16 });
const fakes: { close(): Promise<void> }[] = [];
const accounts = new Map<string, string>();

beforeAll(async () => {
  engine = await createEngine({ random: () => 0 });
  dataDir = mkdtempSync(path.join(tmpdir(), 'unimap-matrix-'));
  store = openStore({ dataDir, env: {} });
  key = store.createApiKey().key;
  for (const p of providers) {
    const fake = await p.start();
    fakes.push(fake);
    accounts.set(p.integration, store.addAccount({ integration: p.integration, context: p.context(fake.host), credentials: p.credentials }).id);
  }
  server = createServer({ engine, store });
  ({ url } = await server.listen(0, '127.0.0.1'));
});

afterAll(async () => {
  await server?.close();
  await agent.close();
  await engine?.close();
  store?.close();
  for (const f of fakes) await f.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (integration: string, route: string, query = '') =>
  call(agent, url, key, 'GET', `/unified/user-directory${route}`, { query: `integrated_account_id=${accounts.get(integration)}${query}` });
const send = (integration: string, method: string, route: string, body: unknown) =>
  call(agent, url, key, method, `/unified/user-directory${route}`, { query: `integrated_account_id=${accounts.get(integration)}`, body });

function ok(reply: Reply): any {
  expect(reply.status, JSON.stringify(reply.json)).toBe(200);
  return reply.json;
}

describe.each(providers)('$integration through the HTTP server', (p) => {
  it('users: list (paged) and get', async () => {
    const first = ok(await get(p.integration, '/users', '&limit=2'));
    expect(first.result.length).toBeGreaterThan(0);
    expect(first.result.length).toBeLessThanOrEqual(2);
    expect(first.result_count).toBe(first.result.length);
    expect(typeof first.next_cursor === 'string' || first.next_cursor === null).toBe(true);
    if (first.next_cursor) {
      const second = ok(await get(p.integration, '/users', `&limit=2&next_cursor=${encodeURIComponent(first.next_cursor)}`));
      const ids = new Set(first.result.map((u: { id: string }) => u.id));
      for (const u of second.result) expect(ids.has(u.id)).toBe(false);
    }
    const user = ok(await get(p.integration, `/users/${encodeURIComponent(p.user)}`));
    expect(user.id).toBe(p.user);
    expect(user).toHaveProperty('remote_data');
  });

  it('groups: create, get, list, update, add, members, remove, delete', async () => {
    const created = ok(await send(p.integration, 'POST', '/groups', { name: `Matrix ${p.integration}`, ...p.createExtras }));
    const id = created.id as string;
    expect(created.name).toBe(`Matrix ${p.integration}`);

    expect(ok(await get(p.integration, `/groups/${encodeURIComponent(id)}`)).id).toBe(id);
    const listed = ok(await get(p.integration, '/groups', '&limit=50'));
    expect(listed.result.length).toBeGreaterThan(0);

    const updated = ok(await send(p.integration, 'PATCH', `/groups/${encodeURIComponent(id)}`, { name: `Matrix ${p.integration} renamed` }));
    expect(updated).toMatchObject({ id, name: `Matrix ${p.integration} renamed` });

    expect(ok(await send(p.integration, 'POST', '/groups/add', { group_id: id, user_id: p.user })).id).toBe(id);
    // A duplicate add is a success on every provider.
    expect(ok(await send(p.integration, 'POST', '/groups/add', { group_id: id, user_id: p.user })).id).toBe(id);
    const members = ok(await get(p.integration, '/group_members', `&group_id=${encodeURIComponent(id)}`));
    expect(members.result.map((u: { id: string }) => u.id)).toContain(p.user);

    expect(ok(await send(p.integration, 'POST', '/groups/remove', { group_id: id, user_id: p.user })).id).toBe(id);
    const after = ok(await get(p.integration, '/group_members', `&group_id=${encodeURIComponent(id)}`));
    expect(after.result.map((u: { id: string }) => u.id)).not.toContain(p.user);

    expect(ok(await call(agent, url, key, 'DELETE', `/unified/user-directory/groups/${encodeURIComponent(id)}`, { query: `integrated_account_id=${accounts.get(p.integration)}` }))).toEqual({ id });
    const gone = await get(p.integration, `/groups/${encodeURIComponent(id)}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ statusCode: 404, kind: 'not_found', remote_error: true });
  });
});

describe('operation metadata', () => {
  it('GET /unified/<model>/<resource>/meta/<method> gives schemas and "Required in"', async () => {
    const meta = ok(await call(agent, url, key, 'GET', '/unified/user-directory/groups/meta/add'));
    expect(meta.http).toEqual({ method: 'POST', path: '/unified/user-directory/groups/add' });
    expect(meta.request_body_schema.properties).toHaveProperty('group_id');
    expect(meta.response_schema.title).toBe('Group');
    expect(meta.integrations.map((i: { name: string }) => i.name)).toEqual(['google', 'keycloak', 'msgraph', 'okta', 'scim']);
    expect(meta.required_in['body.group_id']).toContain('Okta');
    const list = ok(await call(agent, url, key, 'GET', '/unified/user-directory/users/meta/list'));
    expect(list.response_schema.required).toEqual(['result', 'next_cursor', 'result_count']);
  });

  it('needs an API key', async () => {
    expect((await call(agent, url, key, 'GET', '/unified/user-directory/groups/meta/add', { key: null })).status).toBe(401);
  });
});
