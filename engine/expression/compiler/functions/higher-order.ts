/** Functions that take functions. Each call of the given function ticks the time-box. */
import { invoke } from '../callables.js';
import { fault } from '../faults.js';
import type { Run } from '../scope.js';
import { createSequence } from '../sequences.js';
import { mergeSort } from '../sort.js';
import { arityOf, isArrayOfNumbers, isArrayOfStrings, keysOf, toBoolean } from '../values.js';
import { define } from './define.js';

/** The value always; the position and the whole only when the function declares them. */
function hofArgs(func: unknown, value: unknown, position: unknown, whole: unknown): unknown[] {
  const arity = arityOf(func);
  if (arity >= 3) return [value, position, whole];
  if (arity >= 2) return [value, position];
  return [value];
}

function map(arr: any[] | undefined, func: unknown, run: Run): unknown {
  if (arr === undefined) return undefined;
  const result = createSequence();
  for (let i = 0; i < arr.length; i++) {
    const res = invoke(func, hofArgs(func, arr[i], i, arr), run);
    if (res !== undefined) result.push(res);
  }
  return result;
}

function filter(arr: any[] | undefined, func: unknown, run: Run): unknown {
  if (arr === undefined) return undefined;
  const result = createSequence();
  for (let i = 0; i < arr.length; i++) {
    if (toBoolean(invoke(func, hofArgs(func, arr[i], i, arr), run))) result.push(arr[i]);
  }
  return result;
}

function single(arr: any[] | undefined, func: unknown, run: Run): unknown {
  if (arr === undefined) return undefined;
  let found = false;
  let result: unknown;
  for (let i = 0; i < arr.length; i++) {
    const positive = func === undefined ? true : toBoolean(invoke(func, hofArgs(func, arr[i], i, arr), run));
    if (positive) {
      if (found) throw fault('D3138', { index: i });
      result = arr[i];
      found = true;
    }
  }
  if (!found) throw fault('D3139');
  return result;
}

function reduce(sequence: any[] | undefined, func: unknown, init: unknown, run: Run): unknown {
  if (sequence === undefined) return undefined;
  const arity = arityOf(func);
  if (arity < 2) throw fault('D3050', { index: 1 });
  let result: unknown;
  let index: number;
  if (init === undefined && sequence.length > 0) {
    result = sequence[0];
    index = 1;
  } else {
    result = init;
    index = 0;
  }
  for (; index < sequence.length; index++) {
    const args = [result, sequence[index]];
    if (arity >= 3) args.push(index);
    if (arity >= 4) args.push(sequence);
    result = invoke(func, args, run);
  }
  return result;
}

function sift(arg: any, func: unknown, run: Run): unknown {
  const result = Object.create(null);
  for (const key of keysOf(arg)) {
    const entry = arg[key];
    if (toBoolean(invoke(func, hofArgs(func, entry, key, arg), run))) result[key] = entry;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

function each(obj: any, func: unknown, run: Run): unknown {
  const result = createSequence();
  for (const key of keysOf(obj)) {
    const val = invoke(func, hofArgs(func, obj[key], key, obj), run);
    if (val !== undefined) result.push(val);
  }
  return result;
}

function sort(arr: any[] | undefined, comparator: unknown, run: Run): unknown {
  if (arr === undefined) return undefined;
  if (arr.length <= 1) return arr;
  if (comparator === undefined) {
    if (!isArrayOfNumbers(arr) && !isArrayOfStrings(arr)) throw fault('D3070', { index: 1 });
    return mergeSort(arr, (a: any, b: any) => a > b, run);
  }
  // The interpreter calls the comparator directly: only a (wrapped) function can be.
  if (typeof comparator !== 'function') throw new TypeError('comp is not a function');
  // The comparator's answer is taken as JavaScript truth, not JSONata's, as in the interpreter.
  return mergeSort(arr, (a, b) => !!invoke(comparator, [a, b], run), run);
}

export const higherOrderFunctions = [
  define('map', '<af>', 2, ([arr, func], run) => map(arr, func, run)),
  define('filter', '<af>', 2, ([arr, func], run) => filter(arr, func, run)),
  define('single', '<af?>', 2, ([arr, func], run) => single(arr, func, run)),
  define('reduce', '<afj?:j>', 3, ([seq, func, init], run) => reduce(seq, func, init, run)),
  define('sift', '<o-f?:o>', 2, ([arg, func], run) => sift(arg, func, run)),
  define('each', '<o-f:a>', 2, ([obj, func], run) => each(obj, func, run)),
  define('sort', '<af?:a>', 2, ([arr, comparator], run) => sort(arr, comparator, run)),
];
