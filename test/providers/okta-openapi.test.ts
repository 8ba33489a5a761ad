/**
 * The Okta definitions speak Okta's documented API: every request any Okta operation produces (run
 * through the engine against the fake, recorded with `onExchange`) is an operation of Okta's official
 * OpenAPI document (method and path template), sends only query parameters that operation documents
 * (with values of the documented type), and sends a body that validates against the operation's
 * requestBody schema where it has one (and no body where it has none).
 *
 * Skips with a notice where ../shared (the OpenAPI document) is absent.
 */

import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine, type Engine, type Exchange } from '../../engine/index.js';
import { DEFAULT_API_TOKEN, SEED_GROUP_IDS as G, SEED_USER_IDS as U, startFakeOkta, type FakeOkta } from '../fakes/okta/index.js';
import { isDocumentedStatus, matchOktaOperation, OKTA_OPENAPI_RELATIVE_PATH, OKTA_SCHEMA_ID, oktaAjv, oktaOpenApiDocument, oktaOperation } from '../support/okta-openapi.js';
import { describeWithShared } from '../support/shared-dir.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

interface Scenario {
  label: string;
  resource: string;
  method: string;
  query?: Obj;
  body?: Obj;
  /** Follow next_cursor to the end of the list. */
  allPages?: boolean;
  /** The call is expected to fail (its requests are still checked). */
  fails?: boolean;
}

/** Every Okta operation at least once, with the variants that change what is sent. */
const SCENARIOS: Scenario[] = [
  { label: 'list groups', resource: 'groups', method: 'list' },
  { label: 'list groups, pages of 2', resource: 'groups', method: 'list', query: { limit: 2 }, allPages: true },
  { label: 'list groups, search + expand', resource: 'groups', method: 'list', query: { limit: 1, remote_query: { search: 'type eq "APP_GROUP"', expand: 'stats' } }, allPages: true },
  { label: 'list groups, clamped limit', resource: 'groups', method: 'list', query: { limit: 100000 } },
  { label: 'get group', resource: 'groups', method: 'get', query: { id: G.engineering } },
  { label: 'get group, not found', resource: 'groups', method: 'get', query: { id: '00gnope0000000000000' }, fails: true },
  { label: 'create group', resource: 'groups', method: 'create', body: { name: 'Platform', description: 'Platform team' } },
  { label: 'create group, null description', resource: 'groups', method: 'create', body: { name: 'Bare', description: null } },
  { label: 'create group, remote_data', resource: 'groups', method: 'create', body: { name: 'Extra', remote_data: { profile: { description: 'via remote_data' } } } },
  { label: 'update group name (description kept)', resource: 'groups', method: 'update', query: { id: G.engineering }, body: { name: 'Eng' } },
  { label: 'update group with a null description on Okta', resource: 'groups', method: 'update', query: { id: G.sales }, body: { name: 'Sales 2' } },
  { label: 'update group, clear description', resource: 'groups', method: 'update', query: { id: G.engineering }, body: { description: null } },
  { label: 'update group, empty change', resource: 'groups', method: 'update', query: { id: G.contractors }, body: {} },
  { label: 'update group, not found', resource: 'groups', method: 'update', query: { id: '00gnope0000000000000' }, body: { name: 'x' }, fails: true },
  { label: 'add member', resource: 'groups', method: 'add', body: { group_id: G.sales, user_id: U.isaac } },
  { label: 'add member again', resource: 'groups', method: 'add', body: { group_id: G.sales, user_id: U.isaac } },
  { label: 'remove member', resource: 'groups', method: 'remove', body: { group_id: G.sales, user_id: U.isaac } },
  { label: 'remove non-member', resource: 'groups', method: 'remove', body: { group_id: G.sales, user_id: U.isaac } },
  { label: 'list members', resource: 'group_members', method: 'list', query: { group_id: G.engineering } },
  { label: 'list members, pages of 1', resource: 'group_members', method: 'list', query: { group_id: G.engineering, limit: 1 }, allPages: true },
  { label: 'list members, not found', resource: 'group_members', method: 'list', query: { group_id: '00gnope0000000000000' }, fails: true },
  { label: 'list users', resource: 'users', method: 'list' },
  { label: 'list users, pages of 4', resource: 'users', method: 'list', query: { limit: 4 }, allPages: true },
  { label: 'list users, filter', resource: 'users', method: 'list', query: { remote_query: { filter: 'status eq "DEPROVISIONED"' } } },
  { label: 'get user by id', resource: 'users', method: 'get', query: { id: U.jane } },
  { label: 'get user by login', resource: 'users', method: 'get', query: { id: 'jane.doe@example.com' } },
  { label: 'delete group', resource: 'groups', method: 'delete', query: { id: G.contractors } },
  { label: 'delete group, not found', resource: 'groups', method: 'delete', query: { id: G.contractors }, fails: true },
];

