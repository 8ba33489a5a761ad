/**
 * The Directory API methods the fake serves, keyed by their discovery ids and OAuth scopes
 * ([V] GDISC `resources.groups/members/users.methods`), and their handlers. Statuses and bodies follow
 * provider-apis.md §3; where that reference marks something inferred [I], or where the fake chose a
 * behaviour the reference does not cover, the comment says [I].
 */

import { fnv1a } from '../shared/ids.js';
import { matchPathTemplate } from '../shared/routing.js';
import { googleErrors, GoogleHttpError } from './errors.js';
import { pageOf } from './pagination.js';
import { MEMBER_ROLES, type GoogleState, type GroupRecord, type Json, type MemberRecord, type MemberRole, type UserRecord } from './state.js';

export const API_PREFIX = '/admin/directory/v1';
const SCOPE = 'https://www.googleapis.com/auth/';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  state: GoogleState;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request body parsed as JSON; undefined when empty. Throws 400 parseError when it is not JSON. */
  json(): unknown;
  tokenOnFullLastPage: boolean;
}

export interface RouteReply {
  status: number;
  body?: unknown;
}

export interface GoogleRouteInfo {
  method: HttpMethod;
  /** Path template under /admin/directory/v1. */
  template: string;
  /** The discovery document's method id. */
  id: string;
  /** Any one of these scopes grants the method ([V] GDISC `scopes`). */
  scopes: string[];
}

interface GoogleRoute extends GoogleRouteInfo {
  handler: (ctx: RouteContext) => RouteReply;
}

// ---------------------------------------------------------------- helpers

const ok = (body: unknown): RouteReply => ({ status: 200, body });
const NO_CONTENT: RouteReply = { status: 204 };

/** A list's etag, derived from its content so the same page has the same etag [I]. */
function listEtag(content: unknown): string {
  const h = fnv1a(JSON.stringify(content));
  return `"${h}${h.split('').reverse().join('')}/${fnv1a(h)}"`;
}

function group404(ctx: RouteContext): GroupRecord {
  const g = ctx.state.findGroup(ctx.params.groupKey);
  if (!g) throw googleErrors.notFound('groupKey');
  return g;
}

/**
 * `maxResults`: at least 1; above the maximum Google silently returns the maximum ([V as reported]
 * googleapis/google-api-dotnet-client #905: "Setting more than 200 … has no effect"). A value that is
 * not a positive integer is refused with the front end's range message [I].
 */
function maxResults(ctx: RouteContext, fallback: number, max: number): number {
  const raw = ctx.query.get('maxResults');
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw) || Number(raw) < 1) throw googleErrors.invalidParameter('maxResults', raw, 1, max);
  return Math.min(Number(raw), max);
}

function pageToken(ctx: RouteContext): string | null {
  const t = ctx.query.get('pageToken');
  return t === null || t === '' ? null : t;
}

function readObject(ctx: RouteContext, missing: string): Json {
  const body = ctx.json();
  if (body === undefined) throw googleErrors.missingField(missing);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw googleErrors.parseError();
  return body as Json;
}

function optionalString(body: Json, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw googleErrors.invalidInput(field);
  return v;
}

/**
 * `customer` ("use the `my_customer` alias") or `domain` is required on groups.list and users.list
 * ([V] GDISC). Without either: 400 badRequest; another customer or a domain the customer does not
 * own: 403 "Not Authorized to access this resource/api" [I].
 */
function scopeOfList(ctx: RouteContext, allowUserKey: boolean): { domain?: string } {
  const customer = ctx.query.get('customer');
  const domain = ctx.query.get('domain');
  const userKey = allowUserKey ? ctx.query.get('userKey') : null;
  if (!customer && !domain && !userKey) throw googleErrors.badRequest();
  // [V as reported] googleapis/google-api-nodejs-client #2515: `customer` with `userKey` is a 400
  // (`domain` with `userKey` works).
  if (customer && userKey) throw googleErrors.badRequest();
  if (customer && customer !== 'my_customer' && customer !== ctx.state.customerId) throw googleErrors.notAuthorized();
  if (domain && !ctx.state.domains.includes(domain.toLowerCase())) throw googleErrors.notAuthorized();
  return { domain: domain ? domain.toLowerCase() : undefined };
}

