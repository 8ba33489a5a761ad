/**
 * The fake Google Workspace customer: groups, users and memberships, plus the JSON views the
 * Directory API returns for them. Field lists follow the discovery document's schemas
 * ([V] GDISC: Group, Member, User); the order of keys and the example-style values are [I].
 */

import type { IdFactory } from './ids.js';

export type MemberType = 'USER' | 'GROUP' | 'CUSTOMER';
export type MemberRole = 'OWNER' | 'MANAGER' | 'MEMBER';
export const MEMBER_ROLES: readonly MemberRole[] = ['OWNER', 'MANAGER', 'MEMBER'];

export interface GroupRecord {
  id: string;
  /** Creation order: the order of groups.list. */
  seq: number;
  email: string;
  name: string;
  description: string;
  adminCreated: boolean;
  aliases: string[];
  nonEditableAliases: string[];
  etag: string;
}

export interface UserRecord {
  id: string;
  seq: number;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  isAdmin: boolean;
  suspended: boolean;
  suspensionReason?: string;
  archived: boolean;
  agreedToTerms: boolean;
  creationTime: string;
  /** `1970-01-01T00:00:00.000Z` for a user who never signed in, as Google reports it [I]. */
  lastLoginTime: string;
  aliases: string[];
  orgUnitPath: string;
  etag: string;
}

export interface MemberRecord {
  /** The user's or group's id, or the customer id for a CUSTOMER member. */
  id: string;
  type: MemberType;
  role: MemberRole;
  delivery_settings: string;
  etag: string;
}

export interface NewGroup {
  email: string;
  name?: string;
  description?: string;
  id?: string;
  aliases?: string[];
  adminCreated?: boolean;
}

export interface NewUser {
  primaryEmail: string;
  givenName: string;
  familyName: string;
  id?: string;
  isAdmin?: boolean;
  suspended?: boolean;
  suspensionReason?: string;
  archived?: boolean;
  agreedToTerms?: boolean;
  creationTime?: string;
  lastLoginTime?: string;
  aliases?: string[];
  orgUnitPath?: string;
}

export type Json = Record<string, unknown>;

export const NEVER_SIGNED_IN = '1970-01-01T00:00:00.000Z';

export class GoogleState {
  readonly groups = new Map<string, GroupRecord>();
  readonly users = new Map<string, UserRecord>();
  /** groupId → members in insertion order (the order of members.list [I]). */
  private readonly memberships = new Map<string, MemberRecord[]>();
  private nextSeq = 1;

  constructor(
    private readonly clock: () => number,
    private readonly ids: IdFactory,
    /** The customer's id (what `my_customer` stands for) and its domains, the first being the primary one. */
    readonly customerId: string,
    readonly domains: string[],
  ) {}

  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  get primaryDomain(): string {
    return this.domains[0];
  }

  ownsEmail(email: string): boolean {
    const domain = email.toLowerCase().split('@')[1];
    return domain !== undefined && this.domains.includes(domain);
  }

  /** Whether an address is taken by a group, a user or an alias of either. */
  emailTaken(email: string): boolean {
    return this.findGroup(email) !== undefined || this.findUser(email) !== undefined;
  }

  // ------------------------------------------------------------- groups

  addGroup(input: NewGroup): GroupRecord {
    const id = input.id ?? this.ids.groupId();
    if (this.groups.has(id)) throw new Error(`fake google: duplicate group id ${id}`);
    const email = input.email.toLowerCase();
    const local = email.split('@')[0];
    const group: GroupRecord = {
      id,
      seq: this.nextSeq++,
      email,
      // [I] Google names a group after its address when no name is given.
      name: input.name ?? local,
      description: input.description ?? '',
      adminCreated: input.adminCreated ?? true,
      aliases: input.aliases ?? [],
      // [I] Google adds the customer's test domain alias to groups of the primary domain.
      nonEditableAliases: email.endsWith(`@${this.primaryDomain}`) ? [`${local}@${this.primaryDomain}.test-google-a.com`] : [],
      etag: this.ids.etag(),
    };
    this.groups.set(id, group);
    this.memberships.set(id, []);
    return group;
  }

