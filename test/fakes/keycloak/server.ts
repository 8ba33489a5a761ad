/**
 * An in-process fake of the Keycloak Admin REST API (node:http on 127.0.0.1, ephemeral port), serving
 * `{basePath}/admin/realms/{realm}/…` (provider-apis.md §4: base `{server}/admin/realms/{realm}`, older
 * WildFly distributions under `/auth`). Each request goes through, in order:
 *   1. the request log,
 *   2. injected faults (e.g. a proxy's 429 with Retry-After),
 *   3. the path prefix (anything else is the generic 404),
 *   4. authentication: `Authorization: Bearer <token>` (401 {"error":"HTTP 401 Unauthorized"}) — Keycloak's
 *      AdminRoot checks the token before it looks at the realm [I],
 *   5. the realm, one percent-decoded path segment, so `team%2Feu` is the realm "team/eu"
 *      (404 {"error":"Realm not found."}) [I],
 *   6. routing and the operation (routes.ts).
 * Successful JSON answers carry `Content-Type: application/json;charset=UTF-8` and, on @NoCache reads,
 * `Cache-Control: no-cache`; errors carry `Content-Type: application/json` without charset [I] (measured).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

import { FaultQueue } from '../shared/fault-queue.js';
import { applyTransportFault, fakeServerHandle, readRequest, recordRequest, sendResponse, startLoopbackServer, type BaseRecordedRequest, type FakeServerHandle } from '../shared/http-fake.js';
import { keycloakErrors, KeycloakHttpError } from './errors.js';
import { PROXY_429_PAGE, type KeycloakFault } from './faults.js';
import { route, type Role, type RouteContext, type RouteReply } from './routes.js';
import { applyDefaultSeed } from './seed.js';
import { KeycloakState } from './state.js';

export const DEFAULT_ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-keycloak-admin.unimap-tests';

const ALL_ROLES: Role[] = ['manage-users', 'view-users', 'query-users', 'query-groups'];

/** A token holding only some realm-management roles (e.g. `['view-users']` for a read-only client). */
export interface ScopedToken {
  token: string;
  roles: Role[];
}

export interface FakeKeycloakOptions {
  /** `default`: the realms in seed.ts; `empty`: only the realms `master` and `acme`, with no groups or users. */
  seed?: 'default' | 'empty';
  /** Accepted bearer tokens; a plain string holds every role. Default `[DEFAULT_ACCESS_TOKEN]`. */
  tokens?: Array<string | ScopedToken>;
  /** Epoch milliseconds; stamps users created through `state`. Default Date.now. */
  now?: () => number;
  /** Path in front of /admin/realms: '' (Keycloak 17+, default) or '/auth' (WildFly distributions). */
  basePath?: string;
}

/** `url` is the raw request target, e.g. `/admin/realms/acme/groups?first=0&max=2`. */
export type RecordedRequest = BaseRecordedRequest<KeycloakFault['kind']>;

export interface FakeKeycloak extends FakeServerHandle<KeycloakFault, RecordedRequest> {
  /** `Bearer <first token>`, ready for an Authorization header. */
  readonly authorization: string;
  readonly state: KeycloakState;
}

type Headers = Record<string, string>;

const JSON_OK = 'application/json;charset=UTF-8';
const JSON_ERROR = 'application/json';

/** Deterministic version-4-looking UUIDs, so two runs hand out the same ids. */
function uuidFactory(): () => string {
  let n = 0;
  return () => {
    n += 1;
    let h = (0x9e3779b1 * n) >>> 0;
    let hex = '';
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
      hex += h.toString(16).padStart(8, '0');
    }
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}

