/**
 * Faults a test queues with `fake.inject(...)`. Each answers the first `times` (default 1) requests it
 * matches, in queue order, before authentication and routing. `match.path` is the path under the
 * base path (`/Groups/*` matches `/scim/v2/Groups/<id>`); `*` is one segment, `**` any.
 */

export interface FaultMatch {
  method?: string;
  path?: string | RegExp;
}

interface FaultBase {
  match?: FaultMatch;
  times?: number;
}

/** Any status, body and headers. A string body is sent as text/plain, an object as application/scim+json. */
export interface StatusFault extends FaultBase {
  kind: 'status';
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A SCIM error body (RFC 7644 §3.12) with any status and scimType. */
export interface ScimErrorFault extends FaultBase {
  kind: 'scimError';
  status: number;
  scimType?: string;
  detail?: string;
}

/**
 * 429 with a SCIM error body. RFC 7644 defines no rate limiting; servers that limit rates answer 429
 * with `Retry-After` [I]. `retryAfter`: seconds (default 1), an HTTP date string, or null for no header.
 */
export interface RateLimitFault extends FaultBase {
  kind: 'rateLimit';
  retryAfter?: number | string | null;
}

/** Destroys the socket without answering. */
export interface ResetFault extends FaultBase {
  kind: 'reset';
}

/** Waits `ms`, then handles the request normally. */
export interface DelayFault extends FaultBase {
  kind: 'delay';
  ms: number;
}

export type ScimFault = StatusFault | ScimErrorFault | RateLimitFault | ResetFault | DelayFault;

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]+').replace(/\u0000/g, '.*')}$`);
}

function matches(m: FaultMatch | undefined, method: string, path: string): boolean {
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path === undefined) return true;
  if (m.path instanceof RegExp) return m.path.test(path);
  return m.path.includes('*') ? globToRegExp(m.path).test(path) : m.path === path;
}

export class FaultQueue {
  private readonly queue: Array<{ fault: ScimFault; remaining: number }> = [];

  push(fault: ScimFault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error(`fake scim: fault times must be > 0, got ${times}`);
    this.queue.push({ fault, remaining: times });
  }

  take(method: string, path: string): ScimFault | undefined {
    const i = this.queue.findIndex((e) => matches(e.fault.match, method, path));
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
