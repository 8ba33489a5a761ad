/**
 * An in-process fake of the Okta Management API (node:http on 127.0.0.1,
 * ephemeral port). Each request goes through, in order:
 *   1. the request log,
 *   2. injected faults,
 *   3. the rate-limit bucket (429 E0000047 once exhausted),
 *   4. Okta's 411 rule for PUT/POST without Content-Length or a body,
 *   5. authentication (SSWS api token or Bearer access token; 401 E0000011),
 *   6. routing (404 E0000008 / 405 E0000022) and the operation itself.
 * Every response it builds carries X-Rate-Limit-Limit/-Remaining/-Reset,
 * X-Okta-Request-Id and a Date taken from the injected clock, so a client
 * computing waits from `X-Rate-Limit-Reset - Date` (as Okta's SDK does) sees
 * consistent values under a fake clock.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

import { FaultQueue } from '../shared/fault-queue.js';
import { applyTransportFault, fakeServerHandle, readRequest, recordRequest, sendResponse, startLoopbackServer, type BaseRecordedRequest, type FakeServerHandle } from '../shared/http-fake.js';
import { errorBody, oktaErrors, OktaHttpError } from './errors.js';
import { DEFAULT_HTML_PAGE, type OktaFault } from './faults.js';
import { IdFactory } from './ids.js';
import { resolveRoute, type RouteContext, type RouteReply } from './routes.js';
import { applyDefaultSeed } from './seed.js';
import { OktaState } from './state.js';

export const DEFAULT_API_TOKEN = '00fakeOktaApiToken-unimap-tests';
export const DEFAULT_ACCESS_TOKEN = 'eyJmYWtlIjoib2t0YSJ9.unimap-tests';

/** A Bearer token limited to some scopes (e.g. `okta.groups.read`); `.manage` implies `.read`. */
export interface ScopedAccessToken {
  token: string;
  scopes: string[];
}

export interface FakeOktaOptions {
  /** Accepted `Authorization: SSWS <token>` values; default `[DEFAULT_API_TOKEN]`. */
  tokens?: string[];
  /** Accepted `Authorization: Bearer <token>` values; a plain string has every scope. Default `[DEFAULT_ACCESS_TOKEN]`. */
  accessTokens?: Array<string | ScopedAccessToken>;
  /** `default`: the hand-written org in seed.ts; `empty`: no groups or users. */
  seed?: 'default' | 'empty';
  /**
   * One org-wide fixed window (Okta's buckets are per endpoint family; the
   * fake has one). Default 10000 requests per 60 s, high enough to stay out of
   * the way unless a test lowers it.
   */
  rateLimit?: { limit: number; windowSeconds: number };
  /** Milliseconds since the epoch; drives created/lastUpdated, Date and X-Rate-Limit-Reset. */
  now?: () => number;
  /** Status for E0000060 on BUILT_IN membership changes; the reference gives 404 (error table), never captured. */
  builtInMembershipStatus?: number;
}

/** `url` is the raw request target, e.g. `/api/v1/groups?limit=2`. */
export interface RecordedRequest extends BaseRecordedRequest<OktaFault['kind']> {
  /** The X-Okta-Request-Id the response carries. */
  requestId: string;
}

export interface FakeOkta extends FakeServerHandle<OktaFault, RecordedRequest> {
  /** `127.0.0.1:PORT`, what an account's Okta `domain` would hold. */
  readonly host: string;
  /** `SSWS <first token>`, ready for an Authorization header. */
  readonly authorization: string;
  readonly state: OktaState;
}

class RateBucket {
  private window = -1;
  private used = 0;

  constructor(
    readonly limit: number,
    private readonly windowSeconds: number,
    private readonly now: () => number,
  ) {}

  private roll(): number {
    const w = Math.floor(this.now() / 1000 / this.windowSeconds);
    if (w !== this.window) {
      this.window = w;
      this.used = 0;
    }
    return w;
  }

  /** Epoch seconds at which the current window ends. */
  reset(): number {
    return (this.roll() + 1) * this.windowSeconds;
  }

  snapshot(): { remaining: number; reset: number } {
    const reset = this.reset();
    return { remaining: Math.max(0, this.limit - this.used), reset };
  }

  charge(): { remaining: number; reset: number; exceeded: boolean } {
    const reset = this.reset();
    this.used += 1;
    return { remaining: Math.max(0, this.limit - this.used), reset, exceeded: this.used > this.limit };
  }
}

type Headers = Record<string, string | string[]>;

const JSON_OK = 'application/json;charset=UTF-8'; // as recorded on 200s
const JSON_ERROR = 'application/json'; // as recorded on the 404

