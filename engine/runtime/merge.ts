/** Plain-object check that rejects arrays, class instances and null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deep merge of `over` onto `base` into a new object; `over` wins, arrays are replaced, and keys that
 * could reach a prototype are dropped, so caller-supplied `remote_data` can never pollute one.
 */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = Object.create(null);
  if (isPlainObject(base)) for (const [k, v] of Object.entries(base)) if (!FORBIDDEN_KEYS.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(over)) {
    if (FORBIDDEN_KEYS.has(k)) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return { ...out };
}
