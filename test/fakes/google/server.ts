/**
 * An in-process fake of the Google Workspace Admin SDK Directory API v1 (node:http on 127.0.0.1,
 * ephemeral port), serving `/admin/directory/v1/...` as admin.googleapis.com does. Each request goes
 * through, in order:
 *   1. the request log,
 *   2. injected faults,
 *   3. routing (an unknown path or method gets Google's HTML 404 page [I]),
 *   4. authentication: `Authorization: Bearer <token>` (401 `required` / `authError`) and the
 *      method's OAuth scopes (403 `insufficientPermissions`),
 *   5. the per-user quota: 2,400 queries a minute by default ([V] GLIM); over it, **403
 *      userRateLimitExceeded** and no rate-limit or Retry-After headers ([V] GLIM),
 *   6. the method itself.
 * JSON is pretty-printed unless `prettyPrint=false` ([V] GDISC: `prettyPrint` defaults to true).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

import { FaultQueue } from '../shared/fault-queue.js';
import { applyTransportFault, fakeServerHandle, readRequest, recordRequest, sendResponse, startLoopbackServer, type BaseRecordedRequest, type FakeServerHandle } from '../shared/http-fake.js';
import { googleErrors, GoogleHttpError } from './errors.js';
import type { GoogleFault } from './faults.js';
import { IdFactory } from './ids.js';
import { resolveRoute, type RouteContext } from './routes.js';
import { applyDefaultSeed, SEED_CUSTOMER_ID, SEED_DOMAIN } from './seed.js';
import { GoogleState } from './state.js';

export const DEFAULT_ACCESS_TOKEN = 'ya29.fake-google-directory-token-unimap-tests';

/** A token limited to some scopes (full URLs, e.g. `https://www.googleapis.com/auth/admin.directory.group.readonly`). */
export interface ScopedAccessToken {
  token: string;
  scopes: string[];
}

export interface FakeGoogleOptions {
  /** Accepted Bearer tokens; a plain string has every scope. Default `[DEFAULT_ACCESS_TOKEN]`. */
  tokens?: Array<string | ScopedAccessToken>;
  /** `default`: the hand-written customer in seed.ts; `empty`: no users or groups. */
  seed?: 'default' | 'empty';
  /** Milliseconds since the epoch; drives `Date`, new users' creationTime and the quota window. */
  now?: () => number;
  /** Queries per window per token ("per user per project"); default 2,400 per 60 s ([V] GLIM). */
  rateLimit?: { limit: number; windowSeconds: number };
  /**
   * Send a `nextPageToken` on a last page that is exactly full, whose page is then empty (no item
   * array, no token) [I]. Default false: the documented behaviour, no token on the last page.
   */
  tokenOnFullLastPage?: boolean;
  customerId?: string;
  domains?: string[];
}

/** `url` is the raw request target, e.g. `/admin/directory/v1/groups?customer=my_customer`. */
export type RecordedRequest = BaseRecordedRequest<GoogleFault['kind']>;

export interface FakeGoogle extends FakeServerHandle<GoogleFault, RecordedRequest> {
  /** `Bearer <first token>`. */
  readonly authorization: string;
  readonly state: GoogleState;
}

type Headers = Record<string, string | string[]>;

/** [I] The content type and the security headers Google's front end puts on API responses. */
const JSON_TYPE = 'application/json; charset=UTF-8';

class QuotaBuckets {
  private readonly used = new Map<string, { window: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
    private readonly now: () => number,
  ) {}

  /** True when this request goes over the token's quota. */
  charge(token: string): boolean {
    const window = Math.floor(this.now() / 1000 / this.windowSeconds);
    const entry = this.used.get(token);
    if (!entry || entry.window !== window) {
      this.used.set(token, { window, count: 1 });
      return 1 > this.limit;
    }
    entry.count += 1;
    return entry.count > this.limit;
  }
}

