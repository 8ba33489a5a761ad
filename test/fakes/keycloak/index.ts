/**
 * A faithful in-process fake of the Keycloak Admin REST API for tests.
 *
 *   const kc = await startFakeKeycloak();
 *   await request(`${kc.origin}/admin/realms/acme/groups`, { headers: { authorization: kc.authorization } });
 *   kc.state.realm('acme')!.isMember(SEED_GROUP_IDS.engineering, SEED_USER_IDS.jane);
 *   kc.inject({ kind: 'rateLimit', retryAfter: 3, match: { method: 'GET' } });
 *   await kc.close();
 */

export { startFakeKeycloak, DEFAULT_ACCESS_TOKEN, type FakeKeycloak, type FakeKeycloakOptions, type RecordedRequest, type ScopedToken } from './server.js';
export type { KeycloakFault, FaultMatch, StatusFault, RateLimitFault, HangFault, ResetFault, DelayFault } from './faults.js';
export { KeycloakState, RealmState, type GroupRecord, type UserRecord, type NewGroup, type NewUser, type Access } from './state.js';
export { SEED_GROUP_IDS, SEED_USER_IDS, SEED_REALM, SEED_SLASH_REALM } from './seed.js';
export type { Role } from './routes.js';
export type { KeycloakErrorBody } from './errors.js';
