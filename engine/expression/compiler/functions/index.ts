/** The built-in functions, as the outermost scope of every compiled evaluation. */
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
for (const f of all) {
  f.leaf = !CALLING_BACK.has(f.name);
  f.scalar = SCALAR.has(f.name);
}

export const BUILTINS: Record<string, Native | undefined> = Object.assign(Object.create(null), Object.fromEntries(all.map((f) => [f.name, f])));

/** Built-ins the compiler does not provide; expressions naming them run on the interpreter. */
export const NOT_COMPILED: Record<string, string> = {
  eval: 'function $eval is not compiled (it parses and evaluates text at run time)',
};
