/**
 * A faithful in-process fake of the Google Workspace Admin SDK Directory API v1 for tests.
 *
 *   const google = await startFakeGoogle();
 *   await fetch(`${google.origin}/admin/directory/v1/groups?customer=my_customer`, { headers: { authorization: google.authorization } });
 *   google.inject({ kind: 'rateLimit', match: { method: 'POST' } }); // 403 userRateLimitExceeded
 *   await google.close();
 */

export { startFakeGoogle, DEFAULT_ACCESS_TOKEN, type FakeGoogle, type FakeGoogleOptions, type RecordedRequest, type ScopedAccessToken } from './server.js';
export type { GoogleFault, FaultMatch, RateLimitFault, GoogleErrorFault, StatusFault, HangFault, ResetFault, DelayFault } from './faults.js';
export { GoogleState, NEVER_SIGNED_IN, type GroupRecord, type UserRecord, type MemberRecord, type MemberRole, type MemberType } from './state.js';
export { SEED_GROUP_IDS, SEED_USER_IDS, SEED_CUSTOMER_ID, SEED_DOMAIN } from './seed.js';
export { GOOGLE_FAKE_ROUTES, API_PREFIX, type GoogleRouteInfo } from './routes.js';
export { type GoogleErrorBody, type RateLimitReason } from './errors.js';