/** Which documented operation each step of each definition must be. */
const EXPECTED_OPERATION: Record<string, string> = {
  'groups.list/list_groups': 'listGroups',
  'groups.get/get_group': 'getGroup',
  'groups.create/create_group': 'addGroup',
  'groups.update/get_group': 'getGroup',
  'groups.update/replace_group': 'replaceGroup',
  'groups.delete/delete_group': 'deleteGroup',
  'groups.add/add_member': 'assignUserToGroup',
  'groups.add/get_group': 'getGroup',
  'groups.remove/remove_member': 'unassignUserFromGroup',
  'groups.remove/get_group': 'getGroup',
  'group_members.list/list_members': 'listGroupUsers',
  'users.list/list_users': 'listUsers',
  'users.get/get_user': 'getUser',
};

interface Recorded {
  scenario: string;
  operation: string;
  exchange: Exchange;
}

/** OpenAPI 3.0 schema → JSON Schema against the document registered in ajv (refs made absolute, `nullable` honoured). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable' || k === 'example' || k === 'examples' || k === 'discriminator') continue;
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${OKTA_SCHEMA_ID}${v}` : toJsonSchema(v);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

function deref(node: unknown): unknown {
  let cur = node;
  for (let i = 0; i < 10 && isObj(cur) && typeof cur.$ref === 'string'; i++) {
    const pointer = cur.$ref.replace(/^#\//, '').split('/');
    cur = pointer.reduce<unknown>((acc, key) => (isObj(acc) ? acc[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), oktaOpenApiDocument());
  }
  return cur;
}

function operationObject(operationId: string): { pathItem: Obj; op: Obj } {
  const found = oktaOperation(operationId)!;
  const pathItem = (oktaOpenApiDocument().paths as Obj)[found.pathTemplate] as Obj;
  return { pathItem, op: pathItem[found.method.toLowerCase()] as Obj };
}

/** The documented query parameters of an operation (path-level and operation-level), by name. */
function queryParameters(operationId: string): Map<string, Obj> {
  const { pathItem, op } = operationObject(operationId);
  const out = new Map<string, Obj>();
  for (const raw of [...((pathItem.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])]) {
    const p = deref(raw);
    if (isObj(p) && p.in === 'query' && typeof p.name === 'string') out.set(p.name, (deref(p.schema) as Obj) ?? {});
  }
  return out;
}

const validators = new Map<string, ValidateFunction>();
function compiled(key: string, schema: () => unknown): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    v = oktaAjv().compile(toJsonSchema(schema()) as object);
    validators.set(key, v);
  }
  return v;
}

/** The operation's JSON requestBody: its validator and whether a body is required; undefined when it documents none. */
function requestBody(operationId: string): { validate: ValidateFunction; required: boolean } | undefined {
  const body = deref(operationObject(operationId).op.requestBody);
  if (!isObj(body)) return undefined;
  const media = isObj(body.content) ? (body.content['application/json'] as Obj | undefined) : undefined;
  if (!media?.schema) return undefined;
  return { validate: compiled(`body:${operationId}`, () => media.schema), required: body.required === true };
}

function queryOf(path: string): Array<[string, string]> {
  const q = path.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(path.slice(q + 1)).entries()];
}

