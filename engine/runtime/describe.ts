import type { LoadedDefinitions, UnifiedMethod } from '../definition/loaded.js';

/**
 * What the docs of a unified operation show: its schemas and, per integration that provides it,
 * the request fields that integration requires ("Required in: <label>"). Pure, from loaded definitions.
 */
export interface OperationDescription {
  model: string;
  resource: string;
  method: string;
  description?: string;
  http: { method: string; path: string };
  result: UnifiedMethod['spec']['result'];
  request_body_schema?: Record<string, unknown>;
  query_schema?: Record<string, unknown>;
  response_schema: Record<string, unknown>;
  integrations: { name: string; label: string; required: { body: string[]; query: string[] } }[];
  /** Field → labels of the integrations that require it, the data behind "Required in: …". */
  required_in: Record<string, string[]>;
}

export function describeOperation(definitions: LoadedDefinitions, model: string, resource: string, method: string): OperationDescription | undefined {
  const unified = definitions.catalog.methods.get(`${model}/${resource}/${method}`);
  if (!unified) return undefined;
  const integrations: OperationDescription['integrations'] = [];
  const requiredIn: Record<string, string[]> = {};
  for (const integration of [...definitions.integrations.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const operation = integration.operations.get(unified.key);
    if (!operation) continue;
    const required = { body: [...(operation.spec.requires?.body ?? [])], query: [...(operation.spec.requires?.query ?? [])] };
    integrations.push({ name: integration.name, label: integration.spec.label, required });
    for (const field of required.body) (requiredIn[`body.${field}`] ??= []).push(integration.spec.label);
    for (const field of required.query) (requiredIn[`query.${field}`] ??= []).push(integration.spec.label);
  }
  return {
    model,
    resource,
    method,
    description: unified.spec.description,
    http: { method: unified.spec.http.method, path: `/unified/${model}${unified.spec.http.path}` },
    result: unified.spec.result,
    request_body_schema: unified.bodySchema,
    query_schema: unified.querySchema,
    response_schema: unified.spec.result === 'list' ? listEnvelope(unified.resourceSchema) : unified.resourceSchema,
    integrations,
    required_in: requiredIn,
  };
}

function listEnvelope(item: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    required: ['result', 'next_cursor', 'result_count'],
    properties: {
      result: { type: 'array', items: item },
      next_cursor: { type: ['string', 'null'], description: 'Pass back as next_cursor for the next page; null at the end.' },
      result_count: { type: 'integer', description: 'Number of items in this page.' },
    },
  };
}

/** Operations by integration: rows are `model/resource/method`, columns integrations. */
export function coverageMatrix(definitions: LoadedDefinitions): { operations: string[]; integrations: { name: string; label: string }[]; cells: Record<string, Record<string, boolean>> } {
  const operations = [...definitions.catalog.methods.keys()].sort();
  const integrations = [...definitions.integrations.values()].map((i) => ({ name: i.name, label: i.spec.label })).sort((a, b) => a.name.localeCompare(b.name));
  const cells: Record<string, Record<string, boolean>> = {};
  for (const op of operations) {
    cells[op] = {};
    for (const i of integrations) cells[op][i.name] = definitions.integrations.get(i.name)!.operations.has(op);
  }
  return { operations, integrations, cells };
}
