import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { createAjv } from '../validation/ajv.js';

export interface MetaSchemas {
  integration: { schema: object; validate: ValidateFunction };
  operation: { schema: object; validate: ValidateFunction };
  unifiedApi: { schema: object; validate: ValidateFunction };
}

const cache = new Map<string, MetaSchemas>();

/** The hand-written meta-schemas in schemas/definition/, compiled once per schemas folder. */
export function loadMetaSchemas(schemasDir: string): MetaSchemas {
  const cached = cache.get(schemasDir);
  if (cached) return cached;
  // verbose: errors carry their parentSchema, which hints read (allowed fields, enum values, examples).
  const ajv = createAjv({ strict: true, verbose: true });
  const load = (name: string) => {
    const schema = JSON.parse(readFileSync(path.join(schemasDir, 'definition', name), 'utf8')) as object;
    return { schema, validate: ajv.compile(schema) };
  };
  const metas: MetaSchemas = {
    integration: load('integration.schema.json'),
    operation: load('operation.schema.json'),
    unifiedApi: load('unified-api.schema.json'),
  };
  cache.set(schemasDir, metas);
  return metas;
}
