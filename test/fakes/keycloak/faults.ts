/**
 * Faults queued with `keycloak.inject(...)`: each is consumed by the next request(s) it matches, before
 * authentication and routing, so a test gets exactly the failure it asked for.
 *
 * Keycloak itself documents no rate limits (provider-apis.md §4, "none documented [I]"); `rateLimit`
 * stands for a reverse proxy or API gateway in front of it, which is where a 429 with Retry-After comes
 * from in real deployments. Its default body is therefore an HTML proxy page, not a Keycloak error.
 */

import type { DelayFault, FaultBase, HangFault, ResetFault, StatusFault as SharedStatusFault } from '../shared/fault-queue.js';

export type { DelayFault, FaultMatch, HangFault, ResetFault } from '../shared/fault-queue.js';

/** Any status, body and headers; an object body is sent as JSON. */
export type StatusFault = SharedStatusFault;

/**
 * 429 Too Many Requests with `Retry-After` (seconds, or an HTTP date when a string is given; `null`
 * sends none). `body: 'json'` sends `{"error":"Too Many Requests"}` instead of the proxy's HTML page.
 */
export interface RateLimitFault extends FaultBase {
  kind: 'rateLimit';
  retryAfter?: number | string | null;
  body?: 'html' | 'json';
}

export type KeycloakFault = StatusFault | RateLimitFault | HangFault | ResetFault | DelayFault;

/** What nginx's limit_req answers by default (status changed to 429 with `limit_req_status 429`). */
export const PROXY_429_PAGE =
  '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
