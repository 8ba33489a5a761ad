import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import equal from 'ajv/dist/runtime/equal.js';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import { createAjv, FORMATS } from '../validation/ajv.js';
import { definitionValidators, definitionValidatorsRuntime, jsonSchemaValidators, jsonSchemaValidatorsRuntime, META_FINGERPRINT } from './precompiled-validators.js';

export interface MetaSchemas {
  integration: { schema: object; validate: ValidateFunction };
  operation: { schema: object; validate: ValidateFunction };
  unifiedApi: { schema: object; validate: ValidateFunction };
}

/** The meta-schemas in schemas/definition/, by the name their validators have. */
export const META_FILES = { integration: 'integration.schema.json', operation: 'operation.schema.json', unifiedApi: 'unified-api.schema.json' } as const;

const cache = new Map<string, MetaSchemas>();

/**
 * ajv's runtime helpers the precompiled code calls (as `<name>.default`), by the name it gives them.
 * They are CommonJS with `exports.default`; depending on the loader, the default import is the
 * module or already its `.default`.
 */
const commonJsDefault = (mod: unknown): unknown => (typeof mod === 'function' ? mod : (mod as { default: unknown }).default);
const RUNTIME: Record<string, unknown> = { runtime_ucs2length: { default: commonJsDefault(ucs2length) }, runtime_equal: { default: commonJsDefault(equal) } };

/** A digest of the meta-schemas' content (not their formatting): what the precompiled validators were made from. */
export function metaFingerprint(schemas: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const schema of schemas) hash.update(JSON.stringify(schema)).update('\0');
  return hash.digest('hex');
}

/**
 * The hand-written meta-schemas in schemas/definition/, compiled once per schemas folder. When they
 * are the ones the engine ships (the usual case), the validators ajv generated for them ahead of
 * time (precompiled-validators.ts) are used, saving ajv's code generation at every start; a changed
 * or custom meta-schema is compiled here, as before.
 */
export function loadMetaSchemas(schemasDir: string): MetaSchemas {
  const cached = cache.get(schemasDir);
  if (cached) return cached;
  const schemas = Object.fromEntries(Object.entries(META_FILES).map(([key, file]) => [key, JSON.parse(readFileSync(path.join(schemasDir, 'definition', file), 'utf8')) as object])) as Record<keyof MetaSchemas, object>;
  let metas: MetaSchemas;
  const precompiled = metaFingerprint(Object.values(schemas)) === META_FINGERPRINT ? bind(definitionValidators as Factory, definitionValidatorsRuntime, schemas) : undefined;
  if (precompiled) {
    metas = {
      integration: { schema: schemas.integration, validate: precompiled.integration },
      operation: { schema: schemas.operation, validate: precompiled.operation },
      unifiedApi: { schema: schemas.unifiedApi, validate: precompiled.unifiedApi },
    };
  } else {
    // verbose: errors carry their parentSchema, which hints read (allowed fields, enum values, examples).
    const ajv = createAjv({ strict: true, verbose: true });
    metas = {
      integration: { schema: schemas.integration, validate: ajv.compile(schemas.integration) },
      operation: { schema: schemas.operation, validate: ajv.compile(schemas.operation) },
      unifiedApi: { schema: schemas.unifiedApi, validate: ajv.compile(schemas.unifiedApi) },
    };
  }
  cache.set(schemasDir, metas);
  return metas;
}

/** A generated factory: the validators, given the schemas they refer to, the formats and ajv's helpers. */
type Factory = (schemas: Record<string, object>, formats: typeof FORMATS, runtime: Record<string, unknown>) => Record<string, unknown>;

function bind(factory: Factory, runtime: readonly (readonly string[])[], schemas: Record<string, object>): Record<string, ValidateFunction> | undefined {
  if (runtime.some(([id]) => !(id in RUNTIME))) return undefined;
  const validators = factory(schemas, FORMATS, RUNTIME) as Record<string, ValidateFunction>;
  for (const [name, validate] of Object.entries(validators)) (validate as { schema?: unknown }).schema = schemas[name];
  return validators;
}

let draft07: ValidateFunction | undefined;

/**
 * Checks a JSON Schema (a unified schema, an integration's context or credentials schema) against
 * the draft-07 meta-schema, as ajv does before compiling it; the validator is precompiled, so this
 * costs no code generation. Returns ajv's own message for an invalid schema, undefined for a valid one.
 */
export function jsonSchemaProblem(schema: unknown): string | undefined {
  if (!draft07) {
    const meta = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as object;
    draft07 = bind(jsonSchemaValidators as Factory, jsonSchemaValidatorsRuntime, { draft07: meta })?.draft07 ?? createAjv().getSchema('http://json-schema.org/draft-07/schema')!;
  }
  if (typeof schema !== 'object' && typeof schema !== 'boolean') return 'schema must be object or boolean';
  if (draft07(schema)) return undefined;
  return `schema is invalid: ${errorsText(draft07.errors ?? [])}`;
}

/** ajv's `errorsText` with its defaults (`data` as the name of the value, ", " between errors). */
function errorsText(errors: ErrorObject[]): string {
  return errors.map((e) => `data${e.instancePath} ${e.message}`).join(', ');
}
