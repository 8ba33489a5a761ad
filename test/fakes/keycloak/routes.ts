/**
 * The Admin API operations the fake serves, under /admin/realms/{realm}. Routing follows Keycloak's
 * JAX-RS resource locators: `/groups/{id}/…` and `/users/{id}/…` first look the group or user up (404
 * when missing) and only then match the rest of the path and the method, so an unknown id is reported
 * as such even on a sub-resource.
 *
 * Citations: "[V] KCUR" = provider-apis.md §4 (UserResource.joinGroup and its history); "[V] §4" = the
 * same section's other verified lines; "[I]" = marked inferred there, or taken from Keycloak's source
 * (GroupsResource, GroupResource, UsersResource) or published measurements, not from the reference.
 */

import { keycloakErrors as E, KeycloakHttpError } from './errors.js';
import type { Access, GroupRecord, Json, RealmState, UserRecord } from './state.js';

/** realm-management client roles the fake understands ([I] a simplification of Keycloak's evaluator). */
export type Role = 'manage-users' | 'view-users' | 'query-users' | 'query-groups';

export interface RouteContext {
  realm: RealmState;
  method: string;
  /** Path segments after /admin/realms/{realm}, percent-decoded. */
  segments: string[];
  query: URLSearchParams;
  roles: ReadonlySet<Role>;
  /** The request's absolute URL without its query, path still percent-encoded (Location is built from it). */
  requestUrl: string;
  contentType: string | undefined;
  bodyText: string;
}

export interface RouteReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** @NoCache resources answer with `Cache-Control: no-cache`. */
  noCache?: boolean;
}

// ---------------------------------------------------------------- permissions

const canView = (r: ReadonlySet<Role>) => r.has('view-users') || r.has('manage-users');
const canManage = (r: ReadonlySet<Role>) => r.has('manage-users');
const accessOf = (r: ReadonlySet<Role>): Access => ({ view: canView(r), manage: canManage(r) });

function demand(allowed: boolean): void {
  if (!allowed) throw E.forbidden();
}

// ---------------------------------------------------------------- query parameters

/**
 * `first`/`max` are JAX-RS Integers: a value that does not convert is the generic 404 [I] (measured);
 * an empty value is treated as absent [I].
 */
function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^[+-]?\d{1,10}$/.test(raw)) throw E.notFound();
  const n = Number(raw);
  if (n > 2147483647 || n < -2147483648) throw E.notFound();
  return n;
}

/** JAX-RS boolean: only "true" (any case) is true; absent gives the default. */
function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  return raw === null ? fallback : raw.toLowerCase() === 'true';
}

/**
 * Offset paging as Keycloak's paginatedStream does it: skip `first` when positive, take `max` when not
 * negative. No total, no links (provider-apis.md §4 [V]: "offset-based, `first` is 0-based, plus `max`.
 * There is no next link and no total").
 */
function paginate<T>(items: readonly T[], first: number | undefined, max: number | undefined): T[] {
  let out = items.slice(first !== undefined && first > 0 ? first : 0);
  if (max !== undefined && max >= 0) out = out.slice(0, max);
  return out;
}

/** Keycloak's Constants.DEFAULT_MAX_RESULTS: /users and /groups/{id}/members return 100 when `max` is absent [I]. */
const DEFAULT_MAX_RESULTS = 100;

// ---------------------------------------------------------------- request bodies

const GROUP_FIELDS = new Set(['id', 'name', 'description', 'path', 'parentId', 'subGroupCount', 'subGroups', 'attributes', 'realmRoles', 'clientRoles', 'access']);

interface GroupInput {
  id?: string;
  name?: string;
  description?: string | null;
  attributes?: Record<string, string[]> | null;
}

/**
 * Reads a GroupRepresentation the way Jackson does in Keycloak: the body must be JSON of the right
 * types, and an unknown property fails the whole request (400 "Cannot parse the JSON") [I].
 */
