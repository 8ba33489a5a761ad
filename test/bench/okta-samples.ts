/**
 * Okta payloads as the fake Okta serves them (its own state and serializers), and hand-written
 * JavaScript equivalents of the Okta mappings, the floor a compiled mapping is measured against.
 */
import { OktaState } from '../fakes/okta/state.js';
import { IdFactory } from '../fakes/okta/ids.js';

const ORIGIN = 'https://acme.okta.com';
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'STAGED', 'PROVISIONED', 'SUSPENDED', 'LOCKED_OUT', 'PASSWORD_EXPIRED'] as const;

export function oktaUsers(count: number, form: 'full' | 'list' = 'list'): Record<string, unknown>[] {
  const state = new OktaState(() => Date.parse('2024-05-01T10:00:00.000Z'), new IdFactory());
  const users = Array.from({ length: count }, (_, i) =>
    state.addUser({
      profile: {
        login: `user${i}@example.com`,
        email: `user${i}@example.com`,
        firstName: `First${i}`,
        lastName: i % 5 === 0 ? '' : `Last${i}`,
        ...(i % 4 === 0 ? { displayName: `User ${i}` } : {}),
      },
      status: STATUSES[i % STATUSES.length],
    }),
  );
  return users.map((u) => state.userJson(u, ORIGIN, form));
}

export function oktaGroup(): Record<string, unknown> {
  const state = new OktaState(() => Date.parse('2024-05-01T10:00:00.000Z'), new IdFactory());
  return state.groupJson(state.addGroup({ name: 'Engineering', description: 'All engineers' }), ORIGIN);
}

const STATES: Record<string, string> = Object.assign(Object.create(null), {
  ACTIVE: 'active',
  PASSWORD_EXPIRED: 'active',
  RECOVERY: 'active',
  STAGED: 'pending',
  PROVISIONED: 'pending',
  SUSPENDED: 'suspended',
  LOCKED_OUT: 'suspended',
  DEPROVISIONED: 'inactive',
});

type Json = Record<string, any>;

function text(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

/** The user mapping (users.get, users.list, group_members.list), by hand. */
export function mapUser(u: Json): Json {
  const p = u.profile ?? {};
  const out: Json = { id: u.id, email: p.email, first_name: p.firstName, last_name: p.lastName };
  if (text(p.displayName)) out.name = p.displayName;
  else {
    const names = [p.firstName, p.lastName].filter(text);
    out.name = names.length > 0 ? names.join(' ') : null;
  }
  if (u.status !== undefined) out.status = STATES[u.status] ?? null;
  out.created_at = u.created;
  out.updated_at = u.lastUpdated;
  return out;
}

/** The group mapping (groups.get, list, create, update, add, remove), by hand. */
export function mapGroup(g: Json): Json {
  const p = g.profile ?? {};
  return {
    id: g.id,
    name: p.name,
    description: p.description,
    group_type: 'group',
    created_at: g.created,
    updated_at: g.lastMembershipUpdated > g.lastUpdated ? g.lastMembershipUpdated : g.lastUpdated,
  };
}

/** groups.delete answers with the id it was given. */
export function mapDeleted(_body: unknown, bindings: Json): Json {
  return { id: bindings.request?.query?.id };
}

/** groups.create's request body. */
export function createGroupBody(scope: Json): Json {
  const profile: Json = { name: scope.body.name };
  if (typeof scope.body.description === 'string') profile.description = scope.body.description;
  return { profile };
}

/** groups.update's request body: the current profile with the changes, description dropped unless text. */
export function updateGroupBody(scope: Json): Json {
  const profile: Json = { ...scope.steps.get_group.body.profile };
  if (scope.body.name !== undefined) profile.name = scope.body.name;
  if (scope.body.description !== undefined) profile.description = scope.body.description;
  if (typeof profile.description !== 'string') delete profile.description;
  return { profile };
}

export const HAND_WRITTEN: { name: string; fn: (input: any, bindings: any) => unknown }[] = [
  { name: 'user mapping', fn: (input) => mapUser(input) },
  { name: 'group mapping', fn: (input) => mapGroup(input) },
  { name: 'delete mapping', fn: mapDeleted },
  { name: 'create body', fn: (input) => createGroupBody(input) },
  { name: 'update body', fn: (input) => updateGroupBody(input) },
];