describeWithShared(
  'okta definitions send only requests documented in the Okta Management OpenAPI',
  () => {
    let engine: Engine;
    let okta: FakeOkta;
    const recorded: Recorded[] = [];
    const failures: string[] = [];

    beforeAll(async () => {
      oktaOpenApiDocument();
      engine = await createEngine({ only: ['okta'], sleep: async () => undefined });
      okta = await startFakeOkta();
      for (const s of SCENARIOS) {
        const operation = `${s.resource}.${s.method}`;
        let cursor: string | null = null;
        let pages = 0;
        do {
          try {
            const res = await engine.execute({
              account: { integration: 'okta', context: { domain: okta.host }, credentials: { api_token: DEFAULT_API_TOKEN } },
              model: 'user-directory',
              resource: s.resource,
              method: s.method,
              query: { ...s.query, ...(cursor ? { next_cursor: cursor } : {}) },
              body: s.body,
              onExchange: (exchange) => recorded.push({ scenario: s.label, operation, exchange }),
            });
            if (s.fails) failures.push(`${s.label}: expected a failure, got ${res.status}`);
            cursor = s.allPages ? ((res.body as { next_cursor: string | null }).next_cursor ?? null) : null;
          } catch (err) {
            if (!s.fails) failures.push(`${s.label}: ${(err as Error).message}`);
            cursor = null;
          }
          pages++;
        } while (cursor && pages < 20);
      }
    }, 60_000);
    afterAll(async () => {
      await okta?.close();
      await engine?.close();
    });

    it('every scenario behaved as expected and every Okta operation was exercised', () => {
      expect(failures).toEqual([]);
      const defined = [...engine.definitions.integrations.get('okta')!.operations.values()].map((o) => `${o.spec.resource}.${o.spec.method}`);
      const exercised = new Set(recorded.map((r) => r.operation));
      expect(defined.filter((d) => !exercised.has(d))).toEqual([]);
      // Every step of every definition is in the table of expected documented operations, and was sent.
      const steps = [...engine.definitions.integrations.get('okta')!.operations.values()].flatMap((o) => o.steps.map((st) => `${o.spec.resource}.${o.spec.method}/${st.spec.name}`));
      expect(steps.filter((k) => !(k in EXPECTED_OPERATION))).toEqual([]);
      const sent = new Set(recorded.map((r) => `${r.operation}/${r.exchange.step}`));
      expect(steps.filter((k) => !sent.has(k))).toEqual([]);
      // Paging really happened: some list requests followed Okta's next link.
      expect(recorded.some((r) => r.exchange.request.path.includes('after='))).toBe(true);
    });

    it('every request is a documented operation (method and path template), the one its step intends', () => {
      const problems: string[] = [];
      for (const { scenario, operation, exchange } of recorded) {
        const { method, path } = exchange.request;
        const match = matchOktaOperation(method, path);
        const want = EXPECTED_OPERATION[`${operation}/${exchange.step}`];
        if (!match) problems.push(`${scenario}: ${method} ${path} is not an operation of the Okta OpenAPI`);
        else if (match.operationId !== want) problems.push(`${scenario}: ${method} ${path} is ${match.operationId}, expected ${want}`);
      }
      expect(problems).toEqual([]);
      expect(recorded.length).toBeGreaterThan(SCENARIOS.length);
    });

    it('every query parameter sent is documented for its operation, with a value of the documented type', () => {
      const problems: string[] = [];
      for (const { scenario, exchange } of recorded) {
        const match = matchOktaOperation(exchange.request.method, exchange.request.path);
        if (!match) continue;
        const params = queryParameters(match.operationId);
        for (const [name, value] of queryOf(exchange.request.path)) {
          const schema = params.get(name);
          if (!schema) {
            problems.push(`${scenario}: ${match.operationId} documents no query parameter "${name}" (documented: ${[...params.keys()].join(', ')})`);
            continue;
          }
          const typed = schema.type === 'integer' || schema.type === 'number' ? (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value) : value;
          const validate = compiled(`param:${match.operationId}:${name}`, () => schema);
          if (!validate(typed)) problems.push(`${scenario}: ${match.operationId} ${name}=${value}: ${oktaAjv().errorsText(validate.errors)}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('every request body validates against the requestBody schema of its operation (none where there is none)', () => {
      const problems: string[] = [];
      let validated = 0;
      for (const { scenario, exchange } of recorded) {
        const { method, path, json, body } = exchange.request;
        const match = matchOktaOperation(method, path);
        if (!match) continue;
        const documented = requestBody(match.operationId);
        if (!documented) {
          if (json !== undefined || (body !== undefined && body !== '')) problems.push(`${scenario}: ${match.operationId} documents no request body, but one was sent: ${body}`);
          continue;
        }
        if (json === undefined) {
          if (documented.required) problems.push(`${scenario}: ${match.operationId} requires a JSON body; none was sent`);
          continue;
        }
        validated++;
        if (!documented.validate(json)) problems.push(`${scenario}: ${match.operationId} body ${JSON.stringify(json)}: ${oktaAjv().errorsText(documented.validate.errors)}`);
      }
      expect(problems).toEqual([]);
      // create ×3 and the update PUTs ×4 carried bodies.
      expect(validated).toBe(7);
    });

    it('every answer the fake gave is a documented status of the operation', () => {
      const problems: string[] = [];
      for (const { scenario, exchange } of recorded) {
        const match = matchOktaOperation(exchange.request.method, exchange.request.path);
        const status = exchange.response?.status;
        if (match && status !== undefined && !isDocumentedStatus(match.operationId, status)) problems.push(`${scenario}: ${match.operationId} answered ${status}, which it does not document`);
      }
      expect(problems).toEqual([]);
    });
  },
  { requires: [[...OKTA_OPENAPI_RELATIVE_PATH]] },
);
