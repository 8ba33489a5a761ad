/**
 * The operations the fake serves, keyed like Okta's OpenAPI (operationId,
 * path template, OAuth scope), and their handlers. Statuses and bodies follow
 * provider-apis.md §1.2–1.9; where that reference marks a behaviour as
 * inferred [I], the comment at the handler says so.
 */

import { matchPathTemplate } from '../shared/routing.js';
import { checkFilter, evaluateFilter, FilterSyntaxError, parseFilter, type FilterNode, type FilterOp } from './filter.js';
import { oktaErrors } from './errors.js';
import { decodeCursor, encodeCursor, linkHeaders, listUrl, pageAfter } from './pagination.js';
import type { GroupRecord, Json, OktaState, UserRecord } from './state.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteContext {
  state: OktaState;
  origin: string;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  pathname: string;
  query: URLSearchParams;
  /** The raw request body, parsed on demand (E0000003 when it is not JSON). */
  json(): unknown;
  builtInMembershipStatus: number;
}

export interface RouteReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

export interface OktaRouteInfo {
  method: HttpMethod;
  /** The OpenAPI path template this route implements. */
  template: string;
  operationId: string;
  /** The OAuth scope the spec lists for the operation. */
  scope: string;
}

interface OktaRoute extends OktaRouteInfo {
  handler: (ctx: RouteContext) => RouteReply;
}

// ---------------------------------------------------------------- helpers

function group404(state: OktaState, id: string): GroupRecord {
  const g = state.getGroup(id);
  if (!g) throw oktaErrors.resourceNotFound(id, 'UserGroup');
  return g;
}

function user404(state: OktaState, idOrLogin: string): UserRecord {
  const u = state.findUser(idOrLogin);
  if (!u) throw oktaErrors.resourceNotFound(idOrLogin, 'User');
  return u;
}

/** [I] Okta documents no error for a bad `limit`; E0000001 400 is the fake's choice so a malformed value fails loudly. */
function parseLimit(raw: string | null, fallback: number, max?: number): number {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw oktaErrors.validation('limit');
  const n = Number(raw);
  return max !== undefined ? Math.min(n, max) : n;
}

function parseExpression(src: string, allowed: (attr: string, op: FilterOp) => boolean): FilterNode {
  try {
    const node = parseFilter(src);
    checkFilter(node, allowed);
    return node;
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw oktaErrors.invalidFilter(e.message);
    throw e;
  }
}

/** The list parameters other than `limit` and `after`, in request order, for the Link URLs. */
function carriedParams(query: URLSearchParams): Array<[string, string]> {
  return [...query.entries()].filter(([k]) => k !== 'limit' && k !== 'after');
}

function afterParam(query: URLSearchParams): string | undefined {
  const v = query.get('after');
  return v === null || v === '' ? undefined : v;
}

function readObjectBody(ctx: RouteContext): Record<string, unknown> {
  const body = ctx.json();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw oktaErrors.malformedBody();
  return body as Record<string, unknown>;
}

/**
 * `{profile:{name, description}}` for create and replace. Read-only fields
 * (id, created, _links, …) are ignored, as the recorded replace sent the whole
 * group back. [I] Unknown profile properties are rejected: Okta only accepts
 * properties defined in the group profile schema, which the fake does not model.
 */
function readGroupProfile(ctx: RouteContext): { name: string; description: string | null } {
  const body = readObjectBody(ctx);
  const profile = body.profile;
  if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) {
    throw oktaErrors.validation('profile', [{ errorSummary: 'profile: The field cannot be left blank' }]);
  }
  const p = profile as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name.trim() === '') {
    throw oktaErrors.validation('name', [{ errorSummary: 'name: The field cannot be left blank' }]);
  }
  if (p.description !== undefined && p.description !== null && typeof p.description !== 'string') {
    throw oktaErrors.validation('description', [{ errorSummary: 'description: Does not match required type' }]);
  }
  const unknown = Object.keys(p).filter((k) => k !== 'name' && k !== 'description');
  if (unknown.length > 0) {
    throw oktaErrors.validation(
      unknown[0],
      unknown.map((k) => ({ errorSummary: `${k}: Property name '${k}' is not defined in profile` })),
    );
  }
  return { name: p.name, description: (p.description as string | null | undefined) ?? null };
}

function ok(body: unknown, headers?: Record<string, string | string[]>): RouteReply {
  return { status: 200, body, headers };
}

const NO_CONTENT: RouteReply = { status: 204 };

interface ListPlan<T> {
  items: T[];
  /** Identifies the list a cursor belongs to. */
  listKey: string;
  /** Creation-sequence cursors, or offsets once a search is sorted. */
  position: (item: T, index: number) => number;
}

