import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { createAjv } from '../validation/ajv.js';

export interface FixtureMetaSchema {
  schema: object;
  validate: ValidateFunction;
}

const cache = new Map<string, FixtureMetaSchema>();

/** schemas/definition/fixture.schema.json, compiled strict like the definition meta-schemas. */
export function fixtureMetaSchema(schemasDir: string): FixtureMetaSchema {
  const cached = cache.get(schemasDir);
  if (cached) return cached;
  // verbose: errors carry their parentSchema, which the hints read (allowed fields, enum values, examples).
  const ajv = createAjv({ strict: true, verbose: true });
  const schema = JSON.parse(readFileSync(path.join(schemasDir, 'definition', 'fixture.schema.json'), 'utf8')) as object;
  const meta = { schema, validate: ajv.compile(schema) };
  cache.set(schemasDir, meta);
  return meta;
}
