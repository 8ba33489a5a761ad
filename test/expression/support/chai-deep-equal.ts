/**
 * The JSONata suite's own comparison: chai's `deep.equal` (deep-eql). Arrays compare by their items
 * only (a sequence's flags do not count), objects by their enumerable keys, numbers strictly
 * (-0 is not 0, NaN equals NaN), and values of different types never match.
 */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value;
  return Object.prototype.toString.call(value).slice(8, -1);
}

function simpleEqual(a: unknown, b: unknown): boolean | undefined {
  if (a === b) return a !== 0 || 1 / (a as number) === 1 / (b as number);
  if (a !== a && b !== b) return true;
  if (a === null || b === null || (typeof a !== 'object' && typeof a !== 'function') || (typeof b !== 'object' && typeof b !== 'function')) {
    return false;
  }
  return undefined;
}

function enumerableKeys(value: object): string[] {
  const keys: string[] = [];
  for (const key in value) keys.push(key);
  return keys;
}

export function chaiDeepEqual(a: unknown, b: unknown): boolean {
  const simple = simpleEqual(a, b);
  if (simple !== undefined) return simple;
  const type = typeName(a);
  if (type !== typeName(b)) return false;
  if (type === 'Function') return a === b;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!chaiDeepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = enumerableKeys(a as object).sort();
  const kb = enumerableKeys(b as object).sort();
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false;
  for (const key of ka) {
    if (!chaiDeepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** chai's `deep.contain` on a thrown object: every expected property is there, deep-equal. */
export function chaiDeepContains(actual: unknown, expected: Record<string, unknown>): boolean {
  if (actual === null || typeof actual !== 'object') return false;
  return Object.keys(expected).every((key) => chaiDeepEqual((actual as Record<string, unknown>)[key], expected[key]));
}
