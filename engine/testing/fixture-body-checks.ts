import type { ErrorObject, ValidateFunction } from 'ajv';
import type { LoadedOperation } from '../definition/loaded.js';
import type { DefinitionIssue } from '../errors.js';
import { schemaProperties } from '../loader/reference-checks.js';
import { closest } from '../loader/spelling.js';
import { formatPath, pointerToPath, positionAt, type PathSegment, type YamlSource } from '../loader/yaml-source.js';
import type { ExpectSpec } from './fixture-types.js';

/**
 * Static checks of a fixture's unified values against the unified schemas: a request body the
 * engine would refuse, or an expected result the engine could never produce (a field the model does
 * not have, a wrong type), found by `validate` before anything runs.
 */

export function checkRequestBody(source: YamlSource, at: PathSegment[], body: unknown, operation: LoadedOperation): DefinitionIssue[] {
  if (body === undefined) return [];
  const issues: DefinitionIssue[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [issue(source, at, 'fixture.request-body', 'the unified request body must be a mapping', 'Write the body as `key: value` lines under `body:`.')];
  }
  const validate = operation.unified.validateBody;
  if (validate && !validate(body)) {
    issues.push(...schemaErrors(source, at, validate, operation.unified.bodySchema, 'unified request body', ['required']));
  }
  for (const field of operation.spec.requires?.body ?? []) {
    if (!(field in body)) {
      issues.push(issue(source, at, 'fixture.request-missing-field', `the definition requires body field \`${field}\`, which this request lacks`, `Add \`${field}:\` to the request body, or expect the error (expect.error.kind: invalid_request).`));
    }
  }
  return issues;
}

export function checkExpectedBody(source: YamlSource, at: PathSegment[], expect: ExpectSpec, operation: LoadedOperation, query: Record<string, unknown>): DefinitionIssue[] {
  const format = query.truto_response_format ?? 'unified';
  if (format === 'raw' || operation.unified.spec.result === 'none') return [];
  const validate = operation.unified.validateResource;
  const label = `unified ${operation.unified.resource.replace(/s$/, '')}`;
  const issues: DefinitionIssue[] = [];
  for (const field of ['body', 'body_contains'] as const) {
    const expected = expect[field];
    if (expected === undefined) continue;
    const objects: [PathSegment[], unknown][] =
      operation.unified.spec.result === 'list'
        ? listItems(expected).map(([i, item]) => [[...at, field, 'result', i], item])
        : [[[...at, field], expected]];
    for (const [where, value] of objects) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && !validate(value)) {
        // Excluded or partial fields are legitimate in expectations: only what can never appear is reported.
        issues.push(...schemaErrors(source, where, validate, operation.unified.resourceSchema, label, ['required']));
      }
    }
  }
  return issues;
}

function listItems(body: unknown): [number, unknown][] {
  const result = (body as { result?: unknown } | null)?.result;
  return Array.isArray(result) ? result.map((item, i) => [i, item]) : [];
}

function schemaErrors(source: YamlSource, at: PathSegment[], validate: ValidateFunction, schema: Record<string, unknown> | undefined, label: string, ignore: string[]): DefinitionIssue[] {
  const out: DefinitionIssue[] = [];
  for (const err of (validate.errors ?? []) as ErrorObject[]) {
    if (ignore.includes(err.keyword)) continue;
    const rel = pointerToPath(err.instancePath);
    if (err.keyword === 'additionalProperties') {
      const name = String((err.params as { additionalProperty?: string }).additionalProperty);
      const known = (rel.length === 0 ? schemaProperties(schema) : undefined) ?? [];
      const guess = closest(name, known) ?? known.find((k) => k.startsWith(name) || name.startsWith(k));
      out.push(
        issue(source, [...at, ...rel, name], 'fixture.unknown-field', `the ${label} has no field \`${name}\``, guess ? `Did you mean \`${guess}\`?` : `Fields: ${known.join(', ') || 'see the unified schema'}.`, true),
      );
      continue;
    }
    out.push(issue(source, [...at, ...rel], 'fixture.schema-mismatch', `${formatPath(rel) || 'value'} ${err.message ?? 'is invalid'} (per the ${label} schema)`, 'A value the engine can never produce here: fix the expectation.'));
  }
  return out;
}

function issue(source: YamlSource, at: PathSegment[], code: string, message: string, hint: string, key = false): DefinitionIssue {
  return { code, file: source.file, ...positionAt(source, at, { key }), path: formatPath(at), message, hint, severity: 'error' };
}
