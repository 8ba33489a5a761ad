/**
 * The Graph v1.0 resources the fake serves, under `/v1.0`:
 *
 *   GET    /groups                                   list (GR-PAGE paging, $select, $filter)
 *   POST   /groups                                   create → 201 + group
 *   GET    /groups/{id}                              → 200 + group (GR-GET)
 *   PATCH  /groups/{id}                              → 204 (members@odata.bind: bulk add, ≤ 20)
 *   DELETE /groups/{id}                              → 204
 *   GET    /groups/{id}/members                      directoryObjects with @odata.type
 *   GET    /groups/{id}/members/microsoft.graph.user OData cast: only the users
 *   POST   /groups/{id}/members/$ref                 add member → 204 (GR-ADD)
 *   DELETE /groups/{id}/members/{memberId}/$ref      remove member → 204
 *   GET    /users                                    list (default properties unless $select)
 *   GET    /users/{id | userPrincipalName}           → 200 + user
 *
 * Statuses and bodies follow provider-apis.md §2; each [I] comment marks the fake's own inference.
 */

import { graphErrors, GraphHttpError } from './errors.js';
import { decodeSkipToken, DEFAULT_TOP, encodeSkipToken, listKey, nextLink, pageOf, parseQuery, project, type ODataQuery } from './odata.js';
import { GROUP_PROPERTIES, graphDate, isGuid, USER_DEFAULT_PROPERTIES, USER_PROPERTIES, type GraphState, type GroupRecord, type Json, type UserRecord } from './state.js';

export interface RouteContext {
  state: GraphState;
  origin: string;
  method: string;
  /** Path segments after `/v1.0`, percent-decoded. */
  segments: string[];
  /** The raw pathname, for next links. */
  pathname: string;
  query: URLSearchParams;
  /** The parsed JSON body (400 when missing or not JSON). */
  json(): unknown;
  now: () => number;
  trailingEmptyPage: boolean;
  /** Hosts accepted in `@odata.id` references: Graph's clouds and the fake's own host. */
  referenceHosts: string[];
}

export interface RouteReply {
  status: number;
  body?: Record<string, Json>;
  headers?: Record<string, string>;
}

export const GRAPH_FAKE_ROUTES = [
  'GET /v1.0/groups',
  'POST /v1.0/groups',
  'GET /v1.0/groups/{id}',
  'PATCH /v1.0/groups/{id}',
  'DELETE /v1.0/groups/{id}',
  'GET /v1.0/groups/{id}/members',
  'GET /v1.0/groups/{id}/members/microsoft.graph.user',
  'POST /v1.0/groups/{id}/members/$ref',
  'DELETE /v1.0/groups/{id}/members/{memberId}/$ref',
  'GET /v1.0/users',
  'GET /v1.0/users/{id}',
] as const;

// ------------------------------------------------------------------ helpers

const meta = (ctx: RouteContext, fragment: string) => `${ctx.origin}/v1.0/$metadata#${fragment}`;
const selected = (q: ODataQuery) => (q.select ? `(${q.select.join(',')})` : '');

function only(ctx: RouteContext, ...methods: string[]): void {
  if (!methods.includes(ctx.method)) throw graphErrors.methodNotAllowed();
}

/** Graph checks that a directory object id is a GUID before looking it up. [I] */
function groupOr404(ctx: RouteContext, id: string): GroupRecord {
  if (!isGuid(id)) throw graphErrors.invalidObjectId(id);
  const g = ctx.state.groups.get(id.toLowerCase());
  if (!g) throw graphErrors.notFound(id);
  return g;
}

function objectBody(ctx: RouteContext): Record<string, unknown> {
  const body = ctx.json();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw graphErrors.invalidJson();
  return body as Record<string, unknown>;
}

/**
 * The id inside an `@odata.id` / `@odata.bind` URL: `https://{graph host}/v1.0/directoryObjects/{id}`
 * (GR-ADD [V]); `/users/{id}` and `/groups/{id}` forms are accepted too. [I] Graph resolves the URL
 * against its own service root, so a host that is not a Graph host (or this fake) is refused.
 */
function referencedId(ctx: RouteContext, ref: unknown): string {
  if (typeof ref !== 'string' || ref === '') throw graphErrors.missingReference();
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    throw graphErrors.invalidObjectId(ref);
  }
  if (!ctx.referenceHosts.includes(url.host.toLowerCase())) throw graphErrors.invalidObjectId(ref);
  const m = /^\/(?:v1\.0|beta)\/(?:directoryObjects|users|groups)\/([^/]+)$/.exec(url.pathname);
  if (!m) throw graphErrors.invalidObjectId(ref);
  const id = decodeURIComponent(m[1]);
  if (!isGuid(id)) throw graphErrors.invalidObjectId(id);
  return id.toLowerCase();
}

