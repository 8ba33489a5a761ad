/**
 * An in-process fake of Microsoft Graph v1.0 (Entra ID users and groups): node:http on 127.0.0.1,
 * ephemeral port. Each request goes through, in order:
 *   1. the request log,
 *   2. injected faults,
 *   3. authentication: `Authorization: Bearer <token>` (401 InvalidAuthenticationToken), [V] GR-ADD / GR-ERR
 *   4. the optional throttling window (429 + Retry-After in seconds), [V] GR-THR
 *   5. routing under /v1.0 and the operation itself (routes.ts).
 * Every response carries Graph's standard headers: request-id, client-request-id (echoed when the client
 * sent one), x-ms-ags-diagnostic, Strict-Transport-Security, Cache-Control and a Date from the injected
 * clock (as seen in the 429 headers quoted in msgraph-sdk-javascript #297). Next links, @odata.context and
 * reference URLs use the fake's own origin, as Graph uses its own host.
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { FaultQueue } from '../shared/fault-queue.js';
import { fakeServerHandle, readRequest, recordRequest, sendResponse, startLoopbackServer, type BaseRecordedRequest, type FakeServerHandle } from '../shared/http-fake.js';
import { errorBody, graphErrors, GraphHttpError } from './errors.js';
import type { GraphFault } from './faults.js';
import { route, type RouteReply } from './routes.js';
import { applyDefaultSeed } from './seed.js';
import { GraphState } from './state.js';

export const DEFAULT_ACCESS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.fake-graph.unimap-tests';

/** The hosts of Graph's clouds (global and national), accepted in `@odata.id` references. */
export const GRAPH_HOSTS = ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];

export interface FakeGraphOptions {
  /** `default`: the tenant in seed.ts; `empty`: no users or groups. */
  seed?: 'default' | 'empty';
  /** Accepted bearer tokens. Default `[DEFAULT_ACCESS_TOKEN]`. */
  tokens?: string[];
  /** Tokens answered with "Access token has expired or is not yet valid." */
  expiredTokens?: string[];
  /** Milliseconds since the epoch: Date headers, createdDateTime of new objects, throttling windows. */
  now?: () => number;
  /**
   * A fixed window of `limit` requests per `windowSeconds` for the whole tenant; once spent, 429 with
   * `Retry-After` = the seconds left in the window. Off by default.
   */
  throttle?: { limit: number; windowSeconds: number };
  /**
   * A full last page gets a next link that leads to an empty page (GR-PAGE: "A page may contain zero
   * results"). Default false: a page that ends the list has no next link, full or not. [I]
   */
  trailingEmptyPage?: boolean;
}

/** `url` is the raw request target, e.g. `/v1.0/groups?$top=2`. */
export interface RecordedRequest extends BaseRecordedRequest<GraphFault['kind']> {
  requestId: string;
}

export interface FakeGraph extends FakeServerHandle<GraphFault, RecordedRequest> {
  /** The first accepted token. */
  readonly token: string;
  /** `Bearer <token>`. */
  readonly authorization: string;
  readonly state: GraphState;
}

type Headers = Record<string, string>;

/** [I] What Graph sends on JSON success bodies (OData minimal metadata). */
const JSON_OK = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
/** As on the 429 quoted in msgraph-sdk-javascript #297. */
const JSON_ERROR = 'application/json';

