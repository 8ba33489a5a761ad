import type { LoadedIntegration } from '../definition/loaded.js';
import { deepFreeze } from '../deep-freeze.js';
import { UnifiedError } from '../errors.js';
import { isPlainObject } from './merge.js';
import { resolveBaseUrl, UrlValueError } from './url.js';

/** An account context after validation, with the schema's defaults filled in, and what it yields. */
export interface ResolvedContext {
  /** Deep-frozen: shared by every call of the same account context. */
  readonly context: Record<string, unknown>;
  readonly baseUrl: BaseUrl;
  /** The context as JSON text (when it is pure JSON), e.g. to key per-account state. */
  readonly json: string | undefined;
}

/** The resolved base URL, as the request planner reads it. */
export interface BaseUrl {
  /** `https://host[:port]` */
  readonly origin: string;
  /** The base path without a trailing slash (`''` for none). */
  readonly path: string;
}

/** Contexts larger than this (as JSON) are resolved on every call rather than remembered. */
const MAX_CACHED_JSON = 4096;

/**
 * Validating an account context (a copy, filled with the schema's defaults) and building its base URL
 * is the same work for every call of an account; it is done once per distinct context and kept,
 * bounded. The key is the context's JSON text, so a caller that changes its context object between
 * calls gets the new one checked; a context holding anything but JSON values is never cached.
 */
export class AccountContexts {
  /** Per integration, by the context's JSON text. */
  private readonly cache = new Map<LoadedIntegration, Map<string, ResolvedContext>>();

  constructor(private readonly maxEntries = 1000) {}

  /**
   * Per integration, by the context object itself, for deep-frozen contexts (the store's): such an
   * object can never change, so seeing it again needs neither its JSON text nor a new check.
   */
  private readonly frozen = new Map<LoadedIntegration, WeakMap<object, ResolvedContext>>();

  resolve(integration: LoadedIntegration, raw: unknown): ResolvedContext {
    const byObject = typeof raw === 'object' && raw !== null && Object.isFrozen(raw) ? this.frozen.get(integration) : undefined;
    const seen = byObject?.get(raw as object);
    if (seen) return seen;
    const json = jsonText(raw, 0);
    const cacheable = json !== undefined && json.length <= MAX_CACHED_JSON;
    let known = this.cache.get(integration);
    if (cacheable && known) {
      const hit = known.get(json);
      if (hit) return hit;
    }
    const resolved = resolveContext(integration, raw, json);
    if (cacheable) {
      if (!known) this.cache.set(integration, (known = new Map()));
      if (known.size >= this.maxEntries) known.delete(known.keys().next().value as string);
      known.set(json, resolved);
    }
    // Frozen at every depth: checked once here, true for good.
    if (typeof raw === 'object' && raw !== null && isDeepFrozen(raw, 0)) {
      let weak = this.frozen.get(integration);
      if (!weak) this.frozen.set(integration, (weak = new WeakMap()));
      weak.set(raw, resolved);
    }
    return resolved;
  }
}

function resolveContext(integration: LoadedIntegration, raw: unknown, json: string | undefined): ResolvedContext {
  const copied = isPlainObject(raw);
  const context = (copied ? structuredClone(raw) : raw) as Record<string, unknown>;
  if (!integration.validateContext(context)) {
    const details = (integration.validateContext.errors ?? []).map((e) => ({ path: `context${e.instancePath.replace(/\//g, '.')}`, message: e.message ?? 'is invalid' }));
    throw new UnifiedError('invalid_request', `The integrated account's context is not valid for ${integration.spec.label}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, { status: 422, details });
  }
  let url: URL;
  try {
    url = resolveBaseUrl(integration.spec.base_url, context);
  } catch (err) {
    if (err instanceof UrlValueError) throw new UnifiedError('invalid_request', `The integrated account's context cannot form a base URL: ${err.message}`, { status: 422 });
    throw err;
  }
  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  return { context: copied ? deepFreeze(context) : context, baseUrl: { origin: url.origin, path }, json };
}

/**
 * JSON text of `value` when it consists only of JSON values (plain objects, arrays, strings, finite
 * numbers, booleans, null), so that equal texts mean contexts that validate alike; else undefined.
 */
function jsonText(value: unknown, depth: number): string | undefined {
  if (depth === 0 && isFlatJson(value)) return JSON.stringify(value);
  if (depth > 16) return undefined;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return undefined;
          const item = jsonText(value[i], depth + 1);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) return undefined;
      let out = '{';
      let first = true;
      for (const k of Object.keys(value)) {
        const item = jsonText(value[k], depth + 1);
        if (item === undefined) return undefined;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${item}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/** A plain object whose fields are all strings, finite numbers, booleans or null (most contexts): JSON.stringify is exact for it. */
function isFlatJson(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const v = value[key];
    const t = typeof v;
    if (!(t === 'string' || t === 'boolean' || v === null || (t === 'number' && Number.isFinite(v)))) return false;
  }
  return true;
}

/**
 * Plain objects and arrays, frozen at every depth, holding data properties only: nothing about it
 * can change (a getter could answer differently on every read, so an accessor disqualifies it).
 */
function isDeepFrozen(value: object, depth: number): boolean {
  if (depth > 16 || !Object.isFrozen(value) || !(Array.isArray(value) || isPlainObject(value))) return false;
  const descriptors = Object.getOwnPropertyDescriptors(value);
  for (const key of Reflect.ownKeys(descriptors)) {
    const d = descriptors[key as string];
    if (!('value' in d)) return false;
    const v: unknown = d.value;
    if (typeof v === 'object' && v !== null && !isDeepFrozen(v, depth + 1)) return false;
  }
  return true;
}