  /** groupKey: "the group's email address, group alias, or the unique group ID" ([V] GDISC). */
  findGroup(key: string): GroupRecord | undefined {
    const byId = this.groups.get(key);
    if (byId) return byId;
    const wanted = key.toLowerCase();
    for (const g of this.groups.values()) {
      if (g.email === wanted || g.aliases.includes(wanted) || g.nonEditableAliases.includes(wanted)) return g;
    }
    return undefined;
  }

  listGroups(): GroupRecord[] {
    return [...this.groups.values()].sort((a, b) => a.seq - b.seq);
  }

  updateGroup(group: GroupRecord, changes: { name?: string; description?: string; email?: string }): void {
    if (changes.name !== undefined) group.name = changes.name;
    if (changes.description !== undefined) group.description = changes.description;
    if (changes.email !== undefined && changes.email.toLowerCase() !== group.email) {
      // [I] Renaming keeps the old address as an alias, as the Admin console does.
      group.aliases.push(group.email);
      group.email = changes.email.toLowerCase();
    }
    group.etag = this.ids.etag();
  }

  deleteGroup(group: GroupRecord): void {
    this.groups.delete(group.id);
    this.memberships.delete(group.id);
    // A deleted group is no longer a member anywhere.
    for (const [gid, members] of this.memberships) {
      const i = members.findIndex((m) => m.id === group.id);
      if (i >= 0) {
        members.splice(i, 1);
        this.groups.get(gid)!.etag = this.ids.etag();
      }
    }
  }

  // ------------------------------------------------------------- users

  addUser(input: NewUser): UserRecord {
    const id = input.id ?? this.ids.userId();
    if (this.users.has(id)) throw new Error(`fake google: duplicate user id ${id}`);
    const user: UserRecord = {
      id,
      seq: this.nextSeq++,
      primaryEmail: input.primaryEmail.toLowerCase(),
      givenName: input.givenName,
      familyName: input.familyName,
      isAdmin: input.isAdmin ?? false,
      suspended: input.suspended ?? false,
      suspensionReason: input.suspended ? (input.suspensionReason ?? 'ADMIN') : undefined,
      archived: input.archived ?? false,
      agreedToTerms: input.agreedToTerms ?? true,
      creationTime: input.creationTime ?? this.nowIso(),
      lastLoginTime: input.lastLoginTime ?? NEVER_SIGNED_IN,
      aliases: (input.aliases ?? []).map((a) => a.toLowerCase()),
      orgUnitPath: input.orgUnitPath ?? '/',
      etag: this.ids.etag(),
    };
    this.users.set(id, user);
    return user;
  }

  /** userKey: "the user's primary email address, alias email address, or unique user ID" ([V] GDISC). */
  findUser(key: string): UserRecord | undefined {
    const byId = this.users.get(key);
    if (byId) return byId;
    const wanted = key.toLowerCase();
    for (const u of this.users.values()) if (u.primaryEmail === wanted || u.aliases.includes(wanted)) return u;
    return undefined;
  }

