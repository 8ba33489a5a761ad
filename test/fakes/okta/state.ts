/**
 * The fake org's data: groups, users and memberships, plus the JSON views
 * Okta returns for them. Shapes follow the recordings in
 * shared/okta/recordings (2017 SDK test traffic) rather than the newer spec
 * examples where the two differ: e.g. users carry no `type`/`realmId`, so a
 * recorded response and a fake one have the same keys.
 */

import type { IdFactory } from './ids.js';

export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
export type UserStatus =
  | 'ACTIVE'
  | 'DEPROVISIONED'
  | 'LOCKED_OUT'
  | 'PASSWORD_EXPIRED'
  | 'PROVISIONED'
  | 'RECOVERY'
  | 'STAGED'
  | 'SUSPENDED';

/** Which logo set `_links.logo` points at; it follows where the group comes from. */
export type GroupLogo = 'okta' | 'active_directory' | 'google';

export interface GroupProfile {
  name: string;
  /** Okta returns `null`, not a missing key, for a group created without one. */
  description: string | null;
  [extra: string]: unknown;
}

export interface GroupRecord {
  id: string;
  /** Creation order; lists are in this order and cursors point into it. */
  seq: number;
  type: GroupType;
  objectClass: string[];
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  profile: GroupProfile;
  logo: GroupLogo;
  /** APP_GROUPs only: the app the group is imported from (`_links.source`). */
  sourceAppId?: string;
}

export interface UserProfile {
  login: string;
  [field: string]: unknown;
}

export interface UserCredentials {
  /** Okta never echoes a password: a set password shows as `{}`. */
  password?: Record<string, never>;
  recovery_question?: { question: string };
  provider: { type: string; name: string };
}

export interface UserRecord {
  id: string;
  seq: number;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  profile: UserProfile;
  credentials: UserCredentials;
}

export interface NewGroup {
  name: string;
  description?: string | null;
  type?: GroupType;
  /** Extra profile properties (AD attributes, `googleExternalId`, …). */
  profile?: Record<string, unknown>;
  id?: string;
  objectClass?: string[];
  logo?: GroupLogo;
  sourceAppId?: string;
  created?: string;
  lastUpdated?: string;
  lastMembershipUpdated?: string;
}

export interface NewUser {
  profile: UserProfile;
  status?: UserStatus;
  id?: string;
  created?: string;
  activated?: string | null;
  statusChanged?: string | null;
  lastLogin?: string | null;
  lastUpdated?: string;
  passwordChanged?: string | null;
  credentials?: Partial<UserCredentials>;
}

export type Json = Record<string, unknown>;

export class OktaState {
  readonly groups = new Map<string, GroupRecord>();
  readonly users = new Map<string, UserRecord>();
  /** The user `GET /api/v1/users/me` resolves to: the API token's owner. */
  meUserId: string | undefined;
  private readonly memberships = new Map<string, Set<string>>();
  private nextSeq = 1;

  constructor(
    private readonly clock: () => number,
    private readonly ids: IdFactory,
  ) {}

  /** `YYYY-MM-DDTHH:mm:ss.SSSZ`, Okta's date format, from the injected clock. */
  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  addGroup(input: NewGroup): GroupRecord {
    const now = this.nowIso();
    const type = input.type ?? 'OKTA_GROUP';
    const id = input.id ?? this.ids.groupId();
    if (this.groups.has(id)) throw new Error(`fake okta: duplicate group id ${id}`);
    const created = input.created ?? now;
    const group: GroupRecord = {
      id,
      seq: this.nextSeq++,
      type,
      objectClass: input.objectClass ?? ['okta:user_group'],
      created,
      lastUpdated: input.lastUpdated ?? created,
      lastMembershipUpdated: input.lastMembershipUpdated ?? created,
      profile: { name: input.name, description: input.description ?? null, ...input.profile },
      logo: input.logo ?? 'okta',
      sourceAppId: input.sourceAppId,
    };
    this.groups.set(id, group);
    this.memberships.set(id, new Set());
    return group;
  }

