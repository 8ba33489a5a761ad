/**
 * A small hand-written tenant. Names follow Microsoft's documentation tenant (contoso / M365x…);
 * the HR Taskforce group is the GR-GET example group (same id, name, description and creation time).
 */

import { GraphState, TENANT_DOMAIN } from './state.js';

export const SEED_USER_IDS = {
  adele: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
  alex: '6e7b768e-07e2-4810-8459-485f84f8f204',
  megan: '48d31887-5fad-4d73-a9f5-3c356e68a038',
  lidia: '2ed03dfd-01d8-4005-a9ef-fa8ee546dc6c',
  /** An invited guest who has not redeemed the invitation (externalUserState PendingAcceptance). */
  pat: 'f2b1e7a4-39c5-4b8e-9d6a-0c7e52a1b3d9',
} as const;

export const SEED_GROUP_IDS = {
  engineering: 'b320ee12-b1cd-4cca-b648-a437be61c5cd',
  platform: '45b7d2e7-b882-4a80-ba97-10b7a63b8fa4',
  /** Microsoft 365 group from the GR-GET example. */
  hrTaskforce: '02bd9fd6-8f93-4758-87c3-1fb73740a315',
  sales: 'c5e9b3f1-7a2d-4f60-8e14-93d0a6b2c7e8',
  marketing: 'd7a4c2e9-1b3f-4e85-a6d0-5f8b9c2e1a47',
  allStaff: 'e1f0a9b8-2c3d-4e5f-8a7b-6c5d4e3f2a1b',
} as const;

export function applyDefaultSeed(state: GraphState): void {
  const u = SEED_USER_IDS;
  state.addUser({ id: u.adele, displayName: 'Adele Vance', givenName: 'Adele', surname: 'Vance', mail: `AdeleV@${TENANT_DOMAIN}`, userPrincipalName: `AdeleV@${TENANT_DOMAIN}`, jobTitle: 'Retail Manager', createdDateTime: '2019-03-12T09:14:03Z' });
  state.addUser({ id: u.alex, displayName: 'Alex Wilber', givenName: 'Alex', surname: 'Wilber', mail: `AlexW@${TENANT_DOMAIN}`, userPrincipalName: `AlexW@${TENANT_DOMAIN}`, jobTitle: 'Marketing Assistant', createdDateTime: '2019-03-12T09:14:11Z' });
  state.addUser({ id: u.megan, displayName: 'Megan Bowen', givenName: 'Megan', surname: 'Bowen', mail: `MeganB@${TENANT_DOMAIN}`, userPrincipalName: `MeganB@${TENANT_DOMAIN}`, accountEnabled: false, createdDateTime: '2019-03-12T09:14:20Z' });
  // An account older than June 2018: Graph reports createdDateTime null for some of these.
  state.addUser({ id: u.lidia, displayName: 'Lidia Holloway', givenName: 'Lidia', surname: 'Holloway', mail: `LidiaH@${TENANT_DOMAIN}`, userPrincipalName: `LidiaH@${TENANT_DOMAIN}`, createdDateTime: null });
  state.addUser({
    id: u.pat,
    displayName: 'Pat Guest',
    givenName: null,
    surname: null,
    mail: 'pat@fabrikam.com',
    userPrincipalName: `pat_fabrikam.com#EXT#@${TENANT_DOMAIN}`,
    userType: 'Guest',
    externalUserState: 'PendingAcceptance',
    createdDateTime: '2024-05-02T16:40:00Z',
  });

  const g = SEED_GROUP_IDS;
  state.addGroup({ id: g.engineering, displayName: 'Engineering', description: 'Engineering staff', mailNickname: 'engineering', mailEnabled: false, securityEnabled: true, createdDateTime: '2021-02-01T10:00:00Z', members: [u.adele, u.alex, g.platform] });
  state.addGroup({ id: g.platform, displayName: 'Platform team', description: null, mailNickname: 'platform', mailEnabled: false, securityEnabled: true, createdDateTime: '2021-02-01T10:05:00Z', members: [u.megan] });
  state.addGroup({
    id: g.hrTaskforce,
    displayName: 'HR Taskforce',
    description: 'Welcome to the HR Taskforce team.',
    mailNickname: 'HRTaskforce',
    mailEnabled: true,
    securityEnabled: false,
    groupTypes: ['Unified'],
    visibility: 'Private',
    createdDateTime: '2017-07-31T18:56:16Z',
    members: [u.megan, u.lidia],
  });
  state.addGroup({ id: g.sales, displayName: 'Sales', description: null, mailNickname: 'sales', mailEnabled: false, securityEnabled: true, createdDateTime: '2022-06-15T08:30:00Z' });
  state.addGroup({ id: g.marketing, displayName: 'Marketing', description: 'Marketing and events', mailNickname: 'marketing', mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'], createdDateTime: '2022-06-15T08:31:00Z', members: [u.alex] });
  state.addGroup({ id: g.allStaff, displayName: 'All staff', description: 'Everyone in the company', mailNickname: 'allstaff', mailEnabled: false, securityEnabled: true, createdDateTime: '2020-01-06T12:00:00Z', members: [u.adele, u.alex, u.megan, u.lidia, u.pat] });
}