export async function startFakeOkta(options: FakeOktaOptions = {}): Promise<FakeOkta> {
  const now = options.now ?? Date.now;
  const ids = new IdFactory();
  const state = new OktaState(now, ids);
  if ((options.seed ?? 'default') === 'default') applyDefaultSeed(state);
  const apiTokens = new Set(options.tokens ?? [DEFAULT_API_TOKEN]);
  const accessTokens = new Map<string, string[] | 'all'>();
  for (const t of options.accessTokens ?? [DEFAULT_ACCESS_TOKEN]) {
    if (typeof t === 'string') accessTokens.set(t, 'all');
    else accessTokens.set(t.token, t.scopes);
  }
  const rl = options.rateLimit ?? { limit: 10000, windowSeconds: 60 };
  const bucket = new RateBucket(rl.limit, rl.windowSeconds, now);
  const builtInMembershipStatus = options.builtInMembershipStatus ?? 404;
  const faults = new FaultQueue<OktaFault>('fake okta');
  const requests: RecordedRequest[] = [];
  let origin = '';

  const oktaHeaders = (requestId: string, rate: { remaining: number; reset: number }, limit = bucket.limit): Headers => ({
    Date: new Date(now()).toUTCString(),
    'X-Okta-Request-Id': requestId,
    'X-Rate-Limit-Limit': String(limit),
    'X-Rate-Limit-Remaining': String(rate.remaining),
    'X-Rate-Limit-Reset': String(rate.reset),
  });

  const sendError = (res: ServerResponse, err: OktaHttpError, base: Headers): void => {
    const body = errorBody(err.errorCode, err.errorSummary, ids.errorId(), err.errorCauses);
    sendResponse(res, err.status, { ...base, ...err.headers, 'Content-Type': JSON_ERROR }, JSON.stringify(body));
  };

  const sendReply = (res: ServerResponse, reply: RouteReply, base: Headers): void => {
    const headers: Headers = { ...base, ...reply.headers };
    if (reply.body === undefined) {
      sendResponse(res, reply.status, headers);
      return;
    }
    sendResponse(res, reply.status, { ...headers, 'Content-Type': JSON_OK }, JSON.stringify(reply.body));
  };

  /** Returns true when the fault fully answered (or swallowed) the request. */
  const applyFault = async (fault: OktaFault, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<boolean> => {
    const std = () => oktaHeaders(requestId, bucket.snapshot());
    switch (fault.kind) {
      case 'delay':
      case 'hang':
      case 'reset':
        return applyTransportFault(fault, req, http);
      case 'status': {
        const headers: Headers = fault.oktaHeaders === false ? {} : std();
        let body: string | undefined;
        if (fault.body !== undefined) {
          const isText = typeof fault.body === 'string';
          body = isText ? (fault.body as string) : JSON.stringify(fault.body);
          headers['Content-Type'] = fault.contentType ?? (isText ? 'text/plain;charset=UTF-8' : JSON_ERROR);
        }
        for (const [k, v] of Object.entries(fault.headers ?? {})) {
          const existing = Object.keys(headers).find((h) => h.toLowerCase() === k.toLowerCase());
          if (existing) delete headers[existing];
          if (v !== null) headers[k] = v;
        }
        sendResponse(res, fault.status, headers, body);
        return true;
      }
      case 'oktaError':
        sendError(res, new OktaHttpError(fault.status ?? 500, fault.errorCode ?? 'E0000009', fault.errorSummary ?? 'Internal Server Error'), std());
        return true;
      case 'rateLimit': {
        const nowSec = Math.floor(now() / 1000);
        const reset = fault.resetAt ?? (fault.resetInSeconds !== undefined ? nowSec + fault.resetInSeconds : bucket.reset());
        const headers = oktaHeaders(requestId, { remaining: 0, reset }, fault.concurrent ? 0 : bucket.limit);
        sendError(res, oktaErrors.rateLimited(), headers);
        return true;
      }
      case 'html': {
        const headers: Headers = fault.oktaHeaders ? std() : { Date: new Date(now()).toUTCString() };
        sendResponse(res, fault.status ?? 200, { ...headers, 'Content-Type': 'text/html;charset=UTF-8' }, fault.html ?? DEFAULT_HTML_PAGE);
        return true;
      }
      case 'truncatedJson': {
        const full = Buffer.from(JSON.stringify(state.listGroups().map((g) => state.groupJson(g, origin))));
        const half = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
        const headers = { ...std(), 'Content-Type': JSON_OK };
        if ((fault.mode ?? 'body') === 'body') {
          sendResponse(res, fault.status ?? 200, headers, half);
        } else {
          res.writeHead(fault.status ?? 200, { ...headers, 'Content-Length': String(full.length) });
          res.write(half, () => req.socket.destroy());
        }
        return true;
      }
      case 'largeBody': {
        const groups = state.listGroups();
        const sample = groups.length > 0 ? state.groupJson(groups[0], origin) : { id: '00g0000000000000000', profile: { name: 'x' } };
        const item = Buffer.from(JSON.stringify(sample));
        const count = Math.max(1, Math.ceil((fault.megabytes * 1024 * 1024) / (item.length + 1)));
        const total = 2 + count * item.length + (count - 1);
        const headers: Headers = { ...std(), 'Content-Type': JSON_OK };
        if (!fault.chunked) headers['Content-Length'] = String(total);
        res.writeHead(fault.status ?? 200, headers);
        // Stream in batches, honouring backpressure, so a many-MiB body never sits in memory twice.
        const perChunk = Math.max(1, Math.floor(65536 / (item.length + 1)));
        let written = 0;
        const writeMore = (): void => {
          while (written < count && !res.destroyed) {
            const n = Math.min(perChunk, count - written);
            const parts: Buffer[] = [];
            if (written === 0) parts.push(Buffer.from('['));
            for (let i = 0; i < n; i++) {
              if (written + i > 0) parts.push(Buffer.from(','));
              parts.push(item);
            }
            written += n;
            if (written === count) parts.push(Buffer.from(']'));
            if (!res.write(Buffer.concat(parts))) {
              res.once('drain', writeMore);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        writeMore();
        return true;
      }
    }
  };

  const authenticate = (header: string | undefined, scope: string | undefined): void => {
    const m = header ? /^(\S+)\s+(\S.*)$/.exec(header.trim()) : null;
    if (!m) throw oktaErrors.invalidToken();
    const scheme = m[1].toLowerCase();
    const token = m[2];
    if (scheme === 'ssws') {
      if (!apiTokens.has(token)) throw oktaErrors.invalidToken();
      return;
    }
    if (scheme !== 'bearer') throw oktaErrors.invalidToken();
    const scopes = accessTokens.get(token);
    if (!scopes) throw oktaErrors.invalidToken();
    if (scopes === 'all' || !scope) return;
    const readVariant = scope.replace(/\.read$/, '.manage');
    if (scopes.includes(scope) || scopes.includes(readVariant)) return;
    // [I] The shape of Okta's insufficient-scope answer for org-authorization-server tokens.
    throw oktaErrors.accessDenied({
      'WWW-Authenticate':
        `Bearer authorization_uri="${origin}/oauth2/v1/authorize", realm="${origin}", scope="${scope}", ` +
        'error="insufficient_scope", error_description="The access token provided does not contain the required scopes."',
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Drawn before the body is read, so a request abandoned mid-body still uses up its id.
    const requestId = ids.requestId();
    const incoming = await readRequest(req, origin);
    if (!incoming) return; // the client went away mid-body: nothing to answer
    const { method, url, body: bodyText, json } = incoming;
    const record = recordRequest(requests, incoming, req, res, { requestId });

    const fault = faults.take(method, url.pathname);
    if (fault) {
      record.fault = fault.kind;
      if (await applyFault(fault, req, res, requestId)) return;
    }

    const rate = bucket.charge();
    const base = oktaHeaders(requestId, rate);
    try {
      if (rate.exceeded) throw oktaErrors.rateLimited();
      if ((method === 'PUT' || method === 'POST') && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
        // No Okta error code exists for this: the answer comes from the web tier, so the
        // fake sends a plain HTML page, still with the standard headers. [I]
        sendResponse(res, 411, { ...base, 'Content-Type': 'text/html;charset=UTF-8' }, '<html><head><title>411 Length Required</title></head><body><h1>411 Length Required</h1></body></html>\n');
        return;
      }
      const resolved = resolveRoute(method, url.pathname);
      authenticate(req.headers.authorization, resolved.kind === 'found' ? resolved.route.scope : undefined);
      if (resolved.kind === 'notFound') throw oktaErrors.pathNotFound();
      if (resolved.kind === 'wrongMethod') throw oktaErrors.methodNotAllowed([...new Set(resolved.allow)].join(', '));
      const ctx: RouteContext = {
        state,
        origin,
        params: resolved.params,
        pathname: url.pathname,
        query: url.searchParams,
        json: () => {
          if (bodyText.trim() === '' || json === undefined) throw oktaErrors.malformedBody();
          return json;
        },
        builtInMembershipStatus,
      };
      sendReply(res, resolved.route.handler(ctx), base);
    } catch (err) {
      if (err instanceof OktaHttpError) {
        sendError(res, err, base);
      } else {
        // A bug in the fake must not look like a plausible Okta answer to the code under test.
        console.error('[fake-okta] handler crashed', err);
        sendError(res, oktaErrors.internal(), { ...base, 'X-Fake-Okta-Crash': String(err) });
      }
    }
  };

  const http = await startLoopbackServer('fake-okta', handle);
  origin = http.origin;
  const firstToken = [...apiTokens][0] ?? '';

  return Object.assign(fakeServerHandle(http, faults, requests), { authorization: `SSWS ${firstToken}`, state });
}