function notFoundPage(path: string): string {
  // [I] The shape of Google's front-end 404 page.
  return (
    '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">\n' +
    '  <title>Error 404 (Not Found)!!1</title>\n  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>\n' +
    `  <p><b>404.</b> <ins>That\u2019s an error.</ins>\n  <p>The requested URL <code>${path.replace(/[<>&"]/g, '')}</code> was not found on this server.  <ins>That\u2019s all we know.</ins>\n`
  );
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const now = options.now ?? Date.now;
  const ids = new IdFactory();
  const state = new GoogleState(now, ids, options.customerId ?? SEED_CUSTOMER_ID, options.domains ?? [SEED_DOMAIN]);
  if ((options.seed ?? 'default') === 'default') applyDefaultSeed(state);
  const tokens = new Map<string, string[] | 'all'>();
  for (const t of options.tokens ?? [DEFAULT_ACCESS_TOKEN]) {
    if (typeof t === 'string') tokens.set(t, 'all');
    else tokens.set(t.token, t.scopes);
  }
  const rl = options.rateLimit ?? { limit: 2400, windowSeconds: 60 };
  const quota = new QuotaBuckets(rl.limit, rl.windowSeconds, now);
  const tokenOnFullLastPage = options.tokenOnFullLastPage ?? false;
  const faults = new FaultQueue<GoogleFault>('fake google');
  const requests: RecordedRequest[] = [];
  let origin = '';

  const baseHeaders = (): Headers => ({
    Date: new Date(now()).toUTCString(),
    Vary: ['Origin', 'X-Origin', 'Referer'],
    Server: 'ESF',
    'Cache-Control': 'private',
    'X-XSS-Protection': '0',
    'X-Frame-Options': 'SAMEORIGIN',
    'X-Content-Type-Options': 'nosniff',
  });

  const sendJson = (res: ServerResponse, status: number, body: unknown, pretty: boolean, extra: Record<string, string> = {}): void => {
    const text = pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body);
    sendResponse(res, status, { ...baseHeaders(), ...extra, 'Content-Type': JSON_TYPE }, text);
  };

  const sendError = (res: ServerResponse, err: GoogleHttpError, pretty: boolean): void => {
    sendJson(res, err.status, err.body(), pretty, err.extra.headers);
  };

  /** Returns true when the fault fully answered (or swallowed) the request. */
  const applyFault = async (fault: GoogleFault, req: IncomingMessage, res: ServerResponse, pretty: boolean): Promise<boolean> => {
    switch (fault.kind) {
      case 'delay':
      case 'hang':
      case 'reset':
        return applyTransportFault(fault, req, http);
      case 'rateLimit': {
        const err = googleErrors.rateLimited(fault.reason);
        if (fault.status === 429) {
          sendJson(res, 429, { error: { ...err.body().error, code: 429 } }, pretty);
        } else sendError(res, err, pretty);
        return true;
      }
      case 'googleError': {
        const err = fault.reason || fault.message || fault.status
          ? new GoogleHttpError(fault.status ?? 503, fault.reason ?? 'backendError', fault.message ?? 'Service unavailable. Please try again', { domain: fault.domain })
          : googleErrors.backendError();
        sendError(res, err, pretty);
        return true;
      }
      case 'status': {
        const headers: Headers = { ...baseHeaders(), ...fault.headers };
        let body: string | undefined;
        if (fault.body !== undefined) {
          const isText = typeof fault.body === 'string';
          body = isText ? (fault.body as string) : JSON.stringify(fault.body, null, 2);
          headers['Content-Type'] = fault.contentType ?? (isText ? 'text/plain; charset=UTF-8' : JSON_TYPE);
        }
        sendResponse(res, fault.status, headers, body);
        return true;
      }
    }
  };

  /** Returns the token, or throws 401/403. */
  const authenticate = (header: string | undefined, scopes: string[]): string => {
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header.trim()) : null;
    if (!header) throw googleErrors.loginRequired();
    if (!m) throw googleErrors.invalidCredentials();
    const granted = tokens.get(m[1]);
    if (!granted) throw googleErrors.invalidCredentials();
    if (granted !== 'all' && !scopes.some((s) => granted.includes(s))) throw googleErrors.insufficientScope(scopes[0]);
    return m[1];
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const incoming = await readRequest(req, origin);
    if (!incoming) return; // the client went away mid-body
    const { method, url, body: bodyText, json } = incoming;
    const record = recordRequest(requests, incoming, req, res, {});
    const pretty = url.searchParams.get('prettyPrint') !== 'false';

    const fault = faults.take(method, url.pathname);
    if (fault) {
      record.fault = fault.kind;
      if (await applyFault(fault, req, res, pretty)) return;
    }

    try {
      const resolved = resolveRoute(method, url.pathname);
      if (!resolved) {
        sendResponse(res, 404, { ...baseHeaders(), 'Content-Type': 'text/html; charset=UTF-8' }, notFoundPage(url.pathname));
        return;
      }
      const token = authenticate(req.headers.authorization, resolved.route.scopes);
      if (quota.charge(token)) throw googleErrors.rateLimited('userRateLimitExceeded');
      const ctx: RouteContext = {
        state,
        params: resolved.params,
        query: url.searchParams,
        json: () => {
          if (bodyText.trim() === '') return undefined;
          if (json === undefined) throw googleErrors.parseError();
          return json;
        },
        tokenOnFullLastPage,
      };
      const reply = resolved.route.handler(ctx);
      if (reply.body === undefined) sendResponse(res, reply.status, baseHeaders());
      else sendJson(res, reply.status, reply.body, pretty);
    } catch (err) {
      if (err instanceof GoogleHttpError) sendError(res, err, pretty);
      else {
        // A bug in the fake must not look like a plausible Google answer to the code under test.
        console.error('[fake-google] handler crashed', err);
        sendJson(res, 500, googleErrors.internal().body(), pretty, { 'X-Fake-Google-Crash': String(err).replace(/[\r\n]/g, ' ') });
      }
    }
  };

  const http = await startLoopbackServer('fake-google', handle);
  origin = http.origin;
  const firstToken = [...tokens.keys()][0] ?? '';

  return Object.assign(fakeServerHandle(http, faults, requests), { authorization: `Bearer ${firstToken}`, state });
}
