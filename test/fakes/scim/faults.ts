/**
 * Faults a test queues with `fake.inject(...)`. Each answers the first `times` (default 1) requests it
 * matches, in queue order, before authentication and routing. `match.path` is the path under the
 * base path (`/Groups/*` matches `/scim/v2/Groups/<id>`); `*` is one segment, `**` any.
 */

import type { DelayFault, FaultBase, ResetFault, StatusFault as SharedStatusFault } from '../shared/fault-queue.js';

export type { DelayFault, FaultMatch, ResetFault } from '../shared/fault-queue.js';

/** Any status, body and headers. A string body is sent as text/plain, an object as application/scim+json. */
export type StatusFault = SharedStatusFault;

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

export type ScimFault = StatusFault | ScimErrorFault | RateLimitFault | ResetFault | DelayFault;
