/**
 * PATCH /Groups/{id} (RFC 7644 §3.5.2). The request is
 *   {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 *    "Operations":[{"op":"add","path":"members","value":[{"value":"2819c223-…"}]}]}   [V] RFC7644 §3.5.2.1
 * Operations apply in order and atomically (all or none). `op` is matched case-insensitively, since
 * clients send "Add" as well as "add" (provider-apis.md §5.1).
 *
 * - add `members`: a value already present changes nothing and is still a success, and lastModified
 *   stays ("no changes SHOULD be made … and a success response SHOULD be returned") [V] RFC7644 §3.5.2.1.
 * - remove without `path`: 400 `noTarget` [V] RFC7644 §3.5.2.2. `members[value eq "…"]` that matches no
 *   member is a success by default (nothing to remove), or 400 `noTarget` with `removeMissing: 'noTarget'`,
 *   as some servers do [I].
 * - replace `members[filter]` that matches nothing: 400 `noTarget` (§3.5.2.3) [I].
 */

import { scimErrors } from './errors.js';
import { evaluateFilter, getAttr, parsePatchPath, type PatchPath } from './filter.js';
import type { GroupRecord, Json, MemberRef, ScimState } from './state.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchOptions {
  removeMissing: 'success' | 'noTarget';
  /** Absolute URL of the SCIM endpoint, for member `$ref`s seen by value filters. */
  base: string;
}

interface Draft {
  displayName: string;
  externalId?: string;
  members: MemberRef[];
}

const MEMBER_CASE_EXACT = new Set(['members.value', 'members.$ref']);
const READ_ONLY = new Set(['id', 'meta', 'schemas']);

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Applies the PatchOp to `group`; returns whether anything changed. Throws ScimHttpError, leaving the group untouched. */
export function applyGroupPatch(state: ScimState, group: GroupRecord, body: unknown, options: PatchOptions): boolean {
  if (!isObject(body)) throw scimErrors.invalidSyntax('The request body must be a PatchOp object');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA)) {
    throw scimErrors.invalidSyntax(`"schemas" must contain ${PATCH_OP_SCHEMA}`);
  }
  const operations = body.Operations ?? getAttr(body, 'operations');
  if (!Array.isArray(operations) || operations.length === 0) throw scimErrors.invalidSyntax('"Operations" must be a non-empty array');

  const draft: Draft = { displayName: group.displayName, externalId: group.externalId, members: group.members.map((m) => ({ ...m })) };
  const before = JSON.stringify(draft);
  for (const raw of operations) {
    if (!isObject(raw)) throw scimErrors.invalidSyntax('Each operation must be an object');
    const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : undefined;
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw scimErrors.invalidSyntax(`Unknown operation "${String(raw.op)}": expected add, remove or replace`);
    const path = raw.path === undefined ? undefined : typeof raw.path === 'string' && raw.path.trim() ? parsePatchPath(raw.path.trim()) : undefined;
    if (raw.path !== undefined && !path) throw scimErrors.invalidPath(String(raw.path));
    if (op === 'remove') remove(state, group, draft, path, raw.value, options);
    else if (!path) applyObject(state, group, draft, raw.value, op);
    else setAttr(state, group, draft, path, raw.value, op, options);
  }

  if (draft.displayName.toLowerCase() !== group.displayName.toLowerCase()) {
    const clash = state.listGroups().find((g) => g.id !== group.id && g.displayName.toLowerCase() === draft.displayName.toLowerCase());
    if (clash) throw scimErrors.uniqueness(`displayName "${draft.displayName}"`);
  }
  if (JSON.stringify(draft) === before) return false;
  group.displayName = draft.displayName;
  group.externalId = draft.externalId;
  group.members = draft.members;
  state.touch(group);
  return true;
}

/** `value` of an add/replace of `members`: a list of `{"value": id}` naming existing users or groups. */
export function parseMembers(state: ScimState, group: GroupRecord | undefined, value: unknown): MemberRef[] {
  if (!Array.isArray(value)) throw scimErrors.invalidValue('"members" must be an array of {"value": <id>}');
  return value.map((m) => {
    const id = isObject(m) ? m.value : undefined;
    if (typeof id !== 'string' || id === '') throw scimErrors.invalidValue('Each member must have a string "value"');
    const type = state.memberType(id);
    if (!type || (group && id === group.id)) throw scimErrors.invalidValue(`"${id}" is not a valid member: no such User or Group`);
    return { value: id, type };
  });
}

