import path from 'node:path';
import type { Ajv } from 'ajv';
import type { LoadedDefinitions, LoadedIntegration } from '../definition/loaded.js';
import { DefinitionLoadError, type DefinitionIssue } from '../errors.js';
import type { ExpressionCompiler } from '../expression/types.js';
import { createAjv } from '../validation/ajv.js';
import { isDirectory, listDir, readSource } from './files.js';
import { loadIntegration } from './load-integration.js';
import { loadOperation } from './load-operation.js';
import { loadMetaSchemas } from './meta-schemas.js';
import { positionAt } from './yaml-source.js';
import { loadUnifiedCatalog } from './unified-catalog.js';

export interface LoadOptions {
  integrationsDir: string;
  schemasDir: string;
  compiler: ExpressionCompiler;
  /** Only these integrations (folder names); all when absent. */
  only?: string[];
  /** File names in issues are shown relative to this folder (default: the current directory). */
  displayRoot?: string;
  /** The ajv instance that will hold the runtime validators; a fresh one when absent. */
  ajv?: Ajv;
}

export interface LoadResult {
  definitions: LoadedDefinitions;
  /** Every problem found, errors and warnings, in file order. */
  issues: DefinitionIssue[];
}

/**
 * The one loader, used by the runtime, the CLI and the mapping-test runner alike: reads every
 * definition, checks it against the meta-schemas and the unified catalogue, compiles every
 * expression and validator, and collects all issues rather than stopping at the first.
 */
export async function loadDefinitions(options: LoadOptions): Promise<LoadResult> {
  const issues: DefinitionIssue[] = [];
  const displayRoot = options.displayRoot ?? process.cwd();
  const ajv = options.ajv ?? createAjv();
  const metas = loadMetaSchemas(options.schemasDir);
  const catalog = await loadUnifiedCatalog(options.schemasDir, displayRoot, ajv, metas, issues);
  const integrations = new Map<string, LoadedIntegration>();

  for (const name of await listDir(options.integrationsDir)) {
    if (options.only && !options.only.includes(name)) continue;
    const dir = path.join(options.integrationsDir, name);
    if (!(await isDirectory(dir))) continue;
    const integrationFile = path.join(dir, 'integration.yaml');
    const source = await readSource(integrationFile, displayRoot, issues);
    if (!source) continue;
    const integration = loadIntegration(source, name, { ajv, metas, compiler: options.compiler }, issues);

    for (const entry of await listDir(dir)) {
      if (entry === 'integration.yaml' || !/\.ya?ml$/.test(entry)) continue;
      const opSource = await readSource(path.join(dir, entry), displayRoot, issues);
      // Operations are still checked when integration.yaml is broken, so one load reports everything.
      if (!opSource || !integration) continue;
      const operation = loadOperation(opSource, entry.replace(/\.ya?ml$/, ''), integration, catalog, { metas, compiler: options.compiler }, issues);
      if (!operation) continue;
      const existing = integration.operations.get(operation.key);
      if (existing) {
        issues.push({ code: 'operation.duplicate', file: opSource.file, ...positionAt(opSource, ['method']), path: 'method', message: `${operation.key} is already defined in ${existing.file}`, hint: 'Keep one definition per operation.', severity: 'error' });
        continue;
      }
      integration.operations.set(operation.key, operation);
    }
    if (integration) integrations.set(name, integration);
  }
  return { definitions: { catalog, integrations }, issues };
}

/** Loads and throws `DefinitionLoadError` (with every issue) when anything is wrong. */
export async function loadDefinitionsOrThrow(options: LoadOptions): Promise<LoadedDefinitions> {
  const { definitions, issues } = await loadDefinitions(options);
  if (issues.some((i) => i.severity !== 'warning')) throw new DefinitionLoadError(issues);
  return definitions;
}
