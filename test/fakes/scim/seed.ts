/**
 * A small hand-written directory. Babs Jensen and "Tour Guides" are RFC 7643's own examples (§8.2,
 * §8.4). The rest exercise mappings: a primary email that is not the first, an inactive user, a user
 * with nothing but a userName, an empty group and a group with a nested group among its members.
 */

import type { ScimState } from './state.js';

export const SEED_USER_IDS = {
  /** RFC 7643 §8.2 "Babs Jensen". */
  babs: '2819c223-7f76-453a-919d-413861904646',
  /** Two emails; the primary one is second. */
  john: '7f4b1b2c-3c1e-4d8a-9f3e-2b8c1d0e5a61',
  /** active: false. */
  mary: '0a9d5e2f-6b7c-4e1d-8a2b-3c4d5e6f7a8b',
  /** userName only: no name, displayName, emails or active. */
  service: 'b5e6f7a8-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
} as const;

export const SEED_GROUP_IDS = {
  /** RFC 7643 §8.4 "Tour Guides": Babs and John. */
  tourGuides: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  /** John. */
  engineering: '5d3f1a9b-2c4e-4f6a-8b0c-1d2e3f4a5b6c',
  /** No members. */
  sales: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  /** Babs, Mary and the Engineering group (a nested group member). */
  employees: '3c2b1a09-8f7e-4d6c-a5b4-c3d2e1f0a9b8',
} as const;

export function applyDefaultSeed(state: ScimState): void {
  const U = SEED_USER_IDS;
  const G = SEED_GROUP_IDS;
  state.addUser({
    id: U.babs,
    externalId: 'bjensen',
    userName: 'bjensen@example.com',
    name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara' },
    displayName: 'Babs Jensen',
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    active: true,
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
  });
  state.addUser({
    id: U.john,
    userName: 'jsmith',
    name: { formatted: 'John Smith', familyName: 'Smith', givenName: 'John' },
    displayName: 'John Smith',
    emails: [
      { value: 'john@home.example', type: 'home' },
      { value: 'john.smith@example.com', type: 'work', primary: true },
    ],
    active: true,
    created: '2012-03-01T09:00:00Z',
    lastModified: '2013-07-02T21:36:25Z',
  });
  state.addUser({
    id: U.mary,
    userName: 'mpepper',
    name: { familyName: 'Pepper', givenName: 'Mary' },
    displayName: 'Mary Pepper',
    emails: [{ value: 'mpepper@example.com', type: 'work' }],
    active: false,
    created: '2014-02-10T12:00:00Z',
    lastModified: '2015-10-05T19:16:43Z',
  });
  state.addUser({
    id: U.service,
    userName: 'svc-backup',
    created: '2016-01-01T00:00:00Z',
  });

  state.addGroup({ id: G.tourGuides, displayName: 'Tour Guides', members: [U.babs, U.john], created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z' });
  state.addGroup({ id: G.engineering, displayName: 'Engineering', members: [U.john], created: '2012-04-01T08:00:00Z', lastModified: '2013-07-02T21:36:25Z' });
  state.addGroup({ id: G.sales, displayName: 'Sales', created: '2014-05-05T05:05:05Z' });
  state.addGroup({ id: G.employees, displayName: 'Employees', members: [U.babs, U.mary, G.engineering], created: '2015-06-06T06:06:06Z', lastModified: '2016-06-06T06:06:06Z' });
}
