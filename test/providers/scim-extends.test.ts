/**
 * "A new SCIM-based provider is added by writing only an integration file": in a throwaway copy of
 * integrations/, two vendors are written as a single integration.yaml each (`extends: scim` plus their
 * own name, label, base URL, context or auth) and run against the fake SCIM server. Every operation they
 * do not define comes from integrations/scim.
 */

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, UnifiedError, type Engine } from '../../engine/index.js';
import { SEED_GROUP_IDS as G, SEED_USER_IDS as U, startFakeScim, type FakeScim } from '../fakes/scim/index.js';
import { integrationsDir } from '../support/paths.js';
import { yaml } from '../support/temp-integrations.js';

const ACME = yaml`
  # yaml-language-server: $schema=../../schemas/definition/integration.schema.json
  name: acme-directory
  label: Acme Directory
  extends: scim
  description: Acme's directory speaks plain SCIM 2.0 at a fixed path.
  base_url: https://{host}/api/scim/v2
`;

// A vendor with its own account context (a tenant segment in the path) and its own credential name.
const BETA = yaml`
  # yaml-language-server: $schema=../../schemas/definition/integration.schema.json
  name: beta-hr
  label: Beta HR
  extends: scim
  base_url: https://{host}/scim/{tenant}/v2
  context_schema:
    type: object
    additionalProperties: false
    required: [host, tenant]
    properties:
      host: { type: string, format: host-port }
      tenant: { type: string, minLength: 1 }
  credentials_schema:
    type: object
    additionalProperties: false
    required: [api_key]
    properties:
      api_key: { type: string, minLength: 1 }
  auth:
    - type: bearer
      credential: api_key
`;

const tokens = ['acme-token', 'beta-key'];
let root: string;
let engine: Engine;
let acme: FakeScim;
let beta: FakeScim;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'unimap-scim-extends-'));
  cpSync(path.join(integrationsDir, 'scim'), path.join(root, 'scim'), { recursive: true });
  for (const [name, text] of [['acme-directory', ACME], ['beta-hr', BETA]]) {
    mkdirSync(path.join(root, name));
    writeFileSync(path.join(root, name, 'integration.yaml'), text);
  }
  engine = await createEngine({ integrationsDir: root, only: ['acme-directory', 'beta-hr'] });
  acme = await startFakeScim({ basePath: '/api/scim/v2', tokens, patchReturns: 204 });
  beta = await startFakeScim({ basePath: '/scim/t-42/v2', tokens });
});
afterAll(async () => {
  await Promise.all([engine?.close(), acme?.close(), beta?.close()]);
  rmSync(root, { recursive: true, force: true });
});

const acmeAccount = () => ({ integration: 'acme-directory', context: { host: acme.host }, credentials: { access_token: 'acme-token' } });
const betaAccount = () => ({ integration: 'beta-hr', context: { host: beta.host, tenant: 't-42' }, credentials: { api_key: 'beta-key' } });

describe('an integration that only extends scim', () => {
  it('gets every scim operation, and scim itself is not served', () => {
    const ops = (name: string) => [...engine.definitions.integrations.get(name)!.operations.keys()].sort();
    const expected = [
      'user-directory/group_members/list',
      'user-directory/groups/add',
      'user-directory/groups/create',
      'user-directory/groups/delete',
      'user-directory/groups/get',
      'user-directory/groups/list',
      'user-directory/groups/remove',
      'user-directory/groups/update',
      'user-directory/users/get',
      'user-directory/users/list',
    ];
    expect(ops('acme-directory')).toEqual(expected);
    expect(ops('beta-hr')).toEqual(expected);
    expect([...engine.definitions.integrations.keys()].sort()).toEqual(['acme-directory', 'beta-hr']);
    expect(engine.definitions.integrations.get('acme-directory')!.spec.label).toBe('Acme Directory');
  });

  it('adds a member at its own base URL (PATCH 204, then the group is read back)', async () => {
    const res = await engine.execute({ account: acmeAccount(), model: 'user-directory', resource: 'groups', method: 'add', body: { group_id: G.sales, user_id: U.babs } });
    expect(res.body).toMatchObject({ id: G.sales, name: 'Sales', group_type: 'group' });
    expect(acme.requests.map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual([
      `PATCH /api/scim/v2/Groups/${G.sales} 204`,
      `GET /api/scim/v2/Groups/${G.sales} 200`,
    ]);
    expect(acme.requests[0].headers.authorization).toBe('Bearer acme-token');
    expect(acme.state.memberIds(G.sales)).toEqual([U.babs]);
  });

  it('lists with the inherited paging: two pages, the last one full', async () => {
    acme.requests.length = 0;
    const list = (next_cursor?: string) =>
      engine.execute({ account: acmeAccount(), model: 'user-directory', resource: 'groups', method: 'list', query: { limit: 2, ...(next_cursor ? { next_cursor } : {}) } });
    const first = (await list()).body as { result: Array<{ id: string }>; next_cursor: string };
    const second = (await list(first.next_cursor)).body as { result: Array<{ id: string }>; next_cursor: string | null };
    expect([...first.result, ...second.result].map((g) => g.id)).toEqual([G.tourGuides, G.engineering, G.sales, G.employees]);
    expect(second.next_cursor).toBeNull();
    expect(acme.requests.map((r) => r.url)).toEqual([
      '/api/scim/v2/Groups?excludedAttributes=members&count=2&startIndex=1',
      '/api/scim/v2/Groups?excludedAttributes=members&count=2&startIndex=3',
    ]);
  });

  it('reports errors under its own label', async () => {
    const err = await engine
      .execute({ account: acmeAccount(), model: 'user-directory', resource: 'groups', method: 'get', query: { id: 'missing' } })
      .then(() => undefined, (e: unknown) => e as UnifiedError);
    expect(err).toBeInstanceOf(UnifiedError);
    expect([err!.kind, err!.statusCode, err!.message]).toEqual(['not_found', 404, 'Acme Directory (get_group) failed: Resource missing not found']);
  });

  it('uses its own context and credentials (tenant path segment, api_key as bearer)', async () => {
    const res = await engine.execute({ account: betaAccount(), model: 'user-directory', resource: 'group_members', method: 'list', query: { group_id: G.tourGuides } });
    expect((res.body as { result: Array<{ id: string }> }).result.map((m) => m.id)).toEqual([U.babs, U.john]);
    expect(beta.requests.map((r) => r.url)).toEqual([`/scim/t-42/v2/Groups/${G.tourGuides}?attributes=members`]);
    expect(beta.requests[0].headers.authorization).toBe('Bearer beta-key');

    const add = await engine.execute({ account: betaAccount(), model: 'user-directory', resource: 'groups', method: 'add', body: { group_id: G.sales, user_id: U.john } });
    expect(add.body).toMatchObject({ id: G.sales, remote_data: { members: [{ value: U.john }] } });
    expect(beta.requests.at(-1)!.method).toBe('PATCH');
  });

  it('checks the account against its own context schema', async () => {
    const err = await engine
      .execute({ account: { ...betaAccount(), context: { host: beta.host } }, model: 'user-directory', resource: 'users', method: 'list' })
      .then(() => undefined, (e: unknown) => e as UnifiedError);
    expect(err).toBeInstanceOf(UnifiedError);
    expect([err!.kind, err!.statusCode]).toEqual(['invalid_request', 422]);
    expect(err!.message).toContain('tenant');
  });
});
