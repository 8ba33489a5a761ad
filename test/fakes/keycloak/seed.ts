/**
 * The default data: hand-written, with fixed ids and timestamps so tests can assert exact results.
 *
 * Realm `acme` has four top-level groups (Contractors, Engineering, Sales, Support; Engineering has two
 * subgroups) and six users, so lists of 2 groups or 3 users a page end on a full page followed by an
 * empty one. Realm `team/eu` has a `/` in its name (one path segment, sent as `team%2Feu`). `master`
 * exists on every Keycloak server.
 */

import type { KeycloakState } from './state.js';

export const SEED_REALM = 'acme';
export const SEED_SLASH_REALM = 'team/eu';

export const SEED_GROUP_IDS = {
  contractors: '0b5e3f6c-8a51-4f0e-9d1b-2c7a4e6f8a10',
  engineering: '3f2a9c1e-7b4d-4e8a-a6f1-5d9c0b2e7a31',
  backend: '6c1d8e2f-3a4b-4c5d-9e6f-7a8b9c0d1e42',
  frontend: '8d2e9f3a-4b5c-4d6e-8f7a-9b0c1d2e3f53',
  sales: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c64',
  support: 'c7d8e9f0-a1b2-4c3d-9e4f-5a6b7c8d9e75',
  euOps: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a86',
} as const;

export const SEED_USER_IDS = {
  isaac: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c01',
  jane: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d02',
  john: '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e03',
  min: '4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f04',
  sachin: '5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8a05',
  svc: '6f7a8b9c-0d1e-4f2a-9b4c-5d6e7f8a9b06',
  lena: '7a8b9c0d-1e2f-4a3b-8c5d-6e7f8a9b0c07',
} as const;

const ms = (iso: string) => Date.parse(iso);

export function applyDefaultSeed(state: KeycloakState): void {
  state.addRealm('master');

  const acme = state.addRealm(SEED_REALM);
  const G = SEED_GROUP_IDS;
  acme.addGroup({ id: G.contractors, name: 'Contractors' });
  acme.addGroup({ id: G.engineering, name: 'Engineering', description: 'All engineers', attributes: { cost_center: ['ENG-100'] } });
  acme.addGroup({ id: G.backend, name: 'Backend', description: 'Backend services', parentId: G.engineering });
  acme.addGroup({ id: G.frontend, name: 'Frontend', parentId: G.engineering });
  acme.addGroup({ id: G.sales, name: 'Sales' });
  acme.addGroup({ id: G.support, name: 'Support', description: 'Customer support' });

  const U = SEED_USER_IDS;
  acme.addUser({ id: U.isaac, username: 'isaac.brock', firstName: 'Isaac', lastName: 'Brock', email: 'isaac.brock@example.com', emailVerified: true, createdTimestamp: ms('2023-03-01T17:02:11.000Z') });
  acme.addUser({ id: U.jane, username: 'jane.doe', firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com', emailVerified: true, createdTimestamp: ms('2023-04-12T09:41:05.123Z') });
  acme.addUser({ id: U.john, username: 'john.smith', firstName: 'John', lastName: 'Smith', email: 'john.smith@example.com', createdTimestamp: ms('2023-04-12T09:45:30.000Z') });
  acme.addUser({
    id: U.min,
    username: 'min.park',
    firstName: 'Min',
    lastName: 'Park',
    email: 'min.park@example.com',
    enabled: false,
    createdTimestamp: ms('2023-05-02T11:20:02.000Z'),
  });
  acme.addUser({
    id: U.sachin,
    username: 'sachin.patel',
    firstName: 'Sachin',
    email: 'sachin.patel@example.com',
    requiredActions: ['VERIFY_EMAIL'],
    attributes: { department: ['backend'] },
    createdTimestamp: ms('2024-01-08T08:00:00.000Z'),
  });
  acme.addUser({ id: U.svc, username: 'svc-reporting', createdTimestamp: ms('2024-06-18T07:55:03.000Z') });

  for (const u of [U.isaac, U.jane, U.john]) acme.join(G.engineering, u);
  acme.join(G.backend, U.sachin);
  acme.join(G.sales, U.jane);
  acme.join(G.sales, U.min);

  const eu = state.addRealm(SEED_SLASH_REALM);
  eu.addGroup({ id: G.euOps, name: 'EU Ops', description: 'Operations, EU region' });
  eu.addUser({ id: U.lena, username: 'lena.fischer', firstName: 'Lena', lastName: 'Fischer', email: 'lena.fischer@example.eu', emailVerified: true, createdTimestamp: ms('2024-02-29T12:00:00.000Z') });
}
