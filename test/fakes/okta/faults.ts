/**
 * Faults queued with `okta.inject(...)`: each is consumed by the next
 * request(s) it matches, before rate limiting, authentication and routing, so
 * a test gets exactly the failure it asked for. A faulted request uses no
 * rate-limit quota (except `delay`, which then proceeds normally).
 */

export interface FaultMatch {
  /** Case-insensitive HTTP method. */
  method?: string;
  /**
   * Exact pathname, a glob (`*` = one path segment, `**` = anything), or a
   * RegExp tested against the raw (still percent-encoded) pathname.
   */
  path?: string | RegExp;
}

interface FaultBase {
  match?: FaultMatch;
  /** How many matching requests this fault answers; default 1, `Infinity` allowed. */
  times?: number;
}

/** Any status and body; an object body is sent as JSON. */
export interface StatusFault extends FaultBase {
  kind: 'status';
  status: number;
  body?: unknown;
  contentType?: string;
  /** Extra headers; `null` removes a standard one. */
  headers?: Record<string, string | string[] | null>;
  /** Send X-Rate-Limit-* / X-Okta-Request-Id (default true). */
  oktaHeaders?: boolean;
}

/** An Okta error body with a fresh errorId; defaults to 500 E0000009 Internal Server Error. */
export interface OktaErrorFault extends FaultBase {
  kind: 'oktaError';
  status?: number;
  errorCode?: string;
  errorSummary?: string;
}

/**
 * 429 E0000047 with `X-Rate-Limit-Remaining: 0` and the given reset (epoch
 * seconds), regardless of the real bucket. `concurrent` mimics Okta's
 * concurrency-limit 429, which reports `X-Rate-Limit-Limit: 0`.
 */
export interface RateLimitFault extends FaultBase {
  kind: 'rateLimit';
  resetAt?: number;
  resetInSeconds?: number;
  concurrent?: boolean;
}

/** Never answers; the socket stays open until the client gives up or the fake closes. */
export interface HangFault extends FaultBase {
  kind: 'hang';
}

/** An HTML page (a proxy or maintenance page), 200 by default; no Okta headers unless asked. */
export interface HtmlFault extends FaultBase {
  kind: 'html';
  status?: number;
  html?: string;
  oktaHeaders?: boolean;
}

/**
 * A JSON body cut in half. `body` (default): a complete HTTP message whose
 * body is invalid JSON. `connection`: Content-Length announces the full body,
 * half is sent, then the socket is destroyed.
 */
export interface TruncatedJsonFault extends FaultBase {
  kind: 'truncatedJson';
  status?: number;
  mode?: 'body' | 'connection';
}

/** A valid JSON array of groups of about `megabytes` MiB; `chunked` omits Content-Length. */
export interface LargeBodyFault extends FaultBase {
  kind: 'largeBody';
  megabytes: number;
  status?: number;
  chunked?: boolean;
}

/** Destroys the socket with a TCP RST before any response byte. */
export interface ResetFault extends FaultBase {
  kind: 'reset';
}

/** Waits `ms`, then handles the request normally. */
export interface DelayFault extends FaultBase {
  kind: 'delay';
  ms: number;
}

export type OktaFault =
  | StatusFault
  | OktaErrorFault
  | RateLimitFault
  | HangFault
  | HtmlFault
  | TruncatedJsonFault
  | LargeBodyFault
  | ResetFault
  | DelayFault;

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]+').replace(/\u0000/g, '.*')}$`);
}

function matches(m: FaultMatch | undefined, method: string, pathname: string): boolean {
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path === undefined) return true;
  if (m.path instanceof RegExp) return m.path.test(pathname);
  return m.path.includes('*') ? globToRegExp(m.path).test(pathname) : m.path === pathname;
}

export class FaultQueue {
  private readonly queue: Array<{ fault: OktaFault; remaining: number }> = [];

  push(fault: OktaFault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error(`fake okta: fault times must be > 0, got ${times}`);
    this.queue.push({ fault, remaining: times });
  }

  /** The first queued fault matching this request, consumed once. */
  take(method: string, pathname: string): OktaFault | undefined {
    const i = this.queue.findIndex((e) => matches(e.fault.match, method, pathname));
    if (i < 0) return undefined;
    const entry = this.queue[i];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue.splice(i, 1);
    return entry.fault;
  }

  get size(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
  }
}

export const DEFAULT_HTML_PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Service Unavailable</title></head>' +
  '<body><h1>Service Unavailable</h1><p>The service is temporarily unavailable. Please try again later.</p></body></html>\n';
