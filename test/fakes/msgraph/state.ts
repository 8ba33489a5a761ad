/**
 * The fake tenant: groups, users and direct memberships. Object ids are GUIDs, as in Entra ID.
 * Lists come back in creation order (Graph documents no order for /groups or /users).
 */

import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface GroupRecord {
  id: string;
  /** Creation sequence; positions in paged lists. */
  seq: number;
  displayName: string;
  description: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  isAssignableToRole: boolean | null;
  classification: string | null;
  membershipRule: string | null;
  createdDateTime: string;
  renewedDateTime: string;
  /** Direct member object ids (users or groups), in the order they were added. */
  members: string[];
}

export interface UserRecord {
  id: string;
  seq: number;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userPrincipalName: string;
  accountEnabled: boolean;
  /** Null for some accounts created before June 2018, as Graph documents. */
  createdDateTime: string | null;
  userType: 'Member' | 'Guest';
  externalUserState: 'PendingAcceptance' | 'Accepted' | null;
  externalUserStateChangeDateTime: string | null;
  jobTitle: string | null;
  businessPhones: string[];
  mobilePhone: string | null;
  officeLocation: string | null;
  preferredLanguage: string | null;
}

export const TENANT_DOMAIN = 'contoso.onmicrosoft.com';

/** The properties Graph v1.0 returns for a user without $select (user-list / user-get docs). */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Every user property the fake models; the others are returned only when selected. */
export const USER_PROPERTIES = [
  ...USER_DEFAULT_PROPERTIES,
  'accountEnabled',
  'createdDateTime',
  'userType',
  'externalUserState',
  'externalUserStateChangeDateTime',
] as const;

/** The group properties of the GR-GET example (all returned by default). [V] */
export const GROUP_PROPERTIES = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesSyncEnabled',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'theme',
  'visibility',
  'onPremisesProvisioningErrors',
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string): boolean => GUID.test(s);

/** Graph writes date-times in UTC without fractions ("2017-07-31T18:56:16Z"). [V] GR-GET */
export function graphDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A group's SID: S-1-12-1 and the GUID's 16 bytes (in .NET order) read as four little-endian uint32s. */
export function securityIdentifier(id: string): string {
  const h = id.replace(/-/g, '');
  const bytes = Buffer.from(h, 'hex');
  const net = Buffer.concat([Buffer.from(bytes.subarray(0, 4)).reverse(), Buffer.from(bytes.subarray(4, 6)).reverse(), Buffer.from(bytes.subarray(6, 8)).reverse(), bytes.subarray(8)]);
  return `S-1-12-1-${[0, 4, 8, 12].map((o) => net.readUInt32LE(o)).join('-')}`;
}

export interface NewGroup {
  id?: string;
  displayName: string;
  description?: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes?: string[];
  visibility?: string | null;
  isAssignableToRole?: boolean | null;
  classification?: string | null;
  membershipRule?: string | null;
  createdDateTime?: string;
  members?: string[];
}

export interface NewUser {
  id?: string;
  displayName: string | null;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  userPrincipalName: string;
  accountEnabled?: boolean;
  createdDateTime?: string | null;
  userType?: 'Member' | 'Guest';
  externalUserState?: 'PendingAcceptance' | 'Accepted' | null;
  jobTitle?: string | null;
}

export class GraphState {
  readonly groups = new Map<string, GroupRecord>();
  readonly users = new Map<string, UserRecord>();
  private seq = 0;
  private idCounter = 0;

  constructor(private readonly now: () => number) {}