export async function startFakeMsGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const now = options.now ?? Date.now;
  const state = new GraphState(now);
  if ((options.seed ?? 'default') === 'default') applyDefaultSeed(state);
  const tokens = new Set(options.tokens ?? [DEFAULT_ACCESS_TOKEN]);
  const expired = new Set(options.expiredTokens ?? []);
  const faults = new FaultQueue<GraphFault>('fake graph');
  const requests: RecordedRequest[] = [];
  let origin = '';
  let host = '';
  let window = { index: -1, used: 0 };

  const standardHeaders = (requestId: string, clientRequestId: string): Headers => ({
    'Cache-Control': 'private',
    'request-id': requestId,
    'client-request-id': clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'West Europe', Slice: 'E', Ring: '5', ScaleUnit: '001', RoleInstance: 'FAKE-GRAPH' } }),
    'Strict-Transport-Security': 'max-age=31536000',
    Date: new Date(now()).toUTCString(),
  });

  const sendError = (res: ServerResponse, err: GraphHttpError, base: Headers): void => {
    const body = errorBody(err.code, err.graphMessage, now(), base['request-id'], base['client-request-id']);
    sendResponse(res, err.status, { ...base, ...err.headers, 'Content-Type': JSON_ERROR }, JSON.stringify(body));
  };

  const sendReply = (res: ServerResponse, reply: RouteReply, base: Headers): void => {
    if (reply.body === undefined) return sendResponse(res, reply.status, { ...base, ...reply.headers });
    sendResponse(res, reply.status, { ...base, ...reply.headers, 'Content-Type': JSON_OK, 'OData-Version': '4.0' }, JSON.stringify(reply.body));
  };

  /** Returns true when the fault answered the request. */
  const applyFault = (fault: GraphFault, req: IncomingMessage, res: ServerResponse, base: Headers): boolean => {
    switch (fault.kind) {
      case 'reset':
        req.socket.resetAndDestroy();
        return true;
      case 'throttle': {
        const status = fault.status ?? 429;
        const err = new GraphHttpError(status, fault.code ?? (status === 429 ? 'TooManyRequests' : 'serviceNotAvailable'), fault.message ?? (status === 429 ? 'Too many requests.' : 'Service unavailable.'));
        const headers = fault.noRetryAfter ? base : { ...base, 'Retry-After': String(fault.retryAfterSeconds ?? 1) };
        sendError(res, err, headers);
        return true;
      }
      case 'graphError':
        sendError(res, new GraphHttpError(fault.status, fault.code, fault.message, fault.headers), base);
        return true;
      case 'status': {
        const headers: Headers = { ...base, ...fault.headers };
        let body: string | undefined;
        if (fault.body !== undefined) {
          body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
          headers['Content-Type'] = fault.contentType ?? (typeof fault.body === 'string' ? 'text/plain' : JSON_ERROR);
        }
        sendResponse(res, fault.status, headers, body);
        return true;
      }
    }
  };

  const authenticate = (header: string | undefined): void => {
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header.trim()) : null;
    if (!header || header.trim() === '' || (m === null && /^Bearer\s*$/i.test(header.trim()))) throw graphErrors.emptyToken();
    if (!m) throw graphErrors.invalidToken();
    if (expired.has(m[1])) throw graphErrors.expiredToken();
    if (!tokens.has(m[1])) throw graphErrors.invalidToken();
  };

  /** [I] Graph's throttling is per app and tenant; the fake keeps one fixed window for everything. */
  const throttled = (): number | undefined => {
    const t = options.throttle;
    if (!t) return undefined;
    const index = Math.floor(now() / 1000 / t.windowSeconds);
    if (index !== window.index) window = { index, used: 0 };
    window.used += 1;
    if (window.used <= t.limit) return undefined;
    return Math.max(1, Math.ceil((index + 1) * t.windowSeconds - now() / 1000));
  };

  /** Request ids look like Graph's (GUIDs) but are deterministic, so recorded fixtures are reproducible. */
  let requestCounter = 0;
  const nextRequestId = (): string => {
    const h = createHash('sha1').update(`fake-graph-request-${++requestCounter}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Drawn before the body is read, so a request abandoned mid-body still uses up its id.
    const requestId = nextRequestId();
    const incoming = await readRequest(req, origin);
    if (!incoming) return; // the client went away mid-body
    const { method, url, body: bodyText, json } = incoming;
    const record = recordRequest(requests, incoming, req, res, { requestId });
    const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : requestId;
    const base = standardHeaders(requestId, clientRequestId);

    const fault = faults.take(method, url.pathname);
    if (fault) {
      record.fault = fault.kind;
      if (applyFault(fault, req, res, base)) return;
    }

    try {
      authenticate(req.headers.authorization);
      const wait = throttled();
      if (wait !== undefined) throw graphErrors.throttled(wait);
      const segments = url.pathname.split('/').slice(1).map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
      if (segments[0] !== 'v1.0') throw graphErrors.unknownSegment(segments[0] ?? ''); // [I] beta is not served
      const reply = route({
        state,
        origin,
        method,
        segments: segments.slice(1).filter((s, i, all) => s !== '' || i < all.length - 1),
        pathname: url.pathname,
        query: url.searchParams,
        json: () => {
          if (bodyText.trim() === '') throw graphErrors.emptyPayload();
          if (json === undefined) throw graphErrors.invalidJson();
          return json;
        },
        now,
        trailingEmptyPage: options.trailingEmptyPage ?? false,
        referenceHosts: [...GRAPH_HOSTS, host],
      });
      sendReply(res, reply, base);
    } catch (err) {
      if (err instanceof GraphHttpError) {
        sendError(res, err, err.status === 401 ? { ...base, 'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' } : base);
      } else {
        // A bug in the fake must not look like a plausible Graph answer.
        console.error('[fake-graph] handler crashed', err);
        sendError(res, graphErrors.internal(), { ...base, 'X-Fake-Graph-Crash': String(err).replace(/[\r\n]/g, ' ') });
      }
    }
  };

  const http = await startLoopbackServer('fake-graph', handle);
  origin = http.origin;
  host = http.host;
  const firstToken = [...tokens][0] ?? '';

  return Object.assign(fakeServerHandle(http, faults, requests), { token: firstToken, authorization: `Bearer ${firstToken}`, state });
}
