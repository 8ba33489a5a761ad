import path from 'node:path';
import qs from 'qs';
import type { LoadedDefinitions, LoadedIntegration, LoadedOperation } from '../definition/loaded.js';
import type { DefinitionIssue } from '../errors.js';
import { readSource } from '../loader/files.js';
import { validateAgainst } from '../loader/schema-issues.js';
import { closest } from '../loader/spelling.js';
import { formatPath, positionAt, type PathSegment } from '../loader/yaml-source.js';
import { fakeCredentials } from './fake-credentials.js';
import { checkExpectedBody, checkRequestBody } from './fixture-body-checks.js';
import { fixtureMetaSchema } from './fixture-schema.js';
import { DEFAULT_NOW, type CaseFields, type CaseSpec, type FixtureCase, type FixtureFileSpec } from './fixture-types.js';
import { stepForRequest } from './step-match.js';
import { owningIntegration } from './workspace.js';

export interface FixtureLoadContext {
  definitions: LoadedDefinitions;
  /** Issues the loader found in the definitions: a fixture of a broken definition is not blamed for it. */
  definitionIssues: readonly DefinitionIssue[];
  integrationsDir: string;
  schemasDir: string;
  displayRoot: string;
}

export interface LoadedFixtureFile {
  file: string;
  cases: FixtureCase[];
  /** Problems in the fixture itself, placed at file:line:col. */
  issues: DefinitionIssue[];
  /** Definition errors that keep some of its cases from running (already reported by the loader). */
  blockedBy: DefinitionIssue[];
}

/**
 * Reads one fixture file with the definitions' YAML reader, validates it against fixture.schema.json,
 * resolves each case's defaults and operation, and checks what can be checked without running it.
 */