function addMembers(draft: Draft, members: MemberRef[]): void {
  for (const m of members) if (!draft.members.some((x) => x.value === m.value)) draft.members.push(m);
}

function checkWritable(attr: string): void {
  if (READ_ONLY.has(attr)) throw scimErrors.mutability(attr);
}

function applyObject(state: ScimState, group: GroupRecord, draft: Draft, value: unknown, op: 'add' | 'replace'): void {
  if (!isObject(value)) throw scimErrors.invalidValue(`An ${op} without "path" needs an object "value"`);
  for (const [key, v] of Object.entries(value)) {
    const attr = key.toLowerCase();
    if (attr === 'schemas') continue;
    setAttr(state, group, draft, { text: key, attr: [attr] }, v, op, { removeMissing: 'success', base: '' });
  }
}

function setAttr(state: ScimState, group: GroupRecord, draft: Draft, path: PatchPath, value: unknown, op: 'add' | 'replace', options: PatchOptions): void {
  const [attr, sub] = path.attr;
  checkWritable(attr);
  if (attr === 'displayname' && !sub && !path.filter) {
    if (typeof value !== 'string' || value.trim() === '') throw scimErrors.invalidValue('displayName must be a non-empty string');
    draft.displayName = value;
  } else if (attr === 'externalid' && !sub && !path.filter) {
    if (typeof value !== 'string') throw scimErrors.invalidValue('externalId must be a string');
    draft.externalId = value;
  } else if (attr === 'members' && !sub && !path.filter) {
    const members = parseMembers(state, group, value);
    if (op === 'replace') draft.members = [];
    addMembers(draft, members);
  } else if (attr === 'members' && path.filter && op === 'replace' && !path.subAttr) {
    const hits = matching(state, draft, path, options);
    if (hits.length === 0) throw scimErrors.noTarget(`No member matches ${path.text}`);
    const [replacement] = parseMembers(state, group, [value]);
    draft.members = draft.members.filter((m) => !hits.includes(m));
    addMembers(draft, [replacement]);
  } else {
    throw scimErrors.invalidPath(path.text);
  }
}

function matching(state: ScimState, draft: Draft, path: PatchPath, options: PatchOptions): MemberRef[] {
  return draft.members.filter((m) => evaluateFilter(path.filter!, state.memberJson(m, options.base), { caseExact: MEMBER_CASE_EXACT }, ['members']));
}

function remove(state: ScimState, group: GroupRecord, draft: Draft, path: PatchPath | undefined, value: unknown, options: PatchOptions): void {
  if (!path) throw scimErrors.noTarget('A remove operation needs a "path"');
  const [attr, sub] = path.attr;
  checkWritable(attr);
  if (attr === 'members' && !sub && !path.subAttr) {
    if (path.filter) {
      const hits = matching(state, draft, path, options);
      if (hits.length === 0 && options.removeMissing === 'noTarget') throw scimErrors.noTarget(`No member matches ${path.text}`);
      draft.members = draft.members.filter((m) => !hits.includes(m));
    } else if (value !== undefined) {
      // Not in the RFC, but widely sent (e.g. by Entra ID): remove the members listed in "value".
      if (!Array.isArray(value)) throw scimErrors.invalidValue('"members" must be an array of {"value": <id>}');
      const ids = new Set(value.map((m) => (isObject(m) ? m.value : undefined)));
      draft.members = draft.members.filter((m) => !ids.has(m.value));
    } else {
      draft.members = [];
    }
  } else if (attr === 'externalid' && !sub && !path.filter) {
    draft.externalId = undefined;
  } else if (attr === 'displayname' && !sub && !path.filter) {
    throw scimErrors.invalidValue('displayName is required and cannot be removed');
  } else {
    throw scimErrors.invalidPath(path.text);
  }
}