  addUser(input: NewUser): UserRecord {
    const now = this.nowIso();
    const id = input.id ?? this.ids.userId();
    if (this.users.has(id)) throw new Error(`fake okta: duplicate user id ${id}`);
    const status = input.status ?? 'ACTIVE';
    const created = input.created ?? now;
    const user: UserRecord = {
      id,
      seq: this.nextSeq++,
      status,
      created,
      activated: input.activated !== undefined ? input.activated : status === 'STAGED' ? null : created,
      statusChanged: input.statusChanged !== undefined ? input.statusChanged : status === 'STAGED' ? null : created,
      lastLogin: input.lastLogin ?? null,
      lastUpdated: input.lastUpdated ?? created,
      passwordChanged: input.passwordChanged !== undefined ? input.passwordChanged : null,
      profile: { ...input.profile },
      credentials: {
        ...(input.credentials?.password ? { password: {} } : {}),
        ...(input.credentials?.recovery_question ? { recovery_question: input.credentials.recovery_question } : {}),
        provider: input.credentials?.provider ?? { type: 'OKTA', name: 'OKTA' },
      },
    };
    this.users.set(id, user);
    // Everyone's membership is every user, so a new user is a membership change for it.
    const everyone = this.everyone();
    if (everyone && input.created === undefined) everyone.lastMembershipUpdated = now;
    return user;
  }

  getGroup(id: string): GroupRecord | undefined {
    return this.groups.get(id);
  }

  /** The BUILT_IN group every user belongs to implicitly. */
  everyone(): GroupRecord | undefined {
    for (const g of this.groups.values()) if (g.type === 'BUILT_IN') return g;
    return undefined;
  }

  /** Okta's `{id}`: "An ID, login, or login shortname (as long as the shortname is unambiguous)"; `me` is the caller. */
  findUser(idOrLogin: string): UserRecord | undefined {
    if (idOrLogin === 'me') return this.meUserId ? this.users.get(this.meUserId) : undefined;
    const byId = this.users.get(idOrLogin);
    if (byId) return byId;
    const wanted = idOrLogin.toLowerCase();
    const all = [...this.users.values()];
    const byLogin = all.find((u) => u.profile.login.toLowerCase() === wanted);
    if (byLogin) return byLogin;
    const byShort = all.filter((u) => u.profile.login.toLowerCase().split('@')[0] === wanted);
    return byShort.length === 1 ? byShort[0] : undefined;
  }

  listGroups(): GroupRecord[] {
    return [...this.groups.values()].sort((a, b) => a.seq - b.seq);
  }

