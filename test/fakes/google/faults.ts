/**
 * Faults queued with `google.inject(...)`: each answers the next request(s) it matches, before the
 * quota bucket, authentication and routing, so a test gets exactly the failure it asked for. A
 * faulted request uses no quota (except `delay`, which then proceeds normally).
 */

import type { RateLimitReason } from './errors.js';

export interface FaultMatch {
  /** Case-insensitive HTTP method. */
  method?: string;
  /** Exact pathname, a glob (`*` = one segment, `**` = anything) or a RegExp on the raw pathname. */
  path?: string | RegExp;
}

interface FaultBase {
  match?: FaultMatch;
  /** How many matching requests this fault answers; default 1, `Infinity` allowed. */
  times?: number;
}

/**
 * Google's quota answer: **403** (not 429) with `{"error":{"code":403,"message":"User Rate Limit
 * Exceeded","errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded",…}]}}` and no rate or
 * Retry-After headers ([V] GLIM). `status: 429` mimics front ends that answer 429 for the same reasons [I].
 */
export interface RateLimitFault extends FaultBase {
  kind: 'rateLimit';
  reason?: RateLimitReason;
  status?: 403 | 429;
}

/** Any Google error envelope; defaults to 503 backendError "Service unavailable. Please try again". */
export interface GoogleErrorFault extends FaultBase {
  kind: 'googleError';
  status?: number;
  reason?: string;
  message?: string;
  domain?: string;
}

/** Any status and body; an object body is sent as JSON. */
export interface StatusFault extends FaultBase {
  kind: 'status';
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Never answers; the socket stays open until the client gives up or the fake closes. */
export interface HangFault extends FaultBase {
  kind: 'hang';
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

export type GoogleFault = RateLimitFault | GoogleErrorFault | StatusFault | HangFault | ResetFault | DelayFault;

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
  private readonly queue: Array<{ fault: GoogleFault; remaining: number }> = [];

  push(fault: GoogleFault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error(`fake google: fault times must be > 0, got ${times}`);
    this.queue.push({ fault, remaining: times });
  }

  take(method: string, pathname: string): GoogleFault | undefined {
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