export async function loadFixtureFile(absPath: string, ctx: FixtureLoadContext): Promise<LoadedFixtureFile> {
  const issues: DefinitionIssue[] = [];
  const result: LoadedFixtureFile = { file: path.relative(ctx.displayRoot, absPath).split(path.sep).join('/'), cases: [], issues, blockedBy: [] };
  const source = await readSource(absPath, ctx.displayRoot, issues);
  if (!source) return result;
  result.file = source.file;
  const meta = fixtureMetaSchema(ctx.schemasDir);
  const schemaIssues = validateAgainst(source, meta.validate, meta.schema);
  issues.push(...schemaIssues);
  if (schemaIssues.length) return result;

  const spec = (source.value ?? {}) as FixtureFileSpec;
  const issue = (code: string, at: PathSegment[], message: string, hint: string, opts: { key?: boolean; severity?: 'error' | 'warning' } = {}) =>
    issues.push({ code, file: source.file, ...positionAt(source, at, { key: opts.key }), path: formatPath(at), message, hint, severity: opts.severity ?? 'error' });

  if (spec.cases) {
    for (const field of ['expect', 'name'] as const) {
      if (spec[field] !== undefined) issue('fixture.top-level-with-cases', [field], `\`${field}\` at the top of a file with \`cases:\` applies to no case`, `Move \`${field}\` into each item of \`cases:\`.`, { key: true });
    }
    const seen = new Map<string, number>();
    spec.cases.forEach((c, i) => {
      if (seen.has(c.name)) issue('fixture.duplicate-case', ['cases', i, 'name'], `case name "${c.name}" is used twice in this file`, 'Give every case a unique name.');
      seen.set(c.name, i);
    });
  }

  const integrationName = spec.integration ?? integrationFromPath(absPath);
  if (!integrationName) {
    issue('fixture.no-integration', [], 'cannot tell which integration this fixture tests', 'Keep fixtures in integrations/<name>/tests/, or set `integration: <name>`.');
    return result;
  }
  const integration = ctx.definitions.integrations.get(integrationName);
  if (!integration) {
    const broken = definitionErrors(ctx, integrationName, 'integration.yaml');
    if (broken.length) result.blockedBy.push(...broken);
    else {
      const known = [...ctx.definitions.integrations.keys()];
      const guess = closest(integrationName, known);
      issue(
        'fixture.unknown-integration',
        spec.integration ? ['integration'] : [],
        `there is no integration "${integrationName}"`,
        guess ? `Did you mean "${guess}"?` : `Known integrations: ${known.join(', ') || '(none)'}. Each is a folder under ${path.relative(ctx.displayRoot, ctx.integrationsDir) || '.'} with an integration.yaml.`,
      );
    }
    return result;
  }

  const stem = path.basename(absPath).replace(/\.ya?ml$/, '');
  const caseSpecs: { spec: CaseSpec; base: PathSegment[] }[] = spec.cases
    ? spec.cases.map((c, i) => ({ spec: c, base: ['cases', i] }))
    : [{ spec: { ...spec, name: spec.name ?? (stem.split('.').slice(2).join('.') || stem) }, base: [] }];

  for (const { spec: own, base } of caseSpecs) {
    const fromFile = spec.cases ? spec : undefined;
    const at = (field: keyof CaseFields, ...rest: PathSegment[]): PathSegment[] => {
      const value = own[field] as Record<string, unknown> | undefined;
      const ownsIt = value !== undefined && ((field !== 'account' && field !== 'request') || rest.length === 0 || value[rest[0] as string] !== undefined);
      return ownsIt ? [...base, field, ...rest] : [field, ...rest];
    };
    const pick = <K extends keyof CaseFields>(field: K): CaseFields[K] => own[field] ?? fromFile?.[field];
    const before = issues.length;

    const operation = findOperation(integration, pick('operation'), stem, at, issue, ctx, result);
    if (!operation) continue;

    const account = {
      context: own.account?.context ?? fromFile?.account?.context ?? {},
      credentials: own.account?.credentials ?? fromFile?.account?.credentials ?? fakeCredentials(integration.spec.auth),
    };
    const request = { query: own.request?.query ?? fromFile?.request?.query, body: own.request?.body ?? fromFile?.request?.body };
    const exchanges = pick('exchanges');
    const expect = own.expect;
    const query = typeof request.query === 'string' ? (qs.parse(request.query.replace(/^\?/, ''), { depth: 5, arrayLimit: 100 }) as Record<string, unknown>) : (request.query ?? {});
    const nowText = pick('now');

    checkExchanges(exchanges ?? [], operation, (i, ...rest) => at('exchanges', i, ...rest), issue);
    if (expect?.error?.message_pattern !== undefined) {
      try {
        new RegExp(expect.error.message_pattern);
      } catch (err) {
        issue('fixture.bad-pattern', [...base, 'expect', 'error', 'message_pattern'], `not a valid regular expression: ${(err as Error).message}`, 'Escape ( ) [ ] . * + ? with a backslash, or use `message` for plain text.');
      }
    }
    if (!expect?.error) {
      issues.push(...checkRequestBody(source, at('request', 'body'), request.body, operation));
      if (expect) issues.push(...checkExpectedBody(source, [...base, 'expect'], expect, operation, query));
    }
    if (issues.slice(before).some((i) => i.severity !== 'warning')) continue;

    result.cases.push({
      file: source.file,
      line: positionAt(source, base).line,
      name: own.name,
      description: own.description ?? (spec.cases ? undefined : spec.description),
      integration: integration.name,
      operation,
      account,
      now: nowText ? Date.parse(nowText) : DEFAULT_NOW,
      query,
      body: request.body,
      exchanges,
      expect,
      source,
      at,
    });
  }
  return result;
}

type IssueFn = (code: string, at: PathSegment[], message: string, hint: string, opts?: { key?: boolean; severity?: 'error' | 'warning' }) => void;

