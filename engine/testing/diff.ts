import { formatPath, type PathSegment } from '../loader/yaml-source.js';

/** One difference between an expected and an actual JSON value, at a path inside them. */
export interface DiffEntry {
  path: PathSegment[];
  kind: 'changed' | 'missing' | 'unexpected' | 'length';
  expected?: unknown;
  actual?: unknown;
}

/**
 * Structural comparison of JSON values. `equal`: every field on both sides must match. `contains`:
 * only what the expectation names is compared (objects recursively; lists element by element and of
 * the same length, so a list expectation still says how many items there are).
 */
export function diffValues(expected: unknown, actual: unknown, mode: 'equal' | 'contains', path: PathSegment[] = []): DiffEntry[] {
  if (isObject(expected) && isObject(actual)) {
    const out: DiffEntry[] = [];
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual) || actual[key] === undefined) out.push({ path: [...path, key], kind: 'missing', expected: value });
      else out.push(...diffValues(value, actual[key], mode, [...path, key]));
    }
    if (mode === 'equal') {
      for (const [key, value] of Object.entries(actual)) {
        if (!(key in expected) && value !== undefined) out.push({ path: [...path, key], kind: 'unexpected', actual: value });
      }
    }
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: DiffEntry[] = [];
    if (expected.length !== actual.length) out.push({ path, kind: 'length', expected: expected.length, actual: actual.length });
    const common = Math.min(expected.length, actual.length);
    for (let i = 0; i < common; i++) out.push(...diffValues(expected[i], actual[i], mode, [...path, i]));
    return out;
  }
  // Objects and lists were handled above: what is left are scalars, or values of different shapes.
  return expected === actual ? [] : [{ path, kind: 'changed', expected, actual }];
}

/** `body.name: expected "A", got "B"`, with `prefix` naming the root (`body`, `error`…). */
export function describeDiff(prefix: string, entry: DiffEntry): string {
  const where = formatPath([prefix, ...entry.path]);
  switch (entry.kind) {
    case 'missing':
      return `${where}: missing, expected ${show(entry.expected)}`;
    case 'unexpected':
      return `${where}: not expected, got ${show(entry.actual)}`;
    case 'length':
      return `${where}: expected ${count(entry.expected)}, got ${count(entry.actual)}`;
    default:
      return `${where}: expected ${show(entry.expected)}, got ${show(entry.actual)}`;
  }
}

export function show(value: unknown, max = 100): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function count(n: unknown): string {
  return `${String(n)} item${n === 1 ? '' : 's'}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