function readGroup(ctx: RouteContext): GroupInput {
  const type = ctx.contentType?.split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw E.unsupportedMediaType();
  let json: unknown;
  try {
    json = JSON.parse(ctx.bodyText);
  } catch {
    throw E.unparseable();
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw E.unparseable();
  const rep = json as Json;
  for (const key of Object.keys(rep)) if (!GROUP_FIELDS.has(key)) throw E.unparseable();
  const optString = (v: unknown) => v === undefined || v === null || typeof v === 'string';
  if (!optString(rep.id) || !optString(rep.name) || !optString(rep.description)) throw E.unparseable();
  const attrs = rep.attributes;
  if (attrs !== undefined && attrs !== null) {
    if (typeof attrs !== 'object' || Array.isArray(attrs)) throw E.unparseable();
    for (const v of Object.values(attrs as Json)) {
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw E.unparseable();
    }
  }
  return {
    id: (rep.id as string | null) ?? undefined,
    name: (rep.name as string | null) ?? undefined,
    description: rep.description as string | null | undefined,
    attributes: attrs as Record<string, string[]> | null | undefined,
  };
}

const isBlank = (s: string | undefined) => s === undefined || s.trim() === '';

/** GroupResource.updateGroup(rep, model): name when given, attributes replaced when given, description always [I]. */
function applyGroup(group: GroupRecord, rep: GroupInput): void {
  if (rep.name !== undefined) group.name = rep.name;
  if (rep.attributes !== undefined && rep.attributes !== null) group.attributes = structuredClone(rep.attributes);
  group.description = rep.description ?? null;
}

// ---------------------------------------------------------------- groups

/**
 * The top-level groups above every group `matches` selects, in name order, each with `subGroups`
 * holding only the branches that lead to a match. Keycloak 26 pages these roots [I].
 */
function searchHierarchy(ctx: RouteContext, matches: (g: GroupRecord) => boolean, full: boolean): Json[] {
  const { realm } = ctx;
  const hit = new Set([...realm.groups.values()].filter(matches).map((g) => g.id));
  const leadsToHit = (g: GroupRecord): boolean => hit.has(g.id) || realm.subGroups(g.id).some(leadsToHit);
  const build = (g: GroupRecord): Json =>
    realm.groupJson(g, { full, access: accessOf(ctx.roles), subGroups: realm.subGroups(g.id).filter(leadsToHit).map(build) });
  const roots = realm.topLevelGroups().filter(leadsToHit);
  return paginate(roots, intParam(ctx.query, 'first'), intParam(ctx.query, 'max')).map(build);
}

/** `q=key:value key2:value2` → every attribute must hold the value [I]. */
function attributeQuery(q: string): (g: GroupRecord) => boolean {
  const pairs = q
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)] as const);
  return (g) => pairs.every(([k, v]) => (g.attributes[k] ?? []).includes(v));
}

/** GET /groups: top-level groups (or search results), brief unless briefRepresentation=false [I] §4. */
function listGroups(ctx: RouteContext): RouteReply {
  demand(canView(ctx.roles) || ctx.roles.has('query-groups'));
  const full = !boolParam(ctx.query, 'briefRepresentation', true);
  const search = ctx.query.get('search');
  const q = ctx.query.get('q');
  if (q !== null) return { status: 200, body: searchHierarchy(ctx, attributeQuery(q), full), noCache: true };
  if (search !== null) {
    const s = search.trim();
    const exact = boolParam(ctx.query, 'exact', false);
    const match = exact ? (g: GroupRecord) => g.name === s : (g: GroupRecord) => g.name.toLowerCase().includes(s.toLowerCase());
    return { status: 200, body: searchHierarchy(ctx, match, full), noCache: true };
  }
  const page = paginate(ctx.realm.topLevelGroups(), intParam(ctx.query, 'first'), intParam(ctx.query, 'max'));
  return { status: 200, body: page.map((g) => ctx.realm.groupJson(g, { full, access: accessOf(ctx.roles) })), noCache: true };
}

/**
 * POST /groups: creates a top-level group → 201, empty body, `Location: …/groups/{id}` (the brief's
 * facts; Keycloak builds it from the request's absolute path). With an `id`, moves that group to the
 * top level → 204 [I].
 */
