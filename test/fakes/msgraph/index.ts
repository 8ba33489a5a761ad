/**
 * A faithful in-process fake of Microsoft Graph v1.0 (Entra ID users and groups) for tests.
 *
 *   const graph = await startFakeMsGraph();
 *   await fetch(`${graph.origin}/v1.0/groups?$top=2`, { headers: { authorization: graph.authorization } });
 *   graph.state.isMember(SEED_GROUP_IDS.engineering, SEED_USER_IDS.adele);
 *   graph.inject({ kind: 'throttle', retryAfterSeconds: 3, match: { method: 'GET' } });
 *   await graph.close();
 */

export { startFakeMsGraph, DEFAULT_ACCESS_TOKEN, GRAPH_HOSTS, type FakeGraph, type FakeGraphOptions, type RecordedRequest } from './server.js';
export type { GraphFault, FaultMatch, ThrottleFault, GraphErrorFault, StatusFault, ResetFault } from './faults.js';
export { GraphState, securityIdentifier, type GroupRecord, type UserRecord, type NewGroup, type NewUser } from './state.js';
export { SEED_GROUP_IDS, SEED_USER_IDS } from './seed.js';
export { GRAPH_FAKE_ROUTES } from './routes.js';
export type { GraphErrorBody } from './errors.js';
