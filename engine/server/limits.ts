/**
 * Every bound the server puts on a caller, in one place, with the environment variables that set
 * them. A server without bounds is a server one slow or greedy client can take down.
 */

export interface ServerLimits {
  /** Largest accepted request body; a larger one is answered 413 without reading the rest. */
  maxBodyBytes: number;
  /** Whole-call deadline handed to the engine (all remote steps and retries included). */
  callTimeoutMs: number;
  /** Time a client has to send the request line and headers (slowloris). */
  headersTimeoutMs: number;
  /** Time a client has to send the body once the headers are in. */
  bodyTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** How long `close()` lets in-flight calls finish before cancelling them. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxBodyBytes: 1024 * 1024,
  callTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  shutdownTimeoutMs: 10_000,
};

/** The environment variable behind each limit. */
export const LIMIT_ENV: Record<keyof ServerLimits, string> = {
  maxBodyBytes: 'UNIMAP_MAX_BODY_BYTES',
  callTimeoutMs: 'UNIMAP_CALL_TIMEOUT_MS',
  headersTimeoutMs: 'UNIMAP_HEADERS_TIMEOUT_MS',
  bodyTimeoutMs: 'UNIMAP_BODY_TIMEOUT_MS',
  keepAliveTimeoutMs: 'UNIMAP_KEEP_ALIVE_TIMEOUT_MS',
  shutdownTimeoutMs: 'UNIMAP_SHUTDOWN_TIMEOUT_MS',
};

export function resolveLimits(overrides: Partial<ServerLimits> = {}): ServerLimits {
  const limits = { ...DEFAULT_SERVER_LIMITS };
  for (const [name, value] of Object.entries(overrides) as [keyof ServerLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`server limit ${name} must be a positive integer, got ${String(value)}`);
    limits[name] = value;
  }
  return limits;
}

/**
 * Reads the limits set in the environment. A value that is not a positive integer stops the start
 * with a message naming the variable: a typo must not silently become "no limit".
 */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<ServerLimits> {
  const out: Partial<ServerLimits> = {};
  for (const [name, variable] of Object.entries(LIMIT_ENV) as [keyof ServerLimits, string][]) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') continue;
    if (!/^\d{1,15}$/.test(raw.trim()) || Number(raw) < 1) {
      throw new RangeError(`${variable} must be a positive integer, got ${JSON.stringify(raw.slice(0, 40))}`);
    }
    out[name] = Number(raw.trim());
  }
  return out;
}