function userJson(ctx: RouteContext, u: UserRecord, q: ODataQuery): Record<string, Json> {
  return project(ctx.state.userJson(u), q.select, USER_DEFAULT_PROPERTIES);
}

function groupJson(ctx: RouteContext, g: GroupRecord, q: ODataQuery): Record<string, Json> {
  return project(ctx.state.groupJson(g), q.select);
}

/** One page of a collection: `@odata.context`, `value`, and `@odata.nextLink` while more remain. */
function collection<T>(ctx: RouteContext, q: ODataQuery, items: T[], position: (t: T) => number, toJson: (t: T) => Record<string, Json>, context: string): RouteReply {
  const key = listKey(ctx.pathname, q);
  const after = q.skiptoken !== undefined ? decodeSkipToken(key, q.skiptoken) : undefined;
  const page = pageOf(items, position, after, q.top ?? DEFAULT_TOP, ctx.trailingEmptyPage);
  const body: Record<string, Json> = { '@odata.context': context, value: page.items.map(toJson) };
  if (page.next !== undefined) body['@odata.nextLink'] = nextLink(ctx.origin, ctx.pathname, q, encodeSkipToken(key, page.next));
  return { status: 200, body };
}

// ------------------------------------------------------------------ group writes

const GROUP_TYPES = ['Unified', 'DynamicMembership'];
const VISIBILITIES = ['Public', 'Private', 'HiddenMembership'];
/** [I] mailNickname: 1–64 ASCII characters, none of @ ( ) \ [ ] " ; : < > , and no space (group create docs). */
const MAIL_NICKNAME = /^[\x21-\x7e]{1,64}$/;
const NICKNAME_FORBIDDEN = /[@()\\[\]";:<>,]/;
/** Writable group properties the fake models; others are refused as unknown. */
const WRITABLE = new Set(['displayName', 'description', 'mailNickname', 'mailEnabled', 'securityEnabled', 'groupTypes', 'visibility', 'isAssignableToRole', 'classification', 'membershipRule', 'membershipRuleProcessingState']);

interface GroupChanges {
  displayName?: string;
  description?: string | null;
  mailNickname?: string;
  mailEnabled?: boolean;
  securityEnabled?: boolean;
  groupTypes?: string[];
  visibility?: string | null;
  isAssignableToRole?: boolean | null;
  classification?: string | null;
  membershipRule?: string | null;
  bind: string[];
}

function readGroupChanges(ctx: RouteContext, body: Record<string, unknown>): GroupChanges {
  const out: GroupChanges = { bind: [] };
  const bad = (p: string) => graphErrors.invalidProperty(p, 'Group');
  for (const [key, value] of Object.entries(body)) {
    if (key === 'members@odata.bind' || key === 'owners@odata.bind') {
      // GR-ADD [V]: bulk add "up to 20 members". Owners are accepted and ignored (not modelled).
      if (!Array.isArray(value)) throw bad(key);
      if (value.length > 20) throw graphErrors.invalidProperty('members', 'Group');
      if (key === 'members@odata.bind') out.bind = value.map((v) => referencedId(ctx, v));
      continue;
    }
    if (key.startsWith('@odata.')) continue;
    if (!WRITABLE.has(key)) throw graphErrors.unknownProperty(key);
    switch (key) {
      case 'displayName':
        if (typeof value !== 'string' || value.trim() === '' || value.length > 256) throw bad(key);
        out.displayName = value;
        break;
      case 'description':
        if (value !== null && typeof value !== 'string') throw bad(key);
        out.description = value === '' ? null : (value as string | null);
        break;
      case 'mailNickname':
        if (typeof value !== 'string' || !MAIL_NICKNAME.test(value) || NICKNAME_FORBIDDEN.test(value)) throw bad(key);
        out.mailNickname = value;
        break;
      case 'mailEnabled':
      case 'securityEnabled':
        if (typeof value !== 'boolean') throw bad(key);
        out[key] = value;
        break;
      case 'isAssignableToRole':
        if (typeof value !== 'boolean' && value !== null) throw bad(key);
        out.isAssignableToRole = value;
        break;
      case 'groupTypes':
        if (!Array.isArray(value) || value.some((t) => !GROUP_TYPES.includes(t as string))) throw bad(key);
        out.groupTypes = value as string[];
        break;
      case 'visibility':
        if (value !== null && !VISIBILITIES.includes(value as string)) throw bad(key);
        out.visibility = value as string | null;
        break;
      case 'classification':
      case 'membershipRule':
        if (value !== null && typeof value !== 'string') throw bad(key);
        out[key] = value as string | null;
        break;
      default:
        break; // membershipRuleProcessingState: accepted, not modelled
    }
  }
  return out;
}

function objectExists(ctx: RouteContext, id: string): 'user' | 'group' | undefined {
  if (ctx.state.users.has(id)) return 'user';
  if (ctx.state.groups.has(id)) return 'group';
  return undefined;
}

/** The checks of a membership add, in Graph's order (GR-ADD, GR-TYPES). */
function checkNewMember(ctx: RouteContext, g: GroupRecord, id: string): void {
  const kind = objectExists(ctx, id);
  if (!kind) throw graphErrors.notFound(id); // GR-ADD [V] 404 "when the object being added doesn't exist"
  if (kind === 'group' && g.groupTypes.includes('Unified')) throw graphErrors.unsupportedMemberType(); // GR-TYPES [V]
  if (g.members.includes(id)) throw graphErrors.alreadyMember(); // GR-ADD [V] 400
}

// ------------------------------------------------------------------ handlers

function listGroups(ctx: RouteContext): RouteReply {
  const q = parseQuery(ctx.query, GROUP_PROPERTIES, 'Group');
  let groups = ctx.state.listGroups();
  if (q.filter) groups = groups.filter((g) => q.filter!(ctx.state.groupJson(g)));
  return collection(ctx, q, groups, (g) => g.seq, (g) => groupJson(ctx, g, q), meta(ctx, `groups${selected(q)}`));
}

function createGroup(ctx: RouteContext): RouteReply {
  const body = objectBody(ctx);
  const c = readGroupChanges(ctx, body);
  // Group create docs: displayName, mailEnabled, mailNickname and securityEnabled are required. [I] message
  for (const p of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'] as const) {
    if (c[p] === undefined) throw graphErrors.invalidProperty(p, 'Group');
  }
  for (const id of c.bind) if (!objectExists(ctx, id)) throw graphErrors.notFound(id);
  const g = ctx.state.addGroup({
    displayName: c.displayName!,
    description: c.description ?? null,
    mailNickname: c.mailNickname!,
    mailEnabled: c.mailEnabled!,
    securityEnabled: c.securityEnabled!,
    groupTypes: c.groupTypes,
    visibility: c.visibility,
    isAssignableToRole: c.isAssignableToRole,
    classification: c.classification,
    membershipRule: c.membershipRule,
    createdDateTime: graphDate(ctx.now()),
    members: c.bind,
  });
  return { status: 201, body: { '@odata.context': meta(ctx, 'groups/$entity'), ...ctx.state.groupJson(g) } };
}

function groupItem(ctx: RouteContext, id: string): RouteReply {
  only(ctx, 'GET', 'PATCH', 'DELETE');
  const g = groupOr404(ctx, id);
  if (ctx.method === 'GET') {
    const q = parseQuery(ctx.query, GROUP_PROPERTIES, 'Group');
    return { status: 200, body: { '@odata.context': meta(ctx, `groups${selected(q)}/$entity`), ...groupJson(ctx, g, q) } };
  }
  if (ctx.method === 'DELETE') {
    ctx.state.deleteGroup(g.id);
    return { status: 204 };
  }
  const c = readGroupChanges(ctx, objectBody(ctx));
  // GR-ADD [V]: "If an error condition exists in the request body, no members are added" — check all first.
  for (const m of c.bind) checkNewMember(ctx, g, m);
  if (new Set(c.bind).size !== c.bind.length) throw graphErrors.alreadyMember();
  const { bind, ...fields } = c;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (g as unknown as Record<string, unknown>)[k] = v;
  g.members.push(...bind);
  return { status: 204 };
}

function listMembers(ctx: RouteContext, g: GroupRecord, usersOnly: boolean): RouteReply {
  only(ctx, 'GET');
  // Members in the objects' creation order, so a position in a skip token stays valid when members
  // are added or removed between pages.
  const members = g.members
    .map((id) => ctx.state.users.get(id) ?? ctx.state.groups.get(id))
    .filter((m): m is UserRecord | GroupRecord => m !== undefined)
    .filter((m) => !usersOnly || 'userPrincipalName' in m)
    .sort((a, b) => a.seq - b.seq);
  const isUser = (m: UserRecord | GroupRecord): m is UserRecord => 'userPrincipalName' in m;
  if (usersOnly) {
    const q = parseQuery(ctx.query, USER_PROPERTIES, 'User');
    const users = (members as UserRecord[]).filter((u) => !q.filter || q.filter(ctx.state.userJson(u)));
    return collection(ctx, q, users, (u) => u.seq, (u) => userJson(ctx, u, q), meta(ctx, `users${selected(q)}`));
  }
  // [I] Mixed directoryObjects carry @odata.type (standard OData; reference §2 marks it unverified).
  const q = parseQuery(ctx.query, [...new Set([...USER_PROPERTIES, ...GROUP_PROPERTIES])], 'User');
  const toJson = (m: UserRecord | GroupRecord): Record<string, Json> =>
    isUser(m)
      ? { '@odata.type': '#microsoft.graph.user', ...userJson(ctx, m, q) }
      : { '@odata.type': '#microsoft.graph.group', ...groupJson(ctx, m, q) };
  return collection(ctx, q, members, (m) => m.seq, toJson, meta(ctx, 'directoryObjects'));
}

function addMember(ctx: RouteContext, g: GroupRecord): RouteReply {
  only(ctx, 'POST');
  const body = objectBody(ctx);
  const id = referencedId(ctx, body['@odata.id']);
  checkNewMember(ctx, g, id);
  g.members.push(id);
  return { status: 204 }; // GR-ADD [V]: 204, no body
}

function removeMember(ctx: RouteContext, g: GroupRecord, memberId: string): RouteReply {
  only(ctx, 'DELETE');
  if (!isGuid(memberId)) throw graphErrors.invalidObjectId(memberId);
  const id = memberId.toLowerCase();
  // [I] A member that is not in the group gets the same 404 Request_ResourceNotFound as a missing group,
  // naming the group id (docs-contrib #4847 reports the group id on this DELETE; CIPP #2141 the same
  // message for "not a member"). Clients cannot tell the two apart from this answer alone.
  if (!g.members.includes(id)) throw graphErrors.notFound(g.id);
  g.members = g.members.filter((m) => m !== id);
  return { status: 204 };
}

function listUsers(ctx: RouteContext): RouteReply {
  const q = parseQuery(ctx.query, USER_PROPERTIES, 'User');
  let users = ctx.state.listUsers();
  if (q.filter) users = users.filter((u) => q.filter!(ctx.state.userJson(u)));
  return collection(ctx, q, users, (u) => u.seq, (u) => userJson(ctx, u, q), meta(ctx, `users${selected(q)}`));
}

function getUser(ctx: RouteContext, idOrUpn: string): RouteReply {
  only(ctx, 'GET');
  const q = parseQuery(ctx.query, USER_PROPERTIES, 'User');
  const u = ctx.state.findUser(idOrUpn);
  if (!u) throw graphErrors.notFound(idOrUpn);
  return { status: 200, body: { '@odata.context': meta(ctx, `users${selected(q)}/$entity`), ...userJson(ctx, u, q) } };
}

// ------------------------------------------------------------------ routing

export function route(ctx: RouteContext): RouteReply {
  const s = ctx.segments;
  const [root, id, nav, sub, ref, ...extra] = s;
  if (root === 'groups') {
    if (id === undefined) {
      only(ctx, 'GET', 'POST');
      return ctx.method === 'GET' ? listGroups(ctx) : createGroup(ctx);
    }
    if (nav === undefined) return groupItem(ctx, id);
    if (nav !== 'members') throw graphErrors.unknownSegment(nav);
    if (sub === undefined) {
      // A membership write needs `$ref`. [V] GR-ERR (docs-contrib #5532)
      if (ctx.method === 'POST') throw graphErrors.notContained();
      return listMembers(ctx, groupOr404(ctx, id), false);
    }
    if (sub === '$ref' && ref === undefined) {
      if (ctx.method !== 'POST') throw graphErrors.methodNotAllowed();
      return addMember(ctx, groupOr404(ctx, id));
    }
    if (sub === 'microsoft.graph.user' && ref === undefined) return listMembers(ctx, groupOr404(ctx, id), true);
    if (ref === undefined) {
      // DELETE /groups/{id}/members/{memberId} without $ref. [V] GR-ERR (docs-contrib #5532)
      if (ctx.method === 'DELETE' || ctx.method === 'PATCH' || ctx.method === 'PUT') throw graphErrors.notContained();
      throw graphErrors.methodNotAllowed();
    }
    if (ref === '$ref' && extra.length === 0) {
      only(ctx, 'DELETE');
      return removeMember(ctx, groupOr404(ctx, id), sub);
    }
    throw graphErrors.unknownSegment(extra[0] ?? ref);
  }
  if (root === 'users') {
    if (id === undefined) {
      only(ctx, 'GET');
      return listUsers(ctx);
    }
    if (nav === undefined) return getUser(ctx, id);
    throw graphErrors.unknownSegment(nav);
  }
  throw graphErrors.unknownSegment(root ?? '');
}

export { GraphHttpError };
