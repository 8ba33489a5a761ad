import type { Ajv, ValidateFunction } from 'ajv';
import { jsonSchemaProblem } from './meta-schemas.js';

/**
 * A schema's validator, compiled when first used rather than at load: ajv's code generation is
 * most of what loading costs, and most operations of a process are never called. What would make
 * compiling fail is still found at load: `check` reports a schema that is not valid draft-07 (the
 * same message ajv's compile gives), and a schema that refers elsewhere (`$ref`) or uses a
 * discriminator, whose problems only compiling finds, is compiled at once.
 */
export function lazyValidator(ajv: Ajv | (() => Ajv), schema: unknown, compile?: (ajv: Ajv) => ValidateFunction): { problem?: string; get: () => ValidateFunction } {
  const instance = () => (typeof ajv === 'function' ? ajv() : ajv);
  const build = () => (compile ? compile(instance()) : instance().compile(schema as object));
  const problem = jsonSchemaProblem(schema);
  if (problem) return { problem, get: () => build() };
  if (needsCompileNow(schema, 0)) {
    try {
      const compiled = build();
      return { get: () => compiled };
    } catch (err) {
      return { problem: (err as Error).message, get: () => build() };
    }
  }
  let compiled: ValidateFunction | undefined;
  return { get: () => (compiled ??= build()) };
}

function needsCompileNow(schema: unknown, depth: number): boolean {
  if (schema === null || typeof schema !== 'object' || depth > 64) return false;
  if (Array.isArray(schema)) return schema.some((s) => needsCompileNow(s, depth + 1));
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' || key === 'discriminator' || key === '$data') return true;
    if (needsCompileNow(value, depth + 1)) return true;
  }
  return false;
}
