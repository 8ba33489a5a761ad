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
import { positionAt, type YamlSource } from './yaml-source.js';
import { closest } from './spelling.js';
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
  // The runtime's validators are compiled on first use; so is the ajv instance that holds them.
  let runtimeAjv = options.ajv;
  const ajv = () => (runtimeAjv ??= createAjv());
  const metas = loadMetaSchemas(options.schemasDir);
  const catalog = await loadUnifiedCatalog(options.schemasDir, displayRoot, ajv, metas, issues);
  const integrations = new Map<string, LoadedIntegration>();

  // Pass 1: read every integration folder, so `extends` can name any of them.
  const folders = new Map<string, { dir: string; source: YamlSource; operationFiles: string[] }>();
  for (const name of await listDir(options.integrationsDir)) {
    const dir = path.join(options.integrationsDir, name);
    if (!(await isDirectory(dir))) continue;
    const source = await readSource(path.join(dir, 'integration.yaml'), displayRoot, issues);
    if (!source) continue;
    const operationFiles = (await listDir(dir)).filter((entry) => entry !== 'integration.yaml' && /\.ya?ml$/.test(entry));
    folders.set(name, { dir, source, operationFiles });
  }

  // Pass 2: load each wanted integration after the one it extends.
  const deps = { ajv, metas, compiler: options.compiler };
  const loading = new Set<string>();
  const load = async (name: string): Promise<LoadedIntegration | undefined> => {
    if (integrations.has(name)) return integrations.get(name);
    const folder = folders.get(name);
    if (!folder || loading.has(name)) return undefined;
    loading.add(name);
    const raw = folder.source.value as { extends?: unknown } | undefined;
    let parent: LoadedIntegration | undefined;
    if (raw && typeof raw.extends === 'string') {
      const parentName = raw.extends;
      parent = folders.has(parentName) && !loading.has(parentName) ? await load(parentName) : undefined;
      if (!parent) {
        const why = !folders.has(parentName) ? 'there is no such integration' : loading.has(parentName) ? 'the chain of extends loops' : 'it has errors';
        issues.push({ code: 'integration.extends', file: folder.source.file, ...positionAt(folder.source, ['extends']), path: 'extends', message: `cannot extend "${parentName}": ${why}`, hint: why === 'there is no such integration' ? hintFromNames(parentName, [...folders.keys()]) : 'Fix the extended integration first.', severity: 'error' });
        return undefined;
      }
    }
    const integration = loadIntegration(folder.source, name, deps, issues, parent?.spec);
    const own = new Set<string>();
    for (const entry of folder.operationFiles) {
      const opSource = await readSource(path.join(folder.dir, entry), displayRoot, issues);
      // Operations are still checked when integration.yaml is broken, so one load reports everything.
      if (!opSource || !integration) continue;
      const operation = loadOperation(opSource, entry.replace(/\.ya?ml$/, ''), integration, catalog, { metas, compiler: options.compiler }, issues);
      if (!operation) continue;
      const existing = integration.operations.get(operation.key);
      if (existing) {
        issues.push({ code: 'operation.duplicate', file: opSource.file, ...positionAt(opSource, ['method']), path: 'method', message: `${operation.key} is already defined in ${existing.file}`, hint: 'Keep one definition per operation.', severity: 'error' });
        continue;
      }
      own.add(operation.key);
      integration.operations.set(operation.key, operation);
    }
    if (integration && parent) {
      // Inherited operations are compiled again against this integration (its pagination, its context).
      const parentFolder = folders.get(parent.name)!;
      for (const [key, inherited] of parent.operations) {
        if (own.has(key)) continue;
        const entry = parentFolder.operationFiles.find((f) => f.replace(/\.ya?ml$/, '') === `${inherited.spec.resource}.${inherited.spec.method}`);
        const opSource = entry && (await readSource(path.join(parentFolder.dir, entry), displayRoot, issues));
        const operation = opSource && loadOperation(opSource, entry.replace(/\.ya?ml$/, ''), integration, catalog, { metas, compiler: options.compiler }, issues);
        if (operation) integration.operations.set(key, operation);
      }
    }
    loading.delete(name);
    if (integration) integrations.set(name, integration);
    return integration;
  };
  for (const name of folders.keys()) {
    if (options.only && !options.only.includes(name)) continue;
    await load(name);
  }
  // Integrations loaded only because a wanted one extends them are not served.
  if (options.only) for (const name of [...integrations.keys()]) if (!options.only.includes(name)) integrations.delete(name);
  return { definitions: { catalog, integrations }, issues };
}

/** Loads and throws `DefinitionLoadError` (with every issue) when anything is wrong. */
export async function loadDefinitionsOrThrow(options: LoadOptions): Promise<LoadedDefinitions> {
  const { definitions, issues } = await loadDefinitions(options);
  if (issues.some((i) => i.severity !== 'warning')) throw new DefinitionLoadError(issues);
  return definitions;
}

function hintFromNames(word: string, names: string[]): string {
  const guess = closest(word, names);
  return guess ? `Did you mean "${guess}"?` : `Integrations: ${names.join(', ')}.`;
}
