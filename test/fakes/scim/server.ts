/**
 * An in-process SCIM 2.0 service provider (RFC 7644) on node:http, 127.0.0.1, ephemeral port, serving
 * /Users and /Groups under a configurable base path (e.g. `/scim/v2`). Each request goes through:
 *   1. the request log,
 *   2. injected faults,
 *   3. authentication (Bearer token or HTTP Basic; 401 with a SCIM error and WWW-Authenticate),
 *   4. content negotiation (406 for an Accept without SCIM/JSON, 415 for a body that is not
 *      application/scim+json or application/json, 400 invalidSyntax for unparsable JSON),
 *   5. routing (404 / 405 with SCIM error bodies) and the operation itself.
 * Responses are `application/scim+json` (RFC 7644 §8.1); errors use the §3.12 body with `status` as a
 * string; lists are ListResponses paged by `startIndex` (1-based) and `count` (§3.4.2.4).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

import { FaultQueue } from '../shared/fault-queue.js';
import { applyTransportFault, fakeServerHandle, parseRequest, readBody, recordRequest, sendResponse, startLoopbackServer, type BaseRecordedRequest, type FakeServerHandle } from '../shared/http-fake.js';
import { ScimHttpError, errorBody, scimErrors, type ScimType } from './errors.js';
import type { ScimFault } from './faults.js';
import { evaluateFilter, getAttr, parseAttrPath, parseFilter } from './filter.js';
import { applyGroupPatch, parseMembers } from './patch.js';
import { applyDefaultSeed } from './seed.js';
import { GROUP_SCHEMA, ScimState, USER_SCHEMA, type GroupRecord, type Json, type UserRecord } from './state.js';

export const DEFAULT_SCIM_TOKEN = 'scim-fake-bearer-token-unimap-tests';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

export interface FakeScimOptions {
  /** `default`: the hand-written directory in seed.ts; `empty`: nothing. */
  seed?: 'default' | 'empty';
  /** Accepted `Authorization: Bearer <token>` values. Default `[DEFAULT_SCIM_TOKEN]`. */
  tokens?: string[];
  /** Accepted HTTP Basic credentials. Default none (Basic is refused). */
  basic?: Array<{ username: string; password: string }>;
  /** Where /Users and /Groups live, e.g. `/scim/v2` (default) or `` for the root. */
  basePath?: string;
  /** Epoch milliseconds; drives meta.created / meta.lastModified and the Date header. */
  now?: () => number;
  /** RFC 7644 §3.5.2: a PATCH either answers 200 with the whole resource or MAY answer 204. Default 200. */
  patchReturns?: 200 | 204;
  /** Removing `members[value eq "x"]` when x is not a member: success (default) or 400 noTarget. */
  removeMissing?: 'success' | 'noTarget';
  /** Largest page a list returns; also the page size when no `count` is given. Default 100. */
  maxResults?: number;
}

/** `url` is the raw request target, e.g. `/scim/v2/Groups?startIndex=1&count=2`. */
export interface RecordedRequest extends BaseRecordedRequest<ScimFault['kind']> {
  /** Decoded path under the base path, e.g. `/Groups/e9e30dba-…`. */
  resourcePath: string;
}