/**
 * A small subset of the Directory search syntax [I]: space-separated `field:value` terms (a value
 * may be quoted and may end in `*` for a prefix match) and `field=true|false` for booleans, all
 * terms ANDed. Anything else is 400 `Invalid Input: <query>` rather than silently ignored.
 */
function parseSearch(query: string, fields: Record<string, 'text' | 'bool'>): Array<(view: Record<string, unknown>) => boolean> {
  const terms = query.match(/[A-Za-z]+[:=](?:'[^']*'|"[^"]*"|\S+)/g) ?? [];
  if (terms.join(' ').replace(/\s+/g, ' ') !== query.trim().replace(/\s+/g, ' ')) throw googleErrors.invalidInput(query);
  return terms.map((term) => {
    const m = /^([A-Za-z]+)([:=])(.*)$/.exec(term)!;
    const [, field, op, rawValue] = m;
    const kind = fields[field];
    if (!kind) throw googleErrors.invalidInput(query);
    const value = rawValue.replace(/^['"]|['"]$/g, '');
    if (kind === 'bool') {
      if (op !== '=' || !/^(true|false)$/i.test(value)) throw googleErrors.invalidInput(query);
      const want = value.toLowerCase() === 'true';
      return (view) => view[field] === want;
    }
    const prefix = value.endsWith('*');
    const needle = (prefix ? value.slice(0, -1) : value).toLowerCase();
    return (view) => {
      const v = String(view[field] ?? '').toLowerCase();
      return prefix ? v.startsWith(needle) : v === needle;
    };
  });
}

function sortBy<T>(items: T[], key: ((t: T) => string) | undefined, sortOrder: string | null): T[] {
  if (sortOrder !== null && sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') throw googleErrors.invalidInput(sortOrder);
  if (!key) return items;
  const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return sortOrder === 'DESCENDING' ? sorted.reverse() : sorted;
}

/** `{kind, etag, <items>, nextPageToken}`; an empty page has no item array at all [I]. */
function listBody(kind: string, itemsKey: string, items: Json[], nextPageToken: string | undefined): Json {
  const body: Json = { kind, etag: listEtag([kind, items, nextPageToken]) };
  if (items.length > 0) body[itemsKey] = items;
  if (nextPageToken) body.nextPageToken = nextPageToken;
  return body;
}

// ---------------------------------------------------------------- groups

function listGroups(ctx: RouteContext): RouteReply {
  const { state, query } = ctx;
  const { domain } = scopeOfList(ctx, true);
  let items = state.listGroups();
  if (domain) items = items.filter((g) => g.email.endsWith(`@${domain}`));
  const userKey = query.get('userKey');
  if (userKey) {
    const who = state.resolve(userKey);
    items = who ? items.filter((g) => state.members(g.id).some((m) => m.id === who.id)) : [];
  }
  const search = query.get('query');
  if (search) {
    const preds = parseSearch(search, { email: 'text', name: 'text' });
    items = items.filter((g) => preds.every((p) => p({ email: g.email, name: g.name })));
  }
  const orderBy = query.get('orderBy');
  if (orderBy !== null && orderBy !== 'email') throw googleErrors.invalidInput(orderBy);
  items = sortBy(items, orderBy ? (g) => g.email : undefined, query.get('sortOrder'));
  // [V] GDISC groups.list: maxResults default 200, max 200.
  const size = maxResults(ctx, 200, 200);
  const listKey = ['groups', query.get('customer'), domain, userKey, search, orderBy, query.get('sortOrder')].join('|');
  const page = pageOf(items, listKey, pageToken(ctx), size, ctx.tokenOnFullLastPage);
  return ok(listBody('admin#directory#groups', 'groups', page.items.map((g) => state.groupJson(g)), page.nextPageToken));
}

function getGroup(ctx: RouteContext): RouteReply {
  return ok(ctx.state.groupJson(group404(ctx)));
}

/** groups.insert: `email` is required and unique ([V] GDISC Group.email); 200 with the Group. */
function insertGroup(ctx: RouteContext): RouteReply {
  const { state } = ctx;
  const body = readObject(ctx, 'group');
  const email = optionalString(body, 'email');
  if (!email) throw googleErrors.missingField('email');
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw googleErrors.invalidInput('email');
  if (!state.ownsEmail(email)) throw googleErrors.notAuthorized();
  if (state.emailTaken(email)) throw googleErrors.entityExists();
  const name = optionalString(body, 'name');
  const description = optionalString(body, 'description');
  // [V] GDISC: description "Maximum length is 4,096 characters."
  if (description !== undefined && description.length > 4096) throw googleErrors.invalidInput('description');
  const group = state.addGroup({ email, name, description });
  return ok(state.groupJson(group));
}

/** groups.patch (fields left out are kept) and groups.update (PUT); both answer 200 with the Group. */
function patchGroup(ctx: RouteContext): RouteReply {
  const { state } = ctx;
  const group = group404(ctx);
  const body = readObject(ctx, 'group');
  const name = optionalString(body, 'name');
  const description = optionalString(body, 'description');
  const email = optionalString(body, 'email');
  if (description !== undefined && description.length > 4096) throw googleErrors.invalidInput('description');
  if (email !== undefined && email.toLowerCase() !== group.email) {
    if (!state.ownsEmail(email)) throw googleErrors.notAuthorized();
    if (state.emailTaken(email)) throw googleErrors.entityExists();
  }
  state.updateGroup(group, { name, description, email });
  return ok(state.groupJson(group));
}

function deleteGroup(ctx: RouteContext): RouteReply {
  ctx.state.deleteGroup(group404(ctx));
  return NO_CONTENT;
}

// ---------------------------------------------------------------- members

/**
 * members.list ([V] GDISC): `maxResults` (default and max 200), `pageToken`, `roles` (comma list of
 * OWNER, MANAGER, MEMBER), `includeDerivedMembership` (members of nested groups as well; the fake
 * appends the nested groups' users after the direct members, each once [I]).
 */
function listMembers(ctx: RouteContext): RouteReply {
  const { state, query } = ctx;
  const group = group404(ctx);
  let members: MemberRecord[] = state.members(group.id);
  if (query.get('includeDerivedMembership') === 'true') {
    const seen = new Set(members.map((m) => m.id));
    const visited = new Set([group.id]);
    const queue = members.filter((m) => m.type === 'GROUP').map((m) => m.id);
    while (queue.length) {
      const gid = queue.shift()!;
      if (visited.has(gid)) continue;
      visited.add(gid);
      for (const m of state.members(gid)) {
        if (m.type === 'GROUP') queue.push(m.id);
        if (!seen.has(m.id)) {
          seen.add(m.id);
          members.push(m);
        }
      }
    }
  }
  const roles = query.get('roles');
  if (roles) {
    const wanted = roles.split(',').map((r) => r.trim().toUpperCase());
    if (wanted.some((r) => !MEMBER_ROLES.includes(r as MemberRole))) throw googleErrors.invalidInput(roles);
    members = members.filter((m) => wanted.includes(m.role));
  }
  const size = maxResults(ctx, 200, 200);
  const listKey = ['members', group.id, roles, query.get('includeDerivedMembership')].join('|');
  const page = pageOf(members, listKey, pageToken(ctx), size, ctx.tokenOnFullLastPage);
  return ok(listBody('admin#directory#members', 'members', page.items.map((m) => state.memberJson(m)), page.nextPageToken));
}

/**
 * members.insert. 200 with the Member (discovery methods answer 200 [I]); `delivery_settings` is in
 * this answer ([V] GDISC: "only supported by insert, update, and get"). The member is named by
 * `email` ([V] GDISC, GGUIDE) or by its unique `id` (accepted by the fake; not verified [I]).
 * No body: 400 `Missing required field: member`; neither email nor id: `… memberKey` ([V as
 * reported]); nobody by that key: 400 `Invalid Input: memberKey` ([V as reported] GAM #674 [I] for
 * this exact case); already a member: 409 `Member already exists.` reason duplicate ([V as reported]).
 */
function insertMember(ctx: RouteContext): RouteReply {
  const { state } = ctx;
  const group = group404(ctx);
  const body = readObject(ctx, 'member');
  const key = optionalString(body, 'email') ?? optionalString(body, 'id');
  if (!key) throw googleErrors.missingField('memberKey');
  const roleRaw = optionalString(body, 'role') ?? 'MEMBER';
  const role = roleRaw.toUpperCase() as MemberRole;
  if (!MEMBER_ROLES.includes(role)) throw googleErrors.invalidInput(roleRaw);
  const delivery = optionalString(body, 'delivery_settings') ?? 'ALL_MAIL';
  if (!['ALL_MAIL', 'DAILY', 'DIGEST', 'DISABLED', 'NONE'].includes(delivery)) throw googleErrors.invalidInput(delivery);
  const who = state.resolve(key);
  if (!who || who.id === group.id) throw googleErrors.invalidInput('memberKey');
  const member = state.addMember(group.id, who, role, delivery);
  if (!member) throw googleErrors.memberExists();
  return ok(state.memberJson(member, { delivery: true }));
}

function getMember(ctx: RouteContext): RouteReply {
  const group = group404(ctx);
  const member = ctx.state.findMember(group.id, ctx.params.memberKey);
  if (!member) throw googleErrors.notFound('memberKey');
  return ok(ctx.state.memberJson(member, { delivery: true }));
}

/** members.hasMember: `{"isMember": bool}`, direct or nested ([V] GDISC). */
function hasMember(ctx: RouteContext): RouteReply {
  const { state } = ctx;
  const group = group404(ctx);
  const who = state.resolve(ctx.params.memberKey);
  if (!who) throw googleErrors.invalidInput('memberKey');
  const visited = new Set<string>();
  const contains = (gid: string): boolean => {
    if (visited.has(gid)) return false;
    visited.add(gid);
    return state.members(gid).some((m) => m.id === who.id || (m.type === 'GROUP' && contains(m.id)));
  };
  return ok({ isMember: contains(group.id) });
}

/**
 * members.delete: 204 with no body. An unknown group is 404 `Resource Not Found: groupKey`; a
 * user (or anything) that is not a member of it is 404 `Resource Not Found: memberKey`
 * ([V as reported] nodejs client #166, GAM #674).
 */
function deleteMember(ctx: RouteContext): RouteReply {
  const group = group404(ctx);
  const member = ctx.state.findMember(group.id, ctx.params.memberKey);
  if (!member) throw googleErrors.notFound('memberKey');
  ctx.state.removeMember(group.id, member.id);
  return NO_CONTENT;
}

// ---------------------------------------------------------------- users

/** users.list: `maxResults` default 100, at most 500; orderBy email | givenName | familyName ([V] GDISC). */
function listUsers(ctx: RouteContext): RouteReply {
  const { state, query } = ctx;
  const { domain } = scopeOfList(ctx, false);
  let items: UserRecord[] = state.listUsers();
  if (domain) items = items.filter((u) => u.primaryEmail.endsWith(`@${domain}`));
  const search = query.get('query');
  if (search) {
    const preds = parseSearch(search, { email: 'text', givenName: 'text', familyName: 'text', isSuspended: 'bool', isAdmin: 'bool', isArchived: 'bool' });
    items = items.filter((u) =>
      preds.every((p) => p({ email: u.primaryEmail, givenName: u.givenName, familyName: u.familyName, isSuspended: u.suspended, isAdmin: u.isAdmin, isArchived: u.archived })),
    );
  }
  const orderBy = query.get('orderBy');
  const keys: Record<string, (u: UserRecord) => string> = { email: (u) => u.primaryEmail, givenName: (u) => u.givenName, familyName: (u) => u.familyName };
  if (orderBy !== null && !keys[orderBy]) throw googleErrors.invalidInput(orderBy);
  items = sortBy(items, orderBy ? keys[orderBy] : undefined, query.get('sortOrder'));
  const size = maxResults(ctx, 100, 500);
  const listKey = ['users', query.get('customer'), domain, search, orderBy, query.get('sortOrder')].join('|');
  const page = pageOf(items, listKey, pageToken(ctx), size, ctx.tokenOnFullLastPage);
  return ok(listBody('admin#directory#users', 'users', page.items.map((u) => state.userJson(u)), page.nextPageToken));
}

function getUser(ctx: RouteContext): RouteReply {
  const user = ctx.state.findUser(ctx.params.userKey);
  if (!user) throw googleErrors.notFound('userKey');
  return ok(ctx.state.userJson(user));
}

// ---------------------------------------------------------------- routing

const GROUP_RW = [`${SCOPE}admin.directory.group`];
const GROUP_RO = [...GROUP_RW, `${SCOPE}admin.directory.group.readonly`];
const MEMBER_RW = [...GROUP_RW, `${SCOPE}admin.directory.group.member`];
const MEMBER_RO = [...MEMBER_RW, `${SCOPE}admin.directory.group.member.readonly`, `${SCOPE}admin.directory.group.readonly`];
const USER_RO = [`${SCOPE}admin.directory.user`, `${SCOPE}admin.directory.user.readonly`];

const ROUTES: GoogleRoute[] = [
  { method: 'GET', template: '/groups', id: 'directory.groups.list', scopes: GROUP_RO, handler: listGroups },
  { method: 'POST', template: '/groups', id: 'directory.groups.insert', scopes: GROUP_RW, handler: insertGroup },
  { method: 'GET', template: '/groups/{groupKey}', id: 'directory.groups.get', scopes: GROUP_RO, handler: getGroup },
  { method: 'PATCH', template: '/groups/{groupKey}', id: 'directory.groups.patch', scopes: GROUP_RW, handler: patchGroup },
  { method: 'PUT', template: '/groups/{groupKey}', id: 'directory.groups.update', scopes: GROUP_RW, handler: patchGroup },
  { method: 'DELETE', template: '/groups/{groupKey}', id: 'directory.groups.delete', scopes: GROUP_RW, handler: deleteGroup },
  { method: 'GET', template: '/groups/{groupKey}/members', id: 'directory.members.list', scopes: MEMBER_RO, handler: listMembers },
  { method: 'POST', template: '/groups/{groupKey}/members', id: 'directory.members.insert', scopes: MEMBER_RW, handler: insertMember },
  { method: 'GET', template: '/groups/{groupKey}/members/{memberKey}', id: 'directory.members.get', scopes: MEMBER_RO, handler: getMember },
  { method: 'DELETE', template: '/groups/{groupKey}/members/{memberKey}', id: 'directory.members.delete', scopes: MEMBER_RW, handler: deleteMember },
  { method: 'GET', template: '/groups/{groupKey}/hasMember/{memberKey}', id: 'directory.members.hasMember', scopes: MEMBER_RO, handler: hasMember },
  { method: 'GET', template: '/users', id: 'directory.users.list', scopes: USER_RO, handler: listUsers },
  { method: 'GET', template: '/users/{userKey}', id: 'directory.users.get', scopes: USER_RO, handler: getUser },
];

/** Every method the fake serves. */
export const GOOGLE_FAKE_ROUTES: readonly GoogleRouteInfo[] = ROUTES.map(({ method, template, id, scopes }) => ({ method, template, id, scopes }));

/** Unknown paths, and known paths with another method, get Google's HTML 404 page [I]. */
export function resolveRoute(method: string, pathname: string): { route: GoogleRoute; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchPathTemplate(`${API_PREFIX}${route.template}`, pathname);
    if (params) return { route, params };
  }
  return undefined;
}

export { GoogleHttpError };
