import { UnifiedError, type ErrorDetail } from '../errors.js';

export type ResponseFormat = 'unified' | 'raw' | 'normalized';

/** The options every unified call understands, whatever the operation (the `truto_*` query parameters). */
export interface ResponseOptions {
  format: ResponseFormat;
  ignoreRemoteData: boolean;
  /** Dotted paths of fields to leave out of the result. */
  excludeFields: string[];
}

export interface UnifiedQuery {
  /** Operation-specific query parameters (what request mappings read as `query`). */
  query: Record<string, unknown>;
  /** Passed without transformation to the remote API's query string. */
  remoteQuery: Record<string, unknown>;
  options: ResponseOptions;
}

const FORMATS: readonly ResponseFormat[] = ['unified', 'raw', 'normalized'];
/** Parameters that belong to the transport (server), not to the operation. */
const RESERVED = new Set(['integrated_account_id']);

/**
 * Splits a parsed query object (as `qs` produces it from `a[b]=c` syntax) into the operation's
 * query, `remote_query` and the response options. Pure; every mistake is reported together.
 */
export function parseUnifiedQuery(raw: Record<string, unknown>): UnifiedQuery {
  const details: ErrorDetail[] = [];
  const query: Record<string, unknown> = {};
  let remoteQuery: Record<string, unknown> = {};
  const options: ResponseOptions = { format: 'unified', ignoreRemoteData: false, excludeFields: [] };

  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (RESERVED.has(key)) continue;
    switch (key) {
      case 'truto_response_format':
        if (typeof value === 'string' && (FORMATS as readonly string[]).includes(value)) options.format = value as ResponseFormat;
        else details.push({ path: 'query.truto_response_format', message: `must be one of ${FORMATS.join(', ')}` });
        break;
      case 'truto_ignore_remote_data': {
        const flag = parseBoolean(value);
        if (flag === undefined) details.push({ path: 'query.truto_ignore_remote_data', message: 'must be true, false, 1 or 0' });
        else options.ignoreRemoteData = flag;
        break;
      }
      case 'truto_exclude_fields': {
        const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
        if (!list || list.some((v) => typeof v !== 'string' || !/^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@-]+)*$/.test(v.trim()))) {
          details.push({ path: 'query.truto_exclude_fields', message: 'must be a list of field names or dotted paths, e.g. truto_exclude_fields[]=remote_data' });
        } else options.excludeFields = list.map((v) => (v as string).trim());
        break;
      }
      case 'remote_query':
        if (value && typeof value === 'object' && !Array.isArray(value)) remoteQuery = value as Record<string, unknown>;
        else details.push({ path: 'query.remote_query', message: 'must use bracket syntax, e.g. remote_query[search]=value' });
        break;
      default:
        if (key.startsWith('truto_')) details.push({ path: `query.${key}`, message: 'unknown option; known: truto_response_format, truto_ignore_remote_data, truto_exclude_fields' });
        else query[key] = value;
    }
  }
  if (details.length) throw new UnifiedError('invalid_request', `Invalid query: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, { details });
  return { query, remoteQuery, options };
}

export function parseBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  return undefined;
}