  /** Deterministic, random-looking v4 GUIDs. */
  newId(): string {
    const h = createHash('sha1').update(`fake-graph-object-${++this.idCounter}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  addGroup(input: NewGroup): GroupRecord {
    const created = input.createdDateTime ?? graphDate(this.now());
    const g: GroupRecord = {
      id: input.id ?? this.newId(),
      seq: ++this.seq,
      displayName: input.displayName,
      description: input.description ?? null,
      mailNickname: input.mailNickname,
      mailEnabled: input.mailEnabled,
      securityEnabled: input.securityEnabled,
      groupTypes: input.groupTypes ?? [],
      visibility: input.visibility ?? ((input.groupTypes ?? []).includes('Unified') ? 'Public' : null),
      isAssignableToRole: input.isAssignableToRole ?? null,
      classification: input.classification ?? null,
      membershipRule: input.membershipRule ?? null,
      createdDateTime: created,
      renewedDateTime: created,
      members: [...(input.members ?? [])],
    };
    this.groups.set(g.id, g);
    return g;
  }

  addUser(input: NewUser): UserRecord {
    const u: UserRecord = {
      id: input.id ?? this.newId(),
      seq: ++this.seq,
      displayName: input.displayName,
      givenName: input.givenName ?? null,
      surname: input.surname ?? null,
      mail: input.mail ?? null,
      userPrincipalName: input.userPrincipalName,
      accountEnabled: input.accountEnabled ?? true,
      createdDateTime: input.createdDateTime === undefined ? graphDate(this.now()) : input.createdDateTime,
      userType: input.userType ?? 'Member',
      externalUserState: input.externalUserState ?? null,
      externalUserStateChangeDateTime: null,
      jobTitle: input.jobTitle ?? null,
      businessPhones: [],
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
    };
    this.users.set(u.id, u);
    return u;
  }

  /** By object id, or by userPrincipalName (case-insensitive), as GET /users/{id | userPrincipalName} does. */
  findUser(idOrUpn: string): UserRecord | undefined {
    const byId = this.users.get(idOrUpn.toLowerCase());
    if (byId) return byId;
    const upn = idOrUpn.toLowerCase();
    return [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === upn);
  }

  listGroups(): GroupRecord[] {
    return [...this.groups.values()].sort((a, b) => a.seq - b.seq);
  }

  listUsers(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => a.seq - b.seq);
  }

  isMember(groupId: string, objectId: string): boolean {
    return this.groups.get(groupId)?.members.includes(objectId) ?? false;
  }

  deleteGroup(id: string): void {
    this.groups.delete(id);
    for (const g of this.groups.values()) g.members = g.members.filter((m) => m !== id);
  }

  groupJson(g: GroupRecord): Record<string, Json> {
    const mail = g.mailEnabled ? `${g.mailNickname}@${TENANT_DOMAIN}` : null;
    return {
      id: g.id,
      deletedDateTime: null,
      classification: g.classification,
      createdDateTime: g.createdDateTime,
      description: g.description,
      displayName: g.displayName,
      expirationDateTime: null,
      groupTypes: [...g.groupTypes],
      isAssignableToRole: g.isAssignableToRole,
      mail,
      mailEnabled: g.mailEnabled,
      mailNickname: g.mailNickname,
      membershipRule: g.membershipRule,
      membershipRuleProcessingState: g.membershipRule ? 'On' : null,
      onPremisesSyncEnabled: null,
      proxyAddresses: mail ? [`SMTP:${mail}`] : [],
      renewedDateTime: g.renewedDateTime,
      resourceBehaviorOptions: [],
      resourceProvisioningOptions: [],
      securityEnabled: g.securityEnabled,
      securityIdentifier: securityIdentifier(g.id),
      theme: null,
      visibility: g.visibility,
      onPremisesProvisioningErrors: [],
    };
  }

  /** Every modelled property; routes project it to the default set or to $select. */
  userJson(u: UserRecord): Record<string, Json> {
    return {
      id: u.id,
      businessPhones: [...u.businessPhones],
      displayName: u.displayName,
      givenName: u.givenName,
      jobTitle: u.jobTitle,
      mail: u.mail,
      mobilePhone: u.mobilePhone,
      officeLocation: u.officeLocation,
      preferredLanguage: u.preferredLanguage,
      surname: u.surname,
      userPrincipalName: u.userPrincipalName,
      accountEnabled: u.accountEnabled,
      createdDateTime: u.createdDateTime,
      userType: u.userType,
      externalUserState: u.externalUserState,
      externalUserStateChangeDateTime: u.externalUserStateChangeDateTime,
    };
  }
}
