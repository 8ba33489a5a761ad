import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import type { UnifiedCatalog, UnifiedMethod } from '../definition/loaded.js';
import type { UnifiedModelSpec } from '../definition/types.js';
import type { DefinitionIssue } from '../errors.js';
import { isDirectory, listDir, readSource } from './files.js';
import { lazyValidator } from './lazy-validator.js';
import type { MetaSchemas } from './meta-schemas.js';
import { validateAgainst } from './schema-issues.js';
import { positionAt } from './yaml-source.js';

/**
 * Loads schemas/unified/<model>/api.json and the JSON Schemas it names, with one validator per
 * schema in `ajv` (the runtime's instance, so validators are shared and cached), compiled on first use.
 */
export async function loadUnifiedCatalog(
  schemasDir: string,
  displayRoot: string,
  ajv: () => Ajv,
  metas: MetaSchemas,
  issues: DefinitionIssue[],
): Promise<UnifiedCatalog> {
  const catalog: UnifiedCatalog = { models: new Map(), methods: new Map() };
  const unifiedDir = path.join(schemasDir, 'unified');
  for (const model of await listDir(unifiedDir)) {
    const modelDir = path.join(unifiedDir, model);
    if (!(await isDirectory(modelDir))) continue;
    const apiFile = path.join(modelDir, 'api.json');
    const source = await readSource(apiFile, displayRoot, issues);
    if (!source) continue;
    const found = validateAgainst(source, metas.unifiedApi.validate, metas.unifiedApi.schema);
    issues.push(...found);
    if (found.length) continue;
    const spec = source.value as UnifiedModelSpec;
    if (spec.model !== model) {
      issues.push({ code: 'catalog.model-name', file: source.file, ...positionAt(source, ['model']), path: 'model', message: `model "${spec.model}" does not match its folder "${model}"`, hint: `Rename the folder or set model: ${model}.`, severity: 'error' });
      continue;
    }
    catalog.models.set(model, { spec, file: source.file });

    const schemaCache = new Map<string, { schema: Record<string, unknown>; validate: () => ValidateFunction } | undefined>();
    const loadSchema = async (file: string, at: (string | number)[]) => {
      if (schemaCache.has(file)) return schemaCache.get(file);
      const full = path.join(modelDir, file);
      let result: { schema: Record<string, unknown>; validate: () => ValidateFunction } | undefined;
      if (!existsSync(full)) {
        issues.push({ code: 'catalog.missing-schema', file: source.file, ...positionAt(source, at), path: at.join('.'), message: `schema file "${file}" not found beside api.json`, hint: `Create ${path.join('schemas/unified', model, file)} or fix the name.`, severity: 'error' });
      } else {
        const schemaSource = await readSource(full, displayRoot, issues);
        const schema = schemaSource?.value as Record<string, unknown> | undefined;
        if (schemaSource && schema) {
          // Compiled on first use (see lazyValidator); a schema with an $id compiles once per ajv instance.
          const validator = lazyValidator(ajv, schema, (instance) => instance.getSchema(String(schema.$id ?? '')) ?? instance.compile(schema));
          if (validator.problem) {
            issues.push({ code: 'catalog.invalid-schema', file: schemaSource.file, line: 1, col: 1, path: '', message: `not a valid JSON Schema: ${validator.problem}`, hint: 'Check the schema against draft-07.', severity: 'error' });
          } else result = { schema, validate: validator.get };
        }
      }
      schemaCache.set(file, result);
      return result;
    };

    for (const [resource, rspec] of Object.entries(spec.resources)) {
      const resourceSchema = await loadSchema(rspec.schema, ['resources', resource, 'schema']);
      for (const [method, mspec] of Object.entries(rspec.methods)) {
        const at = ['resources', resource, 'methods', method];
        const body = mspec.body ? await loadSchema(mspec.body, [...at, 'body']) : undefined;
        const query = mspec.query ? await loadSchema(mspec.query, [...at, 'query']) : undefined;
        if (!resourceSchema || (mspec.body && !body) || (mspec.query && !query)) continue;
        const entry: UnifiedMethod = {
          model,
          resource,
          method,
          key: `${model}/${resource}/${method}`,
          spec: mspec,
          resourceSchema: resourceSchema.schema,
          get validateResource() {
            return resourceSchema.validate();
          },
          bodySchema: body?.schema,
          get validateBody() {
            return body?.validate();
          },
          querySchema: query?.schema,
          get validateQuery() {
            return query?.validate();
          },
        };
        catalog.methods.set(entry.key, entry);
      }
    }
  }
  return catalog;
}
