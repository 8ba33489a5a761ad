/**
 * The fake service provider's data: users, groups and memberships, and the JSON representations
 * RFC 7643 gives them (Group §4.2 / §8.4 example, User §4.1 / §8.2 example; [V] RFC7643 example text as
 * quoted in the scim2-client fixtures, provider-apis.md §5.1):
 *
 *   {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"e9e30dba-…","displayName":"Tour Guides",
 *    "members":[{"value":"2819c223-…","$ref":"https://example.com/v2/Users/2819c223-…","display":"Babs Jensen"}],
 *    "meta":{"resourceType":"Group","created":"2010-01-23T04:56:22Z","lastModified":"2011-05-13T04:42:34Z",
 *            "version":"W/\"3694e05e9dff592\"","location":"…"}}
 */

import { fnv1a } from '../shared/ids.js';
import { IdFactory } from './ids.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export type Json = Record<string, unknown>;

export interface Email {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface UserRecord {
  id: string;
  seq: number;
  userName: string;
  externalId?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  emails?: Email[];
  /** Absent when the provider never set it (then a client cannot tell active from inactive). */
  active?: boolean;
  created: string;
  lastModified: string;
  revision: number;
}

export type MemberType = 'User' | 'Group';

export interface MemberRef {
  value: string;
  type: MemberType;
}

export interface GroupRecord {
  id: string;
  seq: number;
  displayName: string;
  externalId?: string;
  /** In the order they were added. */
  members: MemberRef[];
  /** Extension attributes sent on create (keyed by schema URN), echoed back as stored. */
  extensions: Json;
  created: string;
  lastModified: string;
  revision: number;
}

export interface NewUser {
  userName: string;
  id?: string;
  externalId?: string;
  name?: UserRecord['name'];
  displayName?: string;
  emails?: Email[];
  active?: boolean;
  created?: string;
  lastModified?: string;
}

export interface NewGroup {
  displayName: string;
  id?: string;
  externalId?: string;
  members?: string[];
  extensions?: Json;
  created?: string;
  lastModified?: string;
}

/** RFC 7643 §3.3 DateTime, as in the RFC's examples: seconds precision, `Z`. */
export function scimDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class ScimState {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  private nextSeq = 1;

  constructor(
    private readonly clock: () => number,
    private readonly ids = new IdFactory(),
  ) {}

  nowIso(): string {
    return scimDate(this.clock());
  }

  addUser(input: NewUser): UserRecord {
    const id = input.id ?? this.ids.uuid();
    if (this.users.has(id) || this.groups.has(id)) throw new Error(`fake scim: duplicate id ${id}`);
    const created = input.created ?? this.nowIso();
    const user: UserRecord = {
      id,
      seq: this.nextSeq++,
      userName: input.userName,
      externalId: input.externalId,
      name: input.name ? { ...input.name } : undefined,
      displayName: input.displayName,
      emails: input.emails?.map((e) => ({ ...e })),
      active: input.active,
      created,
      lastModified: input.lastModified ?? created,
      revision: 1,
    };
    this.users.set(id, user);
    return user;
  }

  addGroup(input: NewGroup): GroupRecord {
    const id = input.id ?? this.ids.uuid();
    if (this.users.has(id) || this.groups.has(id)) throw new Error(`fake scim: duplicate id ${id}`);
    const created = input.created ?? this.nowIso();
    const group: GroupRecord = {
      id,
      seq: this.nextSeq++,
      displayName: input.displayName,
      externalId: input.externalId,
      members: [],
      extensions: structuredClone(input.extensions ?? {}),
      created,
      lastModified: input.lastModified ?? created,
      revision: 1,
    };
    for (const m of input.members ?? []) {
      const type = this.memberType(m);
      if (!type) throw new Error(`fake scim: unknown member ${m}`);
      group.members.push({ value: m, type });
    }
    this.groups.set(id, group);
    return group;
  }

  /** What a member id refers to, if anything. */
  memberType(id: string): MemberType | undefined {
    return this.users.has(id) ? 'User' : this.groups.has(id) ? 'Group' : undefined;
  }

  listUsers(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => a.seq - b.seq);
  }

