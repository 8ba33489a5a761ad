import qs from 'qs';
import type { LoadedStep } from '../definition/loaded.js';
import { UnifiedError } from '../errors.js';
import type { BaseUrl } from './account-context.js';
import { evaluateNowOrFail } from './evaluate.js';
import { deepMerge, isPlainObject } from './merge.js';
import { expandPath, UrlValueError } from './url.js';

/** What one step sends, fully resolved. Pure data: printable by `explain`, sendable by the transport. */
export interface RemoteRequest {
  step: string;
  method: string;
  /** Absolute URL including the query string. */
  url: string;
  origin: string;
  /** Path plus query string, as sent on the wire. */
  path: string;
  headers: Record<string, string>;
  /** Serialized body, when there is one. */
  body?: string;
  /** The JSON value of the body, for display and fixtures. */
  json?: unknown;
  idempotent: boolean;
  secretHeaders: string[];
}

/** What request expressions read: `$` and the same values as $body, $query, $context, $steps. */
export interface RequestScope {
  body: Record<string, unknown>;
  query: Record<string, unknown>;
  context: Record<string, unknown>;
  steps: Record<string, StepResult>;
}

export interface StepResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface PlanInputs {
  baseUrl: BaseUrl;
  /** The integration's own headers, names in lower case. */
  staticHeaders: Record<string, string>;
  auth: { headers: Record<string, string>; secretHeaders: string[] };
  remoteQuery?: Record<string, unknown>;
  remoteData?: unknown;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Headers a mapping may not set: they belong to the transport or to auth. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'authorization', 'cookie', 'proxy-authorization', 'upgrade', 'te', 'trailer', 'keep-alive']);

/** An integration's static headers with lower-case names (computed once per headers object). */
const lowered = new WeakMap<Record<string, string>, Record<string, string>>();
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  let out = lowered.get(headers);
  if (!out) {
    out = {};
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
    lowered.set(headers, out);
  }
  return out;
}

/**
 * Plans one step's request. Expressions are evaluated in order (path parameters, query, headers,
 * body). Compiled ones answer synchronously, and then so does this (no promise, nothing awaited);
 * an interpreted one's promise is awaited where it comes, and the rest follows asynchronously.
 */
export function planRequest(step: LoadedStep, scope: RequestScope, inputs: PlanInputs): RemoteRequest | Promise<RemoteRequest> {
  const steps = plan(step, scope, inputs);
  let next = steps.next();
  while (!next.done) {
    if (next.value instanceof Promise) return planAsync(steps, next.value);
    next = steps.next(next.value);
  }
  return next.value;
}

async function planAsync(steps: Generator<unknown, RemoteRequest, unknown>, pending: Promise<unknown>): Promise<RemoteRequest> {
  let next = steps.next(await pending);
  while (!next.done) next = steps.next(next.value instanceof Promise ? await next.value : next.value);
  return next.value;
}

/** The planning itself: each `yield` hands over an expression's value (or its promise) and gets the value back. */
function* plan(step: LoadedStep, scope: RequestScope, inputs: PlanInputs): Generator<unknown, RemoteRequest, unknown> {
  const bindings = scope as unknown as Record<string, unknown>;

  const values: Record<string, unknown> = {};
  for (const [name, expr] of step.pathParams) values[name] = yield evaluateNowOrFail(expr, scope, bindings);
  let path: string;
  try {
    path = `${inputs.baseUrl.path}${expandPath(step.pathParts, values)}`;
  } catch (err) {
    if (err instanceof UrlValueError) {
      throw new UnifiedError('invalid_request', `Cannot build the request for step "${step.spec.name}": ${err.message}`, {
        details: [{ path: `path_params.${err.param}`, message: err.message }],
      });
    }
    throw err;
  }

  const queryValue = step.query ? yield evaluateNowOrFail(step.query, scope, bindings) : undefined;
  let query = toQueryObject(queryValue, step.spec.name);
  if (step.passthrough && inputs.remoteQuery && hasKeys(inputs.remoteQuery)) {
    query = { ...query, ...stripDangerous(inputs.remoteQuery) };
  }
  const search = hasKeys(query) ? qs.stringify(query, { arrayFormat: 'repeat', format: 'RFC3986', skipNulls: true, allowDots: false }) : '';
  const fullPath = search ? `${path}?${search}` : path;

  const headers: Record<string, string> = { accept: 'application/json', ...inputs.staticHeaders };
  const mapped = step.headers ? yield evaluateNowOrFail(step.headers, scope, bindings) : undefined;
  if (mapped !== undefined) {
    if (!isPlainObject(mapped)) throw definitionFailure(step, 'headers', 'must produce an object');
    for (const [k, v] of Object.entries(mapped)) {
      if (v === undefined || v === null) continue;
      const value = String(v);
      if (!HEADER_NAME.test(k) || /[\r\n\0]/.test(value)) {
        throw new UnifiedError('invalid_request', `Header "${k}" for step "${step.spec.name}" contains characters that are not allowed (CR, LF or NUL)`, { details: [{ path: `headers.${k}`, message: 'must not contain CR, LF or NUL' }] });
      }
      if (RESERVED_HEADERS.has(k.toLowerCase())) throw definitionFailure(step, 'headers', `may not set "${k}"`);
      headers[k.toLowerCase()] = value;
    }
  }
  Object.assign(headers, inputs.auth.headers);

  let json = step.body ? yield evaluateNowOrFail(step.body, scope, bindings) : undefined;
  if (step.passthrough && inputs.remoteData !== undefined) json = deepMerge(json, inputs.remoteData);
  let body: string | undefined;
  if (json !== undefined) {
    body = JSON.stringify(json);
    headers['content-type'] ??= 'application/json';
  } else if (step.spec.method === 'PUT' || step.spec.method === 'POST' || step.spec.method === 'PATCH') {
    // Some APIs answer 411 to a body-less PUT/POST without Content-Length; send an explicit empty body.
    body = '';
  }

  return {
    step: step.spec.name,
    method: step.spec.method,
    url: `${inputs.baseUrl.origin}${fullPath}`,
    origin: inputs.baseUrl.origin,
    path: fullPath,
    headers,
    body,
    json,
    idempotent: step.idempotent,
    secretHeaders: inputs.auth.secretHeaders,
  };
}

function hasKeys(value: Record<string, unknown>): boolean {
  for (const _ in value) return true;
  return false;
}

function toQueryObject(value: unknown, step: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new UnifiedError('definition_error', `The query mapping of step "${step}" must produce an object`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

/** `remote_query` comes from the caller: copy it without any key that could reach a prototype. */
function stripDangerous(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = isPlainObject(v) ? stripDangerous(v) : v;
  }
  return out;
}

function definitionFailure(step: LoadedStep, field: string, message: string): UnifiedError {
  return new UnifiedError('definition_error', `The ${field} mapping of step "${step.spec.name}" ${message}`);
}
