/**
 * Faults queued with `keycloak.inject(...)`: each is consumed by the next request(s) it matches, before
 * authentication and routing, so a test gets exactly the failure it asked for.
 *
 * Keycloak itself documents no rate limits (provider-apis.md §4, "none documented [I]"); `rateLimit`
 * stands for a reverse proxy or API gateway in front of it, which is where a 429 with Retry-After comes
 * from in real deployments. Its default body is therefore an HTML proxy page, not a Keycloak error.
 */

export interface FaultMatch {
  /** Case-insensitive HTTP method. */
  method?: string;
  /** Exact raw pathname, a glob (`*` = one segment, `**` = anything), or a RegExp over the raw pathname. */
  path?: string | RegExp;
}

interface FaultBase {
  match?: FaultMatch;
  /** How many matching requests this fault answers; default 1, `Infinity` allowed. */
  times?: number;
}

/** Any status, body and headers; an object body is sent as JSON. */
export interface StatusFault extends FaultBase {
  kind: 'status';
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * 429 Too Many Requests with `Retry-After` (seconds, or an HTTP date when a string is given; `null`
 * sends none). `body: 'json'` sends `{"error":"Too Many Requests"}` instead of the proxy's HTML page.
 */
export interface RateLimitFault extends FaultBase {
  kind: 'rateLimit';
  retryAfter?: number | string | null;
  body?: 'html' | 'json';
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

export type KeycloakFault = StatusFault | RateLimitFault | HangFault | ResetFault | DelayFault;

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
  private readonly queue: Array<{ fault: KeycloakFault; remaining: number }> = [];

  push(fault: KeycloakFault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error(`fake keycloak: fault times must be > 0, got ${times}`);
    this.queue.push({ fault, remaining: times });
  }

  take(method: string, pathname: string): KeycloakFault | undefined {
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

/** What nginx's limit_req answers by default (status changed to 429 with `limit_req_status 429`). */
export const PROXY_429_PAGE =
  '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