export async function startFakeKeycloak(options: FakeKeycloakOptions = {}): Promise<FakeKeycloak> {
  const now = options.now ?? Date.now;
  const state = new KeycloakState(uuidFactory(), now);
  if ((options.seed ?? 'default') === 'default') applyDefaultSeed(state);
  else {
    state.addRealm('master');
    state.addRealm('acme');
  }
  const tokens = new Map<string, ReadonlySet<Role>>();
  for (const t of options.tokens ?? [DEFAULT_ACCESS_TOKEN]) {
    if (typeof t === 'string') tokens.set(t, new Set(ALL_ROLES));
    else tokens.set(t.token, new Set(t.roles));
  }
  const prefix = `${(options.basePath ?? '').replace(/\/+$/, '')}/admin/realms/`;
  const faults = new FaultQueue<KeycloakFault>('fake keycloak');
  const requests: RecordedRequest[] = [];
  let origin = '';

  // Unlike the other fakes, a bodiless answer (a 201 with only Location, a 204) still says Content-Length: 0;
  // keycloak-fake.test.ts holds the fake to it.
  const send = (res: ServerResponse, status: number, headers: Headers, body?: string): void =>
    sendResponse(res, status, body === undefined ? { ...headers, 'Content-Length': '0' } : headers, body);

  const sendError = (res: ServerResponse, err: KeycloakHttpError): void => {
    send(res, err.status, { ...err.headers, 'Content-Type': JSON_ERROR }, JSON.stringify(err.body));
  };

  const sendReply = (res: ServerResponse, reply: RouteReply): void => {
    const headers: Headers = { ...reply.headers };
    if (reply.noCache) headers['Cache-Control'] = 'no-cache';
    if (reply.body === undefined) return send(res, reply.status, headers);
    send(res, reply.status, { ...headers, 'Content-Type': JSON_OK }, JSON.stringify(reply.body));
  };

  /** Returns true when the fault fully answered (or swallowed) the request. */
  const applyFault = async (fault: KeycloakFault, req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    switch (fault.kind) {
      case 'delay':
      case 'hang':
      case 'reset':
        return applyTransportFault(fault, req, http);
      case 'status': {
        const headers: Headers = { ...fault.headers };
        let body: string | undefined;
        if (fault.body !== undefined) {
          const isText = typeof fault.body === 'string';
          body = isText ? (fault.body as string) : JSON.stringify(fault.body);
          headers['Content-Type'] = fault.contentType ?? (isText ? 'text/plain;charset=UTF-8' : JSON_ERROR);
        }
        send(res, fault.status, headers, body);
        return true;
      }
      case 'rateLimit': {
        const headers: Headers = {};
        const retryAfter = fault.retryAfter === undefined ? 1 : fault.retryAfter;
        if (retryAfter !== null) headers['Retry-After'] = String(retryAfter);
        if (fault.body === 'json') send(res, 429, { ...headers, 'Content-Type': JSON_ERROR }, JSON.stringify({ error: 'Too Many Requests' }));
        else send(res, 429, { ...headers, 'Content-Type': 'text/html' }, PROXY_429_PAGE);
        return true;
      }
    }
  };

  /** AdminRoot: a missing, malformed or unknown bearer token is 401 [I] (measured: same body for all). */
  const authenticate = (header: string | undefined): ReadonlySet<Role> => {
    const m = header ? /^bearer\s+(\S+)\s*$/i.exec(header.trim()) : null;
    const roles = m ? tokens.get(m[1]) : undefined;
    if (!roles) throw keycloakErrors.unauthorized();
    return roles;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const incoming = await readRequest(req, origin);
    if (!incoming) return; // the client went away mid-body
    const { method, url, body: bodyText } = incoming;
    const record = recordRequest(requests, incoming, req, res, {});

    const fault = faults.take(method, url.pathname);
    if (fault) {
      record.fault = fault.kind;
      if (await applyFault(fault, req, res)) return;
    }

    try {
      if (!url.pathname.startsWith(prefix)) throw keycloakErrors.notFound();
      const roles = authenticate(req.headers.authorization);
      let segments: string[];
      try {
        segments = url.pathname.slice(prefix.length).split('/').map(decodeURIComponent);
      } catch {
        throw keycloakErrors.notFound();
      }
      const [realmName, ...rest] = segments;
      const realm = realmName ? state.realm(realmName) : undefined;
      if (!realm) throw keycloakErrors.realmNotFound();
      const ctx: RouteContext = {
        realm,
        method,
        segments: rest.length === 1 && rest[0] === '' ? [] : rest,
        query: url.searchParams,
        roles,
        requestUrl: `http://${req.headers.host ?? url.host}${url.pathname.replace(/\/+$/, '')}`,
        contentType: req.headers['content-type'],
        bodyText,
      };
      sendReply(res, route(ctx));
    } catch (err) {
      if (err instanceof KeycloakHttpError) {
        sendError(res, err);
      } else {
        // A bug in the fake must not look like a plausible Keycloak answer to the code under test.
        console.error('[fake-keycloak] handler crashed', err);
        sendError(res, new KeycloakHttpError(500, keycloakErrors.internal().body, { 'X-Fake-Keycloak-Crash': String(err).replace(/[\r\n]/g, ' ') }));
      }
    }
  };

  const http = await startLoopbackServer('fake-keycloak', handle);
  origin = http.origin;
  const firstToken = [...tokens.keys()][0] ?? '';

  return Object.assign(fakeServerHandle(http, faults, requests), { authorization: `Bearer ${firstToken}`, state });
}
