/**
 * The fault queue every fake consults before its own authentication and routing. Which faults exist,
 * and what a response-shaping fault sends, is each provider's business (its faults.ts); how a fault is
 * matched and consumed is kept here so `inject(...)` means the same thing on every fake.
 */

export interface FaultMatch {
  /** Case-insensitive HTTP method. */
  method?: string;
  /**
   * Exact pathname, a glob (`*` = one path segment, `**` = anything), or a RegExp, compared with the
   * path the fake matches faults on: the raw (still percent-encoded) pathname unless the fake says
   * otherwise (SCIM matches the path under its base path).
   */
  path?: string | RegExp;
}

export interface FaultBase {
  match?: FaultMatch;
  /** How many matching requests this fault answers; default 1, `Infinity` allowed. */
  times?: number;
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

/**
 * Any status, body and headers, sent as they are. How a body is serialised and which content type and
 * standard headers go with it is each fake's choice (see its faults.ts).
 */
export interface StatusFault extends FaultBase {
  kind: 'status';
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  // `**` is parked on a NUL first so the single-`*` rule cannot eat half of it.
  return new RegExp(`^${escaped.replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]+').replace(/\u0000/g, '.*')}$`);
}

export function faultMatches(m: FaultMatch | undefined, method: string, path: string): boolean {
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path === undefined) return true;
  if (m.path instanceof RegExp) return m.path.test(path);
  return m.path.includes('*') ? globToRegExp(m.path).test(path) : m.path === path;
}

export class FaultQueue<F extends FaultBase> {
  private readonly queue: Array<{ fault: F; remaining: number }> = [];

  /** `owner` names the fake in errors (e.g. `fake okta`), so a bad inject points at the right one. */
  constructor(private readonly owner: string) {}

  /** Queues faults in order; an array is queued one by one, so a bad entry leaves those before it queued. */
  push(faults: F | readonly F[]): void {
    for (const fault of Array.isArray(faults) ? (faults as readonly F[]) : [faults as F]) {
      const times = fault.times ?? 1;
      if (!(times > 0)) throw new Error(`${this.owner}: fault times must be > 0, got ${times}`);
      this.queue.push({ fault, remaining: times });
    }
  }

  /** The first queued fault matching this request, consumed once. */
  take(method: string, path: string): F | undefined {
    const i = this.queue.findIndex((e) => faultMatches(e.fault.match, method, path));
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
