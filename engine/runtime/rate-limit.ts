import type { IntegrationSpec } from '../definition/types.js';
import { lowerCaseHeaderName } from './header-name.js';

export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** When the window resets, as epoch milliseconds. */
  resetAt?: number;
  /** The provider's explicit wait before retrying, in milliseconds. */
  retryAfterMs?: number;
}

type Spec = IntegrationSpec['rate_limit'];

/** Reads the provider's rate-limit headers as the integration declares them. Pure; the clock is read only when a header needs it. */
export function readRateLimit(spec: Spec, headers: Record<string, string>, clock: number | (() => number)): RateLimitInfo {
  const info: RateLimitInfo = {};
  info.limit = headerNumber(headers, spec?.limit_header);
  info.remaining = headerNumber(headers, spec?.remaining_header);
  const reset = headerNumber(headers, spec?.reset_header);
  if (reset !== undefined) info.resetAt = spec?.reset_format === 'delta_seconds' ? timeOf(clock) + reset * 1000 : reset * 1000;
  const retryAfter = headers[lowerCaseHeaderName(spec?.retry_after_header ?? 'retry-after')];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter.trim());
    if (Number.isFinite(seconds)) info.retryAfterMs = Math.max(0, seconds * 1000);
    else {
      const date = Date.parse(retryAfter);
      if (Number.isFinite(date)) info.retryAfterMs = Math.max(0, date - timeOf(clock));
    }
  }
  return info;
}

function timeOf(clock: number | (() => number)): number {
  return typeof clock === 'number' ? clock : clock();
}

function headerNumber(headers: Record<string, string>, name: string | undefined): number | undefined {
  if (!name) return undefined;
  const raw = headers[lowerCaseHeaderName(name)];
  // A comma means the header was sent twice (e.g. by a proxy); neither value can be trusted.
  if (raw === undefined || raw.includes(',')) return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** How long to wait before retrying a rate-limited request, or undefined when the provider gave no hint. */
export function rateLimitWaitMs(info: RateLimitInfo, now: number): number | undefined {
  if (info.retryAfterMs !== undefined) return info.retryAfterMs;
  if (info.resetAt !== undefined) return Math.max(0, info.resetAt - now);
  return undefined;
}

/** The normalized headers the unified API reports to its caller (`ratelimit-reset` in seconds from now). */
export function rateLimitHeaders(info: RateLimitInfo | undefined, now: number): Record<string, string> {
  if (!info) return {};
  const out: Record<string, string> = {};
  if (info.limit !== undefined) out['ratelimit-limit'] = String(info.limit);
  if (info.remaining !== undefined) out['ratelimit-remaining'] = String(info.remaining);
  const reset = info.resetAt !== undefined ? info.resetAt - now : info.retryAfterMs;
  if (reset !== undefined && (out['ratelimit-limit'] || out['ratelimit-remaining'] || info.retryAfterMs !== undefined)) {
    out['ratelimit-reset'] = String(Math.max(0, Math.ceil(reset / 1000)));
  }
  return out;
}

/**
 * Remembers, per account, a window the provider said is exhausted, so the next call waits for the
 * reset instead of spending a request on a certain 429.
 */
export class RateLimitTracker {
  private readonly exhausted = new Map<string, number>();

  record(key: string, info: RateLimitInfo): void {
    if (info.remaining === 0 && info.resetAt !== undefined) this.exhausted.set(key, info.resetAt);
    else if (info.remaining !== undefined && info.remaining > 0) this.exhausted.delete(key);
  }

  /** Whether a window is remembered for `key` (else `waitMs` is 0 whatever the time). */
  tracks(key: string): boolean {
    return this.exhausted.has(key);
  }

  /** Milliseconds to wait before the next request for `key` (0 when free). */
  waitMs(key: string, now: number): number {
    const resetAt = this.exhausted.get(key);
    if (resetAt === undefined) return 0;
    if (resetAt <= now) {
      this.exhausted.delete(key);
      return 0;
    }
    return resetAt - now;
  }
}
