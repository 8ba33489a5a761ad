import type { ErrorObject, ValidateFunction } from 'ajv';
import type { LoadedOperation } from '../definition/loaded.js';
import { UnifiedError, type ErrorDetail } from '../errors.js';

/**
 * Step 1 of a call: the unified body and query must conform to the unified schemas and carry every
 * field this integration requires. Nothing is sent when this fails.
 */
export function validateInput(operation: LoadedOperation, body: Record<string, unknown>, query: Record<string, unknown>): void {
  const details: ErrorDetail[] = [];
  const { unified } = operation;
  if (unified.validateBody) details.push(...schemaDetails('body', unified.validateBody, body));
  else if (Object.keys(body).some((k) => k !== 'remote_data')) {
    details.push({ path: 'body', message: `${unified.key} takes no request body fields` });
  }
  if (unified.validateQuery) details.push(...schemaDetails('query', unified.validateQuery, query));

  for (const field of operation.spec.requires?.body ?? []) {
    if (isMissing(body[field]) && !details.some((d) => d.path === `body.${field}`)) {
      details.push({ path: `body.${field}`, message: `is required by ${operation.integration}` });
    }
  }
  for (const field of operation.spec.requires?.query ?? []) {
    if (isMissing(query[field])) details.push({ path: `query.${field}`, message: `is required by ${operation.integration}` });
  }
  for (const field of operation.spec.unsupported?.body ?? []) {
    if (body[field] !== undefined) details.push({ path: `body.${field}`, message: `is not supported by ${operation.integration}` });
  }
  for (const field of operation.spec.unsupported?.query ?? []) {
    if (query[field] !== undefined) details.push({ path: `query.${field}`, message: `is not supported by ${operation.integration}` });
  }
  if (details.length) {
    throw new UnifiedError('invalid_request', `Invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, { details });
  }
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function schemaDetails(root: string, validate: ValidateFunction, value: unknown): ErrorDetail[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => toDetail(root, e));
}

function toDetail(root: string, e: ErrorObject): ErrorDetail {
  const base = [root, ...e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))];
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: [...base, String(p.additionalProperty)].join('.'), message: 'is not a known field' };
    case 'required':
      return { path: [...base, String(p.missingProperty)].join('.'), message: 'is required' };
    case 'enum':
      return { path: base.join('.'), message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path: base.join('.'), message: e.message ?? 'is invalid' };
  }
}