/** One page plus its Link header lines. */
function paged<T>(ctx: RouteContext, plan: ListPlan<T>, limit: number): { page: T[]; link: string[] } {
  const afterRaw = afterParam(ctx.query);
  const after = afterRaw === undefined ? undefined : decodeCursor(plan.listKey, afterRaw);
  const indexed = plan.items.map((item, i) => ({ item, pos: plan.position(item, i) }));
  const page = pageAfter(indexed, (e) => e.pos, after, limit);
  const params = carriedParams(ctx.query);
  const self = listUrl(ctx.origin, ctx.pathname, limit, params, afterRaw);
  const next = page.next === undefined ? undefined : listUrl(ctx.origin, ctx.pathname, limit, params, encodeCursor(plan.listKey, page.next));
  return { page: page.items.map((e) => e.item), link: linkHeaders(self, next) };
}

function sortItems<T>(items: T[], view: (t: T) => Json, sortBy: string | null, sortOrder: string | null): T[] {
  if (!sortBy) return items;
  const key = (t: T): string => {
    let cur: unknown = view(t);
    for (const part of sortBy.split('.')) cur = cur && typeof cur === 'object' ? (cur as Json)[part] : undefined;
    return cur === undefined || cur === null ? '' : String(cur);
  };
  const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return sortOrder?.toLowerCase() === 'desc' ? sorted.reverse() : sorted;
}

// ---------------------------------------------------------------- groups

const GROUP_DATE_ATTRS = new Set(['created', 'lastUpdated', 'lastMembershipUpdated']);
const RANGE_OPS: ReadonlySet<FilterOp> = new Set(['gt', 'ge', 'lt', 'le']);

/** `search`: any profile attribute plus id, dates, type, source.id; `sw`/`eq`/`co` (`co` only on name/description). */
function groupSearchAllowed(attr: string, op: FilterOp): boolean {
  const known = attr === 'id' || attr === 'type' || attr === 'source.id' || GROUP_DATE_ATTRS.has(attr) || attr.startsWith('profile.');
  if (!known) return false;
  if (op === 'co') return attr === 'profile.name' || attr === 'profile.description';
  if (RANGE_OPS.has(op)) return GROUP_DATE_ATTRS.has(attr);
  return op === 'eq' || op === 'sw' || op === 'pr';
}

/** `filter`: only id, type, lastUpdated, lastMembershipUpdated. */
function groupFilterAllowed(attr: string, op: FilterOp): boolean {
  if (attr === 'id' || attr === 'type') return op === 'eq';
  if (attr === 'lastUpdated' || attr === 'lastMembershipUpdated') return op === 'eq' || RANGE_OPS.has(op);
  return false;
}

function listGroups(ctx: RouteContext): RouteReply {
  const { state, query } = ctx;
  const stats = (query.get('expand') ?? '').split(',').includes('stats');
  const render = (gs: GroupRecord[]) => gs.map((g) => state.groupJson(g, ctx.origin, { stats }));
  const q = query.get('q');
  if (q !== null) {
    // "Paging and searching are currently mutually exclusive. You can't page a query.
    // The default limit for a query is 300": no Link header (the recorded q= reply has none).
    const limit = parseLimit(query.get('limit'), 300, 10000);
    const needle = q.toLowerCase();
    return ok(render(state.listGroups().filter((g) => g.profile.name.toLowerCase().startsWith(needle)).slice(0, limit)));
  }
  // The recorded unparameterised list linked `?limit=10000`: that is the effective default.
  const limit = parseLimit(query.get('limit'), 10000, 10000);
  let items = state.listGroups();
  const search = query.get('search');
  const filter = query.get('filter');
  if (search !== null) {
    const node = parseExpression(search, groupSearchAllowed);
    items = items.filter((g) => evaluateFilter(node, state.groupFilterView(g)));
  }
  if (filter !== null) {
    const node = parseExpression(filter, groupFilterAllowed);
    items = items.filter((g) => evaluateFilter(node, state.groupFilterView(g)));
  }
  const sortBy = search !== null ? query.get('sortBy') : null;
  const sortOrder = query.get('sortOrder');
  items = sortItems(items, (g) => state.groupFilterView(g), sortBy, sortOrder);
  const { page, link } = paged(
    ctx,
    {
      items,
      listKey: `groups|${search}|${filter}|${sortBy}|${sortOrder}`,
      position: sortBy ? (_g, i) => i : (g) => g.seq,
    },
    limit,
  );
  return ok(render(page), { link });
}