  listUsers(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => a.seq - b.seq);
  }

  // ------------------------------------------------------------- members

  members(groupId: string): MemberRecord[] {
    return [...(this.memberships.get(groupId) ?? [])];
  }

  /** memberKey: "the member's primary email address, alias, or unique ID" ([V] GDISC). */
  findMember(groupId: string, key: string): MemberRecord | undefined {
    const id = this.resolve(key)?.id;
    return id === undefined ? undefined : this.memberships.get(groupId)?.find((m) => m.id === id);
  }

  /** A user, group or the customer named by an id or address. */
  resolve(key: string): { id: string; type: MemberType } | undefined {
    const user = this.findUser(key);
    if (user) return { id: user.id, type: 'USER' };
    const group = this.findGroup(key);
    if (group) return { id: group.id, type: 'GROUP' };
    if (key === this.customerId) return { id: key, type: 'CUSTOMER' };
    return undefined;
  }

  isMember(groupId: string, userKey: string): boolean {
    return this.findMember(groupId, userKey) !== undefined;
  }

  /** Returns the new member, or undefined when it already is one. */
  addMember(groupId: string, who: { id: string; type: MemberType }, role: MemberRole = 'MEMBER', delivery = 'ALL_MAIL'): MemberRecord | undefined {
    const list = this.memberships.get(groupId);
    if (!list) throw new Error(`fake google: no group ${groupId}`);
    if (list.some((m) => m.id === who.id)) return undefined;
    const member: MemberRecord = { id: who.id, type: who.type, role, delivery_settings: delivery, etag: this.ids.etag() };
    list.push(member);
    this.groups.get(groupId)!.etag = this.ids.etag();
    return member;
  }

  removeMember(groupId: string, memberId: string): boolean {
    const list = this.memberships.get(groupId);
    const i = list?.findIndex((m) => m.id === memberId) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    this.groups.get(groupId)!.etag = this.ids.etag();
    return true;
  }

  // ------------------------------------------------------------- JSON views

  /** [V] GDISC Group: kind, id, etag, email, name, directMembersCount (a string), description, adminCreated, aliases, nonEditableAliases. */
  groupJson(g: GroupRecord): Json {
    const out: Json = {
      kind: 'admin#directory#group',
      id: g.id,
      etag: g.etag,
      email: g.email,
      name: g.name,
      directMembersCount: String(this.memberships.get(g.id)?.length ?? 0),
      description: g.description,
      adminCreated: g.adminCreated,
    };
    if (g.aliases.length) out.aliases = [...g.aliases];
    if (g.nonEditableAliases.length) out.nonEditableAliases = [...g.nonEditableAliases];
    return out;
  }

  /**
   * [V] GDISC Member: kind, etag, id, email, role, type, status; `delivery_settings` only on insert,
   * update and get. A CUSTOMER member has no email and the customer id as id ([V] reference docs).
   * Member status ACTIVE / SUSPENDED follows the user [I]; group and customer members carry none [I].
   */
  memberJson(m: MemberRecord, options: { delivery?: boolean } = {}): Json {
    const out: Json = { kind: 'admin#directory#member', etag: m.etag, id: m.id };
    if (m.type === 'USER') {
      const u = this.users.get(m.id);
      if (u) out.email = u.primaryEmail;
    } else if (m.type === 'GROUP') {
      const g = this.groups.get(m.id);
      if (g) out.email = g.email;
    }
    out.role = m.role;
    out.type = m.type;
    if (m.type === 'USER') out.status = this.users.get(m.id)?.suspended ? 'SUSPENDED' : 'ACTIVE';
    if (options.delivery) out.delivery_settings = m.delivery_settings;
    return out;
  }

  /** The BASIC projection of a User ([V] GDISC field names; the selection and order are [I]). */
  userJson(u: UserRecord): Json {
    const local = u.primaryEmail.split('@')[0];
    const out: Json = {
      kind: 'admin#directory#user',
      id: u.id,
      etag: u.etag,
      primaryEmail: u.primaryEmail,
      name: { givenName: u.givenName, familyName: u.familyName, fullName: `${u.givenName} ${u.familyName}` },
      isAdmin: u.isAdmin,
      isDelegatedAdmin: false,
      lastLoginTime: u.lastLoginTime,
      creationTime: u.creationTime,
      agreedToTerms: u.agreedToTerms,
      suspended: u.suspended,
    };
    if (u.suspended && u.suspensionReason) out.suspensionReason = u.suspensionReason;
    Object.assign(out, {
      archived: u.archived,
      changePasswordAtNextLogin: false,
      ipWhitelisted: false,
      emails: [{ address: u.primaryEmail, primary: true }, ...u.aliases.map((a) => ({ address: a }))],
    });
    if (u.aliases.length) out.aliases = [...u.aliases];
    Object.assign(out, {
      nonEditableAliases: [`${local}@${this.primaryDomain}.test-google-a.com`],
      customerId: this.customerId,
      orgUnitPath: u.orgUnitPath,
      isMailboxSetup: true,
      isEnrolledIn2Sv: false,
      isEnforcedIn2Sv: false,
      includeInGlobalAddressList: true,
    });
    return out;
  }
}
