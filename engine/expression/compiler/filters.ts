/** Predicates (`[…]`): an index, a list of indexes, or a condition, applied to a sequence or tuple stream. */
import { tick } from './guards.js';
import { Env, type Code } from './scope.js';
import { createSequence, sequenceOf } from './sequences.js';
import { isArrayOfNumbers, isNumeric, toBoolean } from './values.js';

export type Filter = (input: any, env: Env) => any;

/** A tuple's bindings (focus, index, ancestor variables) as a scope for the expressions that see it. */
export function tupleEnv(env: Env, tuple: Record<string, unknown>): Env {
  const frame = new Env(env, env.run);
  const names = (frame.names = new Map());
  for (const key of Object.keys(tuple)) names.set(key, tuple[key]);
  return frame;
}

/**
 * How many times a predicate's answer keeps the item at `index` of `length`: numbers select by
 * position (negative from the end; each matching number keeps it once more), anything else by truth.
 */
export function predicateHits(res: any, index: number, length: number): number {
  if (isNumeric(res)) res = [res];
  if (isArrayOfNumbers(res)) {
    let hits = 0;
    for (const n of res as number[]) {
      let ii = Math.floor(n);
      if (ii < 0) ii = length + ii;
      if (ii === index) hits++;
    }
    return hits;
  }
  return toBoolean(res) ? 1 : 0;
}

export function compileFilter(predicate: Code, literalIndex: number | undefined): Filter {
  if (literalIndex !== undefined) {
    const wanted = Math.floor(literalIndex);
    return (input) => {
      let results: any = createSequence();
      if (input && input.tupleStream) results.tupleStream = true;
      if (!Array.isArray(input)) input = sequenceOf(input);
      const index = wanted < 0 ? input.length + wanted : wanted;
      const item = input[index];
      if (item !== undefined) {
        if (Array.isArray(item)) results = item;
        else results.push(item);
      }
      return results;
    };
  }
  return (input, env) => {
    const results: any = createSequence();
    if (input && input.tupleStream) results.tupleStream = true;
    if (!Array.isArray(input)) input = sequenceOf(input);
    const tuples = (input as { tupleStream?: boolean }).tupleStream === true;
    for (let index = 0; index < input.length; index++) {
      tick(env.run);
      const item = input[index];
      const res = tuples ? predicate(item['@'], tupleEnv(env, item)) : predicate(item, env);
      for (let hits = predicateHits(res, index, input.length); hits > 0; hits--) results.push(item);
    }
    return results;
  };
}
