/** The built-in functions, as the outermost scope of every compiled evaluation. */
import jsonata from 'jsonata';
import type { Native } from '../callables.js';
import { higherOrderFunctions } from './higher-order.js';
import { numberFunctions } from './numbers.js';
import { patternFunctions } from './patterns.js';
import { pictureFunctions } from './pictures.js';
import { stringFunctions } from './strings.js';
import { structureFunctions } from './structures.js';

const all: Native[] = [
  ...stringFunctions,
  ...numberFunctions,
  ...structureFunctions,
  ...higherOrderFunctions,
  ...patternFunctions,
  ...pictureFunctions,
];

// Built-ins that call back into functions they are given (directly, or through a matcher).
const CALLING_BACK = new Set(['map', 'filter', 'single', 'reduce', 'sift', 'each', 'sort', 'contains', 'match', 'replace', 'split']);
// Built-ins whose answer is never a sequence.
const SCALAR = new Set(
  ('string substring substringBefore substringAfter lowercase uppercase length trim pad join number floor ceil round abs sqrt ' +
    'power random boolean not exists type count sum max min average contains replace formatNumber formatBase formatInteger ' +
    'parseInteger fromMillis toMillis now millis base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent ' +
    'decodeUrl merge clone').split(' '),
);
// The parameters the interpreter binds when a built-in is partially applied: read from the source
// text of its implementation (`function substring(str, start, length)`), as the interpreter does.
const implementations = (await jsonata(`{${all.map((f) => `"${f.name}": $${f.name}`).join(', ')}}`).evaluate(undefined)) as Record<string, { implementation?: unknown }>;
function sourceParameters(name: string): string[] | undefined {
  const implementation = implementations[name]?.implementation;
  if (typeof implementation !== 'function') return undefined;
  const list = /\(([^)]*)\)/.exec(implementation.toString())?.[1];
  return list === undefined ? undefined : list.split(',').map((p) => p.trim());
}

for (const f of all) {
  f.leaf = !CALLING_BACK.has(f.name);
  f.scalar = SCALAR.has(f.name);
  const params = sourceParameters(f.name);
  f.partial = params !== undefined && params.length === f.params && params.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p));
}

export const BUILTINS: Record<string, Native | undefined> = Object.assign(Object.create(null), Object.fromEntries(all.map((f) => [f.name, f])));

/** Built-ins the compiler does not provide; expressions naming them run on the interpreter. */
export const NOT_COMPILED: Record<string, string> = {
  eval: 'function $eval is not compiled (it parses and evaluates text at run time)',
};
