/**
 * Okta's official Management API OpenAPI 3.0.3 document
 * (shared/okta/openapi/management-minimal.yaml), loaded once per process, as
 * an oracle for tests: which documented operation a request is, which
 * statuses that operation documents, and ajv validators for its schemas.
 * Only usable where the shared folder exists (see shared-dir.ts).
 */

import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { parse } from 'yaml';

import { sharedPath } from './shared-dir.js';

// ajv-formats is CommonJS; under NodeNext its callable default sits on `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv) => Ajv;

export const OKTA_OPENAPI_RELATIVE_PATH = ['okta', 'openapi', 'management-minimal.yaml'] as const;

/** `$id` under which the converted document is registered in ajv. */
export const OKTA_SCHEMA_ID = 'https://unimap.test/okta/management-minimal.json';

export interface OktaOperationMatch {
  operationId: string;
  pathTemplate: string;
}

export interface OktaOperation extends OktaOperationMatch {
  method: string;
  /** Documented response keys, e.g. ['204', '403', '404', '429']. */
  responses: string[];
}

type Obj = Record<string, unknown>;

interface Loaded {
  doc: Obj;
  operations: OktaOperation[];
  compiled: Array<{ op: OktaOperation; segments: Array<string | RegExp> }>;
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

let cache: Loaded | undefined;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * OpenAPI 3.0 Schema Object → JSON Schema ajv understands: `nullable: true`
 * becomes a `null` type/enum member (or an anyOf when there is no `type`, as
 * beside a `$ref`), and local `#/…` refs are made absolute so schemas taken
 * out of the document still resolve. Other OpenAPI and x-okta-* keywords are
 * left for ajv's non-strict mode to ignore.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable' || k === 'example' || k === 'examples' || k === 'discriminator') continue;
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#')) out[k] = `${OKTA_SCHEMA_ID}${v}`;
    else out[k] = toJsonSchema(v);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null'];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function collectFormats(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => collectFormats(n, into));
  else if (isObj(node)) {
    if (typeof node.format === 'string') into.add(node.format);
    for (const v of Object.values(node)) collectFormats(v, into);
  }
}

