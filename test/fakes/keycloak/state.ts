/**
 * The fake server's data: realms, each with its group tree, users and direct memberships, and the JSON
 * representations the Admin API returns for them.
 *
 * Shapes follow Keycloak's representation classes: GroupRepresentation (id, name, description, path,
 * parentId, subGroupCount, subGroups, attributes, realmRoles, clientRoles, access; provider-apis.md §4
 * lists the fields [I], `description` is Keycloak 26's) and UserRepresentation (field order as in a
 * recorded `GET /admin/realms/{realm}/users` answer). Keycloak serializes with NON_NULL inclusion, so
 * a null description, a top-level group's parentId or a user's missing email are absent keys, not nulls.
 */

export type Json = Record<string, unknown>;

export interface GroupRecord {
  id: string;
  name: string;
  description: string | null;
  parentId: string | null;
  attributes: Record<string, string[]>;
  realmRoles: string[];
  clientRoles: Record<string, string[]>;
}

export interface UserRecord {
  id: string;
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  emailVerified: boolean;
  enabled: boolean;
  /** Epoch milliseconds, as Keycloak stores and returns it. */
  createdTimestamp: number;
  attributes: Record<string, string[]>;
  requiredActions: string[];
  totp: boolean;
}

export interface NewGroup {
  name: string;
  description?: string | null;
  parentId?: string | null;
  attributes?: Record<string, string[]>;
  id?: string;
}

export interface NewUser {
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  emailVerified?: boolean;
  enabled?: boolean;
  createdTimestamp?: number;
  attributes?: Record<string, string[]>;
  requiredActions?: string[];
  id?: string;
}

/** What the caller's token may do; it decides the `access` maps, as Keycloak's permission evaluator does. */
export interface Access {
  view: boolean;
  manage: boolean;
}

/** Keycloak compares names with the JVM's String ordering; plain code-unit order matches it. */
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byUsername = (a: UserRecord, b: UserRecord) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);

export class RealmState {
  readonly groups = new Map<string, GroupRecord>();
  readonly users = new Map<string, UserRecord>();
  /** group id → ids of its direct members. */
  private readonly members = new Map<string, Set<string>>();

  constructor(
    readonly name: string,
    private readonly ids: () => string,
    private readonly clock: () => number,
  ) {}

  // ------------------------------------------------------------ groups

  addGroup(g: NewGroup): GroupRecord {
    const parentId = g.parentId ?? null;
    if (parentId !== null && !this.groups.has(parentId)) throw new Error(`fake keycloak: no parent group ${parentId}`);
    const record: GroupRecord = {
      id: g.id ?? this.ids(),
      name: g.name,
      description: g.description ?? null,
      parentId,
      attributes: structuredClone(g.attributes ?? {}),
      realmRoles: [],
      clientRoles: {},
    };
    this.groups.set(record.id, record);
    this.members.set(record.id, new Set());
    return record;
  }

  getGroup(id: string): GroupRecord | undefined {
    return this.groups.get(id);
  }

  /** Top-level groups in name order. */
  topLevelGroups(): GroupRecord[] {
    return [...this.groups.values()].filter((g) => g.parentId === null).sort(byName);
  }

  subGroups(id: string): GroupRecord[] {
    return [...this.groups.values()].filter((g) => g.parentId === id).sort(byName);
  }

  /** Same-level groups (top-level ones, or the parent's children), the group itself excluded. */
  siblings(group: { id?: string; parentId: string | null }): GroupRecord[] {
    return [...this.groups.values()].filter((g) => g.parentId === group.parentId && g.id !== group.id);
  }

  /** `/Engineering/Backend`: the names from the top-level group down. */
  path(group: GroupRecord): string {
    const names: string[] = [];
    for (let g: GroupRecord | undefined = group; g; g = g.parentId ? this.groups.get(g.parentId) : undefined) names.unshift(g.name);
    return `/${names.join('/')}`;
  }

  /** The top-level group above `group` (itself when it is top-level). */
  root(group: GroupRecord): GroupRecord {
    let g = group;
    while (g.parentId) g = this.groups.get(g.parentId)!;
    return g;
  }

  /** Deletes the group, its subgroups, and every membership of them. */
  removeGroup(id: string): void {
    for (const child of this.subGroups(id)) this.removeGroup(child.id);
    this.groups.delete(id);
    this.members.delete(id);
  }

  // ------------------------------------------------------------ users and memberships