export interface FakeScim extends FakeServerHandle<ScimFault, RecordedRequest> {
  /** The base path as configured, e.g. `/scim/v2`. */
  readonly basePath: string;
  /** `http://127.0.0.1:PORT/scim/v2`: prefix of every `$ref` and `meta.location`. */
  readonly baseUrl: string;
  readonly state: ScimState;
  /** Changes how PATCH answers from now on. */
  setPatchReturns(status: 200 | 204): void;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Ctx {
  method: string;
  params: string[];
  query: URLSearchParams;
  json: () => unknown;
  ifMatch?: string;
}

type Handler = (ctx: Ctx) => Reply;

const USER_CASE_EXACT = new Set(['id', 'externalid', 'meta.location', 'groups.value', 'groups.$ref']);
const GROUP_CASE_EXACT = new Set(['id', 'externalid', 'meta.location', 'members.value', 'members.$ref']);

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export async function startFakeScim(options: FakeScimOptions = {}): Promise<FakeScim> {
  const now = options.now ?? Date.now;
  const state = new ScimState(now);
  if ((options.seed ?? 'default') === 'default') applyDefaultSeed(state);
  const basePath = normalizeBasePath(options.basePath ?? '/scim/v2');
  const tokens = new Set(options.tokens ?? [DEFAULT_SCIM_TOKEN]);
  const basic = new Set((options.basic ?? []).map((c) => Buffer.from(`${c.username}:${c.password}`).toString('base64')));
  const maxResults = options.maxResults ?? 100;
  const removeMissing = options.removeMissing ?? 'success';
  let patchReturns: 200 | 204 = options.patchReturns ?? 200;
  const faults = new FaultQueue<ScimFault>('fake scim');
  const requests: RecordedRequest[] = [];
  let origin = '';
  let base = '';

  // ------------------------------------------------------------------ representations

  const project = (json: Json, query: URLSearchParams): Json => {
    const attributes = query.get('attributes');
    const excluded = query.get('excludedAttributes');
    if (attributes !== null && excluded !== null) throw scimErrors.invalidSyntax('"attributes" and "excludedAttributes" are mutually exclusive');
    const paths = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      try {
        return parseAttrPath(s);
      } catch {
        throw scimErrors.invalidValue(`Invalid attribute name "${s}"`);
      }
    });
    const keyOf = (obj: Json, lower: string) => Object.keys(obj).find((k) => k.toLowerCase() === lower);
    if (attributes !== null) {
      // `schemas` and `id` are always returned (RFC 7643 §2.4, returned "always"); meta is "default".
      const out: Json = { schemas: json.schemas, id: json.id };
      for (const [top, sub] of paths(attributes)) {
        const key = keyOf(json, top);
        if (!key) continue;
        if (sub === undefined || !isObject(json[key])) out[key] = json[key];
        else {
          const subKey = keyOf(json[key] as Json, sub);
          if (subKey) out[key] = { ...(isObject(out[key]) ? (out[key] as Json) : {}), [subKey]: (json[key] as Json)[subKey] };
        }
      }
      return out;
    }
    if (excluded !== null) {
      const out = structuredClone(json);
      for (const [top, sub] of paths(excluded)) {
        const key = keyOf(out, top);
        if (!key || key === 'id' || key === 'schemas') continue;
        if (sub === undefined) delete out[key];
        else if (isObject(out[key])) {
          const subKey = keyOf(out[key] as Json, sub);
          if (subKey) delete (out[key] as Json)[subKey];
        }
      }
      return out;
    }
    return json;
  };

  /** RFC 7644 §3.4.2: filter, then page (startIndex 1-based, count clamped to maxResults). */
  const listResponse = (all: Json[], query: URLSearchParams, caseExact: ReadonlySet<string>): Reply => {
    const filterText = query.get('filter');
    const filter = filterText !== null ? parseFilter(filterText) : undefined;
    const matched = filter ? all.filter((r) => evaluateFilter(filter, r, { caseExact })) : all;
    const int = (name: string): number | undefined => {
      const raw = query.get(name);
      if (raw === null || raw === '') return undefined;
      if (!/^-?\d+$/.test(raw.trim())) throw scimErrors.invalidValue(`"${name}" must be an integer, got "${raw}"`);
      return Number(raw.trim());
    };
    // "A value less than 1 SHALL be interpreted as 1"; "A negative value SHALL be interpreted as 0".
    const startIndex = Math.max(1, int('startIndex') ?? 1);
    const count = Math.min(Math.max(0, int('count') ?? maxResults), maxResults);
    const page = matched.slice(startIndex - 1, startIndex - 1 + count);
    return {
      status: 200,
      body: {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: matched.length,
        itemsPerPage: page.length,
        startIndex,
        Resources: page.map((r) => project(r, query)),
      },
    };
  };

  const resourceHeaders = (resource: UserRecord | GroupRecord, kind: 'Users' | 'Groups'): Record<string, string> => ({
    ETag: state.version(resource),
    Location: `${base}/${kind}/${resource.id}`,
  });

  const checkIfMatch = (ctx: Ctx, resource: UserRecord | GroupRecord) => {
    if (ctx.ifMatch === undefined || ctx.ifMatch.trim() === '*') return;
    const wanted = ctx.ifMatch.split(',').map((s) => s.trim());
    if (!wanted.includes(state.version(resource))) throw scimErrors.preconditionFailed();
  };

  const group = (id: string): GroupRecord => {
    const g = state.groups.get(id);
    if (!g) throw scimErrors.notFound(id);
    return g;
  };
  const user = (id: string): UserRecord => {
    const u = state.users.get(id);
    if (!u) throw scimErrors.notFound(id);
    return u;
  };

  const requireSchema = (body: Json, schema: string) => {
    if (!Array.isArray(body.schemas) || !body.schemas.includes(schema)) throw scimErrors.invalidSyntax(`"schemas" must contain ${schema}`);
  };

  /** displayName, externalId, members and extension attributes of a Group in a POST or PUT body. */
  const groupInput = (body: unknown, existing?: GroupRecord) => {
    if (!isObject(body)) throw scimErrors.invalidSyntax('The request body must be a JSON object');
    requireSchema(body, GROUP_SCHEMA);
    const displayName = getAttr(body, 'displayname');
    if (typeof displayName !== 'string' || displayName.trim() === '') throw scimErrors.invalidValue('displayName is required');
    const clash = state.listGroups().find((g) => g.id !== existing?.id && g.displayName.toLowerCase() === displayName.toLowerCase());
    if (clash) throw scimErrors.uniqueness(`displayName "${displayName}"`);
    const externalId = getAttr(body, 'externalid');
    if (externalId !== undefined && typeof externalId !== 'string') throw scimErrors.invalidValue('externalId must be a string');
    const rawMembers = getAttr(body, 'members');
    const members = rawMembers === undefined ? [] : parseMembers(state, existing, rawMembers);
    const extensions: Json = {};
    for (const [k, v] of Object.entries(body)) if (k.toLowerCase().startsWith('urn:') && isObject(v)) extensions[k] = v;
    return { displayName, externalId: externalId as string | undefined, members, extensions };
  };

  // ------------------------------------------------------------------ routes

  const routes: Array<{ parts: string[]; methods: Record<string, Handler> }> = [
    {
      parts: ['ServiceProviderConfig'],
      methods: {
        GET: () => ({
          status: 200,
          body: {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
            patch: { supported: true },
            bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
            filter: { supported: true, maxResults },
            changePassword: { supported: false },
            sort: { supported: false },
            etag: { supported: true },
            authenticationSchemes: [
              { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authentication scheme using the OAuth Bearer Token Standard', primary: true },
              { type: 'httpbasic', name: 'HTTP Basic', description: 'Authentication scheme using the HTTP Basic Standard' },
            ],
            meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
          },
        }),
      },
    },
    {
      parts: ['Users'],
      methods: {
        GET: (ctx) => listResponse(state.listUsers().map((u) => state.userJson(u, base)), ctx.query, USER_CASE_EXACT),
        POST: (ctx) => {
          const body = ctx.json();
          if (!isObject(body)) throw scimErrors.invalidSyntax('The request body must be a JSON object');
          requireSchema(body, USER_SCHEMA);
          const userName = getAttr(body, 'username');
          if (typeof userName !== 'string' || userName.trim() === '') throw scimErrors.invalidValue('userName is required');
          if (state.listUsers().some((u) => u.userName.toLowerCase() === userName.toLowerCase())) throw scimErrors.uniqueness(`userName "${userName}"`);
          const active = getAttr(body, 'active');
          const u = state.addUser({
            userName,
            externalId: getAttr(body, 'externalid') as string | undefined,
            name: getAttr(body, 'name') as UserRecord['name'],
            displayName: getAttr(body, 'displayname') as string | undefined,
            emails: getAttr(body, 'emails') as UserRecord['emails'],
            active: typeof active === 'boolean' ? active : true,
          });
          return { status: 201, body: project(state.userJson(u, base), ctx.query), headers: resourceHeaders(u, 'Users') };
        },
      },
    },
    {
      parts: ['Users', ':id'],
      methods: {
        GET: (ctx) => {
          const u = user(ctx.params[0]);
          return { status: 200, body: project(state.userJson(u, base), ctx.query), headers: resourceHeaders(u, 'Users') };
        },
        DELETE: (ctx) => {
          const u = user(ctx.params[0]);
          checkIfMatch(ctx, u);
          state.removeUser(u.id);
          return { status: 204 };
        },
      },
    },
    {
      parts: ['Groups'],
      methods: {
        GET: (ctx) => listResponse(state.listGroups().map((g) => state.groupJson(g, base)), ctx.query, GROUP_CASE_EXACT),
        POST: (ctx) => {
          const input = groupInput(ctx.json());
          const g = state.addGroup({ displayName: input.displayName, externalId: input.externalId, extensions: input.extensions });
          g.members = input.members;
          return { status: 201, body: project(state.groupJson(g, base), ctx.query), headers: resourceHeaders(g, 'Groups') };
        },
      },
    },
    {
      parts: ['Groups', ':id'],
      methods: {
        GET: (ctx) => {
          const g = group(ctx.params[0]);
          return { status: 200, body: project(state.groupJson(g, base), ctx.query), headers: resourceHeaders(g, 'Groups') };
        },
        PUT: (ctx) => {
          const g = group(ctx.params[0]);
          checkIfMatch(ctx, g);
          const input = groupInput(ctx.json(), g);
          const before = JSON.stringify([g.displayName, g.externalId, g.members, g.extensions]);
          Object.assign(g, input);
          if (JSON.stringify([g.displayName, g.externalId, g.members, g.extensions]) !== before) state.touch(g);
          return { status: 200, body: project(state.groupJson(g, base), ctx.query), headers: resourceHeaders(g, 'Groups') };
        },
        PATCH: (ctx) => {
          const g = group(ctx.params[0]);
          checkIfMatch(ctx, g);
          applyGroupPatch(state, g, ctx.json(), { removeMissing, base });
          const headers = resourceHeaders(g, 'Groups');
          if (patchReturns === 204) return { status: 204, headers };
          return { status: 200, body: project(state.groupJson(g, base), ctx.query), headers };
        },
        DELETE: (ctx) => {
          const g = group(ctx.params[0]);
          checkIfMatch(ctx, g);
          state.removeGroup(g.id);
          return { status: 204 };
        },
      },
    },
  ];

  // ------------------------------------------------------------------ HTTP

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void =>
    sendResponse(res, status, { Date: new Date(now()).toUTCString(), ...headers }, body);
  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    send(res, status, { ...headers, 'Content-Type': SCIM_CONTENT_TYPE }, JSON.stringify(body));
  const sendError = (res: ServerResponse, err: ScimHttpError) => sendJson(res, err.status, err.body(), err.headers);

  /** True when the fault answered (or swallowed) the request. */
  const applyFault = async (fault: ScimFault, req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    switch (fault.kind) {
      case 'delay':
      case 'reset':
        return applyTransportFault(fault, req, http);
      case 'status': {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.body === undefined) send(res, fault.status, headers);
        else if (typeof fault.body === 'string') send(res, fault.status, { 'Content-Type': fault.contentType ?? 'text/plain; charset=utf-8', ...headers }, fault.body);
        else send(res, fault.status, { 'Content-Type': fault.contentType ?? SCIM_CONTENT_TYPE, ...headers }, JSON.stringify(fault.body));
        return true;
      }
      case 'scimError':
        sendJson(res, fault.status, errorBody(fault.status, fault.detail ?? 'Injected error', fault.scimType as ScimType | undefined));
        return true;
      case 'rateLimit': {
        const retryAfter = fault.retryAfter === undefined ? 1 : fault.retryAfter;
        const err = scimErrors.tooManyRequests();
        sendJson(res, 429, err.body(), retryAfter === null ? {} : { 'Retry-After': String(retryAfter) });
        return true;
      }
    }
  };

  const authenticate = (header: string | undefined): void => {
    const m = /^(\S+)\s+(\S+)\s*$/.exec(header ?? '');
    if (!m) throw scimErrors.unauthorized();
    const scheme = m[1].toLowerCase();
    if (scheme === 'bearer' && tokens.has(m[2])) return;
    if (scheme === 'basic' && basic.has(m[2])) return;
    throw scimErrors.unauthorized();
  };

  /** RFC 7644 §8.1: SCIM answers application/scim+json, and accepts application/json. */
  const acceptable = (accept: string | undefined): boolean => {
    if (!accept) return true;
    return accept.split(',').some((part) => {
      const type = part.split(';')[0].trim().toLowerCase();
      return ['application/scim+json', 'application/json', 'application/*', '*/*'].includes(type);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Unlike the other fakes, a client that goes away mid-body is not swallowed: the read rejects and
    // the server's catch-all logs it and drops the socket.
    const incoming = parseRequest(req, await readBody(req), origin);
    const { method, url, body: bodyText, json } = incoming;
    // Segments are decoded one by one, so an encoded "/" inside an id stays inside that id.
    const segments = url.pathname.split('/').slice(1).map(safeDecode);
    const baseSegments = basePath.split('/').filter(Boolean);
    const decodable = segments.every((x): x is string => x !== undefined);
    const under = decodable && baseSegments.every((b, i) => segments[i] === b);
    const rest = under ? (segments as string[]).slice(baseSegments.length).filter((x, i, all) => x !== '' || i < all.length - 1) : [];
    const resourcePath = under ? `/${rest.join('/')}` : url.pathname;
    const record = recordRequest(requests, incoming, req, res, { resourcePath });

    const fault = faults.take(method, resourcePath);
    if (fault) {
      record.fault = fault.kind;
      if (await applyFault(fault, req, res)) return;
    }

    try {
      authenticate(req.headers.authorization);
      if (!acceptable(req.headers.accept)) throw scimErrors.notAcceptable();
      if (!under) throw scimErrors.pathNotFound(url.pathname);
      let found: { route: (typeof routes)[number]; params: string[] } | undefined;
      for (const route of routes) {
        if (route.parts.length !== rest.length) continue;
        if (route.parts.every((part, i) => (part.startsWith(':') ? rest[i] !== '' : part === rest[i]))) {
          found = { route, params: rest.filter((_, i) => route.parts[i].startsWith(':')) };
          break;
        }
      }
      if (!found) throw scimErrors.pathNotFound(resourcePath);
      const handler = found.route.methods[method];
      if (!handler) throw scimErrors.methodNotAllowed(Object.keys(found.route.methods));
      if (bodyText.length > 0 || method === 'POST' || method === 'PUT' || method === 'PATCH') {
        const type = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
        if (bodyText.length > 0 && type !== 'application/scim+json' && type !== 'application/json') throw scimErrors.unsupportedMediaType(req.headers['content-type']);
      }
      const reply = handler({
        method,
        params: found.params,
        query: url.searchParams,
        json: () => {
          if (json === undefined) throw scimErrors.invalidSyntax('The request body is missing or is not valid JSON');
          return json;
        },
        ifMatch: req.headers['if-match'],
      });
      if (reply.body === undefined) send(res, reply.status, reply.headers ?? {});
      else sendJson(res, reply.status, reply.body, reply.headers);
    } catch (err) {
      if (err instanceof ScimHttpError) sendError(res, err);
      else {
        // A bug in the fake must not look like a plausible SCIM answer.
        console.error('[fake-scim] handler crashed', err);
        sendJson(res, 500, errorBody(500, `fake crashed: ${String(err)}`), { 'X-Fake-Scim-Crash': '1' });
      }
    }
  };

  const http = await startLoopbackServer('fake-scim', handle);
  origin = http.origin;
  base = `${origin}${basePath}`;

  return Object.assign(fakeServerHandle(http, faults, requests), {
    basePath,
    baseUrl: base,
    state,
    setPatchReturns(status: 200 | 204) {
      patchReturns = status;
    },
  });
}

function normalizeBasePath(p: string): string {
  const segments = p.split('/').filter(Boolean);
  return segments.length ? `/${segments.join('/')}` : '';
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