function findOperation(
  integration: LoadedIntegration,
  declared: string | undefined,
  stem: string,
  at: (field: keyof CaseFields) => PathSegment[],
  issue: IssueFn,
  ctx: FixtureLoadContext,
  result: LoadedFixtureFile,
): LoadedOperation | undefined {
  const available = [...integration.operations.values()];
  const names = available.map((o) => `${o.unified.resource}.${o.unified.method}`);
  let resource: string;
  let method: string;
  if (declared) {
    const op = integration.operations.get(declared);
    if (op) return op;
    [, resource, method] = declared.split('/');
  } else {
    const parts = stem.split('.');
    if (parts.length < 2) {
      issue('fixture.no-operation', [], `cannot tell which operation "${stem}" tests`, 'Name the file <resource>.<method>.<case>.yaml (e.g. groups.add.success.yaml), or set `operation: <model>/<resource>/<method>`.');
      return undefined;
    }
    [resource, method] = parts;
    const matches = available.filter((o) => o.unified.resource === resource && o.unified.method === method);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      issue('fixture.ambiguous-operation', [], `${integration.name} defines ${resource}.${method} in several models (${matches.map((m) => m.unified.model).join(', ')})`, `Set \`operation:\` to one of: ${matches.map((m) => m.key).join(', ')}.`);
      return undefined;
    }
  }
  const broken = definitionErrors(ctx, integration.name, `${resource}.${method}.yaml`);
  if (broken.length) {
    result.blockedBy.push(...broken);
    return undefined;
  }
  const wanted = declared ?? `${resource}.${method}`;
  const guess = closest(`${resource}.${method}`, names);
  const where = declared ? at('operation') : [];
  issue(
    'fixture.unknown-operation',
    where,
    `${integration.name} has no definition for ${wanted}${declared ? '' : ` (from the file name "${stem}")`}`,
    guess
      ? `Did you mean ${declared ? `"${available[names.indexOf(guess)].key}"` : `${guess} (rename the file to ${guess}.${stem.split('.').slice(2).join('.') || 'case'}.yaml)`}?`
      : `Definitions of ${integration.name}: ${names.join(', ') || '(none yet)'}. Create integrations/${integration.name}/${resource}.${method}.yaml first.`,
  );
  return undefined;
}

function checkExchanges(exchanges: NonNullable<CaseFields['exchanges']>, operation: LoadedOperation, at: (i: number, ...rest: PathSegment[]) => PathSegment[], issue: IssueFn): void {
  const stepNames = operation.steps.map((s) => s.spec.name);
  exchanges.forEach((exchange, i) => {
    if (exchange.step !== undefined && !stepNames.includes(exchange.step)) {
      const guess = closest(exchange.step, stepNames);
      issue('fixture.unknown-step', at(i, 'step'), `${operation.key} has no step "${exchange.step}"`, guess ? `Did you mean "${guess}"?` : `Steps: ${stepNames.join(', ')}.`);
    }
    if (exchange.response.body !== undefined && exchange.response.text !== undefined) {
      issue('fixture.body-and-text', at(i, 'response', 'text'), 'a response has either `body` (JSON) or `text` (raw), not both', 'Remove one of them.', { key: true });
    }
    if (exchange.request.body !== undefined && exchange.request.body_contains !== undefined) {
      issue('fixture.body-and-contains', at(i, 'request', 'body_contains'), 'a request has either `body` or `body_contains`, not both', 'Keep `body` to compare the whole body, or `body_contains` to compare some fields.', { key: true });
    }
    if (!stepForRequest(operation, exchange.request.method, exchange.request.path)) {
      const templates = operation.steps.map((s) => `${s.spec.method} ${s.spec.path}`).join(', ');
      issue(
        'fixture.exchange-matches-no-step',
        at(i, 'request', 'path'),
        `${exchange.request.method} ${exchange.request.path} fits no step of ${operation.key}`,
        `The definition's steps send: ${templates}. Fix the method or path of this exchange.`,
        { severity: 'warning' },
      );
    }
  });
}

function definitionErrors(ctx: FixtureLoadContext, integration: string, fileName: string): DefinitionIssue[] {
  const file = path.relative(ctx.displayRoot, path.join(ctx.integrationsDir, integration, fileName)).split(path.sep).join('/');
  const integrationFile = path.relative(ctx.displayRoot, path.join(ctx.integrationsDir, integration, 'integration.yaml')).split(path.sep).join('/');
  return ctx.definitionIssues.filter((i) => i.severity !== 'warning' && (i.file === file || i.file === integrationFile));
}

function integrationFromPath(file: string): string | undefined {
  const owner = owningIntegration(file);
  return owner?.kind === 'fixture' ? path.basename(owner.dir) : undefined;
}

