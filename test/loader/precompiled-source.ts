/**
 * Generates engine/loader/precompiled-validators.ts: the definition meta-schemas' validators and
 * the JSON Schema draft-07 meta-schema's, as ajv itself compiles them (ajv's standalone code), so
 * that start-up does not spend ~200 ms generating the same code in every process.
 *
 * The schemas are not copied into the generated file (they name providers in their examples, and
 * engine/ must not): every schema object the code refers to is looked up by JSON pointer in the
 * schemas the loader has read, which also makes `parentSchema` in errors the very object the hints read.
 *
 * Regenerate after changing schemas/definition/{integration,operation,unified-api}.schema.json or
 * upgrading ajv: `npx tsx test/loader/write-precompiled.ts` (test/loader/precompiled.test.ts fails
 * until then; the loader notices the change itself and compiles at run time meanwhile).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { _, type Ajv } from 'ajv';
import standaloneCodeImport from 'ajv/dist/standalone/index.js';
import { metaFingerprint, META_FILES } from '../../engine/loader/meta-schemas.js';
import { createAjv } from '../../engine/validation/ajv.js';

const standaloneCode = ((standaloneCodeImport as unknown as { default?: unknown }).default ?? standaloneCodeImport) as (ajv: Ajv, refs: Record<string, string>) => string;

export const GENERATED_FILE = 'engine/loader/precompiled-validators.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON text of every object and array inside `roots`, to the pointer of its first occurrence. */
function pointers(roots: Record<string, Json>): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  const walk = (root: string, value: Json, pointer: string) => {
    if (value === null || typeof value !== 'object') return;
    const text = JSON.stringify(value);
    if (!out.has(text)) out.set(text, [root, pointer]);
    for (const [k, v] of Object.entries(value)) walk(root, v as Json, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  for (const [name, schema] of Object.entries(roots)) walk(name, schema, '');
  return out;
}

/** End (exclusive) of the JSON literal starting at `start`. */
function literalEnd(code: string, start: number): number {
  let depth = 0;
  let i = start;
  let inString = false;
  for (; i < code.length; i++) {
    const c = code[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
    if (depth === 0 && i > start) break;
  }
  if (depth !== 0) throw new Error(`unterminated literal at ${start}`);
  return i + 1;
}

/**
 * One factory per ajv instance: standalone code wrapped in a function that receives the schemas,
 * the formats and ajv's runtime helpers, and returns the validators by name.
 */
function factory(name: string, ajv: Ajv, refs: Record<string, string>, roots: Record<string, Json>): string {
  let code = standaloneCode(ajv, refs);
  const exports = [...code.matchAll(/export const (\w+) = (validate\d+);/g)].map((m) => `${m[1]}: ${m[2]}`);
  code = code.replace(/export const \w+ = validate\d+;/g, '').replace(/^"use strict";/, '');
  const index = pointers(roots);
  let out = '';
  let last = 0;
  for (const m of code.matchAll(/const (schema\d+) = (?=[[{])/g)) {
    const start = m.index + m[0].length;
    const end = literalEnd(code, start);
    const key = JSON.stringify(JSON.parse(code.slice(start, end)));
    const at = index.get(key);
    if (!at) throw new Error(`${name}: a schema constant is not part of any root schema: ${key.slice(0, 80)}`);
    out += `${code.slice(last, start)}at(schemas[${JSON.stringify(at[0])}], ${JSON.stringify(at[1])})`;
    last = end;
  }
  out += code.slice(last);
  const helpers = new Map<string, string>();
  out = out.replace(/require\("(ajv\/dist\/runtime\/\w+)"\)\.default/g, (_m, mod: string) => {
    const id = `runtime_${mod.split('/').pop()}`;
    helpers.set(id, mod);
    return `${id}.default`;
  });
  return [
    `export function ${name}(schemas, formats, runtime) {`,
    ...[...helpers.keys()].map((id) => `  const ${id} = runtime.${id};`),
    `  const FORMATS = formats;`,
    out.trim(),
    `  return { ${exports.join(', ')} };`,
    `}`,
    `export const ${name}Runtime = [${[...helpers].map(([id, mod]) => JSON.stringify([id, mod])).join(', ')}];`,
  ].join('\n');
}

export function precompiledSource(schemasDir: string): string {
  const metas: Record<string, Json> = {};
  for (const [key, file] of Object.entries(META_FILES)) {
    const text = readFileSync(path.join(schemasDir, 'definition', file), 'utf8');
    metas[key] = JSON.parse(text) as Json;
  }
  // Exactly the instance options of loadMetaSchemas and of createAjv(), plus standalone code.
  const code = { source: true, esm: true, formats: _`FORMATS` };
  const metaAjv = createAjv({ strict: true, verbose: true, code });
  for (const [key, schema] of Object.entries(metas)) metaAjv.addSchema(schema as object, key);
  const definitions = factory('definitionValidators', metaAjv, Object.fromEntries(Object.keys(metas).map((k) => [k, k])), metas);

  const schemaAjv = createAjv({ code });
  const draft07Id = 'http://json-schema.org/draft-07/schema';
  const draft07 = schemaAjv.getSchema(draft07Id)?.schema as Json;
  const jsonSchema = factory('jsonSchemaValidators', schemaAjv, { draft07: draft07Id }, { draft07 });

  return [
    '// @ts-nocheck',
    '/* Generated by test/loader/write-precompiled.ts from schemas/definition/ and ajv; do not edit. */',
    `export const META_FINGERPRINT = ${JSON.stringify(metaFingerprint(Object.values(metas)))};`,
    '/** The schema object at a JSON pointer inside `root`. */',
    'function at(root, pointer) {',
    "  let value = root;",
    "  for (const part of pointer.split('/').slice(1)) value = value[part.replace(/~1/g, '/').replace(/~0/g, '~')];",
    '  if (value === undefined) throw new Error(`no schema at ${pointer}`);',
    '  return value;',
    '}',
    definitions,
    jsonSchema,
    '',
  ].join('\n');
}
