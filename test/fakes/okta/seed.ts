/**
 * The default org: a handful of hand-written groups and users modelled on the
 * recorded Okta objects (shared/okta/recordings) and the spec examples:
 * the BUILT_IN "Everyone", OKTA_GROUPs with and without a description
 * (`description: null`), an Active Directory APP_GROUP with its AD profile and
 * `_links.source`, a Google-imported APP_GROUP (`description: ""`), and users
 * in most lifecycle states, including a DEPROVISIONED one that plain lists omit.
 */

import type { OktaState } from './state.js';

export const SEED_GROUP_IDS = {
  everyone: '00g1ev3ryoNE5sb7Q0h7',
  engineering: '00g4kxqe2mVbTZp8d0h7',
  sales: '00g7q2hnw1LcRyU5f0h7',
  contractors: '00g2c8vf5tYwKo3Ma0h7',
  adEngineering: '00g3j8tz6rXkWmF9a0h7',
  googleMarketing: '00g9w5nb3dHeQsJ2k0h7',
} as const;

export const SEED_USER_IDS = {
  isaac: '00u1brck7sAqL2xZp0h7',
  jane: '00u2jdoe4KtMv8RwN0h7',
  john: '00u3jsmt9PqBn6YcE0h7',
  sachin: '00u4stnd2LwHj5GxR0h7',
  suspended: '00u5susp8FmTz3VkW0h7',
  deprovisioned: '00u6dprv1NsCy7QbH0h7',
  lockedOut: '00u7lock5RdXg9PjU0h7',
} as const;

/** The AD app the AD group is imported from (`_links.source`). */
export const SEED_AD_APP_ID = '0oa2v0el0gP90aqjJ0h7';

