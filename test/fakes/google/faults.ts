/**
 * Faults queued with `google.inject(...)`: each answers the next request(s) it matches, before the
 * quota bucket, authentication and routing, so a test gets exactly the failure it asked for. A
 * faulted request uses no quota (except `delay`, which then proceeds normally).
 */

import type { DelayFault, FaultBase, HangFault, ResetFault, StatusFault as SharedStatusFault } from '../shared/fault-queue.js';
import type { RateLimitReason } from './errors.js';

export type { DelayFault, FaultMatch, HangFault, ResetFault } from '../shared/fault-queue.js';

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
export type StatusFault = SharedStatusFault;

export type GoogleFault = RateLimitFault | GoogleErrorFault | StatusFault | HangFault | ResetFault | DelayFault;
