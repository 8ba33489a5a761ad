/**
 * A faithful in-process fake of the Okta Management API for tests.
 *
 *   const okta = await startFakeOkta();
 *   await request(`${okta.origin}/api/v1/groups`, { headers: { authorization: okta.authorization } });
 *   okta.state.isMember(SEED_GROUP_IDS.engineering, SEED_USER_IDS.jane);
 *   okta.inject({ kind: 'oktaError', match: { method: 'PUT' } });
 *   await okta.close();
 */

export {
  startFakeOkta,
  DEFAULT_API_TOKEN,
  DEFAULT_ACCESS_TOKEN,
  type FakeOkta,
  type FakeOktaOptions,
  type RecordedRequest,
  type ScopedAccessToken,
} from './server.js';
export type {
  OktaFault,
  FaultMatch,
  StatusFault,
  OktaErrorFault,
  RateLimitFault,
  HangFault,
  HtmlFault,
  TruncatedJsonFault,
  LargeBodyFault,
  ResetFault,
  DelayFault,
} from './faults.js';
export { OktaState, type GroupRecord, type UserRecord, type GroupType, type UserStatus, type NewGroup, type NewUser } from './state.js';
export { SEED_GROUP_IDS, SEED_USER_IDS, SEED_AD_APP_ID } from './seed.js';
export { OKTA_FAKE_ROUTES, type OktaRouteInfo } from './routes.js';
export type { OktaErrorBody } from './errors.js';
