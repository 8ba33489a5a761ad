/** What an expression reads: field names, string literals and free variables, to aim generated data at it. */
import jsonata from 'jsonata';

export interface Shape {
  names: string[];
  strings: string[];
  variables: string[];
  /** Uses a function whose answer changes between two evaluations ($now, $random, …). */
  nondeterministic: boolean;
}

const NONDETERMINISTIC = new Set(['now', 'millis', 'random', 'shuffle']);

export function shapeOf(source: string): Shape {
  const names = new Set<string>();
  const strings = new Set<string>();
  const used = new Set<string>();
  const bound = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'name' && typeof n.value === 'string') names.add(n.value);
    if (n.type === 'string' && typeof n.value === 'string') strings.add(n.value);
    if (n.type === 'variable' && typeof n.value === 'string') used.add(n.value);
    if (n.type === 'bind') bound.add((n.lhs as { value: string }).value);
    if (n.type === 'lambda') for (const a of (n.arguments as { value: string }[]) ?? []) bound.add(a.value);
    if (typeof n.focus === 'string') bound.add(n.focus);
    if (typeof n.index === 'string') bound.add(n.index);
    for (const key of Object.keys(n)) if (key !== 'signature' && key !== 'slot') walk(n[key]);
  };
  walk(jsonata(source).ast());
  const nondeterministic = [...used].some((v) => NONDETERMINISTIC.has(v));
  const builtins = new Set(['', '$', ...BUILTIN_NAMES]);
  return {
    names: [...names],
    strings: [...strings],
    variables: [...used].filter((v) => !bound.has(v) && !builtins.has(v)),
    nondeterministic,
  };
}

const BUILTIN_NAMES = (
  'sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad match ' +
  'contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power ' +
  'random boolean not map zip filter single reduce sift keys lookup append exists spread merge reverse each error assert ' +
  'type sort shuffle distinct base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval ' +
  'toMillis fromMillis clone now millis'
).split(' ');
