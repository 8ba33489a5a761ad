/**
 * Faults queued with `graph.inject(...)`: each answers the next request(s) it matches, before
 * authentication, throttling and routing, so a test gets exactly the failure it asked for.
 */

import type { FaultBase, ResetFault, StatusFault as SharedStatusFault } from '../shared/fault-queue.js';

export type { FaultMatch, ResetFault } from '../shared/fault-queue.js';

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
export type StatusFault = SharedStatusFault;

export type GraphFault = ThrottleFault | GraphErrorFault | StatusFault | ResetFault;