function addGroup(ctx: RouteContext): RouteReply {
  const { name, description } = readGroupProfile(ctx);
  const group = ctx.state.addGroup({ name, description });
  // 200, not 201: the spec lists only '200' and the recording shows 200.
  return ok(ctx.state.groupJson(group, ctx.origin));
}

function getGroup(ctx: RouteContext): RouteReply {
  const g = group404(ctx.state, ctx.params.groupId);
  const stats = (ctx.query.get('expand') ?? '').split(',').includes('stats');
  return ok(ctx.state.groupJson(g, ctx.origin, { stats }));
}

/** "You only can modify profiles for groups of the OKTA_GROUP type." */
function replaceGroup(ctx: RouteContext): RouteReply {
  const g = group404(ctx.state, ctx.params.groupId);
  if (g.type !== 'OKTA_GROUP') throw oktaErrors.accessDenied();
  const { name, description } = readGroupProfile(ctx);
  g.profile = { name, description };
  g.lastUpdated = ctx.state.nowIso();
  return ok(ctx.state.groupJson(g, ctx.origin));
}

/** OKTA_GROUP and APP_GROUP may be deleted; [I] BUILT_IN (Everyone) answers 403 E0000006. */
function deleteGroup(ctx: RouteContext): RouteReply {
  const g = group404(ctx.state, ctx.params.groupId);
  if (g.type === 'BUILT_IN') throw oktaErrors.accessDenied();
  ctx.state.removeGroup(g.id);
  return NO_CONTENT;
}

function listGroupUsers(ctx: RouteContext): RouteReply {
  const g = group404(ctx.state, ctx.params.groupId);
  // Spec default 1000, matching the recorded self link `…/users?limit=1000`.
  const limit = parseLimit(ctx.query.get('limit'), 1000);
  const { page, link } = paged(ctx, { items: ctx.state.members(g.id), listKey: `members|${g.id}`, position: (u) => u.seq }, limit);
  return ok(page.map((u) => ctx.state.userJson(u, ctx.origin, 'list')), { link });
}

/**
 * Membership changes, checked in this order: group exists (404 UserGroup),
 * user exists (404 User), group type. APP_GROUP → 403 E0000006 and BUILT_IN →
 * E0000060 are field reports (§1.9), the BUILT_IN status is configurable.
 * [I] A repeated add and removing a non-member are idempotent 204s; only a
 * real change moves lastMembershipUpdated.
 */
function membershipTarget(ctx: RouteContext): { group: GroupRecord; user: UserRecord } {
  const group = group404(ctx.state, ctx.params.groupId);
  const user = ctx.state.users.get(ctx.params.userId);
  if (!user) throw oktaErrors.resourceNotFound(ctx.params.userId, 'User');
  if (group.type === 'APP_GROUP') throw oktaErrors.accessDenied();
  if (group.type === 'BUILT_IN') throw oktaErrors.unsupportedOperation(ctx.builtInMembershipStatus);
  return { group, user };
}

function assignUserToGroup(ctx: RouteContext): RouteReply {
  const { group, user } = membershipTarget(ctx);
  ctx.state.addMember(group.id, user.id);
  return NO_CONTENT;
}

function unassignUserFromGroup(ctx: RouteContext): RouteReply {
  const { group, user } = membershipTarget(ctx);
  ctx.state.removeMember(group.id, user.id);
  return NO_CONTENT;
}

// ---------------------------------------------------------------- users

