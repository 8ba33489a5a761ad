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
  const validateBody = unified.validateBody;
  if (validateBody) addSchemaDetails(details, 'body', validateBody, body);
  else if (hasFieldBesidesRemoteData(body)) {
    details.push({ path: 'body', message: `${unified.key} takes no request body fields` });
  }
  const validateQuery = unified.validateQuery;
  if (validateQuery) addSchemaDetails(details, 'query', validateQuery, query);

  const { requires, unsupported } = operation.spec;
  for (const field of requires?.body ?? NONE) {
    if (isMissing(body[field]) && !details.some((d) => d.path === `body.${field}`)) {
      details.push({ path: `body.${field}`, message: `is required by ${operation.integration}` });
    }
  }
  for (const field of requires?.query ?? NONE) {
    if (isMissing(query[field])) details.push({ path: `query.${field}`, message: `is required by ${operation.integration}` });
  }
  for (const field of unsupported?.body ?? NONE) {
    if (body[field] !== undefined) details.push({ path: `body.${field}`, message: `is not supported by ${operation.integration}` });
  }
  for (const field of unsupported?.query ?? NONE) {
    if (query[field] !== undefined) details.push({ path: `query.${field}`, message: `is not supported by ${operation.integration}` });
  }
  if (details.length) {
    throw new UnifiedError('invalid_request', `Invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, { details });
  }
}

const NONE: readonly string[] = [];

function hasFieldBesidesRemoteData(body: Record<string, unknown>): boolean {
  for (const key of Object.keys(body)) if (key !== 'remote_data') return true;
  return false;
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function addSchemaDetails(details: ErrorDetail[], root: string, validate: ValidateFunction, value: unknown): void {
  if (validate(value)) return;
  for (const e of validate.errors ?? []) details.push(toDetail(root, e));
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
