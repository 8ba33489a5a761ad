/**
 * A faithful in-process SCIM 2.0 service provider (RFC 7643/7644) for tests.
 *
 *   const scim = await startFakeScim({ basePath: '/scim/v2', patchReturns: 204 });
 *   // scim.origin, scim.host, scim.baseUrl, scim.state, scim.requests
 *   scim.inject({ kind: 'rateLimit', retryAfter: 2, match: { method: 'PATCH', path: '/Groups/*' } });
 *   await scim.close();
 */

export { startFakeScim, DEFAULT_SCIM_TOKEN, LIST_RESPONSE_SCHEMA, SCIM_CONTENT_TYPE, type FakeScim, type FakeScimOptions, type RecordedRequest } from './server.js';
export type { ScimFault, FaultMatch, StatusFault, ScimErrorFault, RateLimitFault, ResetFault, DelayFault } from './faults.js';
export { ScimState, GROUP_SCHEMA, USER_SCHEMA, scimDate, type GroupRecord, type UserRecord, type MemberRef, type NewGroup, type NewUser } from './state.js';
export { SEED_GROUP_IDS, SEED_USER_IDS } from './seed.js';
export { ERROR_SCHEMA, type ScimErrorBody, type ScimType } from './errors.js';
export { PATCH_OP_SCHEMA } from './patch.js';