const USER_FILTER_ATTRS = new Set(['status', 'lastUpdated', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName']);

/** `filter`: the listed attributes, `eq` only, except `lastUpdated` which also takes gt/ge/lt/le. */
function userFilterAllowed(attr: string, op: FilterOp): boolean {
  if (!USER_FILTER_ATTRS.has(attr)) return false;
  return op === 'eq' || (attr === 'lastUpdated' && RANGE_OPS.has(op));
}

/** `search`: most properties; "`ne` is not supported". */
function userSearchAllowed(_attr: string, op: FilterOp): boolean {
  return op !== 'ne';
}

function userFilterView(u: UserRecord): Json {
  return { ...u } as unknown as Json;
}

function listUsers(ctx: RouteContext): RouteReply {
  const { state, query } = ctx;
  const q = query.get('q');
  if (q !== null) {
    // startsWith on firstName, lastName or email; no pagination; default limit 10; omits DEPROVISIONED.
    const limit = parseLimit(query.get('limit'), 10);
    const needle = q.toLowerCase();
    const hits = state
      .listUsers()
      .filter((u) => u.status !== 'DEPROVISIONED')
      .filter((u) => ['firstName', 'lastName', 'email'].some((f) => String(u.profile[f] ?? '').toLowerCase().startsWith(needle)));
    return ok(hits.slice(0, limit).map((u) => state.userJson(u, ctx.origin, 'list')));
  }
  const limit = parseLimit(query.get('limit'), 200);
  const search = query.get('search');
  const filter = query.get('filter');
  let items = state.listUsers();
  // "With none of q, filter or search, the list omits DEPROVISIONED users."
  if (search === null && filter === null) items = items.filter((u) => u.status !== 'DEPROVISIONED');
  if (search !== null) {
    const node = parseExpression(search, userSearchAllowed);
    items = items.filter((u) => evaluateFilter(node, userFilterView(u)));
  }
  if (filter !== null) {
    const node = parseExpression(filter, userFilterAllowed);
    items = items.filter((u) => evaluateFilter(node, userFilterView(u)));
  }
  const sortBy = search !== null ? query.get('sortBy') : null;
  const sortOrder = query.get('sortOrder');
  items = sortItems(items, userFilterView, sortBy, sortOrder);
  const { page, link } = paged(
    ctx,
    { items, listKey: `users|${search}|${filter}|${sortBy}|${sortOrder}`, position: sortBy ? (_u, i) => i : (u) => u.seq },
    limit,
  );
  return ok(page.map((u) => state.userJson(u, ctx.origin, 'list')), { link });
}

/** A weak validator that changes whenever the user does, in the spec's `W/"…"` form. */
function userEtag(u: UserRecord): string {
  const text = JSON.stringify([u.id, u.status, u.lastUpdated, u.profile]);
  let h = 0n;
  for (let i = 0; i < text.length; i++) h = (h * 131n + BigInt(text.charCodeAt(i))) & 0xffffffffffffffffn;
  return `W/"${h.toString(16).padStart(16, '0')}"`;
}

function getUser(ctx: RouteContext): RouteReply {
  const u = user404(ctx.state, ctx.params.id);
  return ok(ctx.state.userJson(u, ctx.origin, 'full'), { Etag: userEtag(u) });
}

const REQUIRED_USER_FIELDS = ['firstName', 'lastName', 'email', 'login'] as const;

/**
 * Enough of createUser to replay the recorded flows: `activate=false` → STAGED;
 * activated with a password → ACTIVE; activated without one → PROVISIONED.
 * Missing base-profile fields and duplicate logins are E0000001, the latter
 * with the cause text of Okta's own documented example.
 */
function createUser(ctx: RouteContext): RouteReply {
  const { state, query } = ctx;
  const body = readObjectBody(ctx);
  const profile = body.profile;
  if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) {
    throw oktaErrors.validation('profile', [{ errorSummary: 'profile: The field cannot be left blank' }]);
  }
  const p = profile as Record<string, unknown>;
  const missing = REQUIRED_USER_FIELDS.filter((f) => typeof p[f] !== 'string' || (p[f] as string).trim() === '');
  if (missing.length > 0) {
    throw oktaErrors.validation(
      missing[0],
      missing.map((f) => ({ errorSummary: `${f}: The field cannot be left blank` })),
    );
  }
  const login = p.login as string;
  if (state.listUsers().some((u) => u.profile.login.toLowerCase() === login.toLowerCase())) {
    throw oktaErrors.validation('login', [{ errorSummary: 'login: An object with this field already exists in the current organization' }]);
  }
  const creds = (body.credentials ?? {}) as Record<string, unknown>;
  const password = creds.password as { value?: unknown } | undefined;
  const hasPassword = typeof password?.value === 'string' && password.value !== '';
  const rq = creds.recovery_question as { question?: unknown } | undefined;
  const groupIds = Array.isArray(body.groupIds) ? (body.groupIds as unknown[]) : [];
  for (const gid of groupIds) {
    const g = typeof gid === 'string' ? state.getGroup(gid) : undefined;
    if (!g || g.type !== 'OKTA_GROUP') throw oktaErrors.validation('groupIds', [{ errorSummary: `groupIds: Invalid group id ${String(gid)}` }]);
  }

  const activate = (query.get('activate') ?? 'true').toLowerCase() !== 'false';
  const now = state.nowIso();
  const status = !activate ? 'STAGED' : hasPassword ? 'ACTIVE' : 'PROVISIONED';
  // The recorded create answered with secondEmail/mobilePhone present as null when not given.
  const storedProfile = { secondEmail: null, mobilePhone: null, ...p, login };
  const user = state.addUser({
    profile: storedProfile,
    status,
    activated: status === 'STAGED' ? null : now,
    statusChanged: status === 'STAGED' ? null : now,
    passwordChanged: hasPassword ? now : null,
    credentials: {
      ...(hasPassword ? { password: {} } : {}),
      ...(typeof rq?.question === 'string' ? { recovery_question: { question: rq.question } } : {}),
    },
  });
  for (const gid of groupIds) state.addMember(gid as string, user.id);
  return ok(state.userJson(user, ctx.origin, 'full'));
}

/** The recording answered 200 with `{}`; [I] deactivating a DEPROVISIONED user is a no-op 200. */
function deactivateUser(ctx: RouteContext): RouteReply {
  const u = user404(ctx.state, ctx.params.id);
  if (u.status !== 'DEPROVISIONED') {
    const now = ctx.state.nowIso();
    u.status = 'DEPROVISIONED';
    u.statusChanged = now;
    u.lastUpdated = now;
  }
  return ok({});
}

/** "This operation on a user that hasn't been deactivated causes that user to be deactivated. A second delete … is required." */
function deleteUser(ctx: RouteContext): RouteReply {
  const u = user404(ctx.state, ctx.params.id);
  if (u.status !== 'DEPROVISIONED') deactivateUser(ctx);
  else ctx.state.removeUser(u.id);
  return NO_CONTENT;
}

// ---------------------------------------------------------------- table

const ROUTES: readonly OktaRoute[] = [
  { method: 'GET', template: '/api/v1/groups', operationId: 'listGroups', scope: 'okta.groups.read', handler: listGroups },
  { method: 'POST', template: '/api/v1/groups', operationId: 'addGroup', scope: 'okta.groups.manage', handler: addGroup },
  { method: 'GET', template: '/api/v1/groups/{groupId}', operationId: 'getGroup', scope: 'okta.groups.read', handler: getGroup },
  { method: 'PUT', template: '/api/v1/groups/{groupId}', operationId: 'replaceGroup', scope: 'okta.groups.manage', handler: replaceGroup },
  { method: 'DELETE', template: '/api/v1/groups/{groupId}', operationId: 'deleteGroup', scope: 'okta.groups.manage', handler: deleteGroup },
  { method: 'GET', template: '/api/v1/groups/{groupId}/users', operationId: 'listGroupUsers', scope: 'okta.groups.read', handler: listGroupUsers },
  { method: 'PUT', template: '/api/v1/groups/{groupId}/users/{userId}', operationId: 'assignUserToGroup', scope: 'okta.groups.manage', handler: assignUserToGroup },
  { method: 'DELETE', template: '/api/v1/groups/{groupId}/users/{userId}', operationId: 'unassignUserFromGroup', scope: 'okta.groups.manage', handler: unassignUserFromGroup },
  { method: 'GET', template: '/api/v1/users', operationId: 'listUsers', scope: 'okta.users.read', handler: listUsers },
  { method: 'POST', template: '/api/v1/users', operationId: 'createUser', scope: 'okta.users.manage', handler: createUser },
  { method: 'GET', template: '/api/v1/users/{id}', operationId: 'getUser', scope: 'okta.users.read', handler: getUser },
  { method: 'DELETE', template: '/api/v1/users/{id}', operationId: 'deleteUser', scope: 'okta.users.manage', handler: deleteUser },
  { method: 'POST', template: '/api/v1/users/{id}/lifecycle/deactivate', operationId: 'deactivateUser', scope: 'okta.users.manage', handler: deactivateUser },
];

/** Every route the fake serves, for conformance tests against the OpenAPI document. */
export const OKTA_FAKE_ROUTES: readonly OktaRouteInfo[] = ROUTES.map(({ method, template, operationId, scope }) => ({
  method,
  template,
  operationId,
  scope,
}));

export type RouteResolution =
  | { kind: 'found'; route: OktaRoute; params: Record<string, string> }
  | { kind: 'wrongMethod'; allow: HttpMethod[] }
  | { kind: 'notFound' };

/**
 * Routing errors. An unknown path is 404 E0000008 "The requested path was not
 * found" (Okta's error-code table). A known path with an unsupported method is
 * 405 E0000022 "The endpoint does not support the provided HTTP method": Okta's
 * own API docs show E0000022 with `HTTP/1.1 405 Method Not Allowed` and
 * support.okta.com calls it "405", while the older table in provider-apis.md
 * lists 404, so the fake follows the responses Okta documents. `Allow` is added
 * because HTTP requires it on a 405.
 */
export function resolveRoute(method: string, pathname: string): RouteResolution {
  const allow: HttpMethod[] = [];
  for (const route of ROUTES) {
    const params = matchPathTemplate(route.template, pathname);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', route, params };
    allow.push(route.method);
  }
  return allow.length > 0 ? { kind: 'wrongMethod', allow } : { kind: 'notFound' };
}


