/**
 * The default customer: hand-written users and groups on example.com. It has an admin, a suspended
 * user (whose member status is SUSPENDED), an archived user, a user who never signed in, a group with
 * a nested group and an OWNER, a group whose members include "all users in the domain" (a CUSTOMER
 * member), a group with an empty description and an empty group. Six users and six groups, so pages of
 * 2 or 3 end on a full last page.
 */

import { NEVER_SIGNED_IN, type GoogleState } from './state.js';

export const SEED_CUSTOMER_ID = 'C03az79cb';
export const SEED_DOMAIN = 'example.com';

export const SEED_USER_IDS = {
  alice: '103815127592016467301',
  bob: '109254186347720518842',
  carol: '114472093857152690113',
  dave: '117730264910583347264',
  erin: '100593841126087752915',
  frank: '112208647730915586036',
} as const;

export const SEED_GROUP_IDS = {
  engineering: '03ep43zb0ox2x6s',
  sales: '01baon6m1bysvem',
  platform: '02grqrue2kt8sdw',
  allStaff: '00gjdgxs2v9b3lp',
  contractors: '04d34og82t1lq2x',
  announcements: '03whwml43jy7c3k',
} as const;

export function applyDefaultSeed(state: GoogleState): void {
  const U = SEED_USER_IDS;
  const G = SEED_GROUP_IDS;

  state.addUser({ id: U.alice, primaryEmail: 'alice@example.com', givenName: 'Alice', familyName: 'Anders', isAdmin: true, creationTime: '2023-03-01T17:02:11.000Z', lastLoginTime: '2024-11-20T08:41:07.000Z', aliases: ['a.anders@example.com'] });
  state.addUser({ id: U.bob, primaryEmail: 'bob@example.com', givenName: 'Bob', familyName: 'Baker', creationTime: '2023-04-12T09:30:00.000Z', lastLoginTime: '2024-11-19T12:05:31.000Z' });
  state.addUser({ id: U.carol, primaryEmail: 'carol@example.com', givenName: 'Carol', familyName: 'Chen', creationTime: '2023-05-02T11:15:42.000Z', lastLoginTime: '2024-10-03T16:20:18.000Z' });
  state.addUser({ id: U.dave, primaryEmail: 'dave@example.com', givenName: 'Dave', familyName: 'Diaz', suspended: true, suspensionReason: 'ADMIN', creationTime: '2023-06-18T07:55:03.000Z', lastLoginTime: '2024-02-01T10:00:00.000Z' });
  state.addUser({ id: U.erin, primaryEmail: 'erin@example.com', givenName: 'Erin', familyName: 'Evans', archived: true, creationTime: '2023-07-21T14:44:10.000Z', lastLoginTime: '2023-12-22T18:30:00.000Z' });
  state.addUser({ id: U.frank, primaryEmail: 'frank@example.com', givenName: 'Frank', familyName: 'Fischer', agreedToTerms: false, creationTime: '2024-11-25T09:12:45.000Z', lastLoginTime: NEVER_SIGNED_IN });

  state.addGroup({ id: G.engineering, email: 'engineering@example.com', name: 'Engineering', description: 'All engineers', aliases: ['eng@example.com'] });
  state.addGroup({ id: G.sales, email: 'sales@example.com', name: 'Sales', description: '' });
  state.addGroup({ id: G.platform, email: 'platform@example.com', name: 'Platform', description: 'Platform team' });
  state.addGroup({ id: G.allStaff, email: 'all-staff@example.com', name: 'All staff', description: 'Everyone at Example' });
  state.addGroup({ id: G.contractors, email: 'contractors@example.com', name: 'Contractors', description: 'External contractors' });
  state.addGroup({ id: G.announcements, email: 'announcements@example.com', name: 'Announcements', description: 'Company news (no members yet)' });

  state.addMember(G.engineering, { id: U.alice, type: 'USER' }, 'OWNER');
  state.addMember(G.engineering, { id: U.bob, type: 'USER' });
  state.addMember(G.engineering, { id: G.platform, type: 'GROUP' });
  state.addMember(G.engineering, { id: U.carol, type: 'USER' });
  state.addMember(G.engineering, { id: U.dave, type: 'USER' });
  state.addMember(G.sales, { id: U.erin, type: 'USER' });
  state.addMember(G.platform, { id: U.carol, type: 'USER' }, 'MANAGER');
  state.addMember(G.allStaff, { id: SEED_CUSTOMER_ID, type: 'CUSTOMER' });
  state.addMember(G.contractors, { id: U.frank, type: 'USER' });
}
