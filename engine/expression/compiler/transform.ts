/**
 * `| pattern | update, delete |`: a function that deep-copies its argument (with whatever `$clone`
 * is in scope, as the interpreter does) and edits the copy; the argument itself is never touched.
 */
import { apply, Native } from './callables.js';
import { DELEGATE, reach } from './concurrency.js';
import { fault } from './faults.js';
import type { Code } from './scope.js';
import { lookup } from './variables.js';
import { parseSignature } from './signature.js';
import { isArrayOfStrings, isFunction } from './values.js';

const SIGNATURE = parseSignature('<(oa):o>');

export function transformer(pattern: Code, update: Code, deletion: Code | undefined, height: number): Code {
  return (_input, env) =>
    new Native('transform', SIGNATURE, 1, 1, ([obj], run) => {
      if (obj === undefined) return undefined;
      reach(run, height);
      const clone = lookup(env, 'clone');
      if (!isFunction(clone)) throw fault('T2013');
      const result = apply(clone, [obj], null, run);
      // The clauses run in the scope the transform was made in.
      const scope = env;
      let matches = pattern(result, scope);
      if (matches === undefined) return result;
      if (!Array.isArray(matches)) matches = [matches];
      for (let i = 0; i < matches.length; i++) {
        const match = matches[i];
        const changes = update(match, scope);
        if (changes !== undefined) {
          if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) throw fault('T2011', { value: changes });
          // A function value passes for an object in the interpreter, which copies its fields in: not ours to mimic.
          if (isFunction(changes)) throw DELEGATE;
          for (const prop of Object.keys(changes)) match[prop] = changes[prop];
        }
        if (deletion === undefined) continue;
        let deletions = deletion(match, scope);
        if (deletions === undefined) continue;
        const given = deletions;
        if (!Array.isArray(deletions)) deletions = [deletions];
        if (!isArrayOfStrings(deletions)) throw fault('T2012', { value: given });
        for (const name of deletions as string[]) {
          if (typeof match === 'object' && match !== null) delete match[name];
        }
      }
      return result;
    });
}
