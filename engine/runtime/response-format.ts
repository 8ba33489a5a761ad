import type { UnifiedMethod } from '../definition/loaded.js';
import { isPlainObject } from './merge.js';
import type { ResponseOptions } from './unified-request.js';

/**
 * Applies the caller's response options to a mapped result. Pure.
 * - unified: the mapped object, with remote_data unless ignored;
 * - normalized: only fields the unified schema declares (no remote_data, nothing extra);
 * - raw: handled by the caller (the remote body, unmapped).
 * Then `exclude_fields` removes top-level or dotted paths.
 */
export function shapeResult(mapped: Record<string, unknown>, unified: UnifiedMethod, options: ResponseOptions): Record<string, unknown> {
  let out: Record<string, unknown> = mapped;
  if (options.format === 'normalized') out = pickSchema(mapped, unified.resourceSchema) as Record<string, unknown>;
  else if (options.ignoreRemoteData) {
    const { remote_data: _dropped, ...rest } = mapped;
    out = rest;
  }
  for (const field of options.excludeFields) out = omitPath(out, field.split('.'));
  return out;
}

function pickSchema(value: unknown, schema: Record<string, unknown> | undefined): unknown {
  if (!schema || !isPlainObject(value)) return value;
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!props) return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(props)) {
    if (k === 'remote_data' || !(k in value)) continue;
    out[k] = pickSchema(value[k], sub);
  }
  return out;
}

function omitPath(value: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  if (!(head in value)) return value;
  const copy = { ...value };
  if (rest.length === 0) delete copy[head];
  else if (isPlainObject(copy[head])) copy[head] = omitPath(copy[head] as Record<string, unknown>, rest);
  return copy;
}
