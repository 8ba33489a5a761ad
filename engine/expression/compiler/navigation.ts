/** The steps that walk a structure without naming fields: `*` (one level) and `**` (all levels). */
import type { Code } from './scope.js';
import { append, createSequence, flattenInto } from './sequences.js';
import { isFunction } from './values.js';

export const wildcard: Code = (input) => {
  let results: any = createSequence();
  if (Array.isArray(input) && (input as { outerWrapper?: boolean }).outerWrapper && input.length > 0) input = input[0];
  if (input !== null && typeof input === 'object' && !isFunction(input)) {
    for (const key of Object.keys(input)) {
      const value = input[key];
      // `$append` (so a plain array, as in the interpreter) once an array value has been spliced in.
      if (Array.isArray(value)) results = append(results, flattenInto(value, []));
      else results.push(value);
    }
  }
  return results;
};

export const descendants: Code = (input) => {
  if (input === undefined) return undefined;
  const results = createSequence();
  recurse(input, results);
  return results.length === 1 ? results[0] : results;
};

function recurse(input: any, results: unknown[]): void {
  if (Array.isArray(input)) {
    for (const member of input) recurse(member, results);
    return;
  }
  results.push(input);
  if (input !== null && typeof input === 'object' && !isFunction(input)) {
    for (const key of Object.keys(input)) recurse(input[key], results);
  }
}