function createGroup(ctx: RouteContext): RouteReply {
  const rep = readGroup(ctx);
  demand(canManage(ctx.roles));
  if (isBlank(rep.name)) throw E.groupNameMissing();
  const name = rep.name!;
  if (rep.id !== undefined) {
    const child = ctx.realm.getGroup(rep.id);
    if (!child) throw E.childNotFound();
    if (ctx.realm.siblings({ id: child.id, parentId: null }).some((g) => g.name === name)) throw E.topLevelExists(name);
    child.parentId = null;
    return { status: 204 };
  }
  if (ctx.realm.topLevelGroups().some((g) => g.name === name)) throw E.topLevelExists(name);
  const group = ctx.realm.addGroup({ name });
  applyGroup(group, rep);
  return { status: 201, headers: { Location: `${ctx.requestUrl}/${group.id}` } };
}

function groupRoutes(ctx: RouteContext): RouteReply {
  const { segments: s, method, realm } = ctx;
  if (s.length === 1) {
    if (method === 'GET') return listGroups(ctx);
    if (method === 'POST') return createGroup(ctx);
    throw E.notFound();
  }
  if (s.length === 2 && s[1] === 'count' && method === 'GET') {
    demand(canView(ctx.roles) || ctx.roles.has('query-groups'));
    const top = boolParam(ctx.query, 'top', false);
    return { status: 200, body: { count: top ? realm.topLevelGroups().length : realm.groups.size }, noCache: true };
  }
  const group = realm.getGroup(s[1]);
  if (!group) throw E.groupByIdNotFound();
  if (s.length === 2) {
    if (method === 'GET') {
      demand(canView(ctx.roles));
      return { status: 200, body: realm.groupJson(group, { full: true, access: accessOf(ctx.roles) }), noCache: true };
    }
    if (method === 'PUT') {
      const rep = readGroup(ctx);
      demand(canManage(ctx.roles));
      if (isBlank(rep.name)) throw E.groupNameMissing();
      if (rep.id !== undefined && rep.id !== group.id) throw E.invalidGroupId();
      if (rep.name !== group.name && realm.siblings(group).some((g) => g.name === rep.name)) throw E.siblingExists(rep.name!);
      applyGroup(group, rep);
      return { status: 204 };
    }
    if (method === 'DELETE') {
      demand(canManage(ctx.roles));
      realm.removeGroup(group.id);
      return { status: 204 };
    }
    throw E.notFound();
  }
  if (s.length === 3 && s[2] === 'members' && method === 'GET') {
    demand(canView(ctx.roles));
    const brief = boolParam(ctx.query, 'briefRepresentation', false);
    const page = paginate(realm.membersOf(group.id), intParam(ctx.query, 'first'), intParam(ctx.query, 'max') ?? DEFAULT_MAX_RESULTS);
    return { status: 200, body: page.map((u) => realm.userJson(u, { brief, access: accessOf(ctx.roles) })), noCache: true };
  }
  throw E.notFound();
}

// ---------------------------------------------------------------- users

function contains(value: string | undefined, needle: string): boolean {
  return value !== undefined && value.toLowerCase().includes(needle.toLowerCase());
}

/**
 * GET /users filters, simplified [I]: `search` matches username, email, first or last name (a
 * substring, case-insensitive; `*` is a wildcard and `"…"` an exact value); `username`, `email`,
 * `firstName`, `lastName` match their field (exactly with `exact=true`); `enabled` selects by state.
 */
function userFilter(query: URLSearchParams): (u: UserRecord) => boolean {
  const tests: Array<(u: UserRecord) => boolean> = [];
  const search = query.get('search');
  if (search !== null && search.trim() !== '' && search.trim() !== '*') {
    const s = search.trim();
    if (s.length > 1 && s.startsWith('"') && s.endsWith('"')) {
      const v = s.slice(1, -1).toLowerCase();
      tests.push((u) => [u.username, u.email, u.firstName?.toLowerCase(), u.lastName?.toLowerCase()].includes(v));
    } else {
      const v = s.replace(/^\*+|\*+$/g, '');
      tests.push((u) => contains(u.username, v) || contains(u.email, v) || contains(u.firstName, v) || contains(u.lastName, v));
    }
  }
  const exact = boolParam(query, 'exact', false);
  for (const field of ['username', 'email', 'firstName', 'lastName'] as const) {
    const v = query.get(field);
    if (v === null) continue;
    tests.push((u) => (exact ? u[field]?.toLowerCase() === v.toLowerCase() : contains(u[field], v)));
  }
  const enabled = query.get('enabled');
  if (enabled !== null) tests.push((u) => u.enabled === (enabled.toLowerCase() === 'true'));
  return (u) => tests.every((t) => t(u));
}

