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
  return parsePlainPairs(search) ?? parseWithQs(search);
}

/** The general case: qs with the options above. Exported for the tests that hold the fast path to it. */
export function parseWithQs(search: string): Record<string, unknown> {
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

/** Brackets, raw or percent-encoded anywhere (qs decodes `%5B`/`%5D` before splitting). */
const BRACKET = /[[\]]|%5[bd]/i;

/**
 * The common query string, `key=value` pairs with distinct keys and no brackets, read without qs.
 * The answer is exactly qs's (test/server/router-query.test.ts holds the two together on generated
 * input); anything else (brackets, a repeated key, a leading `?`, more parameters than the limit,
 * where qs combines, nests or throws) returns undefined and goes to qs.
 */
function parsePlainPairs(search: string): Record<string, unknown> | undefined {
  if (search.charCodeAt(0) === 0x3f /* ? */ || BRACKET.test(search)) return undefined;
  const parts = search.split('&');
  if (parts.length > OPTIONS.parameterLimit) return undefined;
  const out: Record<string, unknown> = {};
  // Every key, kept or not: qs combines repeats into an array (and bounds it) before dropping any.
  const seen = parts.length > 1 ? new Set<string>() : undefined;
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    if (seen) {
      if (seen.has(key)) return undefined;
      seen.add(key);
    }
    // qs skips an empty key and any key Object.prototype has; `prototype` goes as in withoutDangerousKeys.
    if (key === '' || Object.hasOwn(Object.prototype, key) || DANGEROUS.has(key)) continue;
    out[key] = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
  }
  return out;
}

/** qs's own decoder (utils.decode, UTF-8): `+` is a space, a malformed escape leaves the text as it is. */
function decodeComponent(text: string): string {
  if (text.indexOf('%') === -1) return text.indexOf('+') === -1 ? text : text.replace(/\+/g, ' ');
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