  listGroups(): GroupRecord[] {
    return [...this.groups.values()].sort((a, b) => a.seq - b.seq);
  }

  isMember(groupId: string, id: string): boolean {
    return this.groups.get(groupId)?.members.some((m) => m.value === id) ?? false;
  }

  memberIds(groupId: string): string[] {
    return this.groups.get(groupId)?.members.map((m) => m.value) ?? [];
  }

  /** Marks a resource modified (a real change only: RFC 7644 §3.5.2.1 keeps lastModified on a no-op add). */
  touch(resource: UserRecord | GroupRecord): void {
    resource.lastModified = this.nowIso();
    resource.revision += 1;
  }

  removeGroup(id: string): boolean {
    if (!this.groups.delete(id)) return false;
    for (const g of this.groups.values()) this.dropMember(g, id);
    return true;
  }

  removeUser(id: string): boolean {
    if (!this.users.delete(id)) return false;
    for (const g of this.groups.values()) this.dropMember(g, id);
    return true;
  }

  private dropMember(g: GroupRecord, id: string): void {
    const before = g.members.length;
    g.members = g.members.filter((m) => m.value !== id);
    if (g.members.length !== before) this.touch(g);
  }

  version(resource: UserRecord | GroupRecord): string {
    return `W/"${fnv1a(`${resource.id}:${resource.revision}`)}"`;
  }

  /** `base` is the absolute URL of the SCIM endpoint, e.g. `http://127.0.0.1:5000/scim/v2`. */
  userJson(u: UserRecord, base: string): Json {
    const out: Json = { schemas: [USER_SCHEMA], id: u.id };
    if (u.externalId !== undefined) out.externalId = u.externalId;
    out.userName = u.userName;
    if (u.name) out.name = { ...u.name };
    if (u.displayName !== undefined) out.displayName = u.displayName;
    if (u.emails?.length) out.emails = u.emails.map((e) => ({ ...e }));
    if (u.active !== undefined) out.active = u.active;
    // RFC 7643 §4.1.2 `groups`: read-only, direct memberships only here.
    const groups = this.listGroups().filter((g) => g.members.some((m) => m.value === u.id));
    if (groups.length) out.groups = groups.map((g) => ({ value: g.id, $ref: `${base}/Groups/${g.id}`, display: g.displayName, type: 'direct' }));
    out.meta = { resourceType: 'User', created: u.created, lastModified: u.lastModified, location: `${base}/Users/${u.id}`, version: this.version(u) };
    return out;
  }

  groupJson(g: GroupRecord, base: string): Json {
    const out: Json = { schemas: [GROUP_SCHEMA, ...Object.keys(g.extensions)], id: g.id };
    if (g.externalId !== undefined) out.externalId = g.externalId;
    out.displayName = g.displayName;
    // An empty multi-valued attribute is unassigned, and unassigned attributes are left out (RFC 7643 §2.5).
    if (g.members.length) out.members = g.members.map((m) => this.memberJson(m, base));
    Object.assign(out, structuredClone(g.extensions));
    out.meta = { resourceType: 'Group', created: g.created, lastModified: g.lastModified, location: `${base}/Groups/${g.id}`, version: this.version(g) };
    return out;
  }

  memberJson(m: MemberRef, base: string): Json {
    const user = m.type === 'User' ? this.users.get(m.value) : undefined;
    const group = m.type === 'Group' ? this.groups.get(m.value) : undefined;
    const display = user ? (user.displayName ?? user.userName) : group?.displayName;
    return {
      value: m.value,
      $ref: `${base}/${m.type === 'User' ? 'Users' : 'Groups'}/${m.value}`,
      ...(display !== undefined ? { display } : {}),
      type: m.type,
    };
  }
}