  listUsers(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => a.seq - b.seq);
  }

  isMember(groupId: string, userId: string): boolean {
    const group = this.groups.get(groupId);
    if (!group || !this.users.has(userId)) return false;
    if (group.type === 'BUILT_IN') return true;
    return this.memberships.get(groupId)?.has(userId) ?? false;
  }

  /** Member users in creation order (a stable order to page through). */
  members(groupId: string): UserRecord[] {
    const group = this.groups.get(groupId);
    if (!group) return [];
    if (group.type === 'BUILT_IN') return this.listUsers();
    const ids = this.memberships.get(groupId) ?? new Set<string>();
    return this.listUsers().filter((u) => ids.has(u.id));
  }

  /** Returns whether membership changed; only a change moves `lastMembershipUpdated`. */
  addMember(groupId: string, userId: string): boolean {
    const set = this.memberships.get(groupId);
    if (!set || !this.users.has(userId) || set.has(userId)) return false;
    set.add(userId);
    this.groups.get(groupId)!.lastMembershipUpdated = this.nowIso();
    return true;
  }

  removeMember(groupId: string, userId: string): boolean {
    const set = this.memberships.get(groupId);
    if (!set || !set.delete(userId)) return false;
    this.groups.get(groupId)!.lastMembershipUpdated = this.nowIso();
    return true;
  }

  removeGroup(groupId: string): boolean {
    this.memberships.delete(groupId);
    return this.groups.delete(groupId);
  }

  removeUser(userId: string): boolean {
    if (!this.users.delete(userId)) return false;
    for (const [gid, set] of this.memberships) {
      if (set.delete(userId)) this.groups.get(gid)!.lastMembershipUpdated = this.nowIso();
    }
    const everyone = this.everyone();
    if (everyone) everyone.lastMembershipUpdated = this.nowIso();
    return true;
  }

  /** What filter/search expressions see: the group's attributes plus `source.id`. */
  groupFilterView(g: GroupRecord): Json {
    return {
      id: g.id,
      type: g.type,
      created: g.created,
      lastUpdated: g.lastUpdated,
      lastMembershipUpdated: g.lastMembershipUpdated,
      profile: g.profile,
      source: g.sourceAppId ? { id: g.sourceAppId } : undefined,
    };
  }

  groupJson(g: GroupRecord, origin: string, opts: { stats?: boolean } = {}): Json {
    const logoBase = `${origin}/img/logos/groups/${g.logo}`;
    const links: Json = {
      logo: [
        { name: 'medium', href: `${logoBase}-medium.png`, type: 'image/png' },
        { name: 'large', href: `${logoBase}-large.png`, type: 'image/png' },
      ],
    };
    if (g.sourceAppId) links.source = { href: `${origin}/api/v1/apps/${g.sourceAppId}` };
    links.users = { href: `${origin}/api/v1/groups/${g.id}/users` };
    links.apps = { href: `${origin}/api/v1/groups/${g.id}/apps` };
    const out: Json = {
      id: g.id,
      created: g.created,
      lastUpdated: g.lastUpdated,
      lastMembershipUpdated: g.lastMembershipUpdated,
      objectClass: [...g.objectClass],
      type: g.type,
      profile: { ...g.profile },
      _links: links,
    };
    if (opts.stats) {
      out._embedded = {
        stats: { usersCount: this.members(g.id).length, appsCount: 0, groupPushMappingsCount: 0, hasAdminPrivlege: false },
      };
    }
    return out;
  }

  /**
   * `list` is the collection form ("For a collection of users, the links
   * object contains only the `self` link"); `full` adds the lifecycle links
   * the user's status allows, in the recorded order for ACTIVE and STAGED.
   */
  userJson(u: UserRecord, origin: string, form: 'full' | 'list'): Json {
    const self = `${origin}/api/v1/users/${u.id}`;
    const post = (path: string) => ({ href: `${self}/${path}`, method: 'POST' });
    let links: Json;
    if (form === 'list') {
      links = { self: { href: self } };
    } else {
      switch (u.status) {
        case 'STAGED':
          links = { activate: post('lifecycle/activate'), self: { href: self } };
          break;
        case 'ACTIVE':
          links = {
            suspend: post('lifecycle/suspend'),
            resetPassword: post('lifecycle/reset_password'),
            expirePassword: post('lifecycle/expire_password'),
            self: { href: self },
            changeRecoveryQuestion: post('credentials/change_recovery_question'),
            deactivate: post('lifecycle/deactivate'),
            changePassword: post('credentials/change_password'),
          };
          break;
        case 'PROVISIONED':
          links = { reactivate: post('lifecycle/reactivate'), self: { href: self }, deactivate: post('lifecycle/deactivate') };
          break;
        case 'SUSPENDED':
          links = { unsuspend: post('lifecycle/unsuspend'), self: { href: self }, deactivate: post('lifecycle/deactivate') };
          break;
        case 'LOCKED_OUT':
          links = {
            unlock: post('lifecycle/unlock'),
            resetPassword: post('lifecycle/reset_password'),
            self: { href: self },
            deactivate: post('lifecycle/deactivate'),
          };
          break;
        case 'DEPROVISIONED':
          links = { activate: post('lifecycle/activate'), self: { href: self } };
          break;
        default:
          links = {
            resetPassword: post('lifecycle/reset_password'),
            self: { href: self },
            deactivate: post('lifecycle/deactivate'),
          };
      }
    }
    return {
      id: u.id,
      status: u.status,
      created: u.created,
      activated: u.activated,
      statusChanged: u.statusChanged,
      lastLogin: u.lastLogin,
      lastUpdated: u.lastUpdated,
      passwordChanged: u.passwordChanged,
      profile: { ...u.profile },
      credentials: structuredClone(u.credentials),
      _links: links,
    };
  }
}
