/**
 * Faults queued with `graph.inject(...)`: each answers the next request(s) it matches, before
 * authentication, throttling and routing, so a test gets exactly the failure it asked for.
 */

export interface FaultMatch {
  /** Case-insensitive HTTP method. */
  method?: string;
  /** Exact pathname, a glob (`*` = one segment, `**` = anything), or a RegExp on the raw pathname. */
  path?: string | RegExp;
}

interface FaultBase {
  match?: FaultMatch;
  /** How many matching requests this fault answers; default 1, `Infinity` allowed. */
  times?: number;
}

/**
 * Graph throttling as GR-THR describes it [V]: status 429 and a `Retry-After` header in seconds.
 * The body is the reference's usual form [I] `{"error":{"code":"TooManyRequests",…}}` unless `code`/`message`
 * are given. `status: 503` sends a Service Unavailable that also carries Retry-After (GR-ERR [V]).
 */
export interface ThrottleFault extends FaultBase {
  kind: 'throttle';
  retryAfterSeconds?: number;
  /** Omit the Retry-After header (some Graph workloads do, per SDK issues). */
  noRetryAfter?: boolean;
  status?: 429 | 503;
  code?: string;
  message?: string;
}

/** A Graph error envelope with any status, code and message. */
export interface GraphErrorFault extends FaultBase {
  kind: 'graphError';
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

/** Any status and body (an object body is sent as JSON), without Graph's error envelope. */
export interface StatusFault extends FaultBase {
  kind: 'status';
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Destroys the socket before any response byte. */
export interface ResetFault extends FaultBase {
  kind: 'reset';
}

export type GraphFault = ThrottleFault | GraphErrorFault | StatusFault | ResetFault;

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
  private readonly queue: Array<{ fault: GraphFault; remaining: number }> = [];

  push(fault: GraphFault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error(`fake graph: fault times must be > 0, got ${times}`);
    this.queue.push({ fault, remaining: times });
  }

  take(method: string, pathname: string): GraphFault | undefined {
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
