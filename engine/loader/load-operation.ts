import type { LoadedIntegration, LoadedOperation, LoadedStep, UnifiedCatalog } from '../definition/loaded.js';
import type { OperationSpec } from '../definition/types.js';
import type { DefinitionIssue } from '../errors.js';
import type { ExpressionCompiler } from '../expression/types.js';
import { parseTemplate } from '../runtime/url.js';
import { compileAt } from './compile-expression.js';
import { loadPagination } from './load-pagination.js';
import type { MetaSchemas } from './meta-schemas.js';
import { buildsFreshObject, checkReads, checkWrites, schemaProperties } from './reference-checks.js';
import { validateAgainst } from './schema-issues.js';
import { closest } from './spelling.js';
import { formatPath, positionAt, type PathSegment, type YamlSource } from './yaml-source.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

export function loadOperation(
  source: YamlSource,
  fileStem: string,
  integration: LoadedIntegration,
  catalog: UnifiedCatalog,
  deps: { metas: MetaSchemas; compiler: ExpressionCompiler },
  issues: DefinitionIssue[],
): LoadedOperation | undefined {
  const found = validateAgainst(source, deps.metas.operation.validate, deps.metas.operation.schema);
  issues.push(...found);
  if (found.length) return undefined;
  const spec = source.value as OperationSpec;
  const file = source.file;
  const before = issues.length;
  const issue = (code: string, path: PathSegment[], message: string, hint: string, key = false) =>
    issues.push({ code, file, ...positionAt(source, path, { key }), path: formatPath(path), message, hint, severity: 'error' });

  const key = `${spec.model}/${spec.resource}/${spec.method}`;
  if (fileStem !== `${spec.resource}.${spec.method}`) {
    issue('operation.file-name', ['resource'], `file is named "${fileStem}.yaml" but defines ${spec.resource}.${spec.method}`, `Rename the file to ${spec.resource}.${spec.method}.yaml, or fix resource/method.`);
  }
  const unified = catalog.methods.get(key);
  if (!unified) {
    const model = catalog.models.get(spec.model);
    if (!model) {
      issue('operation.unknown-model', ['model'], `unknown unified model "${spec.model}"`, hintFrom(spec.model, [...catalog.models.keys()], 'Models are folders under schemas/unified/'));
    } else if (!model.spec.resources[spec.resource]) {
      issue('operation.unknown-resource', ['resource'], `model "${spec.model}" has no resource "${spec.resource}"`, hintFrom(spec.resource, Object.keys(model.spec.resources), `Resources are declared in ${model.file}`));
    } else {
      issue('operation.unknown-method', ['method'], `resource "${spec.resource}" has no method "${spec.method}"`, hintFrom(spec.method, Object.keys(model.spec.resources[spec.resource].methods), `Methods are declared in ${model.file}`));
    }
    return undefined;
  }

  const bodyFields = schemaProperties(unified.bodySchema)?.filter((f) => f !== 'remote_data');
  const queryFields = schemaProperties(unified.querySchema);
  for (const [where, fields] of [['body', bodyFields], ['query', queryFields]] as const) {
    (spec.requires?.[where] ?? []).forEach((field, i) => {
      if (fields && !fields.includes(field)) {
        issue('operation.requires-unknown', ['requires', where, i], `requires ${where} field "${field}", which the unified ${where} schema does not have`, hintFrom(field, fields, `Known ${where} fields: ${fields.join(', ')}`));
      }
    });
  }

  const contextFields = schemaProperties(integration.spec.context_schema);
  const readRoots = {
    body: { label: 'unified request body', properties: bodyFields },
    $body: { label: 'unified request body', properties: bodyFields },
    query: { label: 'unified query', properties: queryFields },
    $query: { label: 'unified query', properties: queryFields },
    context: { label: 'account context', properties: contextFields },
    $context: { label: 'account context', properties: contextFields },
    steps: { label: 'operation', properties: spec.steps.map((s) => s.name) },
    $steps: { label: 'operation', properties: spec.steps.map((s) => s.name) },
  };
  const compileRequestExpr = (path: PathSegment[], text: string | undefined) => {
    if (text === undefined) return undefined;
    const expression = compileAt(deps.compiler, source, path, text, issues);
    if (expression) checkReads(source, path, text, readRoots, issues);
    return expression;
  };

  const names = new Set<string>();
  const explicitPassthrough = spec.steps.filter((s) => s.passthrough === true);
  if (explicitPassthrough.length > 1) {
    issue('operation.passthrough', ['steps'], 'more than one step sets passthrough: true', 'Mark only the main request (the one that receives remote_query and remote_data).');
  }
  const defaultPassthrough = explicitPassthrough.length
    ? -1
    : Math.max(0, spec.steps.findIndex((s) => s.method !== 'GET' && s.method !== 'HEAD'));

  const steps: LoadedStep[] = spec.steps.map((step, index) => {
    const at: PathSegment[] = ['steps', index];
    if (names.has(step.name)) issue('operation.duplicate-step', [...at, 'name'], `step name "${step.name}" is used twice`, 'Give every step a unique name.');
    names.add(step.name);

    const template = parseTemplate(step.path);
    const bound = step.path_params ?? {};
    for (const part of template.parts) {
      if ('param' in part && part.multi) {
        issue('path.multi-segment', [...at, 'path'], `{${part.param}*} is only allowed in an integration's base_url`, `Use {${part.param}}: a step's path parameters are always one encoded segment.`);
      }
    }
    for (const param of template.params) {
      if (!(param in bound)) {
        issue('path.unbound-param', [...at, 'path'], `path parameter {${param}} has no value in path_params`, `Add path_params.${param} with an expression, e.g. ${param}: ${step.method === 'GET' || step.method === 'DELETE' || step.method === 'HEAD' ? 'query' : 'body'}.${camelToSnake(param)}. ${guessFrom(param, Object.keys(bound))}`.trim());
      }
    }
    for (const name of Object.keys(bound)) {
      if (!template.params.includes(name)) {
        issue('path.unused-param', [...at, 'path_params', name], `path_params.${name} is not used in the path "${step.path}"`, `${guessFrom(name, template.params) || `Add {${name}} to the path or remove this entry.`}`, true);
      }
    }
    const pathParams = Object.entries(bound)
      .map(([name, text]) => [name, compileRequestExpr([...at, 'path_params', name], text)] as const)
      .filter((p): p is [string, NonNullable<(typeof p)[1]>] => p[1] !== undefined);

    return {
      spec: step,
      index,
      pathParts: template.parts,
      pathParams,
      when: compileRequestExpr([...at, 'when'], step.when),
      query: compileRequestExpr([...at, 'query'], step.query),
      headers: compileRequestExpr([...at, 'headers'], step.headers),
      body: compileRequestExpr([...at, 'body'], step.body),
      passthrough: step.passthrough === true || index === defaultPassthrough,
      idempotent: step.idempotent ?? SAFE_METHODS.has(step.method),
      success: step.success ? new Set(step.success) : undefined,
      successWhen: step.success_when === undefined ? undefined : compileAt(deps.compiler, source, [...at, 'success_when'], step.success_when, issues),
    };
  });

  let responseSteps = [steps.length - 1];
  if (spec.response.step !== undefined) {
    const wanted = Array.isArray(spec.response.step) ? spec.response.step : [spec.response.step];
    responseSteps = [];
    wanted.forEach((name, i) => {
      const index = spec.steps.findIndex((s) => s.name === name);
      if (index >= 0) responseSteps.push(index);
      else issue('operation.unknown-step', Array.isArray(spec.response.step) ? ['response', 'step', i] : ['response', 'step'], `response.step "${name}" is not a step of this operation`, hintFrom(name, [...names], 'Steps'));
    });
  }
  for (const [where, fields] of [['body', bodyFields], ['query', queryFields]] as const) {
    (spec.unsupported?.[where] ?? []).forEach((field, i) => {
      if (fields && !fields.includes(field)) issue('operation.unsupported-unknown', ['unsupported', where, i], `unsupported ${where} field "${field}" is not a field of the unified ${where}`, hintFrom(field, fields, `Known ${where} fields`));
      if (spec.requires?.[where]?.includes(field)) issue('operation.unsupported-required', ['unsupported', where, i], `"${field}" is both required and unsupported`, 'Remove it from one of the two lists.');
    });
  }
  const mappingPath: PathSegment[] = ['response', 'mapping'];
  const mapping = compileAt(deps.compiler, source, mappingPath, spec.response.mapping, issues);
  if (mapping) {
    checkReads(source, mappingPath, spec.response.mapping, {
      '$request.body': readRoots.body,
      '$request.query': readRoots.query,
      $context: readRoots.context,
      $steps: readRoots.steps,
    }, issues);
    checkWrites(source, mappingPath, spec.response.mapping, unified.resource.replace(/s$/, ''), schemaProperties(unified.resourceSchema), issues);
  }

  const isList = unified.spec.result === 'list';
  let items;
  let pagination = integration.pagination;
  if (isList) {
    items = spec.response.items === undefined ? undefined : compileAt(deps.compiler, source, ['response', 'items'], spec.response.items, issues);
    if (spec.pagination) pagination = loadPagination(spec.pagination, source, ['pagination'], deps.compiler, issues);
  } else {
    if (spec.response.items !== undefined) issue('operation.items-not-list', ['response', 'items'], `response.items applies to list methods; ${key} returns ${unified.spec.result === 'none' ? 'nothing' : 'one object'}`, 'Remove response.items.', true);
    if (spec.pagination) issue('operation.pagination-not-list', ['pagination'], `pagination applies to list methods; ${key} is not one`, 'Remove pagination from this operation.', true);
  }

  if (issues.length > before || !mapping) return undefined;
  const freshResult = buildsFreshObject(spec.response.mapping);
  return { integration: integration.name, file, key, spec, unified, steps, responseSteps, mapping, freshResult, items, pagination };
}

function hintFrom(word: string, candidates: string[], fallback: string): string {
  const guess = closest(word, candidates);
  return guess ? `Did you mean "${guess}"?` : `${fallback}: ${candidates.join(', ') || '(none yet)'}.`;
}

function guessFrom(word: string, candidates: string[]): string {
  const guess = closest(word, candidates);
  return guess ? `Did you mean {${guess}}?` : '';
}

function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