export function applyDefaultSeed(state: OktaState): void {
  const G = SEED_GROUP_IDS;
  const U = SEED_USER_IDS;

  state.addGroup({
    id: G.everyone,
    type: 'BUILT_IN',
    name: 'Everyone',
    description: 'All users in your organization',
    created: '2023-03-01T17:02:11.000Z',
    lastUpdated: '2023-03-01T17:02:11.000Z',
    lastMembershipUpdated: '2024-11-20T08:41:07.000Z',
  });
  state.addGroup({
    id: G.engineering,
    name: 'Engineering',
    description: 'All engineers',
    created: '2023-04-12T09:30:00.000Z',
    lastUpdated: '2024-02-19T14:05:31.000Z',
    lastMembershipUpdated: '2024-11-20T08:43:55.000Z',
  });
  state.addGroup({
    id: G.sales,
    name: 'Sales',
    description: null,
    created: '2023-05-02T11:15:42.000Z',
    lastUpdated: '2023-05-02T11:15:42.000Z',
    lastMembershipUpdated: '2024-09-03T16:20:18.000Z',
  });
  state.addGroup({
    id: G.contractors,
    name: 'Contractors',
    description: null,
    created: '2024-06-18T07:55:03.000Z',
    lastUpdated: '2024-06-18T07:55:03.000Z',
    lastMembershipUpdated: '2024-06-18T07:55:03.000Z',
  });
  state.addGroup({
    id: G.adEngineering,
    type: 'APP_GROUP',
    objectClass: ['okta:windows_security_principal'],
    logo: 'active_directory',
    sourceAppId: SEED_AD_APP_ID,
    name: 'Engineering users',
    description: 'All users in the engineering department',
    profile: {
      groupType: 'Security',
      samAccountName: 'Engineering users',
      objectSid: 'S-1-5-21-717838489-685202119-709183397-1177',
      groupScope: 'Global',
      dn: 'CN=Engineering users,OU=Engineering,DC=corp,DC=example,DC=com',
      windowsDomainQualifiedName: 'CORP\\Engineering users',
      externalId: 'OZJdWdONCU6h7WjQKp+LPA==',
    },
    created: '2023-08-15T19:15:17.000Z',
    lastUpdated: '2024-01-18T04:02:19.000Z',
    lastMembershipUpdated: '2024-10-07T22:10:45.000Z',
  });
  state.addGroup({
    id: G.googleMarketing,
    type: 'APP_GROUP',
    logo: 'google',
    name: 'marketing',
    description: '',
    profile: { googleExternalId: '01hmsyys1yyo1ff' },
    created: '2023-09-21T12:00:58.000Z',
    lastUpdated: '2023-09-21T12:25:54.000Z',
    lastMembershipUpdated: '2023-09-21T12:00:58.000Z',
  });

  const pw = { password: {} as Record<string, never>, provider: { type: 'OKTA', name: 'OKTA' } };
  state.addUser({
    id: U.isaac,
    status: 'ACTIVE',
    created: '2023-03-01T17:02:11.000Z',
    activated: '2023-03-01T17:02:12.000Z',
    statusChanged: '2023-03-01T17:02:12.000Z',
    lastLogin: '2024-11-19T17:39:19.000Z',
    lastUpdated: '2024-07-02T21:36:25.344Z',
    passwordChanged: '2024-07-02T21:36:25.344Z',
    profile: {
      firstName: 'Isaac',
      lastName: 'Brock',
      mobilePhone: '+1-555-415-1337',
      secondEmail: null,
      login: 'isaac.brock@example.com',
      email: 'isaac.brock@example.com',
      displayName: 'Isaac Brock',
      title: 'Director',
      department: 'Engineering',
    },
    credentials: { ...pw, recovery_question: { question: "What's my childhood elementary school?" } },
  });
  state.addUser({
    id: U.jane,
    status: 'ACTIVE',
    created: '2023-04-12T09:41:05.000Z',
    activated: '2023-04-12T09:41:06.000Z',
    statusChanged: '2023-04-12T09:41:06.000Z',
    lastLogin: '2024-11-18T08:02:44.000Z',
    lastUpdated: '2024-03-05T10:12:44.000Z',
    passwordChanged: '2023-04-12T09:41:06.000Z',
    profile: {
      firstName: 'Jane',
      lastName: 'Doe',
      mobilePhone: null,
      secondEmail: null,
      login: 'jane.doe@example.com',
      email: 'jane.doe@example.com',
    },
    credentials: pw,
  });
  state.addUser({
    id: U.john,
    status: 'STAGED',
    created: '2024-11-20T08:41:07.000Z',
    activated: null,
    statusChanged: null,
    lastLogin: null,
    lastUpdated: '2024-11-20T08:41:07.000Z',
    passwordChanged: '2024-11-20T08:41:07.000Z',
    profile: {
      lastName: 'Smith',
      secondEmail: null,
      mobilePhone: null,
      email: 'john.smith@example.com',
      login: 'john.smith@example.com',
      firstName: 'John',
    },
    credentials: pw,
  });
  state.addUser({
    id: U.sachin,
    status: 'STAGED',
    created: '2023-08-15T19:20:47.000Z',
    activated: null,
    statusChanged: null,
    lastLogin: null,
    lastUpdated: '2023-08-15T19:27:35.000Z',
    passwordChanged: null,
    profile: {
      lastName: 'Tendulkar',
      secondEmail: null,
      mobilePhone: null,
      email: 'sachin.tendulkar@example.com',
      login: 'sachin.tendulkar@corp.example.com',
      firstName: 'Sachin',
      displayName: 'Sachin Tendulkar',
    },
    credentials: { provider: { type: 'ACTIVE_DIRECTORY', name: 'corp.example.com' } },
  });
  state.addUser({
    id: U.suspended,
    status: 'SUSPENDED',
    created: '2023-05-02T11:20:02.000Z',
    activated: '2023-05-02T11:21:31.000Z',
    statusChanged: '2024-05-30T18:29:59.000Z',
    lastLogin: '2024-04-28T23:46:55.000Z',
    lastUpdated: '2024-05-30T18:40:20.000Z',
    passwordChanged: '2023-05-02T11:47:43.000Z',
    profile: {
      lastName: 'Park',
      secondEmail: null,
      mobilePhone: null,
      email: 'min.park@example.com',
      login: 'min.park@example.com',
      firstName: 'Min',
    },
    credentials: pw,
  });
  state.addUser({
    id: U.deprovisioned,
    status: 'DEPROVISIONED',
    created: '2023-05-02T11:22:10.000Z',
    activated: '2023-05-02T11:22:10.000Z',
    statusChanged: '2024-09-03T16:20:18.000Z',
    lastLogin: '2024-08-30T15:03:09.000Z',
    lastUpdated: '2024-09-03T16:20:18.000Z',
    passwordChanged: '2023-05-02T11:22:10.000Z',
    profile: {
      lastName: 'Okafor',
      secondEmail: null,
      mobilePhone: null,
      email: 'ada.okafor@example.com',
      login: 'ada.okafor@example.com',
      firstName: 'Ada',
    },
    credentials: pw,
  });
  state.addUser({
    id: U.lockedOut,
    status: 'LOCKED_OUT',
    created: '2024-06-09T17:01:35.000Z',
    activated: '2024-06-09T17:01:35.000Z',
    statusChanged: '2024-06-27T20:57:30.000Z',
    lastLogin: '2024-06-27T20:56:25.000Z',
    lastUpdated: '2024-06-27T20:57:30.000Z',
    passwordChanged: '2024-06-09T17:01:35.000Z',
    profile: {
      lastName: 'Balistreri',
      secondEmail: null,
      mobilePhone: null,
      email: 'lavinia.balistreri@example.com',
      login: 'lavinia.balistreri@example.com',
      firstName: 'Lavinia',
    },
    credentials: pw,
  });

  // Seeded memberships carry their own history (the groups' lastMembershipUpdated above),
  // so they are written without moving those timestamps.
  const seedMembers: Array<[string, string[]]> = [
    [G.engineering, [U.isaac, U.jane, U.john]],
    [G.sales, [U.jane, U.suspended, U.deprovisioned]],
    [G.adEngineering, [U.isaac, U.sachin]],
    [G.googleMarketing, [U.jane]],
  ];
  for (const [gid, uids] of seedMembers) {
    const g = state.getGroup(gid)!;
    const keep = g.lastMembershipUpdated;
    for (const uid of uids) state.addMember(gid, uid);
    g.lastMembershipUpdated = keep;
  }

  state.meUserId = U.isaac;
}
