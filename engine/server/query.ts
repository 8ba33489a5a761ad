import qs from 'qs';
import { UnifiedError } from '../errors.js';

/**
 * The query string in the unified API's bracket syntax (`truto_exclude_fields[]=id`,
 * `remote_query[foo]=bar`). Whatever a caller sends, the result is plain data: keys that exist on
 * `Object.prototype` (`__proto__`, `constructor`, ...) are dropped by qs, and nesting, list length and
 * parameter count are bounded so a crafted URL cannot make parsing expensive.
 */
const OPTIONS = {
  allowPrototypes: false,
  allowDots: false,
  depth: 4,
  strictDepth: true,
  arrayLimit: 100,
  parameterLimit: 200,
  throwOnLimitExceeded: true,
  comma: false,
  duplicates: 'combine',
  ignoreQueryPrefix: true,
} as const;

/** Keys that lead to a prototype when a consumer later writes `obj[a][b] = v`; qs already drops the first two. */
const DANGEROUS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseQueryString(search: string): Record<string, unknown> {
  try {
    return withoutDangerousKeys(qs.parse(search, OPTIONS)) as Record<string, unknown>;
  } catch (err) {
    // qs words its limits clearly ("Parameter limit exceeded. Only 200 parameters allowed.").
    const reason = err instanceof Error ? err.message : 'unreadable';
    throw new UnifiedError('invalid_request', `The query string cannot be read: ${reason}`, {
      details: [{ path: 'query', message: reason }],
    });
  }
}

function withoutDangerousKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDangerousKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!DANGEROUS.has(k)) out[k] = withoutDangerousKeys(v);
  return out;
}