  addUser(u: NewUser): UserRecord {
    const record: UserRecord = {
      id: u.id ?? this.ids(),
      // Keycloak lower-cases usernames.
      username: u.username.toLowerCase(),
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email?.toLowerCase(),
      emailVerified: u.emailVerified ?? false,
      enabled: u.enabled ?? true,
      createdTimestamp: u.createdTimestamp ?? this.clock(),
      attributes: structuredClone(u.attributes ?? {}),
      requiredActions: [...(u.requiredActions ?? [])],
      totp: false,
    };
    this.users.set(record.id, record);
    return record;
  }

  /** Users in username order, as Keycloak lists them. */
  listUsers(): UserRecord[] {
    return [...this.users.values()].sort(byUsername);
  }

  isMember(groupId: string, userId: string): boolean {
    return this.members.get(groupId)?.has(userId) ?? false;
  }

  /** Returns true when the membership was new. */
  join(groupId: string, userId: string): boolean {
    const set = this.members.get(groupId)!;
    if (set.has(userId)) return false;
    set.add(userId);
    return true;
  }

  /** Returns true when the user was a member. */
  leave(groupId: string, userId: string): boolean {
    return this.members.get(groupId)?.delete(userId) ?? false;
  }

  /** Direct members in username order. */
  membersOf(groupId: string): UserRecord[] {
    return [...(this.members.get(groupId) ?? [])].map((id) => this.users.get(id)!).filter(Boolean).sort(byUsername);
  }

  /** The groups the user is a direct member of, in path order. */
  groupsOf(userId: string): GroupRecord[] {
    return [...this.members.entries()]
      .filter(([, set]) => set.has(userId))
      .map(([gid]) => this.groups.get(gid)!)
      .sort((a, b) => (this.path(a) < this.path(b) ? -1 : 1));
  }

  // ------------------------------------------------------------ representations

  /**
   * A GroupRepresentation. `full` adds attributes and roles (briefRepresentation=false, and always on
   * GET /groups/{id}); `subGroups` is the list to show (empty unless a search populated it).
   */
  groupJson(g: GroupRecord, opts: { full: boolean; access: Access; subGroups?: Json[] }): Json {
    const out: Json = { id: g.id, name: g.name };
    if (g.description !== null) out.description = g.description;
    out.path = this.path(g);
    if (g.parentId !== null) out.parentId = g.parentId;
    out.subGroupCount = this.subGroups(g.id).length;
    out.subGroups = opts.subGroups ?? [];
    if (opts.full) {
      out.attributes = structuredClone(g.attributes);
      out.realmRoles = [...g.realmRoles];
      out.clientRoles = structuredClone(g.clientRoles);
    }
    out.access = {
      view: opts.access.view,
      viewMembers: opts.access.view,
      manageMembers: opts.access.manage,
      manage: opts.access.manage,
      manageMembership: opts.access.manage,
    };
    return out;
  }

  /**
   * A UserRepresentation: the full form (GET /users, /users/{id}, /groups/{id}/members) or the brief
   * one (`briefRepresentation=true`: id, username, created, names, email, enabled, emailVerified).
   */
  userJson(u: UserRecord, opts: { brief?: boolean; access: Access }): Json {
    const out: Json = { id: u.id, createdTimestamp: u.createdTimestamp, username: u.username, enabled: u.enabled };
    if (!opts.brief) out.totp = u.totp;
    out.emailVerified = u.emailVerified;
    if (u.firstName !== undefined) out.firstName = u.firstName;
    if (u.lastName !== undefined) out.lastName = u.lastName;
    if (u.email !== undefined) out.email = u.email;
    if (opts.brief) return out;
    if (Object.keys(u.attributes).length > 0) out.attributes = structuredClone(u.attributes);
    out.disableableCredentialTypes = [];
    out.requiredActions = [...u.requiredActions];
    out.notBefore = 0;
    out.access = {
      manageGroupMembership: opts.access.manage,
      view: opts.access.view,
      mapRoles: opts.access.manage,
      impersonate: opts.access.manage,
      manage: opts.access.manage,
    };
    return out;
  }
}

export class KeycloakState {
  readonly realms = new Map<string, RealmState>();

  constructor(
    private readonly ids: () => string,
    private readonly clock: () => number,
  ) {}

  /** Adds (or returns) a realm by name. Names may hold any character, `/` included. */
  addRealm(name: string): RealmState {
    let realm = this.realms.get(name);
    if (!realm) this.realms.set(name, (realm = new RealmState(name, this.ids, this.clock)));
    return realm;
  }

  realm(name: string): RealmState | undefined {
    return this.realms.get(name);
  }
}