function userRoutes(ctx: RouteContext): RouteReply {
  const { segments: s, method, realm } = ctx;
  const canQuery = canView(ctx.roles) || ctx.roles.has('query-users');
  if (s.length === 1) {
    if (method !== 'GET') throw E.notFound();
    demand(canQuery);
    const brief = boolParam(ctx.query, 'briefRepresentation', false);
    const users = realm.listUsers().filter(userFilter(ctx.query));
    const page = paginate(users, intParam(ctx.query, 'first'), intParam(ctx.query, 'max') ?? DEFAULT_MAX_RESULTS);
    return { status: 200, body: page.map((u) => realm.userJson(u, { brief, access: accessOf(ctx.roles) })), noCache: true };
  }
  if (s.length === 2 && s[1] === 'count' && method === 'GET') {
    demand(canQuery);
    return { status: 200, body: realm.listUsers().filter(userFilter(ctx.query)).length, noCache: true };
  }
  // UsersResource.user(id): a caller who may query users learns that the id is unknown; anyone else gets 403 [I].
  const user = realm.users.get(s[1]);
  if (!user) throw canQuery ? E.userNotFound() : E.forbidden();
  if (s.length === 2 && method === 'GET') {
    demand(canView(ctx.roles));
    return { status: 200, body: realm.userJson(user, { access: accessOf(ctx.roles) }), noCache: true };
  }
  if (s.length === 3 && s[2] === 'groups' && method === 'GET') {
    // GET /users/{id}/groups?search&first&max&briefRepresentation=true [V] §4 (admin-client UserResource).
    demand(canView(ctx.roles));
    const brief = boolParam(ctx.query, 'briefRepresentation', true);
    const search = ctx.query.get('search');
    const groups = realm.groupsOf(user.id).filter((g) => search === null || contains(g.name, search.trim()));
    const page = paginate(groups, intParam(ctx.query, 'first'), intParam(ctx.query, 'max'));
    return { status: 200, body: page.map((g) => realm.groupJson(g, { full: !brief, access: accessOf(ctx.roles) })), noCache: true };
  }
  if (s.length === 4 && s[2] === 'groups' && (method === 'PUT' || method === 'DELETE')) {
    // [V] KCUR: requireManageGroupMembership(user) first, then the group lookup:
    // `if (group == null) throw new NotFoundException("Group not found")`.
    demand(canManage(ctx.roles));
    const group = realm.getGroup(s[3]);
    if (!group) throw E.groupNotFound();
    if (method === 'PUT') {
      // [V] KCUR: `if (!RoleUtils.isDirectMember(user.getGroupsStream(), group)) user.joinGroup(group)`:
      // a repeat add is a silent 204.
      realm.join(group.id, user.id);
    } else {
      // [V] KCUR (older revision): `if (user.isMemberOf(group)) user.leaveGroup(group)`: removing a
      // non-member is a 204 no-op. (isMemberOf also counts membership through a subgroup; the fake
      // only tracks direct memberships, and leaving a group one is not a direct member of changes nothing.)
      realm.leave(group.id, user.id);
    }
    return { status: 204 };
  }
  throw E.notFound();
}

// ---------------------------------------------------------------- dispatch

export function route(ctx: RouteContext): RouteReply {
  switch (ctx.segments[0]) {
    case 'groups':
      return groupRoutes(ctx);
    case 'users':
      return userRoutes(ctx);
    default:
      throw E.notFound();
  }
}

export { KeycloakHttpError };