/** `{param}` = exactly one non-empty segment; anything else is literal. */
function compileTemplate(template: string): Array<string | RegExp> {
  return template.split('/').map((seg) => {
    if (!seg.includes('{')) return seg;
    const pattern = seg
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${pattern}$`);
  });
}

function load(): Loaded {
  if (cache) return cache;
  const text = readFileSync(sharedPath(...OKTA_OPENAPI_RELATIVE_PATH), 'utf8');
  const doc = parse(text, { maxAliasCount: -1 }) as Obj;
  const operations: OktaOperation[] = [];
  for (const [pathTemplate, item] of Object.entries((doc.paths ?? {}) as Obj)) {
    if (!isObj(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !isObj(op) || typeof op.operationId !== 'string') continue;
      operations.push({
        method: method.toUpperCase(),
        pathTemplate,
        operationId: op.operationId,
        responses: Object.keys(isObj(op.responses) ? op.responses : {}),
      });
    }
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false, allowUnionTypes: true });
  addFormats(ajv);
  const components = (doc.components ?? {}) as Obj;
  const formats = new Set<string>();
  collectFormats(components.schemas, formats);
  // Okta uses a few format names no validator defines (utf-8, opaque, …): accept any value for those.
  for (const f of formats) if (!(f in ajv.formats)) ajv.addFormat(f, true);
  ajv.addSchema({ $id: OKTA_SCHEMA_ID, components: { schemas: toJsonSchema(components.schemas) } });
  cache = {
    doc,
    operations,
    compiled: operations.map((op) => ({ op, segments: compileTemplate(op.pathTemplate) })),
    ajv,
    validators: new Map(),
  };
  return cache;
}

/** The parsed document (parsed once per process; ~1 s for 3.4 MB). */
export function oktaOpenApiDocument(): Obj {
  return load().doc;
}

export function oktaOperations(): readonly OktaOperation[] {
  return load().operations;
}

export function oktaOperation(operationId: string): OktaOperation | undefined {
  return load().operations.find((o) => o.operationId === operationId);
}

function segmentMatches(want: string | RegExp, got: string): boolean {
  if (typeof want !== 'string') return got !== '' && want.test(got);
  if (want === got) return true;
  try {
    return decodeURIComponent(got) === want;
  } catch {
    return false;
  }
}

/**
 * The documented operation a concrete request is. The path is split on raw
 * `/` before any decoding, so `%2F` inside an id stays in one segment. When
 * several templates match (`/groups/rules` vs `/groups/{groupId}`), the one
 * with a literal segment earliest wins, as in every OpenAPI router.
 */
export function matchOktaOperation(method: string, path: string): OktaOperationMatch | undefined {
  const pathname = path.split(/[?#]/, 1)[0];
  const got = pathname.split('/');
  const wantMethod = method.toUpperCase();
  let best: { op: OktaOperation; rank: string } | undefined;
  for (const { op, segments } of load().compiled) {
    if (op.method !== wantMethod || segments.length !== got.length) continue;
    if (!segments.every((s, i) => segmentMatches(s, got[i]))) continue;
    // '0' for a literal segment sorts before '1' for a parameter.
    const rank = segments.map((s) => (typeof s === 'string' ? '0' : '1')).join('');
    if (!best || rank < best.rank) best = { op, rank };
  }
  return best ? { operationId: best.op.operationId, pathTemplate: best.op.pathTemplate } : undefined;
}

/** Whether `status` is among the operation's documented responses (exact, `4XX`-style or `default`). */
export function isDocumentedStatus(operationId: string, status: number): boolean {
  const op = oktaOperation(operationId);
  if (!op) return false;
  const s = String(status);
  return op.responses.some((r) => r === s || r === 'default' || (/^[1-5]XX$/i.test(r) && r[0] === s[0]));
}

/** The ajv instance holding the converted document, for compiling further schemas against it. */
export function oktaAjv(): Ajv {
  return load().ajv;
}

function cachedCompile(key: string, schema: () => object): ValidateFunction {
  const l = load();
  let v = l.validators.get(key);
  if (!v) {
    v = l.ajv.compile(schema());
    l.validators.set(key, v);
  }
  return v;
}

/** A validator for `components.schemas[name]` (e.g. Group, User, Error). */
export function oktaSchemaValidator(name: string): ValidateFunction {
  const schemas = ((load().doc.components as Obj).schemas ?? {}) as Obj;
  if (!(name in schemas)) throw new Error(`okta openapi: no components.schemas.${name}`);
  return cachedCompile(`schema:${name}`, () => ({ $ref: `${OKTA_SCHEMA_ID}#/components/schemas/${name}` }));
}

function deref(node: unknown): unknown {
  let cur = node;
  for (let i = 0; i < 10 && isObj(cur) && typeof cur.$ref === 'string'; i++) {
    const pointer = cur.$ref.replace(/^#\//, '').split('/');
    cur = pointer.reduce<unknown>((acc, key) => (isObj(acc) ? acc[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), load().doc);
  }
  return cur;
}

/**
 * A validator for the `application/json` body the operation documents for
 * `status`, or undefined when that response has no JSON body (204s) or the
 * status is undocumented.
 */
export function oktaResponseValidator(operationId: string, status: number): ValidateFunction | undefined {
  const op = oktaOperation(operationId);
  if (!op) return undefined;
  const item = (load().doc.paths as Obj)[op.pathTemplate] as Obj;
  const responses = (item[op.method.toLowerCase()] as Obj).responses as Obj;
  const response = deref(responses[String(status)]);
  if (!isObj(response) || !isObj(response.content)) return undefined;
  const media = response.content['application/json'];
  if (!isObj(media) || media.schema === undefined) return undefined;
  return cachedCompile(`response:${operationId}:${status}`, () => toJsonSchema(media.schema) as object);
}
