/**
 * Faults queued with `okta.inject(...)`: each is consumed by the next
 * request(s) it matches, before rate limiting, authentication and routing, so
 * a test gets exactly the failure it asked for. A faulted request uses no
 * rate-limit quota (except `delay`, which then proceeds normally).
 */

import type { DelayFault, FaultBase, HangFault, ResetFault } from '../shared/fault-queue.js';

export type { DelayFault, FaultMatch, HangFault, ResetFault } from '../shared/fault-queue.js';

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

export const DEFAULT_HTML_PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Service Unavailable</title></head>' +
  '<body><h1>Service Unavailable</h1><p>The service is temporarily unavailable. Please try again later.</p></body></html>\n';
