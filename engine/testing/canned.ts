import type { LoadedStep } from '../definition/loaded.js';
import type { RemoteResponseSpec } from './fixture-types.js';
import type { ScriptedResponse } from './scripted-dispatcher.js';

const EMPTY_STATUSES = new Set([204, 205, 304]);

/** A fixture's canned response as the dispatcher sends it: JSON serialized, content-type defaulted. */
export function toScripted(spec: RemoteResponseSpec): ScriptedResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k.toLowerCase()] = String(v);
  let body: string | undefined;
  if (spec.text !== undefined) body = spec.text;
  else if (spec.body !== undefined) {
    body = JSON.stringify(spec.body);
    headers['content-type'] ??= 'application/json';
  }
  return { status: spec.status ?? 200, headers, body };
}

/**
 * What a request gets when nothing canned answers it (inspect mode, explain): the step's first
 * success status, else 200, with an empty body for statuses that have none and `{}` otherwise, so
 * the call goes on and every later request is still shown.
 */
export function standIn(step: LoadedStep | undefined): { response: ScriptedResponse; note: string } {
  const status = step?.spec.success?.[0] ?? 200;
  if (EMPTY_STATUSES.has(status)) return { response: { status, headers: {} }, note: `stand-in: answered ${status} with an empty body` };
  return { response: { status, headers: { 'content-type': 'application/json' }, body: '{}' }, note: `stand-in: answered ${status} with {}` };
}
